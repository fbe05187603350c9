"""Exercise 1's derive and predict tasks: an epoch's mini-batches, and the gradient noise scale."""

import math

from autograder.tasks import Task, Value

SLUG = "01_mini_batches"


def _last(p):
    return p["m"] % p["mini_batch_size"] or p["mini_batch_size"]


def _noise_scale(p):
    return p["trace_sigma"] / p["grad_sq_norm"]


TASKS = [
    Task(SLUG, "predict_mini_batches", ("m", "mini_batch_size"), [
        Value("batches", lambda p: math.ceil(p["m"] / p["mini_batch_size"]), rtol=0,
              mistakes=lambda p: [(p["m"] // p["mini_batch_size"], "that counts only the full mini-batches: the "
                                  "examples left over would go untrained every epoch."),
                                  (p["m"] / p["mini_batch_size"], "a number of mini-batches is a whole number.")],
              hint="Count the full mini-batches, then what is left over."),
        Value("last", _last, rtol=0,
              mistakes=lambda p: [(p["mini_batch_size"], "only the full mini-batches hold mini_batch_size examples."),
                                  (p["mini_batch_size"] - _last(p), "that is what the last mini-batch lacks to be "
                                  "full, not what it holds."),
                                  (p["m"] / p["mini_batch_size"] % 1, "that is the fraction of a batch left over, "
                                  "not the number of examples.")],
              hint="The last mini-batch holds what the full ones leave over."),
    ]),
    Task(SLUG, "gradient_noise_scale", ("trace_sigma", "grad_sq_norm", "batch_size"), [
        Value("noise_scale", _noise_scale, rtol=2e-3,
              mistakes=lambda p: [(p["grad_sq_norm"] / p["trace_sigma"], "that is upside down: the noise's variance "
                                  "is in the numerator, the gradient's squared norm in the denominator."),
                                  (math.sqrt(_noise_scale(p)), "that compares standard deviations; the noise scale "
                                  "compares the noise's variance tr(Sigma)/b with |g|**2."),
                                  (p["trace_sigma"] / math.sqrt(p["grad_sq_norm"]), "grad_sq_norm is already the "
                                  "squared norm |g|**2: do not take its square root.")],
              hint="Write the expected improvement of one step with the best step size for batch size b."),
        Value("fraction", lambda p: 1 / (1 + _noise_scale(p) / p["batch_size"]), rtol=2e-3,
              mistakes=lambda p: [((_noise_scale(p) / p["batch_size"]) / (1 + _noise_scale(p) / p["batch_size"]),
                                  "that is the share the noise takes away, not the share a step keeps."),
                                  (min(1.0, p["batch_size"] / _noise_scale(p)), "the improvement does not grow "
                                  "linearly with b until it saturates: it is a smooth 1 / (1 + B/b)."),
                                  (1 / (1 + math.sqrt(_noise_scale(p) / p["batch_size"])), "that uses the noise's "
                                  "standard deviation; the best step's improvement depends on its variance."),
                                  (1 - _noise_scale(p) / p["batch_size"], "that is a first-order expansion, valid "
                                  "only for b much larger than the noise scale.")],
              hint="Compare with the improvement of a step on the exact gradient (b very large)."),
    ]),
]
