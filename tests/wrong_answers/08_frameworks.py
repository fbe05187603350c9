"""Chapter 8: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "minimize_quadratic": {
        "closed form -c1 / (2 c0) instead of num_steps steps": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = coefficients
    return float(-c1 / (2 * c0))
''',
        "no optimizer.zero_grad(): gradients accumulate": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = coefficients
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps):
        cost = c0 * w**2 + c1 * w + c2
        cost.backward()
        optimizer.step()
    return w.item()
''',
        "float32 w (torch.tensor(0.0) without a dtype)": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = coefficients
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps):
        optimizer.zero_grad()
        cost = c0 * w**2 + c1 * w + c2
        cost.backward()
        optimizer.step()
    return w.item()
''',
        "returns the tensor w, not a float": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = coefficients
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c0 * w**2 + c1 * w + c2).backward()
        optimizer.step()
    return w
''',
        "one step too many (range(num_steps + 1))": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = coefficients
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps + 1):
        optimizer.zero_grad()
        (c0 * w**2 + c1 * w + c2).backward()
        optimizer.step()
    return w.item()
''',
        "rebinds w = w - lr * w.grad (w stops being a leaf)": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = coefficients
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    for _ in range(num_steps):
        cost = c0 * w**2 + c1 * w + c2
        cost.backward()
        w = w - learning_rate * w.grad
    return float(w)
''',
        "coefficients in reverse order (c0 as the constant)": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c2, c1, c0 = coefficients
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c0 * w**2 + c1 * w + c2).backward()
        optimizer.step()
    return w.item()
''',
    },
    "forward_torch": {
        "ReLU in the output layer too": '''
def forward_torch(X, parameters):
    A = X
    for l in range(1, len(parameters) // 2 + 1):
        A = torch.relu(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return A
''',
        "sigmoid in every layer": '''
def forward_torch(X, parameters):
    A = X
    for l in range(1, len(parameters) // 2 + 1):
        A = torch.sigmoid(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return A
''',
        "biases left out": '''
def forward_torch(X, parameters):
    L = len(parameters) // 2
    A = X
    for l in range(1, L):
        A = torch.relu(parameters[f"W{l}"] @ A)
    return torch.sigmoid(parameters[f"W{L}"] @ A)
''',
        "the NumPy network, converted back (cut from autograd)": '''
def forward_torch(X, parameters):
    AL, _ = network.forward(X.detach().numpy(), {k: v.detach().numpy() for k, v in parameters.items()})
    return torch.from_numpy(AL)
''',
        ".float() on the input (float32)": '''
def forward_torch(X, parameters):
    L = len(parameters) // 2
    A = X.float()
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"].float() @ A + parameters[f"b{l}"].float()
        A = torch.sigmoid(Z) if l == L else torch.relu(Z)
    return A
''',
        "ReLU then sigmoid in the output layer": '''
def forward_torch(X, parameters):
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        A = torch.relu(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return torch.sigmoid(A)
''',
        "a custom ReLU Function whose backward forgets the mask (values right, gradients wrong)": '''
import torch


class _ReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Z):
        return Z.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        return grad


def forward_torch(X, parameters):
    L = len(parameters) // 2
    A = X
    for l in range(1, L):
        A = _ReLU.apply(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return torch.sigmoid(parameters[f"W{L}"] @ A + parameters[f"b{L}"])
''',
        "hidden layers detached (only the output layer gets gradients)": '''
def forward_torch(X, parameters):
    L = len(parameters) // 2
    A = X
    for l in range(1, L):
        A = torch.relu(parameters[f"W{l}"] @ A + parameters[f"b{l}"]).detach()
    return torch.sigmoid(parameters[f"W{L}"] @ A + parameters[f"b{L}"])
''',
        "NumPy values with a sigmoid's backward forged on top (the right numbers, not autograd's)": '''
def forward_torch(X, parameters):
    AL, _ = network.forward(X.detach().numpy(), {k: v.detach().numpy() for k, v in parameters.items()})
    L = len(parameters) // 2
    Z = parameters[f"W{L}"].sum() * 0 + torch.from_numpy(AL)
    return Z
''',
        "L taken as len(parameters): KeyError": '''
def forward_torch(X, parameters):
    L = len(parameters)
    A = X
    for l in range(1, L):
        A = torch.relu(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return torch.sigmoid(parameters[f"W{L}"] @ A + parameters[f"b{L}"])
''',
    },
    "binary_cross_entropy_torch": {
        "sum, not mean": '''
def binary_cross_entropy_torch(AL, Y):
    return -(Y * torch.log(AL) + (1 - Y) * torch.log(1 - AL)).sum()
''',
        "wrong sign": '''
def binary_cross_entropy_torch(AL, Y):
    return (Y * torch.log(AL) + (1 - Y) * torch.log(1 - AL)).mean()
''',
        "the (1 - Y) log(1 - AL) term forgotten": '''
def binary_cross_entropy_torch(AL, Y):
    return -(Y * torch.log(AL)).sum() / Y.shape[1]
''',
        "returns cost.item(), a float": '''
def binary_cross_entropy_torch(AL, Y):
    m = Y.shape[1]
    cost = -(Y * torch.log(AL) + (1 - Y) * torch.log(1 - AL)).sum() / m
    return cost.item()
''',
        "computed in NumPy and wrapped in torch.tensor (no gradient)": '''
def binary_cross_entropy_torch(AL, Y):
    A, y = AL.detach().numpy(), Y.numpy()
    return torch.tensor(-np.mean(y * np.log(A) + (1 - y) * np.log(1 - A)), dtype=torch.float64)
''',
        "matrix products give a (1, 1) tensor": '''
def binary_cross_entropy_torch(AL, Y):
    m = Y.shape[1]
    return -(Y @ torch.log(AL).T + (1 - Y) @ torch.log(1 - AL).T) / m
''',
        "log10 instead of the natural logarithm": '''
def binary_cross_entropy_torch(AL, Y):
    return -(Y * torch.log10(AL) + (1 - Y) * torch.log10(1 - AL)).mean()
''',
    },
    "binary_cross_entropy_with_logits_torch": {
        "log of the sigmoid (infinite where it saturates)": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    A = torch.sigmoid(ZL)
    return -(Y * torch.log(A) + (1 - Y) * torch.log(1 - A)).mean()
""",
        "clamped sigmoid, like the probability cost": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    A = torch.sigmoid(ZL).clamp(1e-15, 1 - 1e-15)
    return -(Y * torch.log(A) + (1 - Y) * torch.log(1 - A)).mean()
