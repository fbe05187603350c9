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
        "k ignored": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if np.any(np.asarray(epoch_num) < 1):
        raise ValueError(f"epoch_num must be >= 1, got {epoch_num}")
    return learning_rate0 / np.sqrt(epoch_num)
''',
        "k multiplies the epoch (k * t under the root)": '''
def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    if np.any(np.asarray(epoch_num) < 1):
        raise ValueError(f"epoch_num must be >= 1, got {epoch_num}")
    return learning_rate0 / np.sqrt(k * epoch_num)
''',
    },
    "cosine_decay": {
        "a whole period (2 pi)": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(2 * np.pi * epoch_num / num_epochs))
''',
        "degrees (180 instead of pi)": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(180 * epoch_num / num_epochs))
''',
        "no factor 0.5": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epoch_num / num_epochs))
''',
        "1 - cos (rises)": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 - np.cos(np.pi * epoch_num / num_epochs))
''',
        "learning_rate_min ignored": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return 0.5 * learning_rate0 * (1 + np.cos(np.pi * epoch_num / num_epochs))
''',
        "learning_rate0 not reduced by learning_rate_min": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + 0.5 * learning_rate0 * (1 + np.cos(np.pi * epoch_num / num_epochs))
''',
        "divides by num_epochs - 1": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs > num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epoch_num / (num_epochs - 1)))
''',
        "no range check": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epoch_num / num_epochs))
