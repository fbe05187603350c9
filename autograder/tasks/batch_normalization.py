"""Exercise 6's derive tasks: batch norm on a batch of two, and the gradient along two arrows of its graph."""

import math

from autograder.tasks import Task, Value, _close

SLUG = "06_batch_normalization"


def _two(p, half=None, var=None, outside=False):
    half = p["difference"] / 2 if half is None else half
    var = half ** 2 if var is None else var
    return half / (math.sqrt(var) + p["epsilon"]) if outside else half / math.sqrt(var + p["epsilon"])


def _epsilon_mistakes(p):
    """Leaving epsilon out (1.0) and putting it outside the square root: for the larger differences the second is
    within 2 tolerances of the first (epsilon next to s is nothing), and one message names both."""
    why = "epsilon matters here: with two close values the variance is tiny, not much larger than epsilon."
    outside = _two(p, outside=True)
    if _close(outside, 1.0, 4e-3):
        return [(1.0, "that leaves out epsilon, or puts it outside the square root, where it hardly counts; under the "
                      "square root, " + why)]
    return [(1.0, "that leaves out epsilon, which matters here: with two close values the variance is tiny, not "
                  "much larger than epsilon."),
            (outside, "that puts epsilon outside the square root.")]


def _row(p):
    z, dz = p["z"], p["dz_tilde"]
    m = len(z)
    mu = sum(z) / m
    centred = [v - mu for v in z]
    s = math.sqrt(sum(c * c for c in centred) / m)
    return m, centred, s, [p["gamma"] * d for d in dz]


def _dvar(p, factor=-0.5, power=-3, gamma=True, ddof=0):
    m, centred, s, dnorm = _row(p)
    if not gamma:
        dnorm = [d / p["gamma"] for d in dnorm]
    if ddof:
        s = math.sqrt(sum(c * c for c in centred) / (m - ddof))
    return sum(d * c for d, c in zip(dnorm, centred)) * factor * s ** power


def _dmu(p, sign=-1, over_s=True, per_example=False):
    m, _, s, dnorm = _row(p)
    value = sign * sum(dnorm) / (s if over_s else 1)
    return value / m if per_example else value


TASKS = [
    Task(SLUG, "two_example_batch", ("difference", "epsilon"), [
        Value("Z_norm", _two, rtol=2e-3,
              mistakes=lambda p: [*_epsilon_mistakes(p),
                                  (-_two(p), "the larger example lies above the mean: its Z_norm is positive."),
                                  (_two(p, var=p["difference"] ** 2 / 2), "that divides the variance by m - 1 = 1; "
                                  "batch norm divides by m = 2."),
                                  (_two(p, half=p["difference"], var=p["difference"] ** 2), "the larger value is half "
                                  "the difference above the mean, not the whole difference."),
                                  (_two(p) ** 2, "that divides by the variance, not by the standard deviation.")],
              hint="Write the mean and the variance of the two values, then Z_norm of the larger one."),
    ]),
    Task(SLUG, "bn_arrow_gradients", ("z", "dz_tilde", "gamma"), [
        Value("dvar", _dvar, rtol=2e-3,
              mistakes=lambda p: [(-_dvar(p), "the arrow sigma^2 -> Z_norm carries a negative factor; your sign is "
                                  "flipped."),
                                  (_dvar(p, factor=-1.0), "that misses the 1/2 of the arrow sigma^2 -> Z_norm."),
                                  (_dvar(p, power=-2), "that has the wrong power of s on the arrow sigma^2 -> Z_norm."),
                                  (_dvar(p, gamma=False), "that forgets gamma: the gradient reaching Z_norm is "
                                  "gamma * dZ_tilde."),
                                  (_dvar(p, ddof=1), "that uses the variance divided by m - 1; batch norm divides "
                                   "by m."),
                                  (_dvar(p) / len(p["z"]), "that puts a 1/m on the arrow sigma^2 -> Z_norm; the 1/m "
                                  "belongs to the arrow into sigma^2.")],
              hint="Step 2 of the backward pass: sum, over the row, the gradient at Z_norm times the arrow's local "
                   "derivative."),
        Value("dmu", _dmu, rtol=2e-3,
              mistakes=lambda p: [(-_dmu(p), "the arrow mu -> Z_j - mu carries -1; your sign is flipped."),
                                  (_dmu(p, over_s=False), "that misses the 1/s on the arrow Z_j - mu -> Z_norm."),
                                  (_dmu(p, per_example=True), "that divides by m: dJ/dmu is the whole sum; the 1/m "
                                  "belongs to the arrow Z_j -> mu, one step further back."),
                                  (_dmu(p) / p["gamma"], "that forgets gamma: the gradient reaching Z_norm is "
                                  "gamma * dZ_tilde.")],
              hint="Step 4: sum the gradients reaching every Z_k - mu, times the arrow mu -> Z_k - mu; the path "
                   "through sigma^2 adds a term you can work out too."),
    ]),
]