""",
        "log(1 + exp(z)) computed naively (overflows at z = 1000)": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return (torch.log(1 + torch.exp(ZL)) - ZL * Y).mean()
""",
        "max(z, 0) and |z| form: wrong gradient at z = 0": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return (ZL.clamp(min=0) - ZL * Y + torch.log1p(torch.exp(-ZL.abs()))).mean()
""",
        "relu and abs form: wrong gradient at z = 0": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return (torch.relu(ZL) - ZL * Y + torch.log1p(torch.exp(-torch.abs(ZL)))).mean()
""",
        "sum, not mean": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return (torch.logaddexp(ZL, torch.zeros_like(ZL)) - ZL * Y).sum()
""",
        "the - z y term forgotten": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return torch.logaddexp(ZL, torch.zeros_like(ZL)).mean()
""",
        "max(z, 0) forgotten": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return (torch.log1p(torch.exp(-ZL.abs())) - ZL * Y).mean()
""",
        "y and 1 - y swapped (the cost of the other class)": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    return (torch.logaddexp(ZL, torch.zeros_like(ZL)) - ZL * (1 - Y)).mean()
""",
    },
    "momentum_distance": {
        'dampening applied at the first step too': '''
def momentum_distance(alpha, beta, dampening, steps):
    buf, torch_move = None, 0.0
    for t in range(steps):
        buf = 1 - dampening if buf is None else beta * buf + (1 - dampening)
        torch_move += alpha * buf
    v, course_move = 0.0, 0.0
    for t in range(1, steps + 1):
        v = beta * v + (1 - beta)
        course_move += alpha * v
    return torch_move, course_move
''',
        'dampening left out': '''
def momentum_distance(alpha, beta, dampening, steps):
    buf, torch_move = None, 0.0
    for t in range(steps):
        buf = 1.0 if buf is None else beta * buf + 1
        torch_move += alpha * buf
    v, course_move = 0.0, 0.0
    for t in range(1, steps + 1):
        v = beta * v + (1 - beta)
        course_move += alpha * v
    return torch_move, course_move
''',
        'the sum of the buffers, without lr': '''
def momentum_distance(alpha, beta, dampening, steps):
    buf, torch_move = None, 0.0
    for t in range(steps):
        buf = 1.0 if buf is None else beta * buf + (1 - dampening)
        torch_move += buf
    v, course_move = 0.0, 0.0
    for t in range(1, steps + 1):
        v = beta * v + (1 - beta)
        course_move += alpha * v
    return torch_move, course_move
''',
        "course's v taken as 1 from the start": '''
def momentum_distance(alpha, beta, dampening, steps):
    buf, torch_move = None, 0.0
    for t in range(steps):
        buf = 1.0 if buf is None else beta * buf + (1 - dampening)
        torch_move += alpha * buf
    v, course_move = 0.0, 0.0
    for t in range(1, steps + 1):
        v = beta * v + (1 - beta)
        course_move += alpha
    return torch_move, course_move
''',
        "course's v bias-corrected": '''
def momentum_distance(alpha, beta, dampening, steps):
    buf, torch_move = None, 0.0
    for t in range(steps):
        buf = 1.0 if buf is None else beta * buf + (1 - dampening)
        torch_move += alpha * buf
    v, course_move = 0.0, 0.0
    for t in range(1, steps + 1):
        v = beta * v + (1 - beta)
        course_move += alpha * v / (1 - beta**t)
    return torch_move, course_move
''',
        "course's v without (1 - beta), like torch's buffer": '''
def momentum_distance(alpha, beta, dampening, steps):
    buf, torch_move = None, 0.0
    for t in range(steps):
        buf = 1.0 if buf is None else beta * buf + (1 - dampening)
        torch_move += alpha * buf
    v, course_move = 0.0, 0.0
    for t in range(1, steps + 1):
        v = beta * v + 1
        course_move += alpha * v
    return torch_move, course_move
''',
    },
    "loss_scale_range": {
        'the subnormal limit 2**-24 instead of the normal one': '''
def loss_scale_range(smallest_gradient, largest_gradient):
    min_scale = 2.0 ** np.ceil(np.log2(2.0**-24 / smallest_gradient))
    max_scale = 2.0 ** np.floor(np.log2(65504 / largest_gradient))
    return min_scale, max_scale
''',
        'the exact ratio, not a power of two': '''
def loss_scale_range(smallest_gradient, largest_gradient):
    min_scale = 2.0**-14 / smallest_gradient
    max_scale = 2.0 ** np.floor(np.log2(65504 / largest_gradient))
    return min_scale, max_scale
''',
        'rounded down: one power too small': '''
def loss_scale_range(smallest_gradient, largest_gradient):
    min_scale = 2.0 ** np.floor(np.log2(2.0**-14 / smallest_gradient))
    max_scale = 2.0 ** np.floor(np.log2(65504 / largest_gradient))
    return min_scale, max_scale
''',
        'rounded up: the largest gradient overflows': '''
def loss_scale_range(smallest_gradient, largest_gradient):
    min_scale = 2.0 ** np.ceil(np.log2(2.0**-14 / smallest_gradient))
    max_scale = 2.0 ** np.ceil(np.log2(65504 / largest_gradient))
    return min_scale, max_scale
''',
        "float32's largest number": '''
def loss_scale_range(smallest_gradient, largest_gradient):
    min_scale = 2.0 ** np.ceil(np.log2(2.0**-14 / smallest_gradient))
    max_scale = 2.0 ** np.floor(np.log2(np.finfo(np.float32).max / largest_gradient))
    return min_scale, max_scale
''',
        "float32's smallest normal number": '''
def loss_scale_range(smallest_gradient, largest_gradient):
    min_scale = 2.0 ** np.ceil(np.log2(2.0**-126 / smallest_gradient))
    max_scale = 2.0 ** np.floor(np.log2(65504 / largest_gradient))
    return min_scale, max_scale
''',
    },
    "make_torch_optimizer": {
        "momentum without the lr * (1 - beta) scaling": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate, momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "dampening=beta instead of the lr scaling": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=learning_rate, momentum=beta, dampening=beta)
    if kind == "nesterov":
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=True)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "RMSprop's alpha left at its default 0.99": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "Adam(weight_decay) for adamw (L2, not decoupled)": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind in ("adam", "adamw"):
        decay = weight_decay if kind == "adamw" else 0.0
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "AdamW's weight_decay ignored (torch's default)": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
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
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "nesterov=True forgotten": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "Adam's betas and eps left at torch's defaults": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, weight_decay=weight_decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "RMSprop's epsilon not passed": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    raise ValueError(f"unknown kind {kind!r}")
""",
        "an unknown kind falls back to SGD instead of a ValueError": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon)
    if kind == "adam":
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon, weight_decay=weight_decay)
    return torch.optim.SGD(params, lr=learning_rate)
""",
        "the ValueError does not name the kind": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
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
    raise ValueError("unknown optimizer")
