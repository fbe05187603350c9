"""The capstone speedrun: reach a held-out accuracy on the digits in as few optimizer steps as possible.

The rules are AlgoPerf's (Dahl et al. 2023) in miniature. The model family is fixed (64 pixels, one hidden
ReLU layer of 64 units, a softmax over the 10 digits, He initialization); the student chooses only the
training algorithm: a batch size, and an update `step(parameters, grads, state, t) -> (parameters, state)`
with its own state (momentum, Adam's moments, a schedule...) started by `init(parameters) -> state`.
`race` runs the loop itself: it draws the mini-batches, computes the gradients and the held-out accuracy,
and counts the steps until the target is reached. The student's code sees only parameters and gradients.

Each seed draws its own split of the digits, its own initialization and its own batch order, from
independent streams, and its own secret permutation of the 64 pixels: a model trained on the digits as
scikit-learn ships them (held-out images included) is useless on the permuted ones, so only the gradients
the loop hands out can teach the network. The grader's seeds come from the course secret
(`COURSE_SECRET`); without one they are the fixed `HIDDEN_SEEDS`, which the public repository shows.
"""

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from trainfaster import data, minibatch, network, optimizers
from trainfaster.softmax import cross_entropy_cost, softmax

LAYER_DIMS = (64, 64, 10)
TARGET = 0.97  # held-out accuracy
MAX_STEPS = 1000
EVAL_EVERY = 10  # steps between two held-out evaluations: a run is credited with the first multiple of it
BATCH_SIZES = (8, 16, 32, 64, 128, 256, 512)
PUBLIC_SEEDS = (0,)
HIDDEN_SEEDS = (101, 202, 303)


@dataclass
class Race:
    """What `race` returns: the steps to the target on each seed (None: not reached), and why a run stopped."""

    steps: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def median(self):
        """The median of the steps over the seeds, a seed that missed the target counting as infinitely slow."""
        return float(np.median([math.inf if s is None else s for s in self.steps]))


def grading_seeds(secret=""):
    """The grader's seeds: three drawn from the course secret, or `HIDDEN_SEEDS` without one."""
    if not secret:
        return HIDDEN_SEEDS
    digest = hashlib.sha256(f"speedrun\0{secret}".encode()).digest()
    return tuple(int.from_bytes(digest[4 * k:4 * k + 4], "little") for k in range(3))


def _streams(seed):
    """Independent generators for the split, the pixel permutation, the initialization and the batch order."""
    split, pixels, init, order = np.random.SeedSequence([seed, 2026]).spawn(4)
    return (int(np.random.default_rng(split).integers(2**31)), np.random.default_rng(pixels),
            np.random.default_rng(init), np.random.default_rng(order))


def problem(seed):
    """`(X_train, Y_train, X_test, labels_test, parameters)` of one seed: the permuted digits and the start."""
    split, pixels, init, _ = _streams(seed)
    X_train, labels_train, X_test, labels_test = data.load_digits(test_fraction=0.25, seed=split)
    permutation = pixels.permutation(X_train.shape[0])
    Y_train = np.eye(LAYER_DIMS[-1])[:, labels_train]
    parameters = {}
    for l in range(1, len(LAYER_DIMS)):
        fan_in = LAYER_DIMS[l - 1]
        parameters[f"W{l}"] = init.standard_normal((LAYER_DIMS[l], fan_in)) * np.sqrt(2.0 / fan_in)
        parameters[f"b{l}"] = np.zeros((LAYER_DIMS[l], 1))
    return X_train[permutation], Y_train, X_test[permutation], labels_test, parameters


def held_out_accuracy(parameters, X_test, labels_test):
    AL, _ = network.forward(X_test, parameters, output=softmax)
    return float((AL.argmax(axis=0) == labels_test).mean())


def _checked(parameters, shapes, t):
    """The student's returned parameters, or a `ValueError` saying what is wrong with them."""
    if not isinstance(parameters, dict) or set(parameters) != set(shapes):
        raise ValueError(f"step {t}: the update must return the parameters dict with keys {sorted(shapes)}")
    checked = {}
    for key, shape in shapes.items():
        value = np.asarray(parameters[key], dtype=float)
        if value.shape != shape:
            raise ValueError(f"step {t}: {key} has shape {value.shape}; expected {shape}")
        if not np.isfinite(value).all():
            raise ValueError(f"step {t}: {key} is not finite (the run diverged: a smaller learning rate?)")
        checked[key] = value
    return checked


