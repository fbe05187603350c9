"""Chapter 3 (momentum, RMSProp, Adam): the reference implementations of its graded functions.

Explained in `book/03_momentum_rmsprop_adam.md`; the exercise is `solutions/03_momentum_rmsprop_adam.ipynb`.
Optimizer state (`v`, `s`) is a dict keyed like `grads` ("dW1", "db1", ...), zeros at the start.
"""

import numpy as np


def _zeros_like_grads(parameters):
    return {"d" + name: np.zeros_like(value) for name, value in parameters.items()}


def initialize_velocity(parameters):
    """Momentum's velocity `v`: zeros shaped like each parameter, keyed "dW1", "db1", ..."""
    return _zeros_like_grads(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """`v = beta * v + (1 - beta) * dW`; `W = W - learning_rate * v`. Returns `(parameters, v)`."""
    v = {key: beta * v[key] + (1 - beta) * grads[key] for key in grads}
    parameters = {name: value - learning_rate * v["d" + name] for name, value in parameters.items()}
    return parameters, v


def initialize_rmsprop(parameters):
    """RMSProp's `s`: zeros shaped like each parameter, keyed "dW1", "db1", ..."""
    return _zeros_like_grads(parameters)


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """`s = beta2 * s + (1 - beta2) * dW**2`; `W = W - learning_rate * dW / (sqrt(s) + epsilon)`."""
    s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in grads}
    parameters = {
        name: value - learning_rate * grads["d" + name] / (np.sqrt(s["d" + name]) + epsilon)
        for name, value in parameters.items()
    }
    return parameters, s


def initialize_adam(parameters):
    """Adam's `(v, s)`: two dicts of zeros shaped like each parameter, keyed "dW1", "db1", ..."""
    return _zeros_like_grads(parameters), _zeros_like_grads(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One Adam step at step count `t` (from 1), with bias correction. Returns `(parameters, v, s)`.

    `v = beta1 v + (1 - beta1) dW`, `s = beta2 s + (1 - beta2) dW**2`, `v_hat = v / (1 - beta1**t)`,
    `s_hat = s / (1 - beta2**t)`, `W = W - learning_rate * v_hat / (sqrt(s_hat) + epsilon)`.
    """
    v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in grads}
    s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in grads}
    parameters = {
        name: value
        - learning_rate * (v["d" + name] / (1 - beta1**t)) / (np.sqrt(s["d" + name] / (1 - beta2**t)) + epsilon)
        for name, value in parameters.items()
    }
    return parameters, v, s


def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    """Nesterov momentum in its look-ahead form. Returns `(parameters, v)`.

    `v = beta * v + (1 - beta) * dW`; `W = W - learning_rate * (beta * v + (1 - beta) * dW)` with the new `v`:
    the step already includes where the velocity is about to carry W. It equals
    `torch.optim.SGD(lr=learning_rate * (1 - beta), momentum=beta, nesterov=True)`.
    """
    v = {key: beta * v[key] + (1 - beta) * grads[key] for key in grads}
    parameters = {
        name: value - learning_rate * (beta * v["d" + name] + (1 - beta) * grads["d" + name])
        for name, value in parameters.items()
    }
    return parameters, v


def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                 epsilon=1e-8, weight_decay=0.01):
    """One step of Adam with decoupled weight decay (AdamW, as `torch.optim.AdamW`). Returns `(parameters, v, s)`.

    `v`, `s`, `v_hat`, `s_hat` as in Adam; then `W = W - learning_rate * (v_hat / (sqrt(s_hat) + epsilon)
    + weight_decay * W)` for every parameter, with `W` the value before the step. The decay never passes
    through `s`, unlike an L2 penalty added to `dW`.
    """
    v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in grads}
    s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in grads}
    parameters = {
        name: value - learning_rate * (
            (v["d" + name] / (1 - beta1**t)) / (np.sqrt(s["d" + name] / (1 - beta2**t)) + epsilon)
            + weight_decay * value)
        for name, value in parameters.items()
    }
    return parameters, v, s


def clip_by_global_norm(grads, max_norm):
    """Clip all gradients together to a 2-norm of at most `max_norm`, as `torch.nn.utils.clip_grad_norm_`.

    `total_norm` is the 2-norm of every entry of every gradient; each gradient is multiplied by
    `min(1, max_norm / (total_norm + 1e-6))`, so the direction of the whole update is kept and only its
    length is capped. Returns `(clipped copies, total_norm before clipping)`.
    """
    if max_norm <= 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    total_norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads.values())))
    factor = min(1.0, max_norm / (total_norm + 1e-6))
    return {key: g * factor for key, g in grads.items()}, total_norm