""",
    },
    "update_loss_scale": {
        "tracker not reset on an overflow": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * backoff_factor, growth_tracker
    growth_tracker += 1
    if growth_tracker == growth_interval:
        return scale * growth_factor, 0
    return scale, growth_tracker
""",
        "grows at growth_interval - 1": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * backoff_factor, 0
    growth_tracker += 1
    if growth_tracker >= growth_interval - 1:
        return scale * growth_factor, 0
    return scale, growth_tracker
""",
        "compares before counting (grows one step late)": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * backoff_factor, 0
    if growth_tracker == growth_interval:
        return scale * growth_factor, 0
    return scale, growth_tracker + 1
""",
        "grows on the overflow step": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    growth_tracker += 1
    if growth_tracker == growth_interval:
        scale, growth_tracker = scale * growth_factor, 0
    if found_inf:
        scale, growth_tracker = scale * backoff_factor, 0
    return scale, growth_tracker
""",
        "tracker not reset after growth": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * backoff_factor, 0
    growth_tracker += 1
    if growth_tracker >= growth_interval:
        scale = scale * growth_factor
    return scale, growth_tracker
""",
        "backoff and growth swapped": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * growth_factor, 0
    growth_tracker += 1
    if growth_tracker == growth_interval:
        return scale * backoff_factor, 0
    return scale, growth_tracker
