"""Exercise 5's derive and predict tasks: what a successive-halving search costs, how often random search
lands in the best few percent of a range, and the expected improvement of a safe bet and of a long shot."""

import math

from autograder.tasks import Task, Value
from trainfaster.tuning import expected_improvement

SLUG = "05_hyperparameter_tuning"


def _rounds(p, keep=lambda n, eta: max(1, n // eta)):
    """The configurations evaluated in each round, as the contract's successive halving runs them."""
    counts = [p["n_configs"]]
    while counts[-1] > 1:
        counts.append(keep(counts[-1], p["eta"]))
    return counts


def _total(p, counts=None):
    counts = counts or _rounds(p)
    return sum(n * p["min_budget"] * p["eta"] ** r for r, n in enumerate(counts))


def _last_budget(p):
    return p["min_budget"] * p["eta"] ** (len(_rounds(p)) - 1)


def _hit(p):
    return 1 - (1 - p["top_percent"] / 100) ** p["n_trials"]


def _exactly_one(p):
    x = p["top_percent"] / 100
    return p["n_trials"] * x * (1 - x) ** (p["n_trials"] - 1)


def _needed_exact(p):
    return math.log(1 - p["confidence"]) / math.log(1 - p["top_percent"] / 100)


def _phi(z):
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _Phi(z):
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _ei(p, k):
    return expected_improvement(p[f"mu_{k}"], p[f"sigma_{k}"], p["best"])


def _ei_mistakes(p, k):
    """The usual wrong expected improvements of candidate k ("a" or "b"), each with what it means."""
    mu, sigma, best = p[f"mu_{k}"], p[f"sigma_{k}"], p["best"]
    gain, z = best - mu, (best - mu) / sigma
    up = -z
    return [((mu - best) * _Phi(up) + sigma * _phi(up), "that is the improvement of a score to maximize (mu - best); "
            "here lower is better."),
            (gain * _Phi(z), "the sigma * phi(z) term is missing: uncertainty adds to the expected improvement."),
            (gain * _phi(z) + sigma * _Phi(z), "the density and the CDF are swapped."),
            (_Phi(z), "that is the probability of improvement, Phi(z), not the expected improvement."),
            (gain * _Phi(gain) + sigma * _phi(gain), "z must be divided by sigma: it counts standard deviations."),
            (max(gain, 0.0), "that ignores the uncertainty (the value for sigma = 0)."),
            (gain * _Phi(z) + sigma * math.exp(-0.5 * z * z), "phi(z) needs its factor 1 / sqrt(2 pi).")]


TASKS = [
    Task(SLUG, "predict_halving", ("n_configs", "eta", "min_budget"), [
        Value("rounds", lambda p: len(_rounds(p)), rtol=0,
              # rounding the survivors up takes one round more in every set of the ranges, the value of going on
              # after the single configuration: one message names both causes
              mistakes=lambda p: [(len(_rounds(p)) - 1, "with that many rounds, starting from all n_configs and "
                                   "keeping max(1, n // eta) after each, the last round still evaluates more than one "
                                   "configuration."),
                                  *[(n, "check where the rounds stop and how many survive each: the survivors are "
                                     "max(1, n // eta), rounded down, and the round that evaluates a single "
                                     "configuration is the last one.")
                                    for n in sorted({len(_rounds(p)) + 1,
                                                     len(_rounds(p, lambda n, eta: -(-n // eta)))})]],
              hint="Write down how many configurations each round evaluates, until one is left."),
        Value("total_epochs", _total, rtol=0,
              mistakes=lambda p: [(_last_budget(p), "that is the winner's last run only."),
                                  (p["n_configs"] * p["min_budget"] * len(_rounds(p)), "that counts round 0's cost in "
                                  "every round; later rounds train fewer configurations (n // eta) for longer."),
                                  (_total(p) - p["n_configs"] * p["min_budget"], "that leaves out round 0."),
                                  (_total(p, _rounds(p, lambda n, eta: -(-n // eta))), "that rounds the survivors up; "
                                  "max(1, n // eta) rounds down."),
                                  (sum(n * p["min_budget"] * (r + 1) for r, n in enumerate(_rounds(p))), "the budget "
                                  "is multiplied by eta after each round, not increased by min_budget.")],
              hint="Each round costs (its configurations) x (its budget, min_budget * eta**round)."),
        Value("random_configs", lambda p: _total(p) // _last_budget(p), rtol=0,
              mistakes=lambda p: [(p["n_configs"], "equal cost, not equal numbers of configurations."),
                                  (_total(p) / _last_budget(p), "only whole configurations can be trained."),
                                  (_total(p) // p["min_budget"], "random search trains each configuration to the "
                                  "winner's final budget, not to min_budget."),
                                  (-(-_total(p) // _last_budget(p)), "that rounds up: one more would cost more than "
                                  "the search.")],
              hint="Divide the search's total cost by what one configuration trained to the winner's budget costs."),
    ]),
    Task(SLUG, "random_search_hits", ("n_trials", "top_percent", "confidence"), [
        Value("probability", _hit, rtol=2e-3,
              mistakes=lambda p: [((1 - p["top_percent"] / 100) ** p["n_trials"], "that is the probability that every "
                                  "trial misses; a hit is its complement."),
                                  (p["n_trials"] * p["top_percent"] / 100, "adding the trials' chances counts "
                                  "the cases with several hits more than once."),
                                  (_exactly_one(p), "that is the probability of exactly one hit; at least one "
                                  "includes two, three, ... hits."),
                                  (p["top_percent"] / 100, "that is the chance of one trial.")],
              hint="Work out the chance that all the trials miss the region."),
        Value("trials_needed", lambda p: math.ceil(_needed_exact(p)), rtol=0,
              mistakes=lambda p: [(_needed_exact(p), "a number of trials is a whole number: round up."),
                                  (math.floor(_needed_exact(p)), "that rounds down, which falls short of the "
                                   "confidence."),
                                  (math.ceil(-math.log(1 - p["confidence"]) / (p["top_percent"] / 100)), "that uses "
                                  "ln(1 - x) = -x, which is only an approximation; use the exact logarithm."),
                                  (math.ceil(p["confidence"] / (p["top_percent"] / 100)), "that adds the trials' "
                                  "chances; a miss's chance multiplies instead.")],
              hint="Solve 1 - (chance of a miss)**n >= confidence for the smallest whole n."),
    ]),
    Task(SLUG, "safe_bet_or_long_shot", ("best", "mu_a", "sigma_a", "mu_b", "sigma_b"), [
        Value("ei_a", lambda p: _ei(p, "a"), rtol=2e-3, mistakes=lambda p: _ei_mistakes(p, "a"),
              hint="z = (best - mu) / sigma; EI = (best - mu) Phi(z) + sigma phi(z)."),
        Value("ei_b", lambda p: _ei(p, "b"), rtol=2e-3, mistakes=lambda p: _ei_mistakes(p, "b"),
              hint="For the long shot best - mu is negative, so z is negative: Phi(z) is small, phi(z) is not."),
    ]),
]
