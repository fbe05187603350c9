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
}

RIGHT = {
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

# The derive and predict tasks: each answer is a function of the student's own numbers (`trainfaster.variants`),
# so these are written as formulas; the grader calls them with the numbers of the id it collected.
WRONG.update({
    "predict_mini_batches": {
        "only the full batches counted": '''
def predict_mini_batches(m, mini_batch_size):
    return m // mini_batch_size, m % mini_batch_size
''',
        "the last batch taken as full": '''
def predict_mini_batches(m, mini_batch_size):
    return -(-m // mini_batch_size), mini_batch_size
''',
        "what the last batch lacks, not what it holds": '''
def predict_mini_batches(m, mini_batch_size):
    return -(-m // mini_batch_size), mini_batch_size - m % mini_batch_size
''',
        "the count as a fraction m / b": '''
def predict_mini_batches(m, mini_batch_size):
    return m / mini_batch_size, m % mini_batch_size
''',
        "one number instead of two": '''
def predict_mini_batches(m, mini_batch_size):
    return -(-m // mini_batch_size)
''',
        "numbers as text": '''
def predict_mini_batches(m, mini_batch_size):
    return str(-(-m // mini_batch_size)), str(m % mini_batch_size)
''',
    },
    "gradient_noise_scale": {
        "noise scale upside down": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = grad_sq_norm / trace_sigma
    return B, 1 / (1 + B / batch_size)
''',
        "standard deviations compared (square root)": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = (trace_sigma / grad_sq_norm) ** 0.5
    return B, 1 / (1 + B / batch_size)
''',
        "square root of |g|^2 taken": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = trace_sigma / grad_sq_norm ** 0.5
    return B, 1 / (1 + B / batch_size)
''',
        "the share the noise takes, not what is kept": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = trace_sigma / grad_sq_norm
    return B, (B / batch_size) / (1 + B / batch_size)
''',
        "linear until it saturates": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = trace_sigma / grad_sq_norm
    return B, min(1.0, batch_size / B)
''',
        "the noise's standard deviation in the fraction": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = trace_sigma / grad_sq_norm
    return B, 1 / (1 + (B / batch_size) ** 0.5)
''',
        "a first-order expansion": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = trace_sigma / grad_sq_norm
    return B, 1 - B / batch_size
''',
    },
    "predict_highest_cost": {
        "no reason": '''
PREDICTION = "batch"
REASON = ""
''',
        "a one-word reason": '''
PREDICTION = "batch"
REASON = "fewer"
''',
        "not one of the options": '''
PREDICTION = "full batch"
REASON = "it takes only one step per epoch"
''',
        "the prediction in a list": '''
PREDICTION = ["batch"]
REASON = "it takes only one step per epoch"
''',
    },
})

RIGHT.update({
    "predict_mini_batches": {
        "math.ceil and a conditional": '''
import math

def predict_mini_batches(m, mini_batch_size):
    last = m % mini_batch_size
    return math.ceil(m / mini_batch_size), last if last else mini_batch_size
''',
        "NumPy integers and floats": '''
def predict_mini_batches(m, mini_batch_size):
    return np.float64(np.ceil(m / mini_batch_size)), np.int64(m - (m // mini_batch_size) * mini_batch_size)
''',
    },
    "gradient_noise_scale": {
        "b / (b + B), NumPy scalars": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    B = np.float64(trace_sigma) / grad_sq_norm
    return B, batch_size / (batch_size + B)
''',
        "a list of two": '''
def gradient_noise_scale(trace_sigma, grad_sq_norm, batch_size):
    return [trace_sigma / grad_sq_norm, 1 / (1 + trace_sigma / (grad_sq_norm * batch_size))]
''',
    },
    "predict_highest_cost": {
        "a wrong prediction, committed with a reason": '''
PREDICTION = "stochastic"
REASON = "single examples give such noisy gradients that it bounces around"
''',
    },
})