""",
        "divides by the factors": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale / backoff_factor, 0
    growth_tracker += 1
    if growth_tracker == growth_interval:
        return scale / growth_factor, 0
    return scale, growth_tracker
""",
        "hard-coded defaults": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * 0.5, 0
    growth_tracker += 1
    if growth_tracker == 2000:
        return scale * 2.0, 0
    return scale, growth_tracker
""",
        "returns the scale only": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return scale * backoff_factor
    growth_tracker += 1
    if growth_tracker == growth_interval:
        return scale * growth_factor
    return scale
""",
        "returns a torch tensor": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    scale = torch.tensor(scale)
    if found_inf:
        return scale * backoff_factor, 0
    growth_tracker += 1
    if growth_tracker == growth_interval:
        return scale * growth_factor, 0
    return scale, growth_tracker
""",
    },
    "loss_scale_after": {
        "tracker kept across an overflow": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps + 1):
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, tracker
        else:
            tracker += 1
            if tracker >= growth_interval:
                scale, tracker = scale * 2, 0
    return scale, tracker
""",
        "grows one good step early": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps + 1):
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, 0
        else:
            tracker += 1
            if tracker >= growth_interval - 1:
                scale, tracker = scale * 2, 0
    return scale, tracker
""",
        "grows one good step late": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps + 1):
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, 0
        else:
            tracker += 1
            if tracker >= growth_interval + 1:
                scale, tracker = scale * 2, 0
    return scale, tracker
""",
        "tracker not reset after growth": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps + 1):
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, 0
        else:
            tracker += 1
            if tracker >= growth_interval:
                scale, tracker = scale * 2, tracker
    return scale, tracker
