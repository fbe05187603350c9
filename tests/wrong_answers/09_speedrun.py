"""Known wrong and right answers to the capstone speedrun (see tests/test_wrong_answers.py). The graded cell
defines BATCH_SIZE, speedrun_init and speedrun_step together, so each answer is that whole cell."""

_ADAM_STATE = '''

def speedrun_init(parameters):
    zeros = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return {"v": zeros, "s": {key: value.copy() for key, value in zeros.items()}}
'''

WRONG = {
    "speedrun_step": {
        "climbs the gradient (+ instead of -)": "BATCH_SIZE = 64\n" + _ADAM_STATE + '''

def speedrun_step(parameters, grads, state, t):
    return {k: v + 0.5 * grads["d" + k] for k, v in parameters.items()}, state
''',
        "returns the gradients as the new parameters": "BATCH_SIZE = 64\n" + _ADAM_STATE + '''

def speedrun_step(parameters, grads, state, t):
    return {k: grads["d" + k] for k in parameters}, state
''',
        "a learning rate far too large: the run diverges": "BATCH_SIZE = 64\n" + _ADAM_STATE + '''

def speedrun_step(parameters, grads, state, t):
    return {k: v - 500.0 * grads["d" + k] for k, v in parameters.items()}, state
''',
        "a batch size the rules do not allow": "BATCH_SIZE = 100\n" + _ADAM_STATE + '''

def speedrun_step(parameters, grads, state, t):
    return {k: v - 1.0 * grads["d" + k] for k, v in parameters.items()}, state
''',
    },
}

RIGHT = {
    "speedrun_step": {
        # Adam written differently (state as a tuple, the corrections computed once per step): the course's
        # tuned Adam, so it matches that baseline and earns every point.
        "Adam with the state as a tuple": '''BATCH_SIZE = 64


def speedrun_init(parameters):
    return tuple({"d" + k: np.zeros(v.shape) for k, v in parameters.items()} for _ in range(2))


def speedrun_step(parameters, grads, state, t):
    v, s = state
    rate, b1, b2 = 10 ** (-5 / 3), 0.9, 0.999
    v = {k: b1 * v[k] + (1 - b1) * g for k, g in grads.items()}
    s = {k: b2 * s[k] + (1 - b2) * g ** 2 for k, g in grads.items()}
    c1, c2 = 1 - b1 ** t, 1 - b2 ** t
    new = {k: w - rate * (v["d" + k] / c1) / (np.sqrt(s["d" + k] / c2) + 1e-8) for k, w in parameters.items()}
    return new, (v, s)
''',
    },
}
