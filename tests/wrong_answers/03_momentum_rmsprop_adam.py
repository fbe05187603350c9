"""Chapter 3: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "initialize_velocity": {
        "keys without the d": '''
def initialize_velocity(parameters):
    return {k: np.zeros_like(p) for k, p in parameters.items()}
''',
        "transposed shapes": '''
def initialize_velocity(parameters):
    return {"d" + k: np.zeros(p.shape[::-1]) for k, p in parameters.items()}
''',
        "last layer skipped": '''
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v
''',
        "integer zeros": '''
def initialize_velocity(parameters):
    return {"d" + k: np.zeros(p.shape, dtype=int) for k, p in parameters.items()}
''',
        "copies of the parameters": '''
def initialize_velocity(parameters):
    return {"d" + k: p.copy() for k, p in parameters.items()}
''',
    },
    "update_parameters_with_momentum": {
        "(1 - beta) factor missing": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * v["d" + k]
    return parameters, v
''',
        "steps along dW": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * grads["d" + k]
    return parameters, v
''',
        "steps along the old velocity": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_v = {}
    for k in parameters:
        parameters[k] = parameters[k] - learning_rate * v["d" + k]
        new_v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
    return parameters, new_v
''',
        "b not updated": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        v[f"dW{l}"] = beta * v[f"dW{l}"] + (1 - beta) * grads[f"dW{l}"]
        v[f"db{l}"] = beta * v[f"db{l}"] + (1 - beta) * grads[f"db{l}"]
        parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * v[f"dW{l}"]
    return parameters, v
''',
        "beta and 1 - beta swapped": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = (1 - beta) * v["d" + k] + beta * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * v["d" + k]
    return parameters, v
''',
        "returns the old velocity": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new = {k: beta * v[k] + (1 - beta) * grads[k] for k in grads}
    return {k: p - learning_rate * new["d" + k] for k, p in parameters.items()}, v
''',
        "velocity kept in grads (modifies grads)": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for k in grads:
        grads[k] *= 1 - beta
        grads[k] += beta * v[k]
        v[k] = grads[k]
        parameters[k[1:]] = parameters[k[1:]] - learning_rate * grads[k]
    return parameters, v
''',
        "last layer skipped": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L):
        for k in (f"W{l}", f"b{l}"):
            v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
            parameters[k] = parameters[k] - learning_rate * v["d" + k]
    return parameters, v
''',
    },
    "initialize_rmsprop": {
        "keys without the d": '''
def initialize_rmsprop(parameters):
    return {k: np.zeros(p.shape) for k, p in parameters.items()}
''',
        "only the weights": '''
def initialize_rmsprop(parameters):
    return {"d" + k: np.zeros(p.shape) for k, p in parameters.items() if k.startswith("W")}
''',
        "ones instead of zeros": '''
def initialize_rmsprop(parameters):
    return {"d" + k: np.ones(p.shape) for k, p in parameters.items()}
''',
        "integer zeros": '''
def initialize_rmsprop(parameters):
    return {"d" + k: np.zeros(p.shape, dtype=np.int64) for k, p in parameters.items()}
''',
    },
    "update_parameters_with_rmsprop": {
        "epsilon inside the square root": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / np.sqrt(s["d" + k] + epsilon)
    return parameters, s
''',
        "no square on the gradient": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(np.abs(s["d" + k])) + epsilon)
    return parameters, s
''',
        "no square root": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (s["d" + k] + epsilon)
    return parameters, s
''',
        "epsilon forgotten": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / np.sqrt(s["d" + k])
    return parameters, s
''',
        "default epsilon 1e-7": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-7):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
    return parameters, s
''',
        "b not updated": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
        if k.startswith("W"):
            parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
    return parameters, s
''',
        "steps with the old s": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    new_s = {}
    for k in parameters:
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
        new_s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
    return parameters, new_s
''',
        "beta2 and 1 - beta2 swapped": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = (1 - beta2) * s["d" + k] + beta2 * grads["d" + k] ** 2
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
    return parameters, s
''',
        "(1 - beta2) factor missing": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        s["d" + k] = beta2 * s["d" + k] + grads["d" + k] ** 2
        parameters[k] = parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
    return parameters, s
''',
        "squares grads in place": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        g /= np.sqrt(s["d" + k]) + epsilon
        parameters[k] = parameters[k] - learning_rate * g
    return parameters, s
''',
    },
    "initialize_adam": {
        "one dict returned twice": '''
def initialize_adam(parameters):
    v = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    return v, v
''',
        "the same arrays in v and s": '''
def initialize_adam(parameters):
    zeros = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    return zeros, dict(zeros)
''',
        "keys without the d": '''
def initialize_adam(parameters):
    return ({k: np.zeros(p.shape) for k, p in parameters.items()},
            {k: np.zeros(p.shape) for k, p in parameters.items()})
''',
        "returns a single dict": '''
def initialize_adam(parameters):
    return {"v": {"d" + k: np.zeros(p.shape) for k, p in parameters.items()},
            "s": {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}}
''',
        "integer zeros": '''
def initialize_adam(parameters):
    return ({"d" + k: np.zeros(p.shape, dtype=int) for k, p in parameters.items()},
            {"d" + k: np.zeros(p.shape, dtype=int) for k, p in parameters.items()})
''',
        "transposed shapes": '''
def initialize_adam(parameters):
    return ({"d" + k: np.zeros(p.T.shape) for k, p in parameters.items()},
            {"d" + k: np.zeros(p.T.shape) for k, p in parameters.items()})
''',
    },
    "update_parameters_with_adam": {
        "no bias correction": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        parameters[k] = parameters[k] - learning_rate * v["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
    return parameters, v, s
''',
        "beta1**t written as beta1": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] / (1 - beta1)
        s_hat = s["d" + k] / (1 - beta2)
        parameters[k] = parameters[k] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
''',
        "epsilon inside the square root": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] / (1 - beta1**t)
        s_hat = s["d" + k] / (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * v_hat / np.sqrt(s_hat + epsilon)
    return parameters, v, s
''',
        "returns the corrected averages": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = (beta1 * v["d" + k] + (1 - beta1) * g) / (1 - beta1**t)
        s["d" + k] = (beta2 * s["d" + k] + (1 - beta2) * g ** 2) / (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * v["d" + k] / (np.sqrt(s["d" + k]) + epsilon)
    return parameters, v, s
''',
        "b not updated": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for k in (f"W{l}", f"b{l}"):
            v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * grads["d" + k]
            s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * grads["d" + k] ** 2
        v_hat = v[f"dW{l}"] / (1 - beta1**t)
        s_hat = s[f"dW{l}"] / (1 - beta2**t)
        parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
''',
        "correction outside the square root": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        step = (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k]) / (1 - beta2**t) + epsilon)
        parameters[k] = parameters[k] - learning_rate * step
    return parameters, v, s
''',
        "exponent t + 1": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] / (1 - beta1 ** (t + 1))
        s_hat = s["d" + k] / (1 - beta2 ** (t + 1))
        parameters[k] = parameters[k] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
''',
        "default learning rate 0.001": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        parameters[k] = parameters[k] - learning_rate * (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
    return parameters, v, s
''',
        "bias correction multiplied instead of divided": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] * (1 - beta1**t)
        s_hat = s["d" + k] * (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
''',
        "sign flipped": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        parameters[k] = parameters[k] + learning_rate * (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
    return parameters, v, s
''',
        "gradient squared in place in grads": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        g **= 2
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g
        parameters[k] = parameters[k] - learning_rate * (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
    return parameters, v, s
''',
    },
    "update_parameters_with_nesterov": {
        "plain momentum's step": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * v["d" + k]
    return parameters, v
""",
        "the step uses the old velocity": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    new_v = {}
    for k in parameters:
        parameters[k] = parameters[k] - learning_rate * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
        new_v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
    return parameters, new_v
