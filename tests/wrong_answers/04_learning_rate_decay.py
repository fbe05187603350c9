"""Chapter 4: realistic wrong answers (each must fail its graded test) and correct answers written
differently (each must pass)."""

WRONG = {
    "inverse_time_decay": {
        "epochs counted from 1": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * (epoch_num + 1))
''',
        "missing parentheses": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / 1 + decay_rate * epoch_num
''',
        "epoch outside the denominator": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate) * epoch_num
''',
        "float() of the epoch (scalars only)": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * float(epoch_num))
''',
        "the 1 forgotten": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num)
''',
        "a list back for arrays": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    if isinstance(epoch_num, np.ndarray):
        return [learning_rate0 / (1 + decay_rate * e) for e in epoch_num]
    return learning_rate0 / (1 + decay_rate * epoch_num)
''',
    },
    "staircase_decay": {
        "no floor": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)
''',
        "np.round instead of np.floor": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.round(epoch_num / time_interval))
''',
        "np.ceil instead of np.floor": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.ceil(epoch_num / time_interval))
''',
        "math.floor (scalars only)": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    import math
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))
''',
        "time_interval ignored (1000 hard-coded)": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / 1000))
''',
        "steps one epoch late (epoch_num - 1)": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.maximum(0, np.floor((epoch_num - 1) / time_interval)))
''',
        "int() truncation (scalars only)": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * int(epoch_num / time_interval))
''',
    },
    "exponential_decay": {
        "natural exponential exp(-base * t)": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * np.exp(-base * epoch_num)
''',
        "epochs counted from 1": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return base ** (epoch_num + 1) * learning_rate0
''',
        "multiplied instead of raised": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * base * epoch_num
''',
        "base hard-coded to 0.95": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return 0.95 ** epoch_num * learning_rate0
''',
        "math.pow (scalars only)": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    import math
    return math.pow(base, epoch_num) * learning_rate0
''',
    },
    "sqrt_decay": {
        "no check for epochs below 1": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    return k / np.sqrt(epoch_num) * learning_rate0
''',
        "if on the whole array": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if epoch_num < 1:
        raise ValueError(f"epoch_num must be >= 1, got {epoch_num}")
    return k / np.sqrt(epoch_num) * learning_rate0
''',
        "error message without the value": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if np.any(np.asarray(epoch_num) < 1):
        raise ValueError("epoch_num must be at least 1")
    return k / np.sqrt(epoch_num) * learning_rate0
''',
        "rejects epoch 1 too (<= 1)": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if np.any(np.asarray(epoch_num) <= 1):
        raise ValueError(f"epoch_num must be > 1, got {epoch_num}")
    return k / np.sqrt(epoch_num) * learning_rate0
''',
        "epochs counted from 0": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if np.any(np.asarray(epoch_num) < 0):
        raise ValueError(f"epoch_num must be >= 0, got {epoch_num}")
    return k / np.sqrt(epoch_num + 1) * learning_rate0
''',
        "divides by t, not sqrt(t)": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if np.any(np.asarray(epoch_num) < 1):
        raise ValueError(f"epoch_num must be >= 1, got {epoch_num}")
    return k / epoch_num * learning_rate0
''',
        "AssertionError instead of ValueError": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    assert np.all(np.asarray(epoch_num) >= 1), f"epoch_num must be >= 1, got {epoch_num}"
    return k / np.sqrt(epoch_num) * learning_rate0
''',
        "checks only the first element of an array": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    first = np.asarray(epoch_num).flat[0]
    if first < 1:
        raise ValueError(f"epoch_num must be >= 1, got {first}")
    return k / np.sqrt(epoch_num) * learning_rate0
''',
    },
}

RIGHT = {
    "inverse_time_decay": {
        "np.divide on an array copy": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    denominator = 1.0 + decay_rate * np.asarray(epoch_num, dtype=float)
    result = np.divide(learning_rate0, denominator)
    return float(result) if result.ndim == 0 else result
''',
        "np.vectorize of a scalar function": '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    def one(epoch):
        return learning_rate0 / (1 + decay_rate * epoch)
    if np.ndim(epoch_num) == 0:
        return one(epoch_num)
    return np.vectorize(one, otypes=[float])(epoch_num)
''',
    },
    "staircase_decay": {
        "integer division //": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))
''',
        "np.floor_divide": '''
def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    steps = np.floor_divide(epoch_num, time_interval)
    return learning_rate0 / (1.0 + decay_rate * steps)
''',
    },
    "exponential_decay": {
        "np.power": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * np.power(base, epoch_num)
''',
        "exp of a logarithm": '''
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * np.exp(epoch_num * np.log(base))
''',
    },
    "sqrt_decay": {
        "power -0.5 and np.min": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    epochs = np.asarray(epoch_num, dtype=float)
    if epochs.min() < 1:
        raise ValueError(f"epoch_num must be >= 1; {epochs.min():g} is not")
    return learning_rate0 * k * np.power(epoch_num, -0.5)
''',
        "scalar and array paths": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if isinstance(epoch_num, np.ndarray):
        bad = epoch_num[epoch_num < 1]
        if bad.size:
            raise ValueError(f"epochs below 1: {bad.tolist()}")
        return k * learning_rate0 / np.sqrt(epoch_num)
    if epoch_num < 1:
        raise ValueError(f"epoch_num={epoch_num} is below 1")
    return k * learning_rate0 / epoch_num ** 0.5
''',
    },
}
