"""Chapter 2 (exponentially weighted averages): the reference implementations of its graded functions.

Explained in `book/02_exponentially_weighted_averages.md`; the exercise is
`solutions/02_exponentially_weighted_averages.ipynb`. Chapter 3's optimizers and chapter 6's running
statistics are built from the same one-line update.
"""

import numpy as np


def _check(theta, beta):
    theta = np.asarray(theta, dtype=float)
    if theta.ndim != 1:
        raise ValueError(f"theta must be a 1-D array theta_1..theta_T, got shape {theta.shape}; flatten it first")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must be in [0, 1), got beta={beta}")
    return theta


def ewa(theta, beta):
    """`v_t = beta * v_{t-1} + (1 - beta) * theta_t` with `v_0 = 0`, for every t; same shape as `theta`.

    Only the previous average is kept while scanning the series: O(1) memory, whatever `beta` is.
    """
    theta = _check(theta, beta)
    v = np.empty_like(theta)
    average = 0.0
    for t, value in enumerate(theta):
        average = beta * average + (1 - beta) * value
        v[t] = average
    return v


def ewa_bias_corrected(theta, beta):
    """`v_t / (1 - beta**t)` for t = 1..T: the EWA without its pull towards `v_0 = 0` at the start."""
    v = ewa(theta, beta)
    t = np.arange(1, v.size + 1)
    return v / (1 - beta**t)


def ema_of_weights(ema, parameters, decay):
    """One step of the exponential moving average of the weights (the "EMA of weights", an exponentially weighted
    variant of Polyak averaging): `decay * ema[k] + (1 - decay) * parameters[k]` for every key of `parameters`;
    returns a new dict.

    The caller starts `ema` as a copy of the first parameters, not zeros, so no bias correction is needed:
    the average starts where the weights are, and the pull towards 0 that `ewa_bias_corrected` removes never
    arises. Every step equals `torch.optim.swa_utils.AveragedModel(model,
    multi_avg_fn=get_ema_multi_avg_fn(decay))` after its first `update_parameters`.
    """
    if not 0 <= decay < 1:
        raise ValueError(f"decay must be in [0, 1), got decay={decay}")
    return {key: decay * ema[key] + (1 - decay) * value for key, value in parameters.items()}
