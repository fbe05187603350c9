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
        "log10 bounds with np.exp (wrong base)": '''
def sample_log_uniform(low, high, size, rng):
    return np.exp(rng.uniform(np.log10(low), np.log10(high), size))
''',
        "log2 bounds with 10 ** (wrong base)": '''
def sample_log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log2(low), np.log2(high), size)
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
    "successive_halving": {
        "keeps the highest scores": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k], reverse=True)
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "budget not multiplied": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "budget += eta": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget += eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "keeps ceil(n / eta)": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    import math
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:math.ceil(len(survivors) / eta)]]
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "stops when eta or fewer are left": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) <= eta:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "returns only the winner": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    survivors, budget = list(configs), min_budget
    while True:
        scores = [objective(c, budget) for c in survivors]
        if len(survivors) == 1:
            return [(survivors[0], scores[0], budget)]
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget *= eta
''',
        "keeps each config's first score": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last.setdefault(i, (s, budget))
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "result sorted by score only": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = [survivors[k] for k in ranked[:max(1, len(survivors) // eta)]]
        budget *= eta
    order = sorted(last, key=lambda i: last[i][0])
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "survivors kept in their original order": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        ranked = sorted(range(len(survivors)), key=lambda k: scores[k])
        survivors = sorted(survivors[k] for k in ranked[:max(1, len(survivors) // eta)])
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "ties broken by config index": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
        if len(survivors) == 1:
            break
        survivors = [i for _, i in sorted(zip(scores, survivors))][:max(1, len(survivors) // eta)]
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
        "sorts (score, config) pairs": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    last, survivors, budget = {}, list(configs), min_budget
    results = []
    while True:
        scored = sorted((objective(c, budget), c) for c in survivors)
        if len(survivors) == 1:
            break
        results = [(c, s, budget) for s, c in scored[max(1, len(survivors) // eta):]] + results
        survivors = [c for _, c in scored[:max(1, len(survivors) // eta)]]
        budget *= eta
    return [(c, s, budget) for s, c in scored] + results
''',
        "ranks by the round-0 scores": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    first, last, survivors, budget = {}, {}, list(range(len(configs))), min_budget
    while True:
        scores = [objective(configs[i], budget) for i in survivors]
        for i, s in zip(survivors, scores):
            last[i] = (s, budget)
            first.setdefault(i, s)
        if len(survivors) == 1:
            break
        survivors = sorted(survivors, key=lambda i: first[i])[:max(1, len(survivors) // eta)]
        budget *= eta
    order = sorted(last, key=lambda i: (-last[i][1], last[i][0]))
    return [(configs[i], last[i][0], last[i][1]) for i in order]
''',
    },
    "expected_improvement": {
        "maximization sign (mu - best)": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    gain = mu - best
    z = gain / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, gain * norm.cdf(z) + sigma * norm.pdf(z), np.maximum(gain, 0.0))
""",
        "sigma == 0 not handled (nan at mu == best)": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = (best - mu) / sigma
    return (best - mu) * norm.cdf(z) + sigma * norm.pdf(z)
""",
        "sigma == 0 gives 0": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    safe = np.where(sigma > 0, sigma, 1.0)
    z = (best - mu) / safe
    return np.where(sigma > 0, (best - mu) * norm.cdf(z) + sigma * norm.pdf(z), 0.0)
""",
        "sigma == 0 gives best - mu, unclipped": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    safe = np.where(sigma > 0, sigma, 1.0)
    z = (best - mu) / safe
    return np.where(sigma > 0, (best - mu) * norm.cdf(z) + sigma * norm.pdf(z), best - mu)
""",
        "density and CDF swapped": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    safe = np.where(sigma > 0, sigma, 1.0)
    z = (best - mu) / safe
    return np.where(sigma > 0, (best - mu) * norm.pdf(z) + sigma * norm.cdf(z), np.maximum(best - mu, 0.0))
""",
        "the sigma * phi(z) term forgotten": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    safe = np.where(sigma > 0, sigma, 1.0)
    z = (best - mu) / safe
    return np.where(sigma > 0, (best - mu) * norm.cdf(z), np.maximum(best - mu, 0.0))
""",
        "no ValueError for a negative sigma": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    safe = np.where(sigma > 0, sigma, 1.0)
    z = (best - mu) / safe
    return np.where(sigma > 0, (best - mu) * norm.cdf(z) + sigma * norm.pdf(z), np.maximum(best - mu, 0.0))
""",
        "z not divided by sigma": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = best - mu
    return np.where(sigma > 0, (best - mu) * norm.cdf(z) + sigma * norm.pdf(z), np.maximum(best - mu, 0.0))
""",
        "the probability of improvement Phi(z) returned": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = (best - mu) / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, norm.cdf(z), np.maximum(best - mu, 0.0))
""",
        "Phi as (1 + erf(z)) / 2, without sqrt(2)": """
import math

def expected_improvement(mu, sigma, best):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = (best - mu) / np.where(sigma > 0, sigma, 1.0)
    Phi = 0.5 * (1 + np.vectorize(math.erf, otypes=[float])(z))
    phi = np.exp(-z**2 / 2) / math.sqrt(2 * math.pi)
    return np.where(sigma > 0, (best - mu) * Phi + sigma * phi, np.maximum(best - mu, 0.0))
""",
        "phi without 1 / sqrt(2 pi)": """
import math

def expected_improvement(mu, sigma, best):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = (best - mu) / np.where(sigma > 0, sigma, 1.0)
    Phi = 0.5 * (1 + np.vectorize(math.erf, otypes=[float])(z / math.sqrt(2)))
    phi = np.exp(-z**2 / 2)
    return np.where(sigma > 0, (best - mu) * Phi + sigma * phi, np.maximum(best - mu, 0.0))
""",
        "if sigma == 0 on an array": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    if sigma == 0:
        return np.maximum(best - mu, 0.0)
    z = (best - mu) / sigma
    return (best - mu) * norm.cdf(z) + sigma * norm.pdf(z)
""",
        "item assignment that fails on a single number": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    if np.any(np.asarray(sigma) < 0):
        raise ValueError("sigma must be >= 0")
    gain = best - mu
    ei = np.maximum(gain, 0.0)
    up = sigma > 0
    z = gain[up] / sigma[up]
    ei[up] = gain[up] * norm.cdf(z) + sigma[up] * norm.pdf(z)
    return ei
""",
        "the gain clipped at 0 before the formula": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    gain = np.maximum(best - mu, 0.0)
    z = gain / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, gain * norm.cdf(z) + sigma * norm.pdf(z), gain)
""",
        "z = (mu - best) / sigma with the gain best - mu": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = (mu - best) / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, (best - mu) * norm.cdf(z) + sigma * norm.pdf(z), np.maximum(best - mu, 0.0))
""",
        "math.erf on a whole array": """
import math

def expected_improvement(mu, sigma, best):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    z = (best - mu) / np.where(sigma > 0, sigma, 1.0)
    Phi = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    phi = np.exp(-z**2 / 2) / math.sqrt(2 * math.pi)
    return np.where(sigma > 0, (best - mu) * Phi + sigma * phi, np.maximum(best - mu, 0.0))
""",
        "sigma == 0 replaced in place": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    if np.any(np.asarray(sigma) < 0):
        raise ValueError("sigma must be >= 0")
    certain = np.asarray(sigma) == 0
    if isinstance(sigma, np.ndarray):
        sigma[certain] = 1.0
    else:
        sigma = np.where(certain, 1.0, sigma)
    z = (best - mu) / sigma
    return np.where(certain, np.maximum(best - mu, 0.0), (best - mu) * norm.cdf(z) + sigma * norm.pdf(z))
""",
        "the variance used as the standard deviation": """
def expected_improvement(mu, sigma, best):
    from scipy.stats import norm
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if np.any(sigma < 0):
        raise ValueError("sigma must be >= 0")
    variance = sigma**2
    z = (best - mu) / np.where(sigma > 0, variance, 1.0)
    return np.where(sigma > 0, (best - mu) * norm.cdf(z) + variance * norm.pdf(z), np.maximum(best - mu, 0.0))
""",
    },
    "safe_bet_or_long_shot": {
        "maximization sign (mu - best)": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math

    def ei(mu, sigma):
        Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
        phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        z = (mu - best) / sigma
        return (mu - best) * Phi(z) + sigma * phi(z)
    return ei(mu_a, sigma_a), ei(mu_b, sigma_b)
""",
        "the sigma * phi(z) term forgotten": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math

    def ei(mu, sigma):
        Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
        phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        z = (best - mu) / sigma
        return (best - mu) * Phi(z)
    return ei(mu_a, sigma_a), ei(mu_b, sigma_b)
""",
        "the probability of improvement Phi(z)": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math

    def ei(mu, sigma):
        Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
        phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        return Phi((best - mu) / sigma)
    return ei(mu_a, sigma_a), ei(mu_b, sigma_b)
""",
        "density and CDF swapped": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math

    def ei(mu, sigma):
        Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
        phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        z = (best - mu) / sigma
        return (best - mu) * phi(z) + sigma * Phi(z)
    return ei(mu_a, sigma_a), ei(mu_b, sigma_b)
""",
        "z not divided by sigma": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math

    def ei(mu, sigma):
        Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
        phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        z = best - mu
        return (best - mu) * Phi(z) + sigma * phi(z)
    return ei(mu_a, sigma_a), ei(mu_b, sigma_b)
""",
        "uncertainty ignored (max(best - mu, 0))": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math

    def ei(mu, sigma):
        return max(best - mu, 0.0)
    return ei(mu_a, sigma_a), ei(mu_b, sigma_b)
""",
    },
    "predict_halving": {
        'round 0 not counted': '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    budgets = [min_budget * eta**r for r in range(len(counts))]
    total = sum(n * b for n, b in zip(counts, budgets))
    return len(counts) - 1, total, total // budgets[-1]
''',
        "round 0's cost in every round": '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    budgets = [min_budget * eta**r for r in range(len(counts))]
    total = counts[0] * min_budget * len(counts)
    return len(counts), total, total // budgets[-1]
''',
        'equal numbers instead of equal cost': '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    budgets = [min_budget * eta**r for r in range(len(counts))]
    total = sum(n * b for n, b in zip(counts, budgets))
    return len(counts), total, n_configs
''',
        "the winner's run only": '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    budgets = [min_budget * eta**r for r in range(len(counts))]
    total = budgets[-1]
    return len(counts), total, total // budgets[-1]
''',
        "equal cost counted at min_budget, not at the winner's budget": '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    budgets = [min_budget * eta**r for r in range(len(counts))]
    total = sum(n * b for n, b in zip(counts, budgets))
    return len(counts), total, total // min_budget
''',
        'survivors rounded up (ceil)': '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(-(-counts[-1] // eta))
    budgets = [min_budget * eta**r for r in range(len(counts))]
    total = sum(n * b for n, b in zip(counts, budgets))
    return len(counts), total, total // budgets[-1]
''',
        'budget grows by min_budget, not by a factor eta': '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    budgets = [min_budget * (r + 1) for r in range(len(counts))]
    total = sum(n * b for n, b in zip(counts, budgets))
    return len(counts), total, total // budgets[-1]
''',
    },
    "random_search_hits": {
        'probability that every trial misses': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = (1 - x) ** n_trials
    trials_needed = math.ceil(math.log(1 - confidence) / math.log(1 - x))
    return probability, trials_needed
''',
        'chances added (n x)': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = n_trials * x
    trials_needed = math.ceil(math.log(1 - confidence) / math.log(1 - x))
    return probability, trials_needed
''',
        'the probability of exactly one hit': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = n_trials * x * (1 - x) ** (n_trials - 1)
    trials_needed = math.ceil(math.log(1 - confidence) / math.log(1 - x))
    return probability, trials_needed
''',
    'trials needed not rounded up': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = 1 - (1 - x) ** n_trials
    trials_needed = math.log(1 - confidence) / math.log(1 - x)
    return probability, trials_needed
''',
        'trials needed rounded down': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = 1 - (1 - x) ** n_trials
    trials_needed = math.floor(math.log(1 - confidence) / math.log(1 - x))
    return probability, trials_needed
''',
        'ln(1 - x) taken as -x': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = 1 - (1 - x) ** n_trials
    trials_needed = math.ceil(-math.log(1 - confidence) / x)
    return probability, trials_needed
''',
        'percent used as a fraction': '''
def random_search_hits(n_trials, top_percent, confidence):
    import math
    x = top_percent / 100
    probability = 1 - (1 - top_percent) ** n_trials
    trials_needed = math.ceil(math.log(1 - confidence) / math.log(1 - top_percent / 100))
    return probability, trials_needed
''',
    },
    "predict_search_winner": {
        'left unanswered (None)': '''
PREDICTION = None
REASON = ''
''',
        'no reason': '''
PREDICTION = 'random search'
REASON = ''
''',
        'a one-word reason': '''
PREDICTION = 'successive halving'
REASON = 'faster'
''',
        'not one of the options': '''
PREDICTION = 'halving'
REASON = 'it settles where the other one cannot keep up'
''',
        'the prediction in a list': '''
PREDICTION = ['successive halving']
REASON = 'it settles where the other one cannot keep up'
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
    "successive_halving": {
        "np.argsort(kind='stable') and a list of rounds": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    rounds, index, budget = [], np.arange(len(configs)), min_budget
    while True:
        scores = np.array([objective(configs[i], budget) for i in index], dtype=float)
        rounds.append((budget, index, scores))
        if index.size == 1:
            break
        index = index[np.argsort(scores, kind="stable")[:max(1, index.size // eta)]]
        budget = budget * eta
    final = {}
    for budget, index, scores in rounds:
        for i, s in zip(index, scores):
            final[int(i)] = (float(s), budget)
    ranked = sorted(final.items(), key=lambda item: (-item[1][1], item[1][0]))
    return [(configs[i], s, b) for i, (s, b) in ranked]
''',
        "recursive": '''
def successive_halving(objective, configs, min_budget=1, eta=3):
    def run(indices, budget, last):
        scores = [objective(configs[i], budget) for i in indices]
        for i, s in zip(indices, scores):
            last[i] = (s, budget)
        if len(indices) == 1:
            return last
        keep = max(1, len(indices) // eta)
        ranked = [i for _, _, i in sorted((s, position, i) for position, (s, i) in enumerate(zip(scores, indices)))]
        return run(ranked[:keep], budget * eta, last)

    last = run(list(range(len(configs))), min_budget, {})
    return [(configs[i], *last[i]) for i in sorted(last, key=lambda i: (-last[i][1], last[i][0]))]
''',
    },
    "expected_improvement": {
        "scipy.stats.norm with np.divide(where=)": """
from scipy.stats import norm

def expected_improvement(mu, sigma, best):
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    if (sigma < 0).any():
        raise ValueError(f"negative sigma: {sigma[sigma < 0]}")
    improvement = best - mu
    z = np.divide(improvement, sigma, out=np.zeros_like(improvement), where=sigma > 0)
    ei = improvement * norm.cdf(z) + sigma * norm.pdf(z)
    return np.where(sigma == 0, np.maximum(improvement, 0), ei)
""",
        "math.erf in a loop over the entries": """
import math

def expected_improvement(mu, sigma, best):
    mu_a, sigma_a = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    out = np.empty(mu_a.shape)
    for index in np.ndindex(mu_a.shape):
        m, s = float(mu_a[index]), float(sigma_a[index])
        if s < 0:
            raise ValueError("sigma must not be negative")
        if s == 0:
            out[index] = max(best - m, 0.0)
        else:
            z = (best - m) / s
            cdf = 0.5 * (1 + math.erf(z / math.sqrt(2)))
            pdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
            out[index] = (best - m) * cdf + s * pdf
    return out
""",
        "scipy.special.ndtr, a Python float for numbers": """
from scipy.special import ndtr

def expected_improvement(mu, sigma, best):
    if np.min(sigma) < 0:
        raise ValueError("sigma < 0")
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (best - mu) / sigma
        ei = (best - mu) * ndtr(z) + sigma * np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    ei = np.where(sigma > 0, ei, np.clip(best - mu, 0, None))
    return float(ei) if ei.ndim == 0 else ei
""",
    },
    "safe_bet_or_long_shot": {
        "scipy.stats.norm": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    from scipy.stats import norm
    z_a, z_b = (best - mu_a) / sigma_a, (best - mu_b) / sigma_b
    return (float((best - mu_a) * norm.cdf(z_a) + sigma_a * norm.pdf(z_a)),
            float((best - mu_b) * norm.cdf(z_b) + sigma_b * norm.pdf(z_b)))
""",
        "math.erfc, as a list": """
def safe_bet_or_long_shot(best, mu_a, sigma_a, mu_b, sigma_b):
    import math
    out = []
    for mu, sigma in [(mu_a, sigma_a), (mu_b, sigma_b)]:
        z = (best - mu) / sigma
        out.append((best - mu) * 0.5 * math.erfc(-z / math.sqrt(2)) + sigma * math.exp(-z * z / 2) / math.sqrt(2 * math.pi))
    return out
""",
    },
    "predict_halving": {
        "the rounds simulated with a list of survivors": '''
def predict_halving(n_configs, eta, min_budget):
    survivors, budget, rounds, total = list(range(n_configs)), min_budget, 0, 0
    while True:
        rounds, total = rounds + 1, total + len(survivors) * budget
        if len(survivors) == 1:
            break
        survivors, budget = survivors[:max(1, len(survivors) // eta)], budget * eta
    return rounds, total, total // budget
''',
        "numpy integers and a float that is whole": '''
def predict_halving(n_configs, eta, min_budget):
    counts = [n_configs]
    while counts[-1] > 1:
        counts.append(max(1, counts[-1] // eta))
    total = np.sum([n * min_budget * eta**r for r, n in enumerate(counts)])
    return np.int64(len(counts)), float(total), np.int64(total // (min_budget * eta ** (len(counts) - 1)))
''',
    },
    "random_search_hits": {
        "with numpy and a loop for the trials": '''
def random_search_hits(n_trials, top_percent, confidence):
    miss = 1 - top_percent / 100
    n = 1
    while 1 - miss**n < confidence:
        n += 1
    return float(1 - np.power(miss, n_trials)), n
''',
    },
    "predict_search_winner": {
        "the other option, with a reason": '''
PREDICTION = 'random search'
REASON = 'an epoch or three is too noisy to rank the learning rates, so halving may drop the best one early'
''',
    },
}