''',
        "rejects the last epoch (>= num_epochs)": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any((epochs < 0) | (epochs >= num_epochs)):
        raise ValueError(f"epoch_num must be in [0, {num_epochs}), got {epoch_num}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epoch_num / num_epochs))
''',
        "math.cos (scalars only)": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    import math
    if epoch_num < 0 or epoch_num > num_epochs:
        raise ValueError(f"epoch_num must be in [0, {num_epochs}], got {epoch_num}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + math.cos(math.pi * epoch_num / num_epochs))
''',
        "checks only the upper end": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num)
    if np.any(epochs > num_epochs):
        raise ValueError(f"epoch_num must be at most {num_epochs}, got {epochs.max()}")
    return learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epoch_num / num_epochs))
''',
    },
    "linear_warmup": {
        "off by one: step / warmup_steps": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1 or np.any(np.asarray(step) < 0):
        raise ValueError(f"bad warmup_steps={warmup_steps} or step={step}")
    return learning_rate * np.minimum(1.0, step / warmup_steps)
''',
        "no cap at 1": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1 or np.any(np.asarray(step) < 0):
        raise ValueError(f"bad warmup_steps={warmup_steps} or step={step}")
    return learning_rate * (step + 1) / warmup_steps
''',
        "min() instead of np.minimum": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1 or np.any(np.asarray(step) < 0):
        raise ValueError(f"bad warmup_steps={warmup_steps} or step={step}")
    return learning_rate * min(1.0, (step + 1) / warmup_steps)
''',
        "(step + 1) / (warmup_steps + 1)": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1 or np.any(np.asarray(step) < 0):
        raise ValueError(f"bad warmup_steps={warmup_steps} or step={step}")
    return learning_rate * np.minimum(1.0, (step + 1) / (warmup_steps + 1))
''',
        "returns the factor only": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1 or np.any(np.asarray(step) < 0):
        raise ValueError(f"bad warmup_steps={warmup_steps} or step={step}")
    return np.minimum(1.0, (step + 1) / warmup_steps)
''',
        "no check of warmup_steps": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if np.any(np.asarray(step) < 0):
        raise ValueError(f"step must be >= 0, got {step}")
    return learning_rate * np.minimum(1.0, (step + 1) / warmup_steps)
''',
        "no check of negative steps": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1:
        raise ValueError(f"warmup_steps must be >= 1, got {warmup_steps}")
    return learning_rate * np.minimum(1.0, (step + 1) / warmup_steps)
''',
        "step / (warmup_steps - 1)": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1 or np.any(np.asarray(step) < 0):
        raise ValueError(f"bad warmup_steps={warmup_steps} or step={step}")
    return learning_rate * np.minimum(1.0, step / max(warmup_steps - 1, 1))
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
    "cosine_decay": {
        "np.cos of an array copy, float() for scalars": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    epochs = np.asarray(epoch_num, dtype=float)
    bad = epochs[(epochs < 0) | (epochs > num_epochs)]
    if bad.size:
        raise ValueError(f"epoch {bad[0]:g} is outside [0, {num_epochs}]")
    rate = learning_rate_min + (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epochs / num_epochs)) / 2
    return float(rate) if rate.ndim == 0 else rate
''',
        "cos squared of half the angle": '''
def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    if np.min(epoch_num) < 0 or np.max(epoch_num) > num_epochs:
        low, high = np.min(epoch_num), np.max(epoch_num)
        raise ValueError(f"epochs must lie in [0, {num_epochs}], got {low if low < 0 else high}")
    return learning_rate_min + (learning_rate0 - learning_rate_min) * np.cos(np.pi * epoch_num / (2 * num_epochs)) ** 2
''',
    },
    "linear_warmup": {
        "np.clip of the factor": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1:
        raise ValueError(f"warmup_steps must be at least 1, got {warmup_steps}")
    steps = np.asarray(step, dtype=float)
    if (steps < 0).any():
        raise ValueError(f"steps start at 0, got {steps.min():g}")
    factor = np.clip((steps + 1) / warmup_steps, None, 1.0)
    return learning_rate * (float(factor) if factor.ndim == 0 else factor)
''',
        "np.where": '''
def linear_warmup(learning_rate, step, warmup_steps):
    if warmup_steps < 1:
        raise ValueError(f"warmup_steps={warmup_steps} < 1")
    if np.any(np.asarray(step) < 0):
        raise ValueError(f"negative step: {np.min(step)}")
    return np.where(np.asarray(step) + 1 >= warmup_steps, learning_rate, learning_rate * (np.asarray(step) + 1) / warmup_steps) * 1.0 if np.ndim(step) else (learning_rate if step + 1 >= warmup_steps else learning_rate * (step + 1) / warmup_steps)
''',
    },
}

# The derive and predict tasks: each answer is a function of the student's own numbers (`trainfaster.variants`),
# so these are written as formulas; the grader calls them with the numbers of the id it collected.
WRONG.update({
    "predict_schedules": {
        "epoch num_epochs, one past the end": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / (1 + num_epochs), 1 / (num_epochs - 1), 1 / warmup_steps
''',
        "halves at epoch num_epochs": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / num_epochs, 1 / num_epochs, 1 / warmup_steps
''',
        "decay_rate 0.5": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / num_epochs, 0.5, 1 / warmup_steps
''',
        "Adam's step without warmup": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / num_epochs, 1 / (num_epochs - 1), 1.0
''',
        "1 - beta1 kept in Adam's first step": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / num_epochs, 1 / (num_epochs - 1), 0.1 / warmup_steps
''',
        "warmup's first factor 1 / (W + 1)": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / num_epochs, 1 / (num_epochs - 1), 1 / (warmup_steps + 1)
''',
        "two numbers instead of three": '''
def predict_schedules(num_epochs, warmup_steps):
    return 1 / num_epochs, 1 / (num_epochs - 1)
''',
    },
    "schedule_reach": {
        "the geometric series from epoch 1": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 * base / (1 - base), 1 - learning_rate0 / distance, (np.exp(decay_rate / (1 - base)) - 1) / decay_rate
''',
        "learning_rate0 forgotten": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return 1 / (1 - base), 1 - learning_rate0 / distance, (np.exp(decay_rate / (1 - base)) - 1) / decay_rate
''',
        "1 - base instead of base": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 / (1 - base), learning_rate0 / distance, (np.exp(decay_rate / (1 - base)) - 1) / decay_rate
''',
        "learning_rate0 and distance swapped": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 / (1 - base), 1 - distance / learning_rate0, (np.exp(decay_rate / (1 - base)) - 1) / decay_rate
''',
        "inverse time taken as a constant rate": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 / (1 - base), 1 - learning_rate0 / distance, 1 / (1 - base)
''',
        "divided by decay_rate instead of solving the logarithm": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 / (1 - base), 1 - learning_rate0 / distance, 1 / ((1 - base) * decay_rate)
''',
        # graded wrong for every id (14 % to 60 % above the answer; the tolerance is 8 %); named where it lies more
        # than 5 tolerances away (tests/test_derive_tasks.py), generic elsewhere
        "forgot the -1 of (e**x - 1) / decay_rate": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 / (1 - base), 1 - learning_rate0 / distance, np.exp(decay_rate / (1 - base)) / decay_rate
''',
    },
    "predict_highest_final_cost": {
        "no reason": '''
PREDICTION = "inverse time"
REASON = ""
''',
        "a label with its setting": '''
PREDICTION = "inverse time (decay_rate 1)"
REASON = "its rate is tiny long before the end of the run"
''',
        "a number": '''
PREDICTION = 2
REASON = "its rate is tiny long before the end of the run"
''',
    },
})