""",
        "steps counted from 0 (one step short)": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps):
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, 0
        else:
            tracker += 1
            if tracker >= growth_interval:
                scale, tracker = scale * 2, 0
    return scale, tracker
""",
        "overflow steps counted as good": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps + 1):
        tracker += 1
        if tracker == growth_interval:
            scale, tracker = scale * 2, 0
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, 0
    return scale, tracker
""",
    },
}

RIGHT = {
    "minimize_quadratic": {
        "manual update under torch.no_grad()": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = [float(c) for c in coefficients]
    w = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    for _ in range(num_steps):
        cost = c0 * w * w + c1 * w + c2
        cost.backward()
        with torch.no_grad():
            w -= learning_rate * w.grad
        w.grad.zero_()
    return float(w.detach())
''',
        "torch.autograd.grad and coefficients as a tensor": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c = torch.as_tensor(coefficients, dtype=torch.float64)
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for step in range(num_steps):
        cost = (c * torch.cat([w**2, w, torch.ones_like(w)])).sum()
        (w.grad,) = torch.autograd.grad(cost, [w])
        optimizer.step()
    return w.item()
''',
        "returned as a NumPy float64 scalar": '''
def minimize_quadratic(coefficients, learning_rate=0.01, num_steps=1000):
    c0, c1, c2 = (float(c) for c in coefficients)
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    for _ in range(num_steps):
        optimizer.zero_grad()
        (c0 * w * w + c1 * w + c2).backward()
        optimizer.step()
    return w.detach().numpy()[()]
''',
    },
    "forward_torch": {
        "torch.nn.functional.linear on transposed activations": '''
def forward_torch(X, parameters):
    import torch.nn.functional as F
    L = len(parameters) // 2
    A = X.T
    for l in range(1, L + 1):
        A = F.linear(A, parameters[f"W{l}"], parameters[f"b{l}"].reshape(-1))
        A = torch.sigmoid(A) if l == L else F.relu(A)
    return A.T
''',
        "clamp and an explicit sigmoid, layers from the keys": '''
def forward_torch(X, parameters):
    layers = sorted(int(k[1:]) for k in parameters if k.startswith("W"))
    A = X
    for l in layers:
        Z = torch.addmm(parameters[f"b{l}"], parameters[f"W{l}"], A)
        A = 1 / (1 + torch.exp(-Z)) if l == layers[-1] else Z.clamp(min=0)
    return A
''',
    },
    "binary_cross_entropy_torch": {
        "torch.nn.functional.binary_cross_entropy": '''
def binary_cross_entropy_torch(AL, Y):
    import torch.nn.functional as F
    return F.binary_cross_entropy(AL, Y)
''',
        "xlogy and mean": '''
def binary_cross_entropy_torch(AL, Y):
    return -(torch.xlogy(Y, AL) + torch.xlogy(1 - Y, 1 - AL)).mean()
''',
        "clamped like the NumPy cost, with torch.sum and a division": '''
def binary_cross_entropy_torch(AL, Y):
    A = torch.clamp(AL, 1e-15, 1 - 1e-15)
    return torch.sum(-(Y * torch.log(A)) - (1 - Y) * torch.log(1 - A)) / AL.shape[-1]
''',
    },
    "binary_cross_entropy_with_logits_torch": {
        "torch.nn.functional.binary_cross_entropy_with_logits": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    import torch.nn.functional as F
    return F.binary_cross_entropy_with_logits(ZL, Y)
""",
        "(1 - y) z - log sigmoid(z) with F.logsigmoid": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    import torch.nn.functional as F
    return ((1 - Y) * ZL - F.logsigmoid(ZL)).sum() / ZL.shape[1]
""",
        "softplus with a high threshold": """
def binary_cross_entropy_with_logits_torch(ZL, Y):
    import torch.nn.functional as F
    return torch.mean(F.softplus(ZL, beta=1, threshold=50) - Y * ZL)
