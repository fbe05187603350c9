"""Chapter 6: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass). A backward answer is paired with the model forward pass, whose cache is
`(Z_norm, gamma, std)` (for layer norm too;
RMSNorm's is `(Z_hat, gamma, rms)`)."""

WRONG = {
    "batchnorm_forward": {
        "variance divided by m - 1": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = Z.mean(axis=1, keepdims=True)
    std = np.sqrt(Z.var(axis=1, ddof=1, keepdims=True) + epsilon)
    Z_norm = (Z - mu) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "statistics over axis 0": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = Z.mean(axis=0, keepdims=True)
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    Z_norm = (Z - mu) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "epsilon outside the square root": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = Z.mean(axis=1, keepdims=True)
    std = np.sqrt(Z.var(axis=1, keepdims=True)) + epsilon
    Z_norm = (Z - mu) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "statistics over the whole matrix (no axis)": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    std = np.sqrt(np.var(Z) + epsilon)
    Z_norm = (Z - np.mean(Z)) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "gamma and beta swapped": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    std = np.sqrt(Z.var(axis=1, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) / std
    return beta * Z_norm + gamma, (Z_norm, gamma, std)
''',
        "returns Z_norm (no scale and shift)": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    std = np.sqrt(Z.var(axis=1, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) / std
    return Z_norm, (Z_norm, gamma, std)
''',
        "divides by the variance": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    var = Z.var(axis=1, keepdims=True)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) / (var + epsilon)
    return gamma * Z_norm + beta, (Z_norm, gamma, np.sqrt(var + epsilon))
''',
        "normalizes Z in place": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    std = np.sqrt(Z.var(axis=1, keepdims=True) + epsilon)
    Z -= Z.mean(axis=1, keepdims=True)
    Z /= std
    return gamma * Z + beta, (Z.copy(), gamma, std)
''',
        "returns only Z_tilde": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    std = np.sqrt(Z.var(axis=1, keepdims=True) + epsilon)
    return gamma * (Z - Z.mean(axis=1, keepdims=True)) / std + beta
''',
    },
    "batchnorm_backward": {
        "mean and variance treated as constants": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    return gamma * dZ_tilde / std, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "variance term missing": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "gamma forgotten in dZ": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    d = dZ_tilde
    dZ = (d - d.mean(axis=1, keepdims=True) - Z_norm * (d * Z_norm).mean(axis=1, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        'dJ/dvar with the wrong sign (arrow var -> Z_norm)': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * 0.5 * std ** -3
    dZ_centered = dZ_norm / std + dvar * 2 / m * Z_centered
    dmu = -np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        'the 1/2 of d(var + eps)^(-1/2) forgotten (arrow var -> Z_norm)': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -std ** -3
    dZ_centered = dZ_norm / std + dvar * 2 / m * Z_centered
    dmu = -np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        '(var + eps)^(-3/2) written as std ** -2 (arrow var -> Z_norm)': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -0.5 * std ** -2
    dZ_centered = dZ_norm / std + dvar * 2 / m * Z_centered
    dmu = -np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        'the 1/m missing on the arrow Z - mu -> var': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -0.5 * std ** -3
    dZ_centered = dZ_norm / std + dvar * 2 * Z_centered
    dmu = -np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        'the 1/s missing on the arrow Z - mu -> Z_norm': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -0.5 * std ** -3
    dZ_centered = dZ_norm * 1 + dvar * 2 / m * Z_centered
    dmu = -np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        'dJ/dmu with the wrong sign (arrow mu -> Z - mu)': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -0.5 * std ** -3
    dZ_centered = dZ_norm / std + dvar * 2 / m * Z_centered
    dmu = np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        'the 1/m missing on the arrow Z -> mu': '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = gamma * dZ_tilde
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -0.5 * std ** -3
    dZ_centered = dZ_norm / std + dvar * 2 / m * Z_centered
    dmu = -np.sum(dZ_centered, axis=1, keepdims=True)
    dZ = dZ_centered + dmu * 1
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "sums where the formula has means (missing 1/m)": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    dZ_norm = gamma * dZ_tilde
    dZ = (m * dZ_norm - dZ_norm.sum(axis=1, keepdims=True) - Z_norm * (dZ_norm * Z_norm).sum(axis=1, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "dbeta and dgamma as means": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / std
    return dZ, np.mean(dZ_tilde * Z_norm, axis=1, keepdims=True), np.mean(dZ_tilde, axis=1, keepdims=True)
''',
        "dgamma and dbeta without keepdims": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1), np.sum(dZ_tilde, axis=1)
''',
        "sums over axis 0": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "returns (dgamma, dbeta, dZ)": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / std
    return np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True), dZ
''',
    },
    "update_running_stats": {
        "PyTorch's convention (weights swapped)": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    return ((1 - momentum) * running_mean + momentum * batch_mean,
            (1 - momentum) * running_var + momentum * batch_var)
''',
        "batch value not weighted": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    return momentum * running_mean + batch_mean, momentum * running_var + batch_var
''',
        "variance updated with the batch mean": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    return (momentum * running_mean + (1 - momentum) * batch_mean,
            momentum * running_var + (1 - momentum) * batch_mean)
''',
        "results in the wrong order": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    running_mean = momentum * running_mean + (1 - momentum) * batch_mean
    running_var = momentum * running_var + (1 - momentum) * batch_var
    return running_var, running_mean
''',
        "scales batch_mean and batch_var in place": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    batch_mean *= 1 - momentum
    batch_var *= 1 - momentum
    return momentum * running_mean + batch_mean, momentum * running_var + batch_var
''',
        "replaces instead of averaging": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    return batch_mean, batch_var
''',
        "averages the standard deviation, then squares": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    std = momentum * np.sqrt(running_var) + (1 - momentum) * np.sqrt(batch_var)
    return momentum * running_mean + (1 - momentum) * batch_mean, std ** 2
''',
    },
    "batchnorm_inference": {
        "batch statistics at test time": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    mu, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
    return gamma * (Z - mu) / np.sqrt(var + epsilon) + beta
''',
        "divides by the variance": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    return gamma * (Z - running_mean) / (running_var + epsilon) + beta
''',
        "epsilon outside the square root": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    return gamma * (Z - running_mean) / (np.sqrt(running_var) + epsilon) + beta
''',
        "no scale and shift": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    return (Z - running_mean) / np.sqrt(running_var + epsilon)
''',
        "epsilon ignored": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    return gamma * (Z - running_mean) / np.sqrt(running_var) + beta
''',
        "updates Z in place": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    Z -= running_mean
    Z /= np.sqrt(running_var + epsilon)
    return gamma * Z + beta
''',
    },
    "two_example_batch": {
        'epsilon left out (always 1)': '''
def two_example_batch(difference, epsilon):
    half = difference / 2
    return half / np.sqrt(half**2)
''',
        'variance divided by m - 1': '''
def two_example_batch(difference, epsilon):
    half = difference / 2
    return half / np.sqrt(difference**2 / 2 + epsilon)
''',
        'epsilon outside the square root': '''
def two_example_batch(difference, epsilon):
    half = difference / 2
    return half / (np.sqrt(half**2) + epsilon)
''',
        'the whole difference above the mean': '''
def two_example_batch(difference, epsilon):
    half = difference / 2
    return difference / np.sqrt(difference**2 + epsilon)
''',
        'divides by the variance': '''
def two_example_batch(difference, epsilon):
    half = difference / 2
    return half / (half**2 + epsilon)
''',
        'the smaller example (negative)': '''
def two_example_batch(difference, epsilon):
    half = difference / 2
    return -half / np.sqrt(half**2 + epsilon)
''',
    },
    "bn_arrow_gradients": {
        'dvar with the wrong sign': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * 0.5 * s**-3
    dmu = -np.sum(dz_norm) / s
    return dvar, dmu
''',
        'the 1/2 of the arrow var -> Z_norm forgotten': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * -(s**-3)
    dmu = -np.sum(dz_norm) / s
    return dvar, dmu
''',
        's**-2 on the arrow var -> Z_norm': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * -0.5 * s**-2
    dmu = -np.sum(dz_norm) / s
    return dvar, dmu
''',
        'gamma forgotten': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = 1 * dz_tilde
    dvar = np.sum(dz_norm * centred) * -0.5 * s**-3
    dmu = -np.sum(dz_norm) / s
    return dvar, dmu
''',
        'variance divided by m - 1': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / (m - 1))
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * -0.5 * s**-3
    dmu = -np.sum(dz_norm) / s
    return dvar, dmu
''',
        'dmu with the wrong sign': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * -0.5 * s**-3
    dmu = np.sum(dz_norm) / s
    return dvar, dmu
''',
        'the 1/s of the arrow Z - mu -> Z_norm forgotten in dmu': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * -0.5 * s**-3
    dmu = -np.sum(dz_norm)
    return dvar, dmu
''',
        'dmu divided by m': '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, dz_tilde = np.array(z), np.array(dz_tilde)
    m = len(z)
    centred = z - z.mean()
    s = np.sqrt(np.sum(centred**2) / m)
    dz_norm = gamma * dz_tilde
    dvar = np.sum(dz_norm * centred) * -0.5 * s**-3
    dmu = -np.sum(dz_norm) / s / m
    return dvar, dmu
''',
    },
    "predict_tolerant_network": {
        'left unanswered (None)': '''
PREDICTION = None
REASON = ''
''',
        'no reason': '''
PREDICTION = 'batch norm'
REASON = ''
''',
        'a one-word reason': '''
PREDICTION = 'plain'
REASON = 'faster'
''',
        'not one of the options': '''
PREDICTION = 'batchnorm'
REASON = 'it settles where the other one cannot keep up'
''',
        'the prediction in a list': '''
PREDICTION = ['plain']
REASON = 'it settles where the other one cannot keep up'
''',
    },
    "layernorm_forward": {
        "statistics over the batch (axis 1), as batch norm": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var(axis=1, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "variance divided by n - 1": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(np.var(Z, axis=0, ddof=1, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=0, keepdims=True)) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "epsilon outside the square root": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var(axis=0, keepdims=True)) + epsilon
    Z_norm = (Z - Z.mean(axis=0, keepdims=True)) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "mean not subtracted": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    Z_norm = Z / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "statistics over the whole matrix": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var() + epsilon)
    Z_norm = (Z - Z.mean()) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
        "gamma and beta swapped": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=0, keepdims=True)) / std
    return beta * Z_norm + gamma, (Z_norm, gamma, std)
''',
        "no scale and shift": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=0, keepdims=True)) / std
    return Z_norm, (Z_norm, gamma, std)
