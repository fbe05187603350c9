"""Chapter 8 (frameworks): the reference implementations of its graded functions, in PyTorch.

Explained in `book/08_frameworks.md`; the exercise is `solutions/08_frameworks.ipynb`. Tensors are float64
and keep the course's layout: `X` is `(n_x, m)`, one example per column, and `parameters` holds
`"W1", "b1", ..., "WL", "bL"` with `W_l` of shape `(n_l, n_{l-1})` and `b_l` of shape `(n_l, 1)`.
"""

import torch


def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    """Minimise `c0 * w**2 + c1 * w + c2` from `w = 0` with autograd and `torch.optim.SGD`; return `w` (a float).

    Each of the `num_steps` steps clears the gradient, computes the cost, back-propagates and steps.
    """
    if len(coefficients) != 3:
        raise ValueError(f"coefficients must be (c0, c1, c2), got {len(coefficients)} values: {coefficients!r}")
    if num_steps < 0:
        raise ValueError(f"num_steps must be at least 0, got {num_steps}")
    c0, c1, c2 = (torch.as_tensor(c, dtype=torch.float64) for c in coefficients)
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps):
        optimizer.zero_grad()
        cost = c0 * w**2 + c1 * w + c2
        cost.backward()
        optimizer.step()
    return w.item()


def _require_tensors(function, **tensors):
    for name, value in tensors.items():
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{function}: {name} is a {type(value).__name__}; pass a torch tensor "
                            "(torch.from_numpy(array) or torch.tensor(..., dtype=torch.float64)).")


def forward_torch(X, parameters):
    """The course network's forward pass on torch tensors: ReLU hidden layers, a sigmoid output; returns `AL`.

    Autograd records every operation, so `AL` can be differentiated with respect to the parameters.
    """
    _require_tensors("forward_torch", X=X, **parameters)
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = torch.sigmoid(Z) if l == L else torch.relu(Z)
    return A


def binary_cross_entropy_torch(AL, Y):
    """`-(1/m) * sum(Y log AL + (1 - Y) log(1 - AL))` as a 0-dimensional tensor that autograd can differentiate.

    Like `network.compute_cost`, `AL` is clamped to `[1e-15, 1 - 1e-15]` so a saturated sigmoid gives a
    large, finite cost.
    """
    _require_tensors("binary_cross_entropy_torch", AL=AL, Y=Y)
    if AL.shape != Y.shape:
        raise ValueError(f"binary_cross_entropy_torch: AL has shape {tuple(AL.shape)} but Y has {tuple(Y.shape)}; "
                         "they must match, (1, m).")
    m = Y.shape[1]
    A = AL.clamp(1e-15, 1 - 1e-15)
    return -(Y * torch.log(A) + (1 - Y) * torch.log(1 - A)).sum() / m


def binary_cross_entropy_with_logits_torch(ZL, Y):
    """The mean cross-entropy cost from the output layer's logits `ZL` (before the sigmoid), as a 0-dimensional
    tensor: `mean(log(1 + exp(ZL)) - ZL * Y)`, which never takes the log of a saturated sigmoid, so cost and
    gradient `(sigmoid(ZL) - Y) / m` stay finite for any `|ZL|` (as
    `torch.nn.functional.binary_cross_entropy_with_logits`).

    `log(1 + exp(z))` is `torch.logaddexp(z, 0)`: the value of `max(z, 0) + log1p(exp(-|z|))`, but with the
    right derivative at `z = 0`, where autograd would differentiate `max` and `|z|` at their kinks (1 and 0,
    not the 1/2 that sigmoid(0) is).
    """
    _require_tensors("binary_cross_entropy_with_logits_torch", ZL=ZL, Y=Y)
    if ZL.shape != Y.shape:
        raise ValueError(f"binary_cross_entropy_with_logits_torch: ZL has shape {tuple(ZL.shape)} but Y has "
                         f"{tuple(Y.shape)}; they must match, (1, m).")
    m = Y.shape[1]
    return (torch.logaddexp(ZL, torch.zeros_like(ZL)) - ZL * Y).sum() / m


OPTIMIZER_KINDS = ("gd", "momentum", "nesterov", "rmsprop", "adam", "adamw")


def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    """The `torch.optim` optimizer whose every step equals the course's update of that `kind`.

    The conventions differ in two places. torch's momentum buffer is `buf = beta * buf + grad`, started at the
    first gradient, which is the course's `v / (1 - beta)`; so momentum and Nesterov take `lr * (1 - beta)`
    (`dampening=beta` would not do it: torch skips the dampening on the first step). RMSprop calls beta2 `alpha`.
    """
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    raise ValueError(f"make_torch_optimizer: unknown kind {kind!r}; use one of {', '.join(OPTIMIZER_KINDS)}.")


def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    """Dynamic loss scaling, as `torch.amp.GradScaler.update`. Returns `(scale, growth_tracker)`.

    An overflow (`found_inf`: some gradient of the scaled loss is inf or nan) multiplies the scale by
    `backoff_factor` and resets the tracker; otherwise the tracker counts one more good step, and when it
    reaches `growth_interval` the scale grows by `growth_factor` and the tracker resets. The scale thus
    stays just below the largest value whose gradients fit in float16.
    """
    if growth_interval < 1:
        raise ValueError(f"growth_interval must be at least 1, got {growth_interval}")
    if found_inf:
        return scale * backoff_factor, 0
    growth_tracker += 1
    if growth_tracker == growth_interval:
        return scale * growth_factor, 0
    return scale, growth_tracker