""",
        "(1 - beta) missing in front of dW in the step": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * (beta * v["d" + k] + grads["d" + k])
    return parameters, v
""",
        "PyTorch's form, no (1 - beta) anywhere": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * (beta * v["d" + k] + grads["d" + k])
    return parameters, v
""",
        "(1 - beta) missing in v only": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
    return parameters, v
""",
        "returns the step as the velocity": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v_new = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        v["d" + k] = beta * v_new + (1 - beta) * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * v["d" + k]
    return parameters, v
""",
        "velocity not returned updated": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    new = {k: beta * v[k] + (1 - beta) * grads[k] for k in grads}
    return {n: p - learning_rate * (beta * new["d" + n] + (1 - beta) * grads["d" + n]) for n, p in parameters.items()}, v
""",
        "beta applied twice": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        parameters[k] = parameters[k] - learning_rate * (beta * beta * v["d" + k] + (1 - beta) * grads["d" + k])
    return parameters, v
""",
        "b not updated": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        if k.startswith("W"):
            parameters[k] = parameters[k] - learning_rate * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
    return parameters, v
""",
        "sign flipped": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for k in parameters:
        v["d" + k] = beta * v["d" + k] + (1 - beta) * grads["d" + k]
        parameters[k] = parameters[k] + learning_rate * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
    return parameters, v
