"""Each student's own numbers for the exercises' derive and predict tasks.

A task's parameters (a beta, a threshold, a batch size...) are drawn from the student's id, so classmates
work on different numbers and a model answer found online fits nobody's. The draw is deterministic: a hash of
the course secret (`salt`, which the instructor sets when releasing and grading, so that the public
repository's answers give no student their numbers), the exercise, the parameter's name and the id. Without a
secret the numbers still differ from id to id.

Only the parameters are here: this module ships to students. The expected answers are computed on the
grader's side (`autograder.tasks`), never in the library.
"""

import hashlib
import unicodedata

# Each exercise's task parameters, declared once: {slug: {name: the values it is drawn from}}. Each value is
# drawn on its own (adding a parameter changes no other), uniformly from its list.
RANGES = {
    "01_mini_batches": {
        "m": [1003, 1234, 1379, 1511, 1618, 1777, 1901, 2026, 2222, 2468, 2750, 2999],
        "mini_batch_size": [24, 48, 96, 80, 40, 72, 56, 112],
        # B / batch_size neither near 1 (the standard deviation's 1 / (1 + sqrt(B/b)) would equal the answer) nor above
        # ~90 (min(1, b/B) would): tests/test_derive_tasks.py
        "trace_sigma": [3.6, 4.5, 6.9, 8.1, 12.0, 17.0, 27.0, 30.0],
        "grad_sq_norm": [0.02, 0.025, 0.03, 0.04, 0.05, 0.08],
        "batch_size": [16, 32, 64, 128, 256],
    },
    "02_exponentially_weighted_averages": {
        "level": [4.0, 7.5, 12.0, 15.0, 20.0, 25.0],
        "beta": [0.95, 0.96, 0.97, 0.98, 0.99],
        # (1 - beta) * steps never 1, nor near 1 - beta**(steps + 1) (tests/test_derive_tasks.py)
        "steps": [12, 15, 18, 22, 30],
        # beta2 none of beta's values (swapping the two is a mistake); thresholds with ln(threshold) >= 2 |ln beta2|
        # (nearer 1, 1/(1 - x) = 1 + x is so close that beta2**t < threshold - 1 gives the same step or the step
        # before); the bound ln(1 - 1/threshold) / ln(beta2) at least 0.05 from an integer and, in 22 sets of 25, with
        # a fraction below 0.5 (round(bound) is graded right where it equals the answer, the others it is one short)
        "beta2": [0.975, 0.994, 0.996, 0.997, 0.999],
        "threshold": [1.06, 1.075, 1.08, 1.11, 1.12],
        "noise_beta": [0.6, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98],
        # the EMA of the weights (issue 24)
        "ema_decay": [0.99, 0.995, 0.998, 0.999, 0.9995],
        "first_share": [0.001, 0.002, 0.004, 0.01, 0.02, 0.05],  # ln(1/share) >= 3: the rule of thumb is 1.5+ steps off
        # (not 0.005: ln(0.005) / ln(0.995) = 1057.012, within 0.02 of an integer)
        "recent_steps": [50, 100, 200, 300, 500],
    },
    "03_momentum_rmsprop_adam": {
        # ln(threshold) >= 2 |ln beta2| (nearer 1, beta2**t < threshold - 1, as 1/(1 - x) = 1 + x, gives the same
        # step or the step before); the bound ln(1 - 1/threshold) / ln(beta2) at least 0.05 from an integer (nearer,
        # float32 or a loop's rounding crosses it) and, in 17 sets of 30, with a fraction below 0.5 (round(bound) is
        # graded right where it equals the answer)
        "beta2": [0.99, 0.993, 0.997, 0.998, 0.999],
        "threshold": [1.03, 1.04, 1.06, 1.07, 1.09, 1.1],
        "beta": [0.4, 0.6, 0.75, 0.8, 0.85, 0.9, 0.95],  # not 0.5: there PyTorch's edge is half the course's edge
        "curvature": [0.5, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0],
        "sigma_large": [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0],
        "sigma_small": [0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0],
    },
    "04_learning_rate_decay": {
        # fewer than 99 epochs and warmup steps: 1/(n + 1) and 1/(n - 1) stay 5 tolerances away from 1/n
        # (and none of num_epochs' values among warmup_steps': swapping the two is a mistake)
        "num_epochs": [30, 40, 50, 60, 75, 90],
        "warmup_steps": [16, 20, 25, 32, 45, 64, 80],
        "learning_rate0": [0.05, 0.1, 0.2, 0.3, 0.5],
        # decay_rate / (1 - base) between 1 and 2.4: inverse-time decay takes clearly longer than a constant rate
        # (1 / (1 - base) epochs) and than 1 / ((1 - base) decay_rate) epochs, and forgetting the -1 of
        # (e**x - 1) / decay_rate is at least 14 % off (not 0.98: there it is 6.8 %, inside the 8 % tolerance)
        "base": [0.95, 0.955, 0.96, 0.965, 0.97],
        "decay_rate": [0.05, 0.06, 0.07],
        "distance": [5.0, 8.0, 12.0, 20.0, 30.0],
        # warmup-stable-decay (issue 24); warmup_steps above is shared
        "wsd_total_steps": [1000, 1200, 1500, 2000, 2400, 3000],
        "wsd_decay_steps": [100, 150, 200, 240, 300],
    },
    "05_hyperparameter_tuning": {
        # for eta = 2, 3 and 4 alike, rounding the survivors up changes the number of rounds, and the total cost is not
        # a multiple of the winner's budget (rounding random_configs up changes it)
        "n_configs": [17, 28, 31, 85, 90, 100, 110, 120],
        "eta": [2, 3, 4],
        "min_budget": [1, 2, 3, 5],
        "n_trials": [5, 8, 10, 15, 20, 25, 30, 40],
        "top_percent": [1, 2, 3, 5],
        "confidence": [0.9, 0.95, 0.99],
        # safe_bet_or_long_shot: candidate a below best with a small sigma, candidate b above it with a large one
        "best": [0.100, 0.105, 0.110],
        "mu_a": [0.090, 0.095],
        "sigma_a": [0.012, 0.016, 0.022],  # never best - mu_a (z_a != 1) and z_a < 1.7, so no mistake equals the answer
        "mu_b": [0.13, 0.15, 0.18],
        "sigma_b": [0.05, 0.08, 0.12],
    },
    "06_batch_normalization": {
        "difference": [0.004, 0.006, 0.01, 0.02, 0.03],
        "epsilon": [1e-5, 2e-5, 5e-5, 1e-4],
        "z": [(1.0, 2.0, 4.0, 9.0), (0.0, 3.0, 3.0, 6.0), (-2.0, 0.0, 1.0, 5.0), (2.0, 2.0, 5.0, 7.0),
              (-1.0, 1.0, 4.0, 4.0), (0.0, 1.0, 2.0, 9.0)],
        "dz_tilde": [(1.0, 0.0, -1.0, 2.0), (0.5, -1.0, 2.0, 0.0), (2.0, 1.0, 0.0, -1.0), (-1.0, 3.0, 0.0, 1.0),
                     (1.0, -2.0, 1.0, 1.5)],
        # not 0.5, -1 or 4 (= m): forgetting gamma would equal the missing 1/2, the flipped sign or the 1/m
        "gamma": [0.8, 1.5, 2.0, -1.5, 3.0],
    },
    "07_softmax_regression": {
        # C not above ~26: with many classes, C exponentials instead of e**scale + C - 1 is within tolerance of the cost
        "C": [3, 4, 5, 6, 8, 10, 12, 16, 20, 26],
        "scale": [1.0, 1.5, 2.0, 2.5, 3.0, 4.0],
    },
    "08_frameworks": {
        "alpha": [0.01, 0.02, 0.05, 0.1],
        "beta": [0.5, 0.8, 0.9, 0.95],
        "dampening": [0.3, 0.6, 0.7],
        "steps": [3, 4, 5, 6],
        "smallest_gradient": [1e-9, 3e-9, 2e-8, 5e-8, 1e-7, 4e-7, 2e-6],
        "largest_gradient": [0.5, 2.0, 8.0, 30.0, 100.0],
        # m-late (issue 24): dynamic loss scaling's run, `loss_scale_after`
        # (each combination tells every known wrong run apart: tests/test_derive_tasks.py)
        # (overflow_every a multiple of every growth_interval, and num_steps chosen, so that every combination
        # tells the known wrong runs apart and the right tracker is not always 0)
        "growth_interval": [2, 3, 4],
        "overflow_every": [12, 24],
        "num_steps": [29, 30, 31, 33, 34, 35],
    },
}

