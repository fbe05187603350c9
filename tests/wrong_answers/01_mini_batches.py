"""Chapter 1: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "update_parameters_with_gd": {
        "plus sign": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}
''',
        "no learning rate": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v - grads["d" + k] for k, v in parameters.items()}
''',
        "last layer skipped (range(1, L))": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
''',
        "b never updated": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return parameters
''',
        "updates grads instead of parameters": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    for k in grads:
        grads[k] *= -learning_rate
    return {k: v + grads["d" + k] for k, v in parameters.items()}
''',
        "L counted as len(parameters)": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters)
    for l in range(1, L // 2):
        parameters[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    return parameters
''',
        "returns nothing": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    for k in parameters:
        parameters[k] -= learning_rate * grads["d" + k]
''',
        "b updated with dW (broadcast)": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    out = {}
    for l in range(1, L + 1):
        out[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        out[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"dW{l}"]
    return out
''',
        "divides by the learning rate": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v - grads["d" + k] / learning_rate for k, v in parameters.items()}
''',
    },
    "random_mini_batches": {
        "last batch is the last mini_batch_size examples (overlapping)": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    n = m // mini_batch_size
    batches = [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size])
               for k in range(n)]
    if m % mini_batch_size:
        batches.append((X[:, m - mini_batch_size:], Y[:, m - mini_batch_size:]))
    return batches
''',
        "mini_batch_size ignored (64 hard-coded)": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [(X[:, i:i + 64], Y[:, i:i + 64]) for i in range(0, m, 64)]
''',
        "last partial batch dropped": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size])
            for k in range(m // mini_batch_size)]
''',
        "no shuffling": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]
''',
        "X and Y shuffled with different permutations": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    X, Y = X[:, rng.permutation(m)], Y[:, rng.permutation(m)]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]
''',
        "only X shuffled": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    X = X[:, np.random.default_rng(seed).permutation(m)]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]
''',
        "legacy np.random.seed permutation": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    np.random.seed(seed)
    p = np.random.permutation(m)
    X, Y = X[:, p], Y[:, p]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]
''',
        "empty batch added when m divides evenly": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    n = m // mini_batch_size
    batches = [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]) for k in range(n)]
    batches.append((X[:, n * mini_batch_size:], Y[:, n * mini_batch_size:]))
    return batches
''',
        "rows shuffled instead of columns": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(X.shape[0])
    X = X[p, :]
    return [(X[:, i:i + mini_batch_size], Y[:, i:i + mini_batch_size]) for i in range(0, m, mini_batch_size)]
''',
        "remainder batch off by one": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, p], Y[:, p]
    n = m // mini_batch_size
    batches = [(X[:, k * mini_batch_size:(k + 1) * mini_batch_size], Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]) for k in range(n)]
    if m % mini_batch_size:
        batches.append((X[:, n * mini_batch_size + 1:], Y[:, n * mini_batch_size + 1:]))
    return batches
''',
        "shuffles in place with rng.shuffle": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    X[:] = X[:, p]
    Y[:] = Y[:, p]
    return [(X[:, i:i + mini_batch_size].copy(), Y[:, i:i + mini_batch_size].copy()) for i in range(0, m, mini_batch_size)]
''',
    },
    "predict_mini_batches": {
        "only the full batches counted": '''
def predict_mini_batches():
    return 15, 40, 0.5
''',
        "noise scales as 1/b (the variance's factor)": '''
def predict_mini_batches():
    return 16, 40, 0.25
''',
        "what the last batch lacks, not what it holds": '''
def predict_mini_batches():
    return 16, 24, 0.5
''',
        "noise grows with the batch": '''
def predict_mini_batches():
    return 16, 40, 2.0
''',
        "ceil of 1000 / 64 as a float": '''
def predict_mini_batches():
    return 15.625, 40, 0.5
''',
        "a list instead of three numbers": '''
def predict_mini_batches():
    return [16, 40, 0.5]
''',
    },
}

RIGHT = {
    "predict_mini_batches": {
        "floats and a rounded factor": '''
def predict_mini_batches():
    return 16.0, 40.0, 0.501
''',
        "NumPy integers, computed by hand-written arithmetic": '''
def predict_mini_batches():
    m, b = 1000, 64
    return np.int64(m // b + (m % b > 0)), np.int64(m % b), (64 / 256) ** 0.5
''',
    },
    "update_parameters_with_gd": {
        "dict comprehension": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {name: value - learning_rate * grads["d" + name] for name, value in parameters.items()}
''',
        "in-place update of parameters": '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
''',
    },
    "random_mini_batches": {
        "np.array_split-free slicing with a while loop": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    p = np.random.default_rng(seed).permutation(X.shape[1])
    X, Y = X[:, p], Y[:, p]
    batches, start = [], 0
    while start < X.shape[1]:
        batches.append((X[:, start:start + mini_batch_size], Y[:, start:start + mini_batch_size]))
        start += mini_batch_size
    return batches
''',
        "np.split at the batch boundaries, lists instead of tuples": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    p = np.random.default_rng(seed).permutation(X.shape[1])
    cuts = list(range(mini_batch_size, X.shape[1], mini_batch_size))
    return [[x, y] for x, y in zip(np.split(X[:, p], cuts, axis=1), np.split(Y[:, p], cuts, axis=1))]
''',
        "math.ceil and take": '''
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    import math
    m = X.shape[1]
    p = np.random.default_rng(seed).permutation(m)
    out = []
    for k in range(math.ceil(m / mini_batch_size)):
        idx = p[k * mini_batch_size:min((k + 1) * mini_batch_size, m)]
        out.append((np.take(X, idx, axis=1), np.take(Y, idx, axis=1)))
    return out
''',
    },
}