''',
        "normalizes Z in place": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    if gamma.shape != (Z.shape[0], 1) or beta.shape != (Z.shape[0], 1):
        raise ValueError("gamma and beta must have shape (n, 1)")
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    Z -= Z.mean(axis=0, keepdims=True)
    Z /= std
    return gamma * Z + beta, (Z.copy(), gamma, std)
''',
    },
    "layernorm_backward": {
        "means over the examples (batch norm's backward)": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "dgamma and dbeta summed over the units (axis 0)": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=0, keepdims=True), np.sum(dZ_tilde, axis=0, keepdims=True)
''',
        "mean and variance treated as constants": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    return gamma * dZ_tilde / std, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "variance path missing": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "mean path missing": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "gamma forgotten in dZ": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    d = dZ_tilde
    dZ = (d - d.mean(axis=0, keepdims=True) - Z_norm * (d * Z_norm).mean(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "sums where the means belong (missing 1/n)": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    n = dZ_tilde.shape[0]
    dZ_norm = gamma * dZ_tilde
    dZ = (n * dZ_norm - dZ_norm.sum(axis=0, keepdims=True) - Z_norm * (dZ_norm * Z_norm).sum(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "dgamma and dbeta as means": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / std
    return dZ, np.mean(dZ_tilde * Z_norm, axis=1, keepdims=True), np.mean(dZ_tilde, axis=1, keepdims=True)
''',
    },
    "rmsnorm_forward": {
        "statistics over the batch axis (axis 1)": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.mean(Z ** 2, axis=1, keepdims=True) + epsilon)
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, gamma, rms)
''',
        "centres like layer norm": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    Z_c = Z - Z.mean(axis=0, keepdims=True)
    rms = np.sqrt(np.mean(Z_c ** 2, axis=0, keepdims=True) + epsilon)
    Z_hat = Z_c / rms
    return gamma * Z_hat, (Z_hat, gamma, rms)
''',
        "epsilon outside the square root": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.mean(Z ** 2, axis=0, keepdims=True)) + epsilon
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, gamma, rms)
''',
        "mean square divided by n - 1": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    n = Z.shape[0]
    rms = np.sqrt(np.sum(Z ** 2, axis=0, keepdims=True) / (n - 1) + epsilon)
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, gamma, rms)
''',
        "divides by the standard deviation (np.std)": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.std(Z, axis=0, keepdims=True) ** 2 + epsilon)
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, gamma, rms)
''',
        "no square root": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    ms = np.mean(Z ** 2, axis=0, keepdims=True) + epsilon
    Z_hat = Z / ms
    return gamma * Z_hat, (Z_hat, gamma, np.sqrt(ms))
''',
        "gamma forgotten": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.mean(Z ** 2, axis=0, keepdims=True) + epsilon)
    Z_hat = Z / rms
    return Z_hat, (Z_hat, gamma, rms)
