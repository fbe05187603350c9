"""Chapter 7: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "softmax": {
        "no max shift (overflows)": '''
def softmax(Z):
    return np.exp(Z) / np.sum(np.exp(Z), axis=0, keepdims=True)
''',
        "one max over the whole matrix": '''
def softmax(Z):
    E = np.exp(Z - np.max(Z))
    return E / np.sum(E, axis=0, keepdims=True)
''',
        "normalized over rows": '''
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)
''',
        "divided by the sum of the whole matrix": '''
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E)
''',
        "max shift over axis 1": '''
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)
''',
        "hard max": '''
def softmax(Z):
    return (Z == np.max(Z, axis=0, keepdims=True)).astype(float)
''',
        "subtracts the max in place": '''
def softmax(Z):
    Z -= np.max(Z, axis=0, keepdims=True)
    E = np.exp(Z)
    return E / np.sum(E, axis=0, keepdims=True)
''',
    },
    "one_hot": {
        "negative labels wrap around": '''
def one_hot(labels, C):
    return np.eye(C)[:, labels]
''',
        "transposed (m, C)": '''
def one_hot(labels, C):
    if np.any(labels < 0) or np.any(labels >= C):
        raise ValueError("label out of range")
    return np.eye(C)[labels]
''',
        "integer dtype": '''
def one_hot(labels, C):
    if np.any(labels < 0) or np.any(labels >= C):
        raise ValueError("label out of range")
    Y = np.zeros((C, len(labels)), dtype=int)
    Y[labels, np.arange(len(labels))] = 1
    return Y
''',
        "only labels >= C rejected": '''
def one_hot(labels, C):
    if np.max(labels) >= C:
        raise ValueError(f"label {np.max(labels)} >= C = {C}")
    Y = np.zeros((C, len(labels)))
    Y[labels, np.arange(len(labels))] = 1.0
    return Y
''',
        "off by one (labels taken as 1..C)": '''
def one_hot(labels, C):
    if np.any(labels < 0) or np.any(labels >= C):
        raise ValueError("label out of range")
    Y = np.zeros((C, len(labels)))
    Y[labels - 1, np.arange(len(labels))] = 1.0
    return Y
''',
        "IndexError instead of ValueError": '''
def one_hot(labels, C):
    if np.any(labels < 0):
        raise IndexError("negative label")
    Y = np.zeros((C, len(labels)))
    Y[labels, np.arange(len(labels))] = 1.0
    return Y
''',
    },
    "cross_entropy_cost": {
        "0 * log 0 gives nan": '''
def cross_entropy_cost(A, Y):
    return float(-np.sum(Y * np.log(A)) / Y.shape[1])
''',
        "no 1/m": '''
def cross_entropy_cost(A, Y):
    mask = Y > 0
    return float(-np.sum(Y[mask] * np.log(A[mask])))
''',
        "np.mean over every element": '''
def cross_entropy_cost(A, Y):
    return float(-np.mean(np.where(Y > 0, Y * np.log(np.where(Y > 0, A, 1.0)), 0.0)))
''',
        "binary cross-entropy formula": '''
def cross_entropy_cost(A, Y):
    m = Y.shape[1]
    A = np.clip(A, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
''',
        "positive sign": '''
def cross_entropy_cost(A, Y):
    mask = Y > 0
    return float(np.sum(Y[mask] * np.log(A[mask])) / Y.shape[1])
''',
    },
    "softmax_cross_entropy_grad": {
        "no 1/m": '''
def softmax_cross_entropy_grad(A, Y):
    return A - Y
''',
        "wrong sign": '''
def softmax_cross_entropy_grad(A, Y):
    return (Y - A) / Y.shape[1]
''',
        "divided by C": '''
def softmax_cross_entropy_grad(A, Y):
    return (A - Y) / A.shape[0]
''',
        "extra factor A (1 - A)": '''
def softmax_cross_entropy_grad(A, Y):
    return A * (1 - A) * (A - Y) / Y.shape[1]
''',
        "subtracts in place": '''
def softmax_cross_entropy_grad(A, Y):
    A -= Y
    return A / Y.shape[1]
''',
    },
    "softmax_regression_step": {
        "cost after the step": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(W @ X + b)
    dZ = softmax_cross_entropy_grad(A, Y)
    W = W - learning_rate * dZ @ X.T
    b = b - learning_rate * np.sum(dZ, axis=1, keepdims=True)
    return W, b, cross_entropy_cost(softmax(W @ X + b), Y)
''',
        "plus sign": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(W @ X + b)
    dZ = softmax_cross_entropy_grad(A, Y)
    return W + learning_rate * dZ @ X.T, b + learning_rate * np.sum(dZ, axis=1, keepdims=True), cross_entropy_cost(A, Y)
''',
        "db not summed over the examples": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(W @ X + b)
    dZ = softmax_cross_entropy_grad(A, Y)
    return W - learning_rate * dZ @ X.T, b - learning_rate * dZ, cross_entropy_cost(A, Y)
''',
        "dW transposed (X dZ^T)": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(W @ X + b)
    dZ = softmax_cross_entropy_grad(A, Y)
    return W - learning_rate * X @ dZ.T, b - learning_rate * np.sum(dZ, axis=1, keepdims=True), cross_entropy_cost(A, Y)
''',
        "dZ = A - Y without 1/m": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(W @ X + b)
    dZ = A - Y
    return W - learning_rate * dZ @ X.T, b - learning_rate * np.sum(dZ, axis=1, keepdims=True), cross_entropy_cost(A, Y)
''',
        "b not updated": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(W @ X + b)
    dZ = softmax_cross_entropy_grad(A, Y)
    return W - learning_rate * dZ @ X.T, b, cross_entropy_cost(A, Y)
''',
        "sigmoid instead of softmax": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = 1 / (1 + np.exp(-(W @ X + b)))
    dZ = (A - Y) / Y.shape[1]
    return W - learning_rate * dZ @ X.T, b - learning_rate * np.sum(dZ, axis=1, keepdims=True), cross_entropy_cost(A, Y)
''',
    },
    "softmax_jacobian": {
        "diagonal only": '''
def softmax_jacobian(z):
    a = softmax(z)
    return np.diagflat(a * (1 - a))
''',
        "diagonal term missing": '''
def softmax_jacobian(z):
    a = softmax(z)
    return -a @ a.T
''',
        "sign flipped": '''
def softmax_jacobian(z):
    a = softmax(z)
    return a @ a.T - np.diagflat(a)
''',
        "inner product instead of outer": '''
def softmax_jacobian(z):
    a = softmax(z)
    return np.diagflat(a) - a.T @ a
''',
        "diag(a) only (denominator treated as constant)": '''
def softmax_jacobian(z):
    return np.diagflat(softmax(z))
''',
        "a 1-D result": '''
def softmax_jacobian(z):
    a = softmax(z).ravel()
    return a * (1 - a)
''',
    },
    "log_softmax": {
        "log of the softmax (underflows)": '''
def log_softmax(Z):
    return np.log(softmax(Z))
''',
        "no max shift (overflows)": '''
def log_softmax(Z):
    return Z - np.log(np.sum(np.exp(Z), axis=0, keepdims=True))
''',
        "one max for the whole matrix": '''
def log_softmax(Z):
    shifted = Z - np.max(Z)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
''',
        "the max not added back": '''
def log_softmax(Z):
    c = np.max(Z, axis=0, keepdims=True)
    return Z - np.log(np.sum(np.exp(Z - c), axis=0, keepdims=True))
''',
        "log-sum-exp over the rows": '''
def log_softmax(Z):
    shifted = Z - np.max(Z, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
''',
        "sign flipped": '''
def log_softmax(Z):
    shifted = Z - np.max(Z, axis=0, keepdims=True)
    return np.log(np.sum(np.exp(shifted), axis=0, keepdims=True)) - shifted
''',
        "returns the softmax": '''
def log_softmax(Z):
    return softmax(Z)
''',
    },
    "cross_entropy_from_logits": {
        "log of the softmax": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must have the same shape")
    return float(-np.sum(Y * np.log(softmax(Z))) / Y.shape[1])
''',
        "sum, not mean": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must have the same shape")
    return float(-np.sum(Y * log_softmax(Z)))
''',
        "np.mean over every element": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must have the same shape")
    return float(-np.mean(Y * log_softmax(Z)))
''',
        "one-hot only (argmax of Y)": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must have the same shape")
    log_A = log_softmax(Z)
    return float(-np.mean(log_A[np.argmax(Y, axis=0), np.arange(Y.shape[1])]))
''',
        "sign flipped": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must have the same shape")
    return float(np.sum(Y * log_softmax(Z)) / Y.shape[1])
''',
    },
    "confident_cost": {
        "equal scores' ln C for both": '''
def confident_cost(C, scale):
    import math
    right = math.log(C)
    wrong = math.log(C)
    return right, wrong
''',
        'C exponentials of 1 in the denominator': '''
def confident_cost(C, scale):
    import math
    right = math.log(math.exp(scale) + C) - scale
    wrong = math.log(math.exp(scale) + C)
    return right, wrong
''',
        'the probability, not its -log': '''
def confident_cost(C, scale):
    import math
    right = math.exp(scale) / (math.exp(scale) + C - 1)
    wrong = 1 / (math.exp(scale) + C - 1)
    return right, wrong
''',
        'log base 10': '''
def confident_cost(C, scale):
    import math
    right = math.log10(math.exp(scale) + C - 1) - scale / math.log(10)
    wrong = math.log10(math.exp(scale) + C - 1)
    return right, wrong
''',
        'the wrong case as scale + ln C': '''
def confident_cost(C, scale):
    import math
    right = math.log(math.exp(scale) + C - 1) - scale
    wrong = scale + math.log(C)
    return right, wrong
''',
        'first-order approximation (C - 1) e**-scale': '''
def confident_cost(C, scale):
    import math
    right = (C - 1) * math.exp(-scale)
    wrong = math.log(math.exp(scale) + C - 1)
    return right, wrong
''',
    },
    "confident_gradient": {
        'Y - A instead of A - Y': '''
def confident_gradient(C, scale):
    import math
    a_high = math.exp(scale) / (math.exp(scale) + C - 1)
    a_true = 1 / (math.exp(scale) + C - 1)
    return 1 - a_true, -a_high
''',
        'the label not subtracted (a only)': '''
def confident_gradient(C, scale):
    import math
    a_high = math.exp(scale) / (math.exp(scale) + C - 1)
    a_true = 1 / (math.exp(scale) + C - 1)
    return a_true, a_high
''',
        '-y / a, the gradient with respect to a': '''
def confident_gradient(C, scale):
    import math
    a_high = math.exp(scale) / (math.exp(scale) + C - 1)
    a_true = 1 / (math.exp(scale) + C - 1)
    return -1 / a_true, a_high
''',
        "the softmax's own derivative a (1 - a)": '''
def confident_gradient(C, scale):
    import math
    a_high = math.exp(scale) / (math.exp(scale) + C - 1)
    a_true = 1 / (math.exp(scale) + C - 1)
    return a_true * (1 - a_true) - 1, a_high * (1 - a_high)
''',
        'the high class treated as the true one': '''
def confident_gradient(C, scale):
    import math
    a_high = math.exp(scale) / (math.exp(scale) + C - 1)
    a_true = 1 / (math.exp(scale) + C - 1)
    return a_true, a_high - 1
''',
    },
}

RIGHT = {
    "softmax": {
        "log-sum-exp": '''
def softmax(Z):
    shifted = Z - Z.max(axis=0)
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=0)))
''',
        "loop over columns": '''
def softmax(Z):
    A = np.empty_like(Z)
    for j in range(Z.shape[1]):
        e = np.exp(Z[:, j] - max(Z[:, j]))
        A[:, j] = e / e.sum()
    return A
''',
    },
    "one_hot": {
        "np.eye with an explicit range check": '''
def one_hot(labels, C):
    labels = np.asarray(labels)
    if labels.min() < 0 or labels.max() >= C:
        raise ValueError(f"labels must lie in [0, {C}), got {labels.min()}..{labels.max()}")
    return np.eye(C)[:, labels]
''',
        "comparison with a column of classes": '''
def one_hot(labels, C):
    if not np.all((0 <= labels) & (labels < C)):
        raise ValueError("a label is outside [0, C)")
    return (np.arange(C)[:, None] == labels[None, :]).astype(np.float64)
''',
    },
    "cross_entropy_cost": {
        "returns a NumPy scalar (a float by the contract)": '''
def cross_entropy_cost(A, Y):
    mask = Y > 0
    return -np.sum(Y[mask] * np.log(A[mask])) / Y.shape[1]
''',
        "np.where inside the log, errstate": '''
def cross_entropy_cost(A, Y):
    with np.errstate(divide="ignore"):
        logs = np.where(Y == 0, 0.0, np.log(np.where(Y == 0, 1.0, A)))
    return -float(np.sum(Y * logs)) / Y.shape[1]
''',
        "pick the true class's probability": '''
def cross_entropy_cost(A, Y):
    true_class = np.argmax(Y, axis=0)
    return float(-np.mean(np.log(A[true_class, np.arange(Y.shape[1])])))
''',
    },
    "softmax_cross_entropy_grad": {
        "multiply by 1/m": '''
def softmax_cross_entropy_grad(A, Y):
    return (1.0 / Y.shape[1]) * (A - Y)
''',
    },
    "softmax_regression_step": {
        "einsum, in-place update": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    A = softmax(np.einsum("cn,nm->cm", W, X) + b)
    cost = cross_entropy_cost(A, Y)
    dZ = softmax_cross_entropy_grad(A, Y)
    W -= learning_rate * np.einsum("cm,nm->cn", dZ, X)
    b -= learning_rate * dZ.sum(axis=1, keepdims=True)
    return W, b, cost
''',
        "the cost as a NumPy scalar, computed from the logits": '''
def softmax_regression_step(W, b, X, Y, learning_rate):
    Z = W @ X + b
    log_A = Z - Z.max(axis=0) - np.log(np.exp(Z - Z.max(axis=0)).sum(axis=0))
    cost = -np.sum(Y * log_A) / Y.shape[1]
    dZ = (np.exp(log_A) - Y) / Y.shape[1]
    return W - learning_rate * dZ @ X.T, b - learning_rate * dZ.sum(axis=1, keepdims=True), cost
''',
    },
    "softmax_jacobian": {
        "loops, quotient rule": '''
def softmax_jacobian(z):
    e = np.exp(z - z.max())
    a = (e / e.sum()).ravel()
    C = a.size
    J = np.empty((C, C))
    for k in range(C):
        for j in range(C):
            J[k, j] = a[k] * ((k == j) - a[j])
    return J
''',
        "einsum outer product": '''
def softmax_jacobian(z):
    a = softmax(z)[:, 0]
    return np.diag(a) - np.einsum("k,j->kj", a, a)
''',
    },
    "log_softmax": {
        "np.logaddexp.reduce": '''
def log_softmax(Z):
    return Z - np.logaddexp.reduce(Z, axis=0, keepdims=True)
''',
        "scipy-style logsumexp by hand": '''
def log_softmax(Z):
    c = Z.max(axis=0)
    lse = c + np.log(np.exp(Z - c).sum(axis=0))
    return Z - lse[None, :]
''',
    },
    "cross_entropy_from_logits": {
        "no shape check (the contract asks for none)": '''
def cross_entropy_from_logits(Z, Y):
    return float(-np.sum(Y * log_softmax(Z)) / Z.shape[1])
''',
        "a NumPy float, with a shape check of its own": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must have the same shape")
    return -np.sum(Y * log_softmax(Z)) / Y.shape[1]
''',
        "a loop over the examples": '''
def cross_entropy_from_logits(Z, Y):
    if Z.shape != Y.shape:
        raise ValueError("Z and Y must both have shape (C, m)")
    total = 0.0
    for i in range(Z.shape[1]):
        z = Z[:, i]
        lse = z.max() + np.log(np.sum(np.exp(z - z.max())))
        total -= float(np.dot(Y[:, i], z - lse))
    return total / Z.shape[1]
''',
        "einsum, explicit m": '''
def cross_entropy_from_logits(Z, Y):
    if np.shape(Z) != np.shape(Y):
        raise ValueError(f"shapes differ: {np.shape(Z)} and {np.shape(Y)}")
    C, m = Y.shape
    return -float(np.einsum("km,km->", Y, log_softmax(Z))) / m
''',
    },
    "confident_cost": {
        "with numpy's logaddexp": '''
def confident_cost(C, scale):
    log_denominator = np.logaddexp(scale, np.log(C - 1))
    return log_denominator - scale, log_denominator
''',
    },
    "confident_gradient": {
        "through the softmax of the scores": '''
def confident_gradient(C, scale):
    z = np.zeros(C)
    z[1] = scale  # class 1 scores high; class 0 is the true one
    a = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    y = np.eye(C)[0]
    return (a - y)[0], (a - y)[1]
''',
    },
}
