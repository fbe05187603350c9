"""Chapter 6 (batch normalization): the reference implementations of its graded functions.

Explained in `book/06_batch_normalization.md`; the exercise is `solutions/06_batch_normalization.ipynb`.
`Z` has shape `(n, m)`: batch norm takes its statistics over the `m` examples (axis 1), per unit (row);
layer norm over the `n` units (axis 0), per example (column). `gamma` and `beta` have shape `(n, 1)`.
"""

import numpy as np


def _check_shapes(Z, gamma, beta):
    if np.ndim(Z) != 2:
        raise ValueError(f"Z must be a 2-D array of shape (n, m); got {np.ndim(Z)} dimension(s).")
    n = Z.shape[0]
    for name, value in (("gamma", gamma), ("beta", beta)):
        if np.shape(value) != (n, 1):
            raise ValueError(f"{name} must have shape ({n}, 1) to match Z of shape {Z.shape}; got {np.shape(value)}.")


def _normalize(Z, gamma, beta, epsilon, axis):
    """Batch norm (statistics over `axis=-1`, the examples) or layer norm (`axis=-2`, the units): `(Z_tilde, cache)`.

    Counting axes from the end lets `Z` carry a leading axis of K networks (`bn_network.train_many`).
    """
    mu = Z.mean(axis=axis, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=axis, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + epsilon)
    Z_norm = (Z - mu) * inv_std
    cache = {"Z_norm": Z_norm, "gamma": gamma, "inv_std": inv_std, "mu": mu, "var": var}
    return gamma * Z_norm + beta, cache


def _normalize_backward(dZ_tilde, cache, axis):
    """The exact gradients of `_normalize` over `axis`; `gamma` and `beta` are per unit, so their sums are over the
    examples (the last axis)."""
    Z_norm, gamma, inv_std = cache["Z_norm"], cache["gamma"], cache["inv_std"]
    dgamma = (dZ_tilde * Z_norm).sum(axis=-1, keepdims=True)
    dbeta = dZ_tilde.sum(axis=-1, keepdims=True)
    dZ_norm = gamma * dZ_tilde
    dZ = inv_std * (
        dZ_norm - dZ_norm.mean(axis=axis, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=axis, keepdims=True)
    )
    return dZ, dgamma, dbeta


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    """Normalize each row of `Z` over the mini-batch, then scale by `gamma` and shift by `beta`.

    `mu = mean(Z)`, `var = mean((Z - mu)**2)` (divided by m), `Z_norm = (Z - mu) / sqrt(var + epsilon)`,
    `Z_tilde = gamma * Z_norm + beta`. Returns `(Z_tilde, cache)`; `cache` is a dict holding
    `Z_norm`, `gamma`, `inv_std = 1 / sqrt(var + epsilon)` and the batch statistics `mu` and `var`.
    """
    _check_shapes(Z, gamma, beta)
    return _normalize(Z, gamma, beta, epsilon, axis=-1)


def batchnorm_backward(dZ_tilde, cache):
    """The exact gradients of `batchnorm_forward`: returns `(dZ, dgamma, dbeta)`.

    With `dZ_norm = gamma * dZ_tilde`, the mean and the variance depending on every column give
    `dZ = inv_std * (dZ_norm - mean(dZ_norm) - Z_norm * mean(dZ_norm * Z_norm))` (means over axis 1).
    """
    return _normalize_backward(dZ_tilde, cache, axis=-1)


def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    """One EWA step for each statistic: `momentum * running + (1 - momentum) * batch`.

    Returns `(running_mean, running_var)`. PyTorch's `momentum=0.1` is our `1 - momentum`.
    """
    return (
        momentum * running_mean + (1 - momentum) * batch_mean,
        momentum * running_var + (1 - momentum) * batch_var,
    )


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    """Batch norm at test time: normalize with the running statistics, not the batch's own."""
    _check_shapes(Z, gamma, beta)
    return _inference(Z, gamma, beta, running_mean, running_var, epsilon)


def _inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    """`batchnorm_inference`'s arithmetic, for any leading axes (`bn_network`'s stacks of networks too)."""
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta


def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    """Layer norm: batch norm on the other axis. Each example (column) is normalized over its own `n` units.

    `mu = mean(Z, axis=0)`, `var = mean((Z - mu)**2, axis=0)` (divided by n), `Z_norm = (Z - mu) / sqrt(var +
    epsilon)`, `Z_tilde = gamma * Z_norm + beta` with `gamma`, `beta` of shape `(n, 1)`. It needs no running
    averages: an example's statistics do not depend on the rest of the batch. Equals
    `torch.nn.functional.layer_norm(Z.T, (n,), gamma.ravel(), beta.ravel(), epsilon).T`.
    """
    _check_shapes(Z, gamma, beta)
    return _normalize(Z, gamma, beta, epsilon, axis=-2)


def layernorm_backward(dZ_tilde, cache):
    """The exact gradients of `layernorm_forward`: returns `(dZ, dgamma, dbeta)`.

    As `batchnorm_backward` with the means over the units (axis 0) instead of the examples; `dgamma` and
    `dbeta` still sum over the examples, since `gamma` and `beta` are per unit.
    """
    return _normalize_backward(dZ_tilde, cache, axis=-2)


def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    """RMSNorm: each example (column) divided by the root mean square of its `n` units, then scaled; no
    centring and no shift. `rms = sqrt(mean(Z**2, axis=0) + epsilon)`, `Z_tilde = gamma * Z / rms`.

    Returns `(Z_tilde, cache)`. Equals `torch.nn.functional.rms_norm(Z.T, (n,), gamma.ravel(), eps=epsilon).T`.
    """
    Z, gamma = np.asarray(Z, dtype=float), np.asarray(gamma, dtype=float)
    if Z.ndim != 2 or gamma.shape != (Z.shape[0], 1):
        raise ValueError(f"rmsnorm_forward needs Z of shape (n, m) and gamma of shape (n, 1); got {Z.shape} "
                         f"and {gamma.shape}.")
    rms = np.sqrt(np.mean(Z**2, axis=0, keepdims=True) + epsilon)
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, rms, gamma)


def rmsnorm_backward(dZ_tilde, cache):
    """The exact gradients of `rmsnorm_forward`: returns `(dZ, dgamma)`.

    With `Z_hat = Z / rms` and `dZ_hat = gamma * dZ_tilde`: `dgamma = sum(dZ_tilde * Z_hat)` over the examples
    and `dZ = (dZ_hat - Z_hat * mean(dZ_hat * Z_hat, axis=0)) / rms` (layer norm's backward without its
    centring term).
    """
    Z_hat, rms, gamma = cache
    dZ_hat = gamma * dZ_tilde
    dgamma = np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
    dZ = (dZ_hat - Z_hat * np.mean(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, dgamma