def race(batch_size, init, step, seeds=PUBLIC_SEEDS, target=TARGET, max_steps=MAX_STEPS):
    """Train on each seed with the student's `init` and `step`; return a `Race` (steps to the target).

    The held-out accuracy is measured every `EVAL_EVERY` steps; a run stops at the target or at `max_steps`.
    """
    if batch_size not in BATCH_SIZES:
        raise ValueError(f"batch_size must be one of {BATCH_SIZES}, got {batch_size!r}")
    result = Race()
    for seed in seeds:
        X_train, Y_train, X_test, labels_test, parameters = problem(seed)
        order = _streams(seed)[3]
        shapes = {key: value.shape for key, value in parameters.items()}
        state = init({key: value.copy() for key, value in parameters.items()})
        m, reached, batches = Y_train.shape[1], None, []
        try:
            for t in range(1, max_steps + 1):
                if not batches:
                    permutation = order.permutation(m)
                    batches = [permutation[k:k + batch_size] for k in range(0, m - batch_size + 1, batch_size)]
                columns = batches.pop(0)
                AL, caches = network.forward(X_train[:, columns], parameters, output=softmax)
                grads = network.backward(AL, Y_train[:, columns], caches, parameters)
                parameters, state = step({k: v.copy() for k, v in parameters.items()}, grads, state, t)
                parameters = _checked(parameters, shapes, t)
                if t % EVAL_EVERY == 0 and held_out_accuracy(parameters, X_test, labels_test) >= target:
                    reached = t
                    break
        except ValueError as error:
            result.notes.append(str(error))
        result.steps.append(reached)
    return result


def sgd(learning_rate):
    """The baseline plain SGD as an `(init, step)` pair."""
    def step(parameters, grads, state, t):
        return minibatch.update_parameters_with_gd(parameters, grads, learning_rate), None
    return (lambda parameters: None), step


def adam(learning_rate):
    """The baseline Adam as an `(init, step)` pair."""
    def step(parameters, grads, state, t):
        parameters, v, s = optimizers.update_parameters_with_adam(parameters, grads, *state, t, learning_rate)
        return parameters, (v, s)
    return optimizers.initialize_adam, step


# The course's baselines at batch size 64, each at its best learning rate of `RATES` (three per decade) by the
# median steps over the public seeds 0-9, the best inside the grid (tests/test_speedrun.py checks both).
RATES = tuple(10 ** (k / 3 - 3) for k in range(13))
BASELINES = {"plain SGD": (64, sgd, RATES[9]), "Adam": (64, adam, RATES[4])}


@lru_cache(maxsize=None)
def baseline_steps(name, seeds):
    """The median steps of a course baseline on `seeds` (a tuple), computed once per process."""
    batch_size, make, rate = BASELINES[name]
    return race(batch_size, *make(rate), seeds=tuple(seeds)).median


def points(steps, sgd_steps, adam_steps):
    """The hidden part's points (on top of the visible part's 2): 1 for reaching the target on the hidden
    seeds (median), 1 more for matching or beating plain SGD's median steps, 1 more for Adam's."""
    if not math.isfinite(steps):
        return 2.0
    return 3.0 + (steps <= sgd_steps) + (steps <= adam_steps)


def summary(result, sgd_steps, adam_steps):
    """One line for the feedback: the student's median steps against the two course baselines."""
    def said(steps):
        return f"{steps:,.0f} steps" if math.isfinite(steps) else f"not within {MAX_STEPS:,} steps"
    seeds = len(result.steps)
    line = (f"speedrun: {TARGET:.0%} held-out accuracy reached in {said(result.median)} (median of {seeds} "
            f"hidden seeds); the course's tuned plain SGD needs {said(sgd_steps)}, its tuned Adam "
            f"{said(adam_steps)}.")
    return line + "".join(f"\n  note: {note}" for note in result.notes)
