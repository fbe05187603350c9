"""Chapter 4 (learning-rate decay): the reference implementations of its graded functions.

Explained in `book/04_learning_rate_decay.md`; the exercise is `solutions/04_learning_rate_decay.ipynb`.
`epoch_num` may be an int or a NumPy array of epochs; the result is elementwise (a float for an int).
"""

import numpy as np


def _epochs(epoch_num, minimum, function, what="epoch_num"):
    """`epoch_num` as a float array, or a `ValueError` naming the first value below `minimum`."""
    epochs = np.asarray(epoch_num, dtype=float)
    too_small = epochs < minimum
    if too_small.any():
        bad = epochs[too_small].flat[0]
        raise ValueError(f"{function} needs {what} >= {minimum}, got {bad:g}; "
                         f"count {what.split('_')[0]}s from {minimum} for this schedule.")
    return epochs


def _result(values):
    """A float for a scalar epoch, the float64 array otherwise."""
    return float(values) if np.ndim(values) == 0 else values


def inverse_time_decay(learning_rate0, epoch_num, decay_rate):
    """`learning_rate0 / (1 + decay_rate * epoch_num)`; epochs count from 0."""
    epochs = _epochs(epoch_num, 0, "inverse_time_decay")
    return _result(learning_rate0 / (1 + decay_rate * epochs))


def staircase_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Inverse-time decay that steps once every `time_interval` epochs:
    `learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))`."""
    if time_interval <= 0:
        raise ValueError(f"staircase_decay needs time_interval > 0 epochs, got {time_interval}.")
    epochs = _epochs(epoch_num, 0, "staircase_decay")
    return _result(learning_rate0 / (1 + decay_rate * np.floor(epochs / time_interval)))


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    """`base**epoch_num * learning_rate0`; epochs count from 0."""
    epochs = _epochs(epoch_num, 0, "exponential_decay")
    return _result(base**epochs * learning_rate0)


def sqrt_decay(learning_rate0, epoch_num, k=1.0):
    """`k / sqrt(epoch_num) * learning_rate0`, for epochs counted from 1 (a `ValueError` below 1)."""
    epochs = _epochs(epoch_num, 1, "sqrt_decay")
    return _result(k / np.sqrt(epochs) * learning_rate0)


def cosine_decay(learning_rate0, epoch_num, num_epochs, learning_rate_min=0.0):
    """Half a cosine from `learning_rate0` at epoch 0 down to `learning_rate_min` at `num_epochs`:
    `learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + cos(pi * epoch_num / num_epochs))`,
    as `torch.optim.lr_scheduler.CosineAnnealingLR(T_max=num_epochs, eta_min=learning_rate_min)`."""
    if num_epochs <= 0:
        raise ValueError(f"cosine_decay needs num_epochs > 0, got {num_epochs}.")
    epochs = _epochs(epoch_num, 0, "cosine_decay")
    too_large = epochs > num_epochs
    if too_large.any():
        raise ValueError(f"cosine_decay needs epoch_num <= num_epochs = {num_epochs}, got {epochs[too_large].flat[0]:g}; "
                         "the schedule ends at num_epochs.")
    return _result(learning_rate_min + 0.5 * (learning_rate0 - learning_rate_min) * (1 + np.cos(np.pi * epochs / num_epochs)))


def linear_warmup(learning_rate, step, warmup_steps):
    """`learning_rate * min(1, (step + 1) / warmup_steps)`, steps counted from 0: the factor is
    `1 / warmup_steps` at step 0 and reaches 1 at step `warmup_steps - 1`."""
    if warmup_steps < 1:
        raise ValueError(f"linear_warmup needs warmup_steps >= 1, got {warmup_steps}.")
    steps = _epochs(step, 0, "linear_warmup", what="step")
    return _result(learning_rate * np.minimum(1.0, (steps + 1) / warmup_steps))