''',
        "one mean square for the whole matrix": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.mean(Z ** 2) + epsilon)
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, gamma, rms * np.ones((1, Z.shape[1])))
''',
        "divides by m instead of n": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.sum(Z ** 2, axis=0, keepdims=True) / Z.shape[1] + epsilon)
    Z_hat = Z / rms
    return gamma * Z_hat, (Z_hat, gamma, rms)
''',
        "normalizes Z in place": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    rms = np.sqrt(np.mean(Z ** 2, axis=0, keepdims=True) + epsilon)
    Z /= rms
    return gamma * Z, (Z.copy(), gamma, rms)
''',
    },
    "rmsnorm_backward": {
        "projection term forgotten (rms treated as a constant)": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    return gamma * dZ_tilde / rms, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "dgamma summed over the units (axis 0)": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - Z_hat * np.mean(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=0, keepdims=True)
''',
        "layer norm's backward (a centring term too)": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - dZ_hat.mean(axis=0, keepdims=True) - Z_hat * np.mean(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "projection summed over the examples (axis 1)": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - Z_hat * np.mean(dZ_hat * Z_hat, axis=1, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "sum where the mean belongs (missing 1/n)": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - Z_hat * np.sum(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "gamma forgotten in dZ": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ = (dZ_tilde - Z_hat * np.mean(dZ_tilde * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "the 1/2 of the square root's derivative missing": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    n = dZ_tilde.shape[0]
    Z = Z_hat * rms
    dZ_hat = gamma * dZ_tilde
    drms = -np.sum(dZ_hat * Z, axis=0, keepdims=True) / rms ** 2
    dq = drms / rms
    return dZ_hat / rms + dq * 2 * Z / n, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "dgamma with Z instead of Z_hat": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - Z_hat * np.mean(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat * rms, axis=1, keepdims=True)
''',
        "returns a dbeta too": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - Z_hat * np.mean(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
    },
}