""",
    },
    "momentum_distance": {
        "simulated with torch itself": '''
def momentum_distance(alpha, beta, dampening, steps):
    moves = []
    for make in (lambda p: torch.optim.SGD(p, lr=alpha, momentum=beta, dampening=dampening),
                 lambda p: torch.optim.SGD(p, lr=alpha * (1 - beta), momentum=beta)):
        w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        optimizer = make([w])
        for _ in range(steps):
            w.grad = torch.ones(1, dtype=torch.float64)
            optimizer.step()
        moves.append(-w.item())
    return tuple(moves)
''',
    },
    "loss_scale_range": {
        "by doubling, with np.float16": '''
def loss_scale_range(smallest_gradient, largest_gradient):
    low = 1.0
    while np.float16(smallest_gradient * low) < np.finfo(np.float16).tiny:
        low *= 2
    high = 1.0
    while np.isfinite(np.float16(largest_gradient * high * 2)) and largest_gradient * high * 2 <= 65504:
        high *= 2
    while largest_gradient * high > 65504:
        high /= 2
    return low, high
''',
    },
    "make_torch_optimizer": {
        "a table of classes and keyword arguments": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    table = {
        "gd": (torch.optim.SGD, {"lr": learning_rate}),
        "momentum": (torch.optim.SGD, {"lr": learning_rate * (1 - beta), "momentum": beta}),
        "nesterov": (torch.optim.SGD, {"lr": learning_rate * (1 - beta), "momentum": beta, "nesterov": True}),
        "rmsprop": (torch.optim.RMSprop, {"lr": learning_rate, "alpha": beta2, "eps": epsilon}),
        "adam": (torch.optim.Adam, {"lr": learning_rate, "betas": (beta, beta2), "eps": epsilon}),
        "adamw": (torch.optim.AdamW, {"lr": learning_rate, "betas": (beta, beta2), "eps": epsilon,
                                      "weight_decay": weight_decay}),
    }
    if kind not in table:
        raise ValueError(f"make_torch_optimizer: {kind} is not one of {sorted(table)}")
    optimizer_class, options = table[kind]
    return optimizer_class(params, **options)
""",
        "Adam with decoupled_weight_decay=True for adamw, explicit zeros elsewhere": """
def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    params = list(params)
    if kind == "gd":
        return torch.optim.SGD(params, lr=learning_rate, momentum=0.0, dampening=0.0, weight_decay=0.0)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=(1 - beta) * learning_rate, momentum=beta, dampening=0.0)
    if kind == "nesterov":
        return torch.optim.SGD(params, lr=(1 - beta) * learning_rate, momentum=beta, dampening=0, nesterov=True)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon, momentum=0.0, centered=False)
    if kind in ("adam", "adamw"):
        return torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon,
                                weight_decay=weight_decay if kind == "adamw" else 0.0,
                                decoupled_weight_decay=kind == "adamw")
    raise ValueError(f"unknown kind: {kind}")
""",
    },
    "update_loss_scale": {
        "one expression per branch, modulo": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    if found_inf:
        return backoff_factor * scale, 0
    grew = (growth_tracker + 1) % growth_interval == 0
    return scale * (growth_factor if grew else 1.0), (growth_tracker + 1) % growth_interval
""",
        "NumPy scalars and one factor": """
def update_loss_scale(scale, growth_tracker, found_inf, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
    tracker = 0 if found_inf else growth_tracker + 1
    grow = tracker >= growth_interval
    factor = backoff_factor if found_inf else (growth_factor if grow else 1.0)
    return np.float64(scale) * factor, np.int64(0 if grow else tracker)
""",
    },
    "loss_scale_after": {
        "with the graded update_loss_scale's rule, in a loop": """
def loss_scale_after(growth_interval, overflow_every, num_steps):
    scale, tracker = 2.0**16, 0
    for step in range(1, num_steps + 1):
        if step % overflow_every == 0:
            scale, tracker = scale * 0.5, 0
        else:
            tracker += 1
            if tracker >= growth_interval:
                scale, tracker = scale * 2, 0
    return scale, tracker
""",
    },
}
