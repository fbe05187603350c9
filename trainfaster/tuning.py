"""Chapter 5 (hyperparameter tuning): the reference implementations of its graded functions.

Explained in `book/05_hyperparameter_tuning.md`; the exercise is `solutions/05_hyperparameter_tuning.ipynb`.
`rng` is a `np.random.Generator`: the same seed gives the same samples and the same trials.
"""

import math

import numpy as np


def sample_log_uniform(low, high, size, rng):
    """`size` samples spread evenly over the decades of `[low, high]`: `10 ** uniform(log10 low, log10 high)`."""
    if not 0 < low < high:
        raise ValueError(f"sample_log_uniform needs 0 < low < high, got low={low}, high={high}.")
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)


def sample_beta(low, high, size, rng):
    """`size` values of an averaging weight beta in `[low, high]`, log-uniform in `1 - beta`.

    `1 - 10 ** uniform(log10(1 - high), log10(1 - low))`: 0.9..0.99 gets as many samples as 0.99..0.999.
    """
    if not 0 <= low < high < 1:
        raise ValueError(f"sample_beta needs 0 <= low < high < 1, got low={low}, high={high}.")
    return 1 - 10 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size)


def random_search(objective, sample_config, n_trials, seed=0):
    """Try `n_trials` random configurations; return `[(config, score), ...]` sorted by score, best (lowest) first.

    One `rng = np.random.default_rng(seed)` serves every trial: `config = sample_config(rng)`, then
    `score = objective(config)`. A failed trial should score `inf`; `nan` is refused.
    """
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        config = sample_config(rng)
        score = float(objective(config))
        if math.isnan(score):
            raise ValueError(f"objective returned nan for {config}; return inf for a failed trial.")
        trials.append((config, score))
    return sorted(trials, key=lambda trial: trial[1])


def zoom_range(values, scores, top_k=5):
    """`(low, high)`: the smallest and largest of the `values` whose scores are among the `top_k` lowest."""
    values, scores = np.asarray(values, dtype=float), np.asarray(scores, dtype=float)
    if values.shape != scores.shape or values.ndim != 1 or values.size == 0:
        raise ValueError(f"zoom_range needs two non-empty 1-D sequences of equal length, got shapes {values.shape} and {scores.shape}.")
    if top_k < 1:
        raise ValueError(f"zoom_range needs top_k >= 1, got {top_k}.")
    best = values[np.argsort(scores, kind="stable")[:top_k]]
    return float(best.min()), float(best.max())


def successive_halving(objective, configs, min_budget=1, eta=3):
    """Successive halving: evaluate every config on a small budget, keep the best `1/eta`, give them `eta` times
    the budget, and repeat until a round evaluates a single config.

    Round 0 calls `objective(config, min_budget)` for each config in the given order; each later round keeps
    the `max(1, n // eta)` lowest-scoring of its `n` configs (a tie goes to the one evaluated earlier) and
    evaluates them, best first, with the budget multiplied by `eta`. Returns `[(config, last score, its budget),
    ...]`, one per config, sorted by budget (largest first) then score (lowest first): the winner comes first.
    """
    if len(configs) == 0:
        raise ValueError("successive_halving needs at least one config.")
    if not (isinstance(eta, int) and eta >= 2):
        raise ValueError(f"successive_halving needs an integer eta >= 2, got {eta!r}.")
    if min_budget <= 0:
        raise ValueError(f"successive_halving needs min_budget > 0, got {min_budget!r}.")
    last = {}  # index of a config -> (score, budget) of its latest evaluation
    survivors, budget = list(range(len(configs))), min_budget
    while True:
        scores = []
        for index in survivors:
            score = float(objective(configs[index], budget))
            if math.isnan(score):
                raise ValueError(f"objective returned nan for {configs[index]}; return inf for a failed run.")
            last[index] = (score, budget)
            scores.append(score)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])  # stable: ties keep evaluation order
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget *= eta
    order = sorted(last, key=lambda index: (-last[index][1], last[index][0]))
    return [(configs[index], last[index][0], last[index][1]) for index in order]


def expected_improvement(mu, sigma, best):
    """Bayesian optimization's acquisition for a score to minimize, elementwise: how much a trial with a
    predicted score `N(mu, sigma**2)` is expected to improve on `best`.

    `z = (best - mu) / sigma`, `ei = (best - mu) * Phi(z) + sigma * phi(z)` where `sigma > 0`, and
    `max(best - mu, 0)` where `sigma == 0` (a certain prediction improves by exactly its gain, or not at all).
    A large `ei` comes from a low `mu` (exploitation) or a large `sigma` (exploration).
    """
    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    if (sigma < 0).any():
        raise ValueError(f"expected_improvement needs sigma >= 0, got {sigma[sigma < 0].flat[0]:g}; "
                         "sigma is a standard deviation.")
    gain = best - mu
    certain = sigma == 0
    safe = np.where(certain, 1.0, sigma)
    z = gain / safe
    phi = np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
    Phi = 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2))) if z.size else z
    ei = np.where(certain, np.maximum(gain, 0.0), gain * Phi + safe * phi)
    return float(ei) if ei.ndim == 0 else ei