RIGHT = {
    "batchnorm_forward": {
        "np.mean and np.var, a dict cache": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = np.mean(Z, axis=1, keepdims=True)
    var = np.var(Z, axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + epsilon)
    return gamma * Z_norm + beta, {"Z": Z, "mu": mu, "var": var, "gamma": gamma, "epsilon": epsilon}
''',
        "loops over the units": '''
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    n, m = Z.shape
    Z_tilde = np.empty_like(Z)
    Z_norm = np.empty_like(Z)
    for i in range(n):
        mu = sum(Z[i]) / m
        var = sum((z - mu) ** 2 for z in Z[i]) / m
        Z_norm[i] = (Z[i] - mu) / (var + epsilon) ** 0.5
        Z_tilde[i] = gamma[i, 0] * Z_norm[i] + beta[i, 0]
    return Z_tilde, (Z_norm, gamma, np.sqrt(Z.var(axis=1, keepdims=True) + epsilon))
''',
    },
    "batchnorm_backward": {
        "staged chain rule (through var and mu)": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    Z_centered = Z_norm * std
    dZ_norm = dZ_tilde * gamma
    dvar = np.sum(dZ_norm * Z_centered, axis=1, keepdims=True) * -0.5 * std ** -3
    dmu = np.sum(-dZ_norm / std, axis=1, keepdims=True) + dvar * np.mean(-2 * Z_centered, axis=1, keepdims=True)
    dZ = dZ_norm / std + dvar * 2 * Z_centered / m + dmu / m
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "einsum": '''
def batchnorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m = dZ_tilde.shape[1]
    dgamma = np.einsum("ij,ij->i", dZ_tilde, Z_norm)[:, None]
    dbeta = np.einsum("ij->i", dZ_tilde)[:, None]
    dZ = gamma / (m * std) * (m * dZ_tilde - dbeta - Z_norm * dgamma)
    return dZ, dgamma, dbeta
''',
    },
    "update_running_stats": {
        "written as a step towards the batch": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    running_mean += (1 - momentum) * (batch_mean - running_mean)
    running_var += (1 - momentum) * (batch_var - running_var)
    return running_mean, running_var
''',
        "updates the running statistics in place with out=": '''
def update_running_stats(running_mean, running_var, batch_mean, batch_var, momentum=0.9):
    np.multiply(running_mean, momentum, out=running_mean)
    running_mean += (1 - momentum) * batch_mean
    np.multiply(running_var, momentum, out=running_var)
    running_var += (1 - momentum) * batch_var
    return running_mean, running_var
''',
    },
    "batchnorm_inference": {
        "folded into one scale and shift": '''
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    scale = gamma / np.sqrt(running_var + epsilon)
    return scale * Z + (beta - scale * running_mean)
''',
    },
    "two_example_batch": {
        "with numpy's mean and var on the two values": '''
def two_example_batch(difference, epsilon):
    z = np.array([0.0, difference])
    return float((z[1] - z.mean()) / np.sqrt(z.var() + epsilon))
''',
    },
    "bn_arrow_gradients": {
        "through the library-free backward pass of a (1, 4) row, with a numerical check of dmu": '''
def bn_arrow_gradients(z, dz_tilde, gamma):
    z, g = np.array(z, dtype=float), gamma * np.array(dz_tilde, dtype=float)
    mu, var = z.mean(), z.var()
    dvar = -0.5 * np.sum(g * (z - mu)) * (var ** -1.5)
    dmu = np.sum(-g / np.sqrt(var)) + dvar * np.mean(-2 * (z - mu))
    return dvar, dmu
''',
    },
    "predict_tolerant_network": {
        "the other option, with a reason": '''
PREDICTION = 'plain'
REASON = 'batch norm adds noise from the batch statistics, which a large step amplifies'
''',
    },
    "layernorm_forward": {
        "batch norm of the transpose": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    n = Z.shape[0]
    if np.shape(gamma) != (n, 1) or np.shape(beta) != (n, 1):
        raise ValueError(f"gamma and beta must have shape ({n}, 1)")
    ZT = Z.T
    std = np.sqrt(np.var(ZT, axis=1, keepdims=True) + epsilon)
    Z_norm = ((ZT - np.mean(ZT, axis=1, keepdims=True)) / std).T
    return gamma * Z_norm + beta, {"Z_norm": Z_norm, "gamma": gamma, "std": std.T}
''',
        "loops over the examples": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    n, m = Z.shape
    if gamma.shape != (n, 1) or beta.shape != (n, 1):
        raise ValueError("gamma and beta must be (n, 1)")
    Z_tilde = np.empty_like(Z)
    for j in range(m):
        z = Z[:, j]
        mu = z.sum() / n
        var = ((z - mu) ** 2).sum() / n
        Z_tilde[:, j] = gamma[:, 0] * (z - mu) / np.sqrt(var + epsilon) + beta[:, 0]
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    return Z_tilde, ((Z - Z.mean(axis=0, keepdims=True)) / std, gamma, std)
''',
        "no shape check: gamma and beta broadcast as given": '''
def layernorm_forward(Z, gamma, beta, epsilon=1e-5):
    std = np.sqrt(Z.var(axis=0, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=0, keepdims=True)) / std
    return gamma * Z_norm + beta, (Z_norm, gamma, std)
''',
    },
    "layernorm_backward": {
        "one-line form with means": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=0, keepdims=True) - Z_norm * (dZ_norm * Z_norm).mean(axis=0, keepdims=True)) / std
    return dZ, np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True), np.sum(dZ_tilde, axis=1, keepdims=True)
