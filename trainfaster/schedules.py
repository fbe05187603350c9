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


def wsd_schedule(learning_rate, step, total_steps, warmup_steps, decay_steps):
    """Warmup-stable-decay, steps counted from 0: `learning_rate * (step + 1) / warmup_steps` while
    `step < warmup_steps`, then `learning_rate` until `total_steps - decay_steps`, then a linear decay
    `learning_rate * (total_steps - step) / decay_steps` (down to `learning_rate / decay_steps` at the last step).

    Unlike cosine, the rate does not depend on the run's length until the decay starts: a run can be
    extended from any stable-phase checkpoint, and only the short decay is repeated.
    """
    if decay_steps < 1:
        raise ValueError(f"wsd_schedule needs decay_steps >= 1, got {decay_steps}.")
    if warmup_steps < 0:
        raise ValueError(f"wsd_schedule needs warmup_steps >= 0, got {warmup_steps}.")
    if warmup_steps + decay_steps > total_steps:
        raise ValueError(f"wsd_schedule needs warmup_steps + decay_steps <= total_steps, got "
                         f"{warmup_steps} + {decay_steps} > {total_steps}.")
    steps = _epochs(step, 0, "wsd_schedule", what="step")
    too_large = steps >= total_steps
    if too_large.any():
        raise ValueError(f"wsd_schedule needs step < total_steps = {total_steps}, got {steps[too_large].flat[0]:g}; "
                         "steps count from 0.")
    warm = learning_rate * (steps + 1) / max(warmup_steps, 1)
    decay = learning_rate * (total_steps - steps) / decay_steps
    rate = np.where(steps < warmup_steps, warm, np.where(steps < total_steps - decay_steps, learning_rate, decay))
    return _result(rate)
