"""The usual wrong answers of exercise 04's visible tests, computed from the references; the student package ships
them as values (`autograder.mistake_tables`).

Each function returns `{message: wrong value}`, every message saying what a student who gave that
value should fix. The package answers only the inputs the released notebook's visible tests give; any other
input gets `{}`, and grading, which has this module, names the mistake.
"""

import numpy as np


def inverse_time_mistakes(learning_rate0, epochs, decay_rate):
    """What the usual wrong answers return, each with what to fix."""
    epochs = np.asarray(epochs, dtype=float)
    return {
        "counts epochs from 1: epoch 0 must give learning_rate0 itself.":
            learning_rate0 / (1 + decay_rate * (epochs + 1)),
        "is learning_rate0 / 1 + decay_rate * epoch_num: put 1 + decay_rate * epoch_num in parentheses.":
            learning_rate0 / 1 + decay_rate * epochs,
        "multiplies by (1 + decay_rate * epoch_num): divide by it, so the rate falls.":
            learning_rate0 * (1 + decay_rate * epochs),
        "is learning_rate0 / (1 + decay_rate) * epoch_num: the epoch belongs in the denominator.":
            learning_rate0 / (1 + decay_rate) * epochs,
    }


def staircase_mistakes(learning_rate0, epochs, decay_rate, time_interval):
    """What the usual wrong answers return, each with what to fix."""
    epochs = np.asarray(epochs, dtype=float)
    return {
        "falls smoothly between steps: take the floor of epoch_num / time_interval (np.floor).":
            learning_rate0 / (1 + decay_rate * epochs / time_interval),
        "steps too early (rounded, not floored): use np.floor(epoch_num / time_interval).":
            learning_rate0 / (1 + decay_rate * np.round(epochs / time_interval)),
        "steps too early (np.ceil): the rate changes only at multiples of time_interval; use np.floor.":
            learning_rate0 / (1 + decay_rate * np.ceil(epochs / time_interval)),
        "ignores time_interval: this is inverse-time decay applied every epoch.":
            learning_rate0 / (1 + decay_rate * epochs),
        "ignores the time_interval argument (always 1000?): use the parameter.":
            learning_rate0 / (1 + decay_rate * np.floor(epochs / 1000)),
        "steps one epoch late (epoch_num - 1): the rate changes at epoch time_interval itself, "
        "floor(epoch_num / time_interval).":
            learning_rate0 / (1 + decay_rate * np.maximum(0, np.floor((epochs - 1) / time_interval))),
    }


def exponential_mistakes(learning_rate0, epochs, base):
    """What the usual wrong answers return, each with what to fix."""
    epochs = np.asarray(epochs, dtype=float)
    return {
        "counts epochs from 1: epoch 0 must give learning_rate0 itself (base**0 = 1).":
            base ** (epochs + 1) * learning_rate0,
        "is learning_rate0 * exp(-base * epoch_num): the contract's schedule is base**epoch_num * learning_rate0.":
            learning_rate0 * np.exp(-base * epochs),
        "multiplies by base * epoch_num: raise base to the power epoch_num (base ** epoch_num).":
            learning_rate0 * base * epochs,
        "is learning_rate0**epoch_num * base: base is the one raised to the power epoch_num.":
            learning_rate0**epochs * base,
        "ignores the base argument (always 0.95?): use the parameter.": 0.95**epochs * learning_rate0,
    }


def sqrt_mistakes(learning_rate0, epochs, k):
    """What the usual wrong answers return, each with what to fix."""
    epochs = np.asarray(epochs, dtype=float)
    return {
        "counts epochs from 0 (sqrt(epoch_num + 1)): here epochs count from 1, so epoch 1 gives k * learning_rate0.":
            k / np.sqrt(epochs + 1) * learning_rate0,
        "divides by epoch_num, not by its square root (np.sqrt).": k / epochs * learning_rate0,
        "multiplies by sqrt(epoch_num): divide by it, so the rate falls.": k * np.sqrt(epochs) * learning_rate0,
        "takes the square root of k too: only epoch_num goes under the root.":
            np.sqrt(k / epochs) * learning_rate0,
        "ignores k: the rate is k / sqrt(epoch_num) * learning_rate0, so multiply by k.":
            learning_rate0 / np.sqrt(epochs),
        "puts k under the square root with the epoch (sqrt(k * epoch_num)): only epoch_num goes under the root, "
        "k multiplies.": learning_rate0 / np.sqrt(k * epochs),
    }


