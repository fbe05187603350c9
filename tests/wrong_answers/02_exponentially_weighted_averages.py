"""Chapter 2: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "ewa": {
        "(1 - beta) factor missing": '''
def ewa(theta, beta):
    v, out = 0.0, []
    for x in theta:
        v = beta * v + x
        out.append(v)
    return np.array(out)
''',
        "beta and 1 - beta swapped": '''
def ewa(theta, beta):
    v, out = 0.0, np.zeros(len(theta))
    for t in range(len(theta)):
        v = (1 - beta) * v + beta * theta[t]
        out[t] = v
    return out
''',
        "starts from v_0 = theta_1": '''
def ewa(theta, beta):
    v, out = theta[0], np.zeros(len(theta))
    for t in range(len(theta)):
        v = beta * v + (1 - beta) * theta[t]
        out[t] = v
    return out
''',
        "returns v_0..v_{T-1} (shifted by one)": '''
def ewa(theta, beta):
    out = np.zeros(len(theta))
    for t in range(1, len(theta)):
        out[t] = beta * out[t - 1] + (1 - beta) * theta[t - 1]
    return out
''',
        "bias-corrected by mistake": '''
def ewa(theta, beta):
    v, out = 0.0, np.zeros(len(theta))
    for t in range(len(theta)):
        v = beta * v + (1 - beta) * theta[t]
        out[t] = v / (1 - beta ** (t + 1))
    return out
''',
        "averages in place in theta": '''
def ewa(theta, beta):
    previous = 0.0
    for t in range(len(theta)):
        theta[t] = beta * previous + (1 - beta) * theta[t]
        previous = theta[t]
    return theta
''',
        "returns a list": '''
def ewa(theta, beta):
    v, out = 0.0, []
    for x in theta:
        v = beta * v + (1 - beta) * x
        out.append(v)
    return out
''',
        "integer output buffer": '''
def ewa(theta, beta):
    out = np.zeros(len(theta), dtype=int)
    v = 0.0
    for t in range(len(theta)):
        v = beta * v + (1 - beta) * theta[t]
        out[t] = v
    return out
''',
        "first value copied: v_1 = theta_1": '''
def ewa(theta, beta):
    out = np.zeros(len(theta))
    out[0] = theta[0]
    for t in range(1, len(theta)):
        out[t] = beta * out[t - 1] + (1 - beta) * theta[t]
    return out
''',
        "returns only the last value v_T": '''
def ewa(theta, beta):
    v = 0.0
    for x in theta:
        v = beta * v + (1 - beta) * x
    return np.float64(v)
''',
    },
    "ewa_bias_corrected": {
        "multiplies by the correction instead of dividing": '''
def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    return v * (1 - beta ** np.arange(1, len(v) + 1))
''',
        "one t = T for every element": '''
def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    return v / (1 - beta ** len(v))
''',
        "beta and 1 - beta swapped in the correction": '''
def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    return v / (1 - (1 - beta) ** np.arange(1, len(v) + 1))
''',
        "no correction": '''
def ewa_bias_corrected(theta, beta):
    return ewa(theta, beta)
''',
        "t counted from 0": '''
def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    return v / (1 - beta ** np.arange(len(v)))
''',
        "divides by (1 - beta)": '''
def ewa_bias_corrected(theta, beta):
    return ewa(theta, beta) / (1 - beta)
''',
        "operator precedence v / 1 - beta**t": '''
def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    t = np.arange(1, len(v) + 1)
    return v / 1 - beta**t
''',
        "corrected value fed back into the recursion": '''
def ewa_bias_corrected(theta, beta):
    v, out = 0.0, np.zeros(len(theta))
    for t in range(1, len(theta) + 1):
        v = (beta * v + (1 - beta) * theta[t - 1]) / (1 - beta**t)
        out[t - 1] = v
    return out
''',
        "exponent t + 1": '''
def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    t = np.arange(1, len(v) + 1)
    return v / (1 - beta ** (t + 1))
''',
    },
}

RIGHT = {
    "ewa": {
        "closed form as a matrix product": '''
def ewa(theta, beta):
    T = len(theta)
    k = np.arange(T)
    weights = np.tril((1 - beta) * float(beta) ** np.clip(k[:, None] - k[None, :], 0, None))
    return weights @ np.asarray(theta, dtype=float)
''',
        "list then np.array, with v_0 kept and dropped": '''
def ewa(theta, beta):
    v = [0.0]
    for x in theta:
        v.append(beta * v[-1] + (1 - beta) * x)
    return np.array(v[1:])
''',
        "copy then overwrite in place": '''
def ewa(theta, beta):
    v = np.array(theta, dtype=float)
    for t in range(len(v)):
        v[t] = (1 - beta) * v[t] + (beta * v[t - 1] if t > 0 else 0.0)
    return v
''',
    },
    "ewa_bias_corrected": {
        "loop with its own recursion": '''
def ewa_bias_corrected(theta, beta):
    v, out = 0.0, np.empty(len(theta))
    for t, x in enumerate(theta, start=1):
        v = beta * v + (1 - beta) * x
        out[t - 1] = v / (1 - beta**t)
    return out
''',
        "np.power and a weighted mean": '''
def ewa_bias_corrected(theta, beta):
    return ewa(theta, beta) / (1 - np.power(float(beta), np.arange(1, len(theta) + 1)))
''',
    },
}

# The derive and predict tasks: each answer is a function of the student's own numbers (`trainfaster.variants`),
# so these are written as formulas; the grader calls them with the numbers of the id it collected.
WRONG.update({
    "predict_ewa": {
        "the constant itself": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    return level, int(np.floor(np.log(1 - 1 / threshold) / np.log(beta2))) + 1
''',
        "the missing part": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    return level * beta**steps, int(np.floor(np.log(1 - 1 / threshold) / np.log(beta2))) + 1
''',
        "one step short": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    return level * (1 - beta**(steps - 1)), int(np.floor(np.log(1 - 1 / threshold) / np.log(beta2))) + 1
''',
        "the rule of thumb for the step": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    return level * (1 - beta**steps), int(np.ceil(np.log(1 - 1 / threshold) / -(1 - beta2)))
''',
        "the window for the step": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    return level * (1 - beta**steps), round(1 / (1 - beta2))
''',
        "the last step above the threshold": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    return level * (1 - beta**steps), int(np.floor(np.log(1 - 1 / threshold) / np.log(beta2)))
''',
    },
    "ewa_noise_factor": {
        "1 - beta (one over the window)": '''
def ewa_noise_factor(noise_beta):
    return 1 - noise_beta, 1 / (1 - noise_beta)
''',
        "only the first squared weight": '''
def ewa_noise_factor(noise_beta):
    return (1 - noise_beta) ** 2, (1 + noise_beta) / (1 - noise_beta)
''',
        "the standard deviation's factor": '''
def ewa_noise_factor(noise_beta):
    f = ((1 - noise_beta) / (1 + noise_beta)) ** 0.5
    return f, (1 + noise_beta) / (1 - noise_beta)
''',
        "(1 - beta)**2 forgotten": '''
def ewa_noise_factor(noise_beta):
    return 1 / (1 - noise_beta**2), (1 + noise_beta) / (1 - noise_beta)
''',
        "the approximation 2 / (1 - beta)": '''
def ewa_noise_factor(noise_beta):
    return (1 - noise_beta) / (1 + noise_beta), 2 / (1 - noise_beta)
''',
        "the variance factor given twice": '''
def ewa_noise_factor(noise_beta):
    f = (1 - noise_beta) / (1 + noise_beta)
    return f, f
''',
    },
})

RIGHT.update({
    "predict_ewa": {
        "a loop for both": '''
def predict_ewa(level, beta, steps, beta2, threshold):
    v = 0.0
    for _ in range(steps):
        v = beta * v + (1 - beta) * level
    t = 1
    while 1 / (1 - beta2**t) >= threshold:
        t += 1
    return v, t
''',
        "math, a float step": '''
import math

def predict_ewa(level, beta, steps, beta2, threshold):
    return level - level * beta**steps, float(math.ceil(math.log(1 - 1 / threshold) / math.log(beta2)))
''',
    },
    "ewa_noise_factor": {
        "the series summed numerically": '''
def ewa_noise_factor(noise_beta):
    k = np.arange(20000)
    factor = np.sum(((1 - noise_beta) * noise_beta**k) ** 2)
    return factor, 1 / factor
''',
        "(1 - beta)**2 / (1 - beta**2)": '''
def ewa_noise_factor(noise_beta):
    return (1 - noise_beta) ** 2 / (1 - noise_beta**2), (1 - noise_beta**2) / (1 - noise_beta) ** 2
''',
    },
})

# The EMA of the weights (issue 24): one step of decay * ema + (1 - decay) * parameters, for every key.
WRONG["ema_of_weights"] = {
    "decay and 1 - decay swapped": '''
def ema_of_weights(ema, parameters, decay):
    return {k: (1 - decay) * ema[k] + decay * parameters[k] for k in parameters}
''',
    "starts from zeros (ignores the ema it is given)": '''
def ema_of_weights(ema, parameters, decay):
    average = {k: np.zeros_like(p) for k, p in parameters.items()}
    return {k: decay * average[k] + (1 - decay) * p for k, p in parameters.items()}
''',
    "bias-corrected by (1 - decay)": '''
def ema_of_weights(ema, parameters, decay):
    return {k: (decay * ema[k] + (1 - decay) * p) / (1 - decay) for k, p in parameters.items()}
''',
    "only the W keys averaged (b kept)": '''
def ema_of_weights(ema, parameters, decay):
    new = dict(ema)
    for k, p in parameters.items():
        if k.startswith("W"):
            new[k] = decay * ema[k] + (1 - decay) * p
    return new
''',
    "only the W keys returned (b dropped)": '''
def ema_of_weights(ema, parameters, decay):
    return {k: decay * ema[k] + (1 - decay) * p for k, p in parameters.items() if k.startswith("W")}
''',
    "(1 - decay) missing": '''
def ema_of_weights(ema, parameters, decay):
    return {k: decay * ema[k] + parameters[k] for k in parameters}
''',
    "decay hard-coded to 0.999": '''
def ema_of_weights(ema, parameters, decay):
    return {k: 0.999 * ema[k] + 0.001 * parameters[k] for k in parameters}
''',
    "keyed like the gradients (dW1)": '''
def ema_of_weights(ema, parameters, decay):
    return {"d" + k: decay * ema[k] + (1 - decay) * p for k, p in parameters.items()}
''',
    "returns the new parameters": '''
def ema_of_weights(ema, parameters, decay):
    for k in ema:
        ema[k] = parameters[k]
    return ema
''',
    "bias-corrected with a step count kept in a global": '''
_t = [0]

def ema_of_weights(ema, parameters, decay):
    _t[0] += 1
    return {k: (decay * ema[k] + (1 - decay) * p) / (1 - decay ** _t[0]) for k, p in parameters.items()}
''',
}
RIGHT["ema_of_weights"] = {
    "in place, torch's lerp form ema += (1 - decay) * (p - ema)": '''
def ema_of_weights(ema, parameters, decay):
    for k, p in parameters.items():
        ema[k] += (1 - decay) * (p - ema[k])
    return ema
''',
    "a loop building a new dict with np.add": '''
def ema_of_weights(ema, parameters, decay):
    new = {}
    for name in sorted(parameters):
        new[name] = np.add(np.multiply(decay, ema[name]), np.multiply(1.0 - decay, parameters[name]))
    return new
''',
    "copy.deepcopy, then update the copy": '''
import copy

def ema_of_weights(ema, parameters, decay):
    average = copy.deepcopy(ema)
    for key in parameters:
        average[key] = average[key] * decay + parameters[key] * (1 - decay)
    return average
''',
}

WRONG["ema_weight_shares"] = {
    "one update short (floor without + 1)": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    return int(np.floor(np.log(first_share) / np.log(ema_decay))), 1 - ema_decay**recent_steps
''',
    "the rule of thumb 1 - decay for -ln(decay)": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    return int(np.ceil(np.log(1 / first_share) / (1 - ema_decay))), 1 - ema_decay**recent_steps
''',
    "the window 1 / (1 - decay)": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    return round(1 / (1 - ema_decay)), 1 - ema_decay**recent_steps
''',
    "the share of the older steps": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    return int(np.floor(np.log(first_share) / np.log(ema_decay))) + 1, ema_decay**recent_steps
''',
    "recent weights added without decay": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    return int(np.floor(np.log(first_share) / np.log(ema_decay))) + 1, min(1.0, recent_steps * (1 - ema_decay))
''',
    "(1 - decay)**n for the start's weight": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    return int(np.floor(np.log(first_share) / np.log(1 - ema_decay))) + 1, 1 - ema_decay**recent_steps
''',
}
RIGHT["ema_weight_shares"] = {
    "a loop for both": '''
def ema_weight_shares(ema_decay, first_share, recent_steps):
    n, weight = 0, 1.0
    while weight >= first_share:
        weight *= ema_decay
        n += 1
    share = sum((1 - ema_decay) * ema_decay**i for i in range(recent_steps))
    return n, share
''',
    "math.ceil of the bound, a float count": '''
import math

def ema_weight_shares(ema_decay, first_share, recent_steps):
    bound = math.log(first_share) / math.log(ema_decay)
    return float(math.floor(bound) + 1), 1.0 - math.exp(recent_steps * math.log(ema_decay))
''',
}