RIGHT.update({
    "predict_schedules": {
        "decimals to 4 significant digits": '''
def predict_schedules(num_epochs, warmup_steps):
    return float(f"{1 / num_epochs:.4g}"), float(f"{1 / (num_epochs - 1):.4g}"), float(f"{1 / warmup_steps:.4g}")
''',
        "a list, NumPy": '''
def predict_schedules(num_epochs, warmup_steps):
    return [np.float64(1) / num_epochs, 1 / np.float64(num_epochs - 1), np.float64(1) / warmup_steps]
''',
    },
    "schedule_reach": {
        "the exact sum by a loop": '''
def schedule_reach(learning_rate0, base, decay_rate, distance):
    total, T = 0.0, 0
    while total < learning_rate0 / (1 - base):
        total += learning_rate0 / (1 + decay_rate * T)
        T += 1
    return learning_rate0 / (1 - base), 1 - learning_rate0 / distance, T
''',
        "the integral rounded up": '''
import math

def schedule_reach(learning_rate0, base, decay_rate, distance):
    return learning_rate0 / (1 - base), (distance - learning_rate0) / distance, math.ceil(math.expm1(decay_rate / (1 - base)) / decay_rate)
''',
    },
    "predict_highest_final_cost": {
        "another prediction, committed with a reason": '''
PREDICTION = "fixed rate"
REASON = "it never slows down, so it keeps bouncing around the minimum"
''',
    },
})

# Warmup-stable-decay (issue 24).
_WSD_CHECKS = '''
    if decay_steps < 1:
        raise ValueError(f"decay_steps must be >= 1, got {decay_steps}")
    if warmup_steps + decay_steps > total_steps:
        raise ValueError(f"{warmup_steps} + {decay_steps} > {total_steps}")
    s = np.asarray(step, dtype=float)
    if np.any((s < 0) | (s >= total_steps)):
        raise ValueError(f"step out of range: {s[(s < 0) | (s >= total_steps)].flat[0]:g}")
'''


def _wsd(body, checks=_WSD_CHECKS):
    return "\ndef wsd_schedule(learning_rate, step, total_steps, warmup_steps, decay_steps):" + checks + body


WRONG["wsd_schedule"] = {
    "off-by-one warmup: step / warmup_steps": _wsd('''
    warm = learning_rate * s / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "warmup over warmup_steps + 1": _wsd('''
    warm = learning_rate * (s + 1) / (warmup_steps + 1)
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "decays to 0 at the last step": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - 1 - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "decay from 1 to 0 over decay_steps - 1": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - 1 - s) / max(decay_steps - 1, 1)
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "decay starts at step decay_steps": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < decay_steps, learning_rate, decay)) * 1.0
'''),
    "no stable phase (decays right after the warmup)": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    return np.where(s < warmup_steps, warm, learning_rate * (total_steps - s) / (total_steps - warmup_steps)) * 1.0
'''),
    "no ValueError for decay_steps < 1": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - s) / decay_steps if decay_steps else 0 * s
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
''', checks='''
    if warmup_steps + decay_steps > total_steps:
        raise ValueError(f"{warmup_steps} + {decay_steps} > {total_steps}")
    s = np.asarray(step, dtype=float)
    if np.any((s < 0) | (s >= total_steps)):
        raise ValueError(f"step out of range: {s[(s < 0) | (s >= total_steps)].flat[0]:g}")
'''),
    "no ValueError for steps outside the run": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
''', checks='''
    if decay_steps < 1:
        raise ValueError(f"decay_steps must be >= 1, got {decay_steps}")
    if warmup_steps + decay_steps > total_steps:
        raise ValueError(f"{warmup_steps} + {decay_steps} > {total_steps}")
    s = np.asarray(step, dtype=float)
'''),
    "no ValueError when the phases do not fit": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