""",
    },
    "update_parameters_with_adamw": {
        "L2 added to the gradient instead of decoupled decay": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k] + weight_decay * parameters[k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] / (1 - beta1**t)
        s_hat = s["d" + k] / (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
""",
        "decay applied to the updated W": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] / (1 - beta1**t)
        s_hat = s["d" + k] / (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
        parameters[k] = parameters[k] - learning_rate * weight_decay * parameters[k]
    return parameters, v, s
""",
        "decay without the learning rate": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        v_hat = v["d" + k] / (1 - beta1**t)
        s_hat = s["d" + k] / (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon) - weight_decay * parameters[k]
    return parameters, v, s
""",
        "no decay at all (plain Adam)": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        parameters[k] = parameters[k] - learning_rate * (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
    return parameters, v, s
""",
        "only W decayed, not b": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        step = (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
        if k.startswith("W"):
            step = step + weight_decay * parameters[k]
        parameters[k] = parameters[k] - learning_rate * step
    return parameters, v, s
""",
        "decay added with the wrong sign": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        step = (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
        parameters[k] = parameters[k] - learning_rate * (step - weight_decay * parameters[k])
    return parameters, v, s
""",
        "no bias correction": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        parameters[k] = parameters[k] - learning_rate * (v["d" + k] / (np.sqrt(s["d" + k]) + epsilon) + weight_decay * parameters[k])
    return parameters, v, s
""",
        "default weight decay 0": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.0):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
        s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * g ** 2
        step = (v["d" + k] / (1 - beta1**t)) / (np.sqrt(s["d" + k] / (1 - beta2**t)) + epsilon)
        parameters[k] = parameters[k] - learning_rate * (step + weight_decay * parameters[k])
    return parameters, v, s
""",
        "returns the corrected averages": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    for k in parameters:
        g = grads["d" + k]
        v["d" + k] = (beta1 * v["d" + k] + (1 - beta1) * g) / (1 - beta1**t)
        s["d" + k] = (beta2 * s["d" + k] + (1 - beta2) * g ** 2) / (1 - beta2**t)
        parameters[k] = parameters[k] - learning_rate * (v["d" + k] / (np.sqrt(s["d" + k]) + epsilon) + weight_decay * parameters[k])
    return parameters, v, s
""",
    },
    "steps_until_correction_below": {
        "the window 1 / (1 - beta2)": """
def steps_until_correction_below(beta2, threshold):
    return int(round(1 / (1 - beta2)))
""",
        "solved beta2**t < 1 / threshold": """
def steps_until_correction_below(beta2, threshold):
    return int(np.ceil(np.log(1 / threshold) / np.log(beta2)))
""",
        "the square-root factor of the step": """
def steps_until_correction_below(beta2, threshold):
    return int(np.ceil(np.log(1 - 1 / threshold**2) / np.log(beta2)))
""",
        "sign of the logarithm lost": """
def steps_until_correction_below(beta2, threshold):
    return int(np.ceil(np.log(1 - 1 / threshold) / np.log(1 - beta2)))
""",
        "the approximation log(beta2) = -(1 - beta2), wrong for beta2 = 0.9": """
def steps_until_correction_below(beta2, threshold):
    return int(np.log(1 - 1 / threshold) / -(1 - beta2)) + 1
""",
        "few dozen steps, as for beta = 0.9": """
def steps_until_correction_below(beta2, threshold):
    return 44
""",
    },
}

