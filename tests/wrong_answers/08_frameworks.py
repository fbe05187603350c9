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
}