''', checks='''
    if decay_steps < 1:
        raise ValueError(f"decay_steps must be >= 1, got {decay_steps}")
    s = np.asarray(step, dtype=float)
    if np.any((s < 0) | (s >= total_steps)):
        raise ValueError(f"step out of range: {s[(s < 0) | (s >= total_steps)].flat[0]:g}")
'''),
    "divides by warmup_steps = 0": _wsd('''
    warm = learning_rate * (step + 1) / warmup_steps
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "an if on the step (scalars only)": _wsd('''
    if step < warmup_steps:
        return learning_rate * (step + 1) / warmup_steps
    if step < total_steps - decay_steps:
        return float(learning_rate)
    return learning_rate * (total_steps - step) / decay_steps
'''),
    "learning_rate forgotten in the decay": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = (total_steps - s) / decay_steps
    return np.where(s < warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "the warmup includes step warmup_steps (s <= warmup_steps)": _wsd('''
    warm = learning_rate * (s + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - s) / decay_steps
    return np.where(s <= warmup_steps, warm, np.where(s < total_steps - decay_steps, learning_rate, decay)) * 1.0
'''),
    "np.minimum of the two ramps without the cap at 1": _wsd('''
    return learning_rate * np.minimum((s + 1) / max(warmup_steps, 1), (total_steps - s) / decay_steps)
'''),
}
RIGHT["wsd_schedule"] = {
    "np.select and a float for a scalar": _wsd('''
    rate = np.select([s < warmup_steps, s < total_steps - decay_steps],
                     [learning_rate * (s + 1) / max(warmup_steps, 1), np.full(s.shape, float(learning_rate))],
                     learning_rate * (total_steps - s) / decay_steps)
    return float(rate) if np.ndim(step) == 0 else rate
'''),
    "np.minimum of warmup and decay (0-d array for a scalar)": _wsd('''
    up = (s + 1) / warmup_steps if warmup_steps > 0 else np.ones_like(s)
    down = (total_steps - s) / decay_steps
    return learning_rate * np.minimum(np.minimum(up, 1.0), np.minimum(down, 1.0))
'''),
    "a loop over the steps with np.vectorize-free if/elif": _wsd('''
    out = np.empty(s.shape)
    for index, value in np.ndenumerate(s):
        if value < warmup_steps:
            out[index] = learning_rate * (value + 1) / warmup_steps
        elif value < total_steps - decay_steps:
            out[index] = learning_rate
        else:
            out[index] = learning_rate * (total_steps - value) / decay_steps
    return out if np.ndim(step) else float(out)
'''),
}

WRONG["wsd_budget"] = {
    "the last stable step (T - D - 1)": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    T, W, D = wsd_total_steps, warmup_steps, wsd_decay_steps
    return T - D - 1, T - (W + D) / 2 + 1
''',
    "the last step of the run": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    T, W, D = wsd_total_steps, warmup_steps, wsd_decay_steps
    return T - 1, T - (W + D) / 2 + 1
''',
    "ramps as triangles of area n / 2": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    T, W, D = wsd_total_steps, warmup_steps, wsd_decay_steps
    return T - D, T - (W + D) / 2
''',
    "only the stable phase counted": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    T, W, D = wsd_total_steps, warmup_steps, wsd_decay_steps
    return T - D, T - W - D
''',
    "a constant rate's sum": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    return wsd_total_steps - wsd_decay_steps, wsd_total_steps
''',
    "one ramp short by half a step": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    T, W, D = wsd_total_steps, warmup_steps, wsd_decay_steps
    return T - D, W / 2 + (T - W - D) + (D + 1) / 2
''',
}
RIGHT["wsd_budget"] = {
    "a loop over the steps": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    T, W, D = wsd_total_steps, warmup_steps, wsd_decay_steps
    total, last_full = 0.0, None
    for step in range(T):
        rate = (step + 1) / W if step < W else min(1.0, (T - step) / D)
        total += rate
        if rate == 1.0:
            last_full = step
    return last_full, total
''',
    "the closed form T - (W + D) / 2 + 1": '''
def wsd_budget(wsd_total_steps, warmup_steps, wsd_decay_steps):
    return wsd_total_steps - wsd_decay_steps, wsd_total_steps - (warmup_steps + wsd_decay_steps) / 2 + 1
''',
}