MAX_ID = 200  # characters: an id longer than any LMS's


def normalize_id(student_id):
    """The id as the course compares it: Unicode NFKC, surrounding spaces dropped, case folded."""
    if not isinstance(student_id, str):
        raise TypeError(f"STUDENT_ID is a {type(student_id).__name__}; write it as text between quotes, e.g. "
                        'STUDENT_ID = "jdoe42"')
    normal = unicodedata.normalize("NFKC", student_id).strip().casefold()
    if len(normal) > MAX_ID:
        raise ValueError(f"STUDENT_ID has {len(normal)} characters; an id has at most {MAX_ID}")
    return normal


def _draw(salt, slug, name, student_id, choices):
    key = "\0".join([str(salt), slug, name, normalize_id(student_id)]).encode("utf-8")
    digest = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
    return choices[digest % len(choices)]


def parameters(slug, student_id, salt=""):
    """The parameters of exercise `slug`'s derive and predict tasks for `student_id`, as a dict (name: value)."""
    if slug not in RANGES:
        raise KeyError(f"exercise {slug!r} has no per-student parameters; the exercises that do: "
                       f"{', '.join(sorted(RANGES))}")
    return {name: _draw(salt, slug, name, student_id, choices) for name, choices in RANGES[slug].items()}


def describe(slug, student_id, salt=""):
    """What a notebook prints under its id cell: whose numbers these are, then each parameter."""
    values = parameters(slug, student_id, salt)
    if normalize_id(student_id):
        head = f"Your numbers, drawn from your student id {student_id.strip()!r}:"
    else:
        head = "Example numbers: STUDENT_ID above is empty. Write your id there and run both cells again."
    return "\n".join([head] + [f"  {name} = {value!r}" for name, value in values.items()])
