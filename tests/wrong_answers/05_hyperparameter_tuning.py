"""Chapter 5: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "sample_log_uniform": {
        "uniform on the linear scale": '''
def sample_log_uniform(low, high, size, rng):
    return rng.uniform(low, high, size)
''',
        "bounds not logged": '''
def sample_log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(low, high, size)
''',
        "global np.random instead of rng": '''
def sample_log_uniform(low, high, size, rng):
    return 10 ** np.random.uniform(np.log10(low), np.log10(high), size)
''',
        "a new generator inside": '''
def sample_log_uniform(low, high, size, rng):
    rng = np.random.default_rng(0)
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)
''',
        "natural log bounds with 10 **": '''
def sample_log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log(low), np.log(high), size)
''',
        "exponent range hard-coded to [-4, 0]": '''
def sample_log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(-4, 0, size)
''',
        "bounds in the wrong order": '''
def sample_log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(high), np.log10(low), size)
''',
        "returns the exponents": '''
def sample_log_uniform(low, high, size, rng):
    return rng.uniform(np.log10(low), np.log10(high), size)
''',
    },
    "sample_beta": {
        "uniform in beta": '''
def sample_beta(low, high, size, rng):
    return rng.uniform(low, high, size)
''',
        "log-uniform in beta itself": '''
def sample_beta(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)
''',
        "bounds swapped (1 - low first)": '''
def sample_beta(low, high, size, rng):
    r = rng.uniform(np.log10(1 - low), np.log10(1 - high), size)
    return 1 - 10 ** r
''',
        "returns 1 - beta": '''
def sample_beta(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size)
''',
        "global np.random instead of rng": '''
def sample_beta(low, high, size, rng):
    return 1 - 10 ** np.random.uniform(np.log10(1 - high), np.log10(1 - low), size)
''',
        "range hard-coded to [0.9, 0.999]": '''
def sample_beta(low, high, size, rng):
    return 1 - 10 ** rng.uniform(-3, -1, size)
''',
    },
    "random_search": {
        "a new rng for every trial": '''
def random_search(objective, sample_config, n_trials, seed=0):
    trials = []
    for _ in range(n_trials):
        config = sample_config(np.random.default_rng(seed))
        trials.append((config, objective(config)))
    return sorted(trials, key=lambda trial: trial[1])
''',
        "sorted highest first": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    trials = [(config, objective(config)) for config in (sample_config(rng) for _ in range(n_trials))]
    return sorted(trials, key=lambda trial: trial[1], reverse=True)
''',
        "not sorted": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        config = sample_config(rng)
        trials.append((config, objective(config)))
    return trials
''',
        "seed ignored": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng()
    trials = []
    for _ in range(n_trials):
        config = sample_config(rng)
        trials.append((config, objective(config)))
    return sorted(trials, key=lambda trial: trial[1])
''',
        "returns only the best trial": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        config = sample_config(rng)
        trials.append((config, objective(config)))
    return [min(trials, key=lambda trial: trial[1])]
''',
        "(score, config) tuples": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        config = sample_config(rng)
        trials.append((objective(config), config))
    return sorted(trials, key=lambda trial: trial[0])
''',
        "a new rng per trial seeded seed + i": '''
def random_search(objective, sample_config, n_trials, seed=0):
    trials = []
    for i in range(n_trials):
        config = sample_config(np.random.default_rng(seed + i))
        trials.append((config, objective(config)))
    return sorted(trials, key=lambda trial: trial[1])
''',
        "one trial too few": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(1, n_trials):
        config = sample_config(rng)
        trials.append((config, objective(config)))
    return sorted(trials, key=lambda trial: trial[1])
''',
        "objective called twice per trial": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    configs = [sample_config(rng) for _ in range(n_trials)]
    configs.sort(key=objective)
    return [(config, objective(config)) for config in configs]
''',
    },
    "zoom_range": {
        "top_k highest scores": '''
def zoom_range(values, scores, top_k=5):
    best = np.argsort(scores)[::-1][:top_k]
    return float(np.min(np.asarray(values)[best])), float(np.max(np.asarray(values)[best]))
''',
        "the top_k smallest values": '''
def zoom_range(values, scores, top_k=5):
    chosen = np.sort(values)[:top_k]
    return float(chosen.min()), float(chosen.max())
''',
        "best and k-th best value": '''
def zoom_range(values, scores, top_k=5):
    order = np.argsort(scores)[:top_k]
    return float(np.asarray(values)[order[0]]), float(np.asarray(values)[order[-1]])
''',
        "every value": '''
def zoom_range(values, scores, top_k=5):
    return float(np.min(values)), float(np.max(values))
''',
        "top_k + 1 trials": '''
def zoom_range(values, scores, top_k=5):
    chosen = np.asarray(values)[np.argsort(scores)[:top_k + 1]]
    return float(chosen.min()), float(chosen.max())
''',
        "returns indices": '''
def zoom_range(values, scores, top_k=5):
    best = np.argsort(scores)[:top_k]
    return int(best.min()), int(best.max())
''',
        "returns a list": '''
def zoom_range(values, scores, top_k=5):
    chosen = np.asarray(values)[np.argsort(scores)[:top_k]]
    return [float(chosen.min()), float(chosen.max())]
''',
        "sorts the scores in place": '''
def zoom_range(values, scores, top_k=5):
    order = np.argsort(scores)
    scores.sort()
    chosen = np.asarray(values)[order[:top_k]]
    return float(chosen.min()), float(chosen.max())
''',
    },
}

RIGHT = {
    "sample_log_uniform": {
        "natural logarithm and np.exp": '''
def sample_log_uniform(low, high, size, rng):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))
''',
        "rng.random scaled by hand": '''
def sample_log_uniform(low, high, size, rng):
    a, b = np.log10(low), np.log10(high)
    return np.power(10.0, a + (b - a) * rng.random(size))
''',
    },
    "sample_beta": {
        "through a log-uniform sample of 1 - beta": '''
def sample_beta(low, high, size, rng):
    one_minus = np.exp(rng.uniform(np.log(1 - high), np.log(1 - low), size))
    return 1.0 - one_minus
''',
    },
    "random_search": {
        "sample every config first, then score them": '''
def random_search(objective, sample_config, n_trials, seed=0):
    rng = np.random.default_rng(seed)
    configs = [sample_config(rng) for _ in range(n_trials)]
    scores = [objective(c) for c in configs]
    order = np.argsort(scores, kind="stable")
    return [(configs[i], scores[i]) for i in order]
''',
        "list.sort in place with operator.itemgetter": '''
def random_search(objective, sample_config, n_trials, seed=0):
    import operator
    rng = np.random.default_rng(seed)
    trials = []
    while len(trials) < n_trials:
        config = sample_config(rng)
        trials.append((config, float(objective(config))))
    trials.sort(key=operator.itemgetter(1))
    return trials
''',
    },
    "zoom_range": {
        "sorted pairs": '''
def zoom_range(values, scores, top_k=5):
    pairs = sorted(zip(scores, values))[:top_k]
    chosen = [value for _, value in pairs]
    return min(chosen), max(chosen)
''',
        "np.argpartition": '''
def zoom_range(values, scores, top_k=5):
    scores = np.asarray(scores, dtype=float)
    k = min(top_k, scores.size)
    best = np.argpartition(scores, k - 1)[:k]
    chosen = np.asarray(values, dtype=float)[best]
    return chosen.min(), chosen.max()
''',
    },
}
