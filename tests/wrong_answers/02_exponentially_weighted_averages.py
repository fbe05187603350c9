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
    "predict_ewa": {
        "no bias: the average of a constant is the constant": '''
def predict_ewa():
    return 10.0, 90
''',
        "the rule of thumb 4.6 / (1 - beta)": '''
def predict_ewa():
    return 6.36, 92
''',
        "the missing weight instead of the average": '''
def predict_ewa():
    return 3.64, 90
''',
        "0.98**50 taken as 1/e": '''
def predict_ewa():
    return 6.32, 90
''',
        "the window instead of the fade": '''
def predict_ewa():
    return 6.36, 20
''',
        "one step early": '''
def predict_ewa():
    return 6.36, 89
''',
        "a string": '''
def predict_ewa():
    return "6.36", 90
''',
    },
}

RIGHT = {
    "predict_ewa": {
        "more decimals": '''
def predict_ewa():
    return 6.3583, 90
''',
        "arithmetic written out, NumPy types": '''
def predict_ewa():
    return np.float64(10 * (1 - 0.98**50)), np.int64(90)
''',
    },
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