RIGHT = {
    "initialize_velocity": {
        "dict comprehension with zeros_like": '''
def initialize_velocity(parameters):
    return {"d" + name: np.zeros_like(value) for name, value in parameters.items()}
''',
    },
    "update_parameters_with_momentum": {
        "in-place updates": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for key in v:
        v[key] *= beta
        v[key] += (1 - beta) * grads[key]
        parameters[key[1:]] -= learning_rate * v[key]
    return parameters, v
''',
        "dict comprehensions": '''
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    v = {k: beta * v[k] + (1 - beta) * grads[k] for k in grads}
    return {n: p - learning_rate * v["d" + n] for n, p in parameters.items()}, v
''',
    },
    "initialize_rmsprop": {
        "loop over layers": '''
def initialize_rmsprop(parameters):
    s = {}
    for l in range(1, len(parameters) // 2 + 1):
        s["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return s
''',
    },
    "update_parameters_with_rmsprop": {
        "in-place, with ** 0.5 and np.square": '''
def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    for key in s:
        s[key] = beta2 * s[key] + (1 - beta2) * np.square(grads[key])
        parameters[key[1:]] -= learning_rate * grads[key] / (s[key] ** 0.5 + epsilon)
    return parameters, s
''',
    },
    "initialize_adam": {
        "two calls of a helper": '''
def initialize_adam(parameters):
    def zeros():
        return {"d" + k: np.zeros_like(p, dtype=np.float64) for k, p in parameters.items()}
    return zeros(), zeros()
''',
    },
    "update_parameters_with_adam": {
        "loop over layers, in-place": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"d{p}{l}"
            v[key] = beta1 * v[key] + (1 - beta1) * grads[key]
            s[key] = beta2 * s[key] + (1 - beta2) * grads[key] * grads[key]
            v_hat = v[key] / (1 - np.power(beta1, t))
            s_hat = s[key] / (1 - np.power(beta2, t))
            parameters[f"{p}{l}"] -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
''',
        "PyTorch's arrangement: learning_rate / (1 - beta1**t), sqrt(s) / sqrt(1 - beta2**t)": '''
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v = {k: beta1 * v[k] + (1 - beta1) * g for k, g in grads.items()}
    s = {k: beta2 * s[k] + (1 - beta2) * g ** 2 for k, g in grads.items()}
    c1, c2 = 1 - beta1**t, 1 - beta2**t
    new = {n: p - (learning_rate / c1) * v["d" + n] / (np.sqrt(s["d" + n]) / np.sqrt(c2) + epsilon)
           for n, p in parameters.items()}
    return new, v, s
''',
    },
    "update_parameters_with_nesterov": {
        "the step written as v_new + beta * (v_new - v_old)": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    new_v = {k: beta * v[k] + (1 - beta) * grads[k] for k in grads}
    step = {k: new_v[k] + beta * (new_v[k] - v[k]) for k in grads}
    return {n: p - learning_rate * step["d" + n] for n, p in parameters.items()}, new_v
""",
        "in place": """
def update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate):
    for key in v:
        v[key] *= beta
        v[key] += (1 - beta) * grads[key]
        parameters[key[1:]] -= learning_rate * (beta * v[key] + (1 - beta) * grads[key])
    return parameters, v
""",
    },
    "update_parameters_with_adamw": {
        "shrink first, then Adam's step (as torch.optim.AdamW)": """
def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    v = {k: beta1 * v[k] + (1 - beta1) * g for k, g in grads.items()}
    s = {k: beta2 * s[k] + (1 - beta2) * g * g for k, g in grads.items()}
    new = {}
    for n, p in parameters.items():
        p = p * (1 - learning_rate * weight_decay)
        new[n] = p - learning_rate * (v["d" + n] / (1 - beta1**t)) / (np.sqrt(s["d" + n] / (1 - beta2**t)) + epsilon)
    return new, v, s
""",
    },
    "steps_until_correction_below": {
        "a loop": """
def steps_until_correction_below(beta2, threshold):
    t = 1
    while 1 / (1 - beta2**t) >= threshold:
        t += 1
    return t
""",
        "ceil of the bound": """
def steps_until_correction_below(beta2, threshold):
    return int(np.ceil(np.log(1 - 1 / threshold) / np.log(beta2)))
""",
    },
}

# The derive and predict tasks are graded with the student's own numbers (`trainfaster.variants`).
WRONG.update({
    "momentum_stability_edge": {
        "gradient descent's edge": '''
def momentum_stability_edge(beta, curvature):
    return 2 / curvature
''',
        "PyTorch's form, without (1 - beta)": '''
def momentum_stability_edge(beta, curvature):
    return 2 * (1 + beta) / curvature
''',
        "(1 + beta) missing": '''
def momentum_stability_edge(beta, curvature):
    return 2 / ((1 - beta) * curvature)
''',
        "half the edge": '''
def momentum_stability_edge(beta, curvature):
    return (1 + beta) / ((1 - beta) * curvature)
''',
        "beta's factors upside down": '''
def momentum_stability_edge(beta, curvature):
    return 2 * (1 - beta) / ((1 + beta) * curvature)
''',
        "a string": '''
def momentum_stability_edge(beta, curvature):
    return f"{2 * (1 + beta) / ((1 - beta) * curvature):.3f}"
''',
    },
    "predict_first_below": {
        "no reason": '''
PREDICTION = "Adam"
REASON = ""
''',
        "lower case, not one of the options": '''
PREDICTION = "adam"
REASON = "it adapts every step to the size of its gradient"
''',
        "a reason that is not text": '''
PREDICTION = "Adam"
REASON = None
''',
    },
})

RIGHT.update({
    "momentum_stability_edge": {
        "bisection on the eigenvalues": '''
def momentum_stability_edge(beta, curvature):
    low, high = 0.0, 1e6
    for _ in range(200):
        alpha = (low + high) / 2
        M = np.array([[beta, (1 - beta) * curvature], [-alpha * beta, 1 - alpha * (1 - beta) * curvature]])
        if np.max(np.abs(np.linalg.eigvals(M))) < 1:
            low = alpha
        else:
            high = alpha
    return low
''',
        "a NumPy scalar": '''
def momentum_stability_edge(beta, curvature):
    return np.float64(2.0) * (1 + beta) / (1 - beta) / curvature
''',
    },
    "predict_first_below": {
        "a wrong prediction, committed with a reason": '''
PREDICTION = "momentum"
REASON = "the velocity builds up along the valley and keeps moving where gradients are small"
''',
    },
})

# Beyond Adam (issue 24): clipping by the global norm, Muon's Newton-Schulz iteration, and Muon.
WRONG.update({
    "clip_by_global_norm": {
        "per-tensor norms instead of the global one": '''
def clip_by_global_norm(grads, max_norm):
    clipped = {}
    for k, g in grads.items():
        norm = np.linalg.norm(g)
        clipped[k] = g * min(1.0, max_norm / (norm + 1e-6))
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    return clipped, total_norm
''',
        "clips even when below max_norm": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    return {k: g * max_norm / (total_norm + 1e-6) for k, g in grads.items()}, total_norm
''',
        "forgets the 1e-6": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    factor = min(1.0, max_norm / total_norm)
    return {k: g * factor for k, g in grads.items()}, total_norm
''',
        "returns the norm after clipping": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    clipped = {k: g * min(1.0, max_norm / (total_norm + 1e-6)) for k, g in grads.items()}
    return clipped, float(np.sqrt(sum(np.sum(g**2) for g in clipped.values())))
''',
        "mutates the input gradients": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    factor = min(1.0, max_norm / (total_norm + 1e-6))
    for g in grads.values():
        g *= factor
    return grads, total_norm
''',
        "the squared norm": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(sum(np.sum(g**2) for g in grads.values()))
    factor = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: g * factor for k, g in grads.items()}, total_norm
''',
        "clips by value (np.clip) instead of by the norm": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, total_norm
''',
        "the sum of the per-tensor norms": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(sum(np.linalg.norm(g) for g in grads.values()))
    factor = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: g * factor for k, g in grads.items()}, total_norm
''',
        "the norm over the dW entries only": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for k, g in grads.items() if k.startswith("dW"))))
    factor = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: g * factor for k, g in grads.items()}, total_norm
''',
        "max instead of min": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    factor = max(1.0, max_norm / (total_norm + 1e-6))
    return {k: g * factor for k, g in grads.items()}, total_norm
''',
    },
    "newton_schulz_orthogonalize": {
        "no normalisation": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    for _ in range(ns_steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "coefficients in the wrong order": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    c, b, a = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "cubic instead of quintic": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = 1.5 * X - 0.5 * A @ X
    return X.T if tall else X
''',
        "A = X.T @ X on the wrong side": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(ns_steps):
        A = X.T @ X
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "spectral norm instead of Frobenius": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X, 2), eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "always five steps": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(5):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "divides by norm + eps": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / (np.linalg.norm(X) + eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "elementwise powers X**3, X**5": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(ns_steps):
        X = a * X + b * X**3 + c * X**5
    return X.T if tall else X
''',
        "renormalises at every step": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = G.shape[0] > G.shape[1]
    X = G.T if tall else G
    for _ in range(ns_steps):
        X = X / max(np.linalg.norm(X), eps)
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X
''',
        "not transposed back": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    X = G.T if G.shape[0] > G.shape[1] else G
    X = X / max(np.linalg.norm(X), eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X
''',
    },
    "update_parameters_with_muon": {
        "heavy ball instead of Nesterov": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize(v["d" + name], ns_steps)
        rows, cols = W.shape
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * np.sqrt(max(1, rows / cols)) * O
    return parameters, v
''',
        "no shape factor": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize((1 - beta) * grads["d" + name] + beta * v["d" + name], ns_steps)
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * O
    return parameters, v
''',
        "updates the biases too": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name, W in list(parameters.items()):
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize((1 - beta) * grads["d" + name] + beta * v["d" + name], ns_steps)
        rows, cols = W.shape
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * np.sqrt(max(1, rows / cols)) * O
    return parameters, v
''',
        "coupled weight decay": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        g = grads["d" + name] + weight_decay * W
        v["d" + name] = beta * v["d" + name] + (1 - beta) * g
        O = newton_schulz_orthogonalize((1 - beta) * g + beta * v["d" + name], ns_steps)
        rows, cols = W.shape
        parameters[name] = W - learning_rate * np.sqrt(max(1, rows / cols)) * O
    return parameters, v
''',
        "orthogonalizes the raw gradient": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize(grads["d" + name], ns_steps)
        rows, cols = W.shape
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * np.sqrt(max(1, rows / cols)) * O
    return parameters, v
''',
        "sqrt(rows / cols) without the max": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize((1 - beta) * grads["d" + name] + beta * v["d" + name], ns_steps)
        rows, cols = W.shape
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * np.sqrt(rows / cols) * O
    return parameters, v
''',
        "does not pass ns_steps on": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize((1 - beta) * grads["d" + name] + beta * v["d" + name])
        rows, cols = W.shape
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * np.sqrt(max(1, rows / cols)) * O
    return parameters, v
''',
        "max(1, rows / cols) without the square root": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize((1 - beta) * grads["d" + name] + beta * v["d" + name], ns_steps)
        rows, cols = W.shape
        parameters[name] = W - learning_rate * weight_decay * W - learning_rate * max(1, rows / cols) * O
    return parameters, v
''',
        "decays the updated W": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    for name in [k for k in parameters if k.startswith("W")]:
        W = parameters[name]
        v["d" + name] = beta * v["d" + name] + (1 - beta) * grads["d" + name]
        O = newton_schulz_orthogonalize((1 - beta) * grads["d" + name] + beta * v["d" + name], ns_steps)
        rows, cols = W.shape
        W = W - learning_rate * np.sqrt(max(1, rows / cols)) * O
        parameters[name] = W - learning_rate * weight_decay * W
    return parameters, v
''',
    },
})

RIGHT.update({
    "clip_by_global_norm": {
        "np.linalg.norm of the concatenation": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    scale = max_norm / (total_norm + 1e-6)
    if scale >= 1:
        return {k: g.copy() for k, g in grads.items()}, total_norm
    return {k: scale * g for k, g in grads.items()}, total_norm
''',
        "a norm of the per-tensor norms": '''
def clip_by_global_norm(grads, max_norm):
    total_norm = float(np.linalg.norm([np.linalg.norm(g) for g in grads.values()]))
    factor = np.minimum(1.0, max_norm / (total_norm + 1e-6))
    clipped = {}
    for key in sorted(grads):
        clipped[key] = grads[key] * factor
    return clipped, total_norm
''',
    },
    "newton_schulz_orthogonalize": {
        "no transpose for tall matrices (the same polynomial, X on the other side)": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    a, b, c = 3.4445, -4.7750, 2.0315
    X = G / max(np.sqrt(np.sum(G * G)), eps)
    for _ in range(ns_steps):
        if G.shape[0] > G.shape[1]:
            B = X.T @ X
            X = a * X + X @ (b * B + c * B @ B)
        else:
            A = X @ X.T
            X = a * X + (b * A + c * A @ A) @ X
    return X
''',
        "written with matrix powers": '''
def newton_schulz_orthogonalize(G, ns_steps=5, eps=1e-7):
    coefficients = (3.4445, -4.7750, 2.0315)
    X = np.array(G, dtype=np.float64)
    transposed = X.shape[0] > X.shape[1]
    if transposed:
        X = X.T
    X = X / max(np.linalg.norm(X, "fro"), eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = coefficients[0] * X + coefficients[1] * A @ X + coefficients[2] * np.linalg.matrix_power(A, 2) @ X
    return X.T if transposed else X
''',
    },
    "update_parameters_with_muon": {
        "Nesterov written as the look-ahead of v, new dicts": '''
def update_parameters_with_muon(parameters, grads, v, beta=0.95, learning_rate=0.02, weight_decay=0.0, ns_steps=5):
    new_parameters = {k: p.copy() for k, p in parameters.items()}
    new_v = {k: x.copy() for k, x in v.items()}
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W, dW = parameters[f"W{l}"], grads[f"dW{l}"]
        new_v[f"dW{l}"] = beta * v[f"dW{l}"] + (1 - beta) * dW
        U = beta * (beta * v[f"dW{l}"] + (1 - beta) * dW) + (1 - beta) * dW
        scale = max(1.0, W.shape[0] / W.shape[1]) ** 0.5
        new_parameters[f"W{l}"] = (1 - learning_rate * weight_decay) * W - learning_rate * scale * \\
            newton_schulz_orthogonalize(U, ns_steps=ns_steps)
    return new_parameters, new_v
''',
    },
})

WRONG.update({
    "newton_schulz_one_step": {
        "normalised by the largest singular value": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    x = sigma_small / sigma_large
    return 3.4445 * x - 4.7750 * x**3 + 2.0315 * x**5
''',
        "no normalisation": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    x = sigma_small
    return 3.4445 * x - 4.7750 * x**3 + 2.0315 * x**5
''',
        "the value before the step": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    return sigma_small / np.sqrt(sigma_large**2 + sigma_small**2)
''',
        "the larger singular value": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    x = sigma_large / np.sqrt(sigma_large**2 + sigma_small**2)
    return 3.4445 * x - 4.7750 * x**3 + 2.0315 * x**5
''',
        "the polynomial on the squared value": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    x = sigma_small**2 / (sigma_large**2 + sigma_small**2)
    return 3.4445 * x - 4.7750 * x**3 + 2.0315 * x**5
''',
    },
})

RIGHT.update({
    "newton_schulz_one_step": {
        "built a matrix with those singular values and ran one step on it": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    X = np.diag([sigma_large, sigma_small])
    X = X / np.linalg.norm(X)
    A = X @ X.T
    X = 3.4445 * X + (-4.7750 * A + 2.0315 * A @ A) @ X
    return float(X[1, 1])  # diagonal stays diagonal: the entry along sigma_small's direction
''',
        "rounded to five digits": '''
def newton_schulz_one_step(sigma_large, sigma_small):
    x = sigma_small / np.hypot(sigma_large, sigma_small)
    return round(x * (3.4445 + x**2 * (-4.7750 + 2.0315 * x**2)), 5)
''',
    },
})
