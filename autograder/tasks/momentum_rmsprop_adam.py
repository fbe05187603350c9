"""Exercise 3's derive tasks: how long Adam's bias correction matters, momentum's stability edge, and what one
Newton–Schulz step does to a singular value."""

import math

from autograder.tasks import Task, Value

SLUG = "03_momentum_rmsprop_adam"


def _bound(p):
    return math.log(1 - 1 / p["threshold"]) / math.log(p["beta2"])


def _quintic(x, coefficients=(3.4445, -4.7750, 2.0315)):
    a, b, c = coefficients
    return a * x + b * x**3 + c * x**5


def _normalised_small(p):
    return p["sigma_small"] / math.sqrt(p["sigma_large"] ** 2 + p["sigma_small"] ** 2)


def _edge(p):
    return 2 * (1 + p["beta"]) / ((1 - p["beta"]) * p["curvature"])


TASKS = [
    Task(SLUG, "steps_until_correction_below", ("beta2", "threshold"), [
        Value("t", lambda p: math.floor(_bound(p)) + 1, rtol=0,
              # round(bound) is this floor when the bound's fraction is below 0.5 (17 sets of 30) and the answer
              # otherwise, where it is graded right: never a wrong value of its own, so the floor's message names it
              mistakes=lambda p: [(math.floor(_bound(p)), "at that step the factor 1/(1 - beta2**t) is still above "
                                  "the threshold (rounding the bound can land there)."),
                                  (math.floor(math.log(1 - 1 / p["threshold"]) / -(1 - p["beta2"])) + 1,
                                   "that uses the "
                                  "shortcut ln(beta2) = -(1 - beta2); it is close only for beta2 near 1: use the "
                                  "exact log."),
                                  (round(1 / (1 - p["beta2"])), "that is the window 1/(1 - beta2) of the average; the "
                                  "correction lasts longer."),
                                  (math.floor(math.log(p["threshold"] - 1) / math.log(p["beta2"])) + 1, "that solves "
                                  "beta2**t < threshold - 1, the approximation 1/(1 - x) = 1 + x; solve the exact "
                                  "inequality."),
                                  (math.ceil(math.log(1 / p["threshold"]) / math.log(p["beta2"])), "that solves "
                                  "beta2**t < 1/threshold; the factor is 1/(1 - beta2**t), so the condition is "
                                  "beta2**t < 1 - 1/threshold."),
                                  (math.ceil(math.log(1 - 1 / p["threshold"] ** 2) / math.log(p["beta2"])), "that "
                                  "squares the threshold: the threshold bounds the factor of s itself, "
                                  "1/(1 - beta2**t), not of its square root."),
                                  (math.ceil(math.log(1 - 1 / p["threshold"]) / math.log(1 - p["beta2"])), "that "
                                  "divides by log(1 - beta2); the power is beta2**t, so divide by log(beta2).")],
              hint="Solve 1/(1 - beta2**t) < threshold for t (log(beta2) < 0 flips the inequality)."),
    ]),
    Task(SLUG, "momentum_stability_edge", ("beta", "curvature"), [
        Value("learning_rate", _edge, rtol=2e-3,
              mistakes=lambda p: [(2 / p["curvature"], "that is gradient descent's edge (beta = 0); the velocity lets "
                                  "momentum go further."),
                                  (2 * (1 + p["beta"]) / p["curvature"], "that is the edge of PyTorch's form "
                                  "v = beta v + g; the course's v carries the factor (1 - beta)."),
                                  (2 / ((1 - p["beta"]) * p["curvature"]), "the factor (1 + beta) is missing: set the "
                                  "eigenvalue to -1 in the characteristic polynomial z**2 - (1 + beta - a) z + beta."),
                                  ((1 + p["beta"]) / ((1 - p["beta"]) * p["curvature"]), "that is half the edge: an "
                                  "eigenvalue reaches -1 at a = 2 (1 + beta)."),
                                  (2 * (1 - p["beta"]) / ((1 + p["beta"]) * p["curvature"]),
                                   "beta's factors are upside "
                                  "down.")],
              hint="Write one step as a 2x2 linear map of (v, w) and find where an eigenvalue leaves the unit circle."),
    ]),
    Task(SLUG, "newton_schulz_one_step", ("sigma_large", "sigma_small"), [
        Value("singular_value", lambda p: _quintic(_normalised_small(p)), rtol=1e-4,
              mistakes=lambda p: [(_quintic(p["sigma_small"] / p["sigma_large"]), "that divides by the largest "
                                  "singular value; the iteration divides by the Frobenius norm: what is that in "
                                  "terms of the singular values?"),
                                  (_quintic(p["sigma_small"]), "that skips the normalisation: X = G / ||G||_F comes "
                                  "before the first step."),
                                  (_quintic(p["sigma_small"] / (p["sigma_large"] + p["sigma_small"])), "that divides "
                                  "by the sum of the singular values; the Frobenius norm is not their sum: what is "
                                  "it in terms of the singular values?"),
                                  (_normalised_small(p), "that is the singular value after the normalisation, before "
                                  "the step."),
                                  (_quintic(math.sqrt(1 - _normalised_small(p) ** 2)), "that is what sigma_large "
                                  "becomes; the task asks for sigma_small."),
                                  (1.5 * _normalised_small(p) - 0.5 * _normalised_small(p) ** 3, "that is the cubic "
                                  "step 1.5 x - 0.5 x**3; Muon's is the quintic a x + b x**3 + c x**5."),
                                  (_quintic(_normalised_small(p), (2.0315, -4.7750, 3.4445)), "the coefficients are "
                                  "in the wrong order: a = 3.4445 multiplies x."),
                                  (_quintic(_normalised_small(p) ** 2), "that applies the polynomial to the squared "
                                  "singular value, an eigenvalue of X X^T; it acts on the singular value itself.")],
              hint="Write G = U diag(sigma) V^T: the normalisation and each step act on every singular value "
                   "separately."),
    ]),
]