''',
        "batch norm's backward on the transpose": '''
def layernorm_backward(dZ_tilde, cache):
    Z_norm, gamma, std = cache
    m_units = dZ_tilde.shape[0]
    dZ_norm_T = (gamma * dZ_tilde).T
    Z_norm_T = Z_norm.T
    dZ_T = (m_units * dZ_norm_T - dZ_norm_T.sum(axis=1, keepdims=True)
            - Z_norm_T * (dZ_norm_T * Z_norm_T).sum(axis=1, keepdims=True)) / (m_units * std.T)
    return dZ_T.T, np.einsum("ij,ij->i", dZ_tilde, Z_norm)[:, None], dZ_tilde.sum(axis=1)[:, None]
''',
    },
    "rmsnorm_forward": {
        "einsum and a rsqrt factor": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    inv = 1.0 / np.sqrt(np.einsum("ij,ij->j", Z, Z) / Z.shape[0] + epsilon)
    Z_tilde = gamma * (Z * inv[None, :])
    return Z_tilde, {"Z": Z.copy(), "gamma": gamma, "inv": inv[None, :]}
''',
        "norm over the units divided by sqrt(n)": '''
def rmsnorm_forward(Z, gamma, epsilon=1e-5):
    n = Z.shape[0]
    rms = np.sqrt(np.linalg.norm(Z, axis=0, keepdims=True) ** 2 / n + epsilon)
    return gamma * Z / rms, (Z / rms, gamma, rms)
''',
    },
    "rmsnorm_backward": {
        "one-line projection form": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    dZ_hat = gamma * dZ_tilde
    dZ = (dZ_hat - Z_hat * np.mean(dZ_hat * Z_hat, axis=0, keepdims=True)) / rms
    return dZ, np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
''',
        "the Jacobian of each column": '''
def rmsnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, rms = cache
    n, m = dZ_tilde.shape
    dZ = np.empty_like(dZ_tilde)
    for j in range(m):
        z_hat, r = Z_hat[:, j], rms[0, j]
        jacobian = (np.eye(n) - np.outer(z_hat, z_hat) / n) / r      # d Z_hat / d Z for this column
        dZ[:, j] = jacobian.T @ (gamma[:, 0] * dZ_tilde[:, j])
    return dZ, (dZ_tilde * Z_hat).sum(axis=1)[:, None]
''',
    },
}