def cosine_mistakes(learning_rate0, epochs, num_epochs, learning_rate_min):
    """What the usual wrong answers return, each with what to fix."""
    epochs = np.asarray(epochs, dtype=float)
    a0, a_min, T = learning_rate0, learning_rate_min, num_epochs
    return {
        "uses a whole period, cos(2 * pi * epoch_num / num_epochs), so the rate comes back up: half a cosine, "
        "cos(pi * epoch_num / num_epochs), falls once from the top to the bottom.":
            a_min + 0.5 * (a0 - a_min) * (1 + np.cos(2 * np.pi * epochs / T)),
        "takes the cosine of 180 * epoch_num / num_epochs, as if np.cos worked in degrees: it works in radians, "
        "so use np.pi * epoch_num / num_epochs.":
            a_min + 0.5 * (a0 - a_min) * (1 + np.cos(180 * epochs / T)),
        "is missing the factor 0.5: 1 + cos(...) runs from 2 down to 0, so halve it to start at learning_rate0.":
            a_min + (a0 - a_min) * (1 + np.cos(np.pi * epochs / T)),
        "rises instead of falling: it is (1 + cos(...)), which is 2 at epoch 0, not (1 - cos(...)).":
            a_min + 0.5 * (a0 - a_min) * (1 - np.cos(np.pi * epochs / T)),
        "ignores learning_rate_min: the schedule must end at learning_rate_min, not at 0.":
            0.5 * a0 * (1 + np.cos(np.pi * epochs / T)),
        "scales learning_rate0 instead of (learning_rate0 - learning_rate_min), so epoch 0 gives "
        "learning_rate0 + learning_rate_min: multiply 0.5 * (1 + cos) by the difference.":
            a_min + 0.5 * a0 * (1 + np.cos(np.pi * epochs / T)),
        "divides by num_epochs - 1: the rate reaches learning_rate_min at epoch num_epochs itself (as CosineAnnealingLR's T_max).":
            a_min + 0.5 * (a0 - a_min) * (1 + np.cos(np.pi * epochs / max(T - 1, 1e-300))),
    }


def warmup_mistakes(learning_rate, steps, warmup_steps):
    """What the usual wrong answers return, each with what to fix."""
    steps = np.asarray(steps, dtype=float)
    W = warmup_steps
    return {
        "is off by one step: it uses step / warmup_steps, so step 0 gets a rate of 0. Steps count from 0; use "
        "(step + 1) / warmup_steps, which gives learning_rate / warmup_steps at step 0.":
            learning_rate * np.minimum(1.0, steps / W),
        "keeps growing after the warmup: cap the factor at 1 with np.minimum(1, (step + 1) / warmup_steps).":
            learning_rate * (steps + 1) / W,
        "reaches the full rate one step late: it uses (step + 1) / (warmup_steps + 1); the factor is "
        "(step + 1) / warmup_steps, 1 at step warmup_steps - 1.":
            learning_rate * np.minimum(1.0, (steps + 1) / (W + 1)),
        "uses step / (warmup_steps - 1): that starts at 0; the factor is (step + 1) / warmup_steps.":
            learning_rate * np.minimum(1.0, steps / max(W - 1, 1e-300)),
        "returns only the factor min(1, (step + 1) / warmup_steps): multiply it by learning_rate.":
            np.minimum(1.0, (steps + 1) / W),
    }


def wsd_mistakes(learning_rate, steps, T, W, D):
    """What the usual wrong answers return, each with what to fix."""
    s = np.asarray(steps, dtype=float)
    a = learning_rate

    def wsd(warm, stable_end, decay):
        return np.where(s < W, warm, np.where(s < stable_end, a, decay))

    warm, decay = a * (s + 1) / max(W, 1), a * (T - s) / D
    return {
        "is off by one in the warmup: it uses step / warmup_steps, so step 0 gets 0. Steps count from 0; the warmup "
        "factor is (step + 1) / warmup_steps.": wsd(a * s / max(W, 1), T - D, decay),
        "reaches the full rate one step late: the warmup factor is (step + 1) / warmup_steps, not "
        "(step + 1) / (warmup_steps + 1).": wsd(a * (s + 1) / (W + 1), T - D, decay),
        "decays to 0 at the last step: the decay is (total_steps - step) / decay_steps, so the last step, "
        "total_steps - 1, keeps learning_rate / decay_steps.": wsd(warm, T - D, a * (T - 1 - s) / D),
        "decays over decay_steps - 1 steps (from 1 to 0): the decay factor is (total_steps - step) / decay_steps.":
            wsd(warm, T - D, a * (T - 1 - s) / max(D - 1, 1e-300)),
        "starts the decay at step decay_steps: the decay takes the LAST decay_steps steps, from total_steps - "
        "decay_steps on.": np.where(s < W, warm, np.where(s < D, a, decay)),
        "has no stable phase: it decays from the end of the warmup on; the rate stays at learning_rate until "
        "total_steps - decay_steps.": np.where(s < W, warm, a * (T - s) / (T - W)),
        "forgets learning_rate in the decay: it returns the factor (total_steps - step) / decay_steps alone.":
            wsd(warm, T - D, (T - s) / D),
        "ends the warmup one step late: step warmup_steps gets more than learning_rate; the warmup is the steps "
        "0 to warmup_steps - 1.": np.where(s <= W, warm, np.where(s < T - D, a, decay)),
        "goes above learning_rate between the ramps: the minimum of the warmup and decay ramps alone is uncapped; "
        "the rate never exceeds learning_rate.": a * np.minimum((s + 1) / max(W, 1), (T - s) / D),
        "keeps the warmup's formula after the warmup (no cap): the full rate is learning_rate from step "
        "warmup_steps on.": np.where(s < T - D, a * (s + 1) / max(W, 1), decay),
    }
