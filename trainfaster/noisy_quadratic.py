"""Chapter 4's noisy quadratic, many seeds at once: the noise ball with and without the EMA of the weights, and
the schedules after cosine (warmup-stable-decay, linear decay to zero) tuned on one grid.

Explained in `book/04_learning_rate_decay.md`; its claims are tested on other seeds in
`tests/test_claims_2026_m_early.py`. The problem is the chapter's: the cost `sum(h * w**2) / 2`, one coordinate
per curvature `h`, minimum at 0, and a gradient `h * w + sigma * xi` with fresh standard normal noise `xi` at every
step, as a mini-batch gradient is the full one plus noise. Seed `k` of a call is child `k` of
`np.random.SeedSequence(entropy)`: an independent random stream per seed, so other entropies give other seeds.
"""

import numpy as np


def _streams(entropy, n_seeds):
    """One `np.random.Generator` per seed, each from its own child of `SeedSequence(entropy)`."""
    if n_seeds < 1:
        raise ValueError(f"n_seeds must be at least 1, got {n_seeds}")
    return [np.random.default_rng(child) for child in np.random.SeedSequence(entropy).spawn(n_seeds)]


def predicted_ema_ratio(learning_rate, decay, h=1.0):
    """The spread of the EMA of the weights over the spread of the last iterate, once both have settled, for SGD
    at a fixed rate on the noisy quadratic: `sqrt((1 - d)(1 + rho d) / ((1 + d)(1 - rho d)))` with
    `rho = 1 - learning_rate * h` and `d = decay`.

    The iterate is an autoregressive series `w_{k+1} = rho w_k - learning_rate sigma xi_k` of variance V; the EMA
    weighs its recent values by `(1 - d) d**i`, and summing those weights against the correlations `rho**|i - j|`
    of the iterates gives `V (1 - d)(1 + rho d) / ((1 + d)(1 - rho d))`.
    """
    rate, decay = np.asarray(learning_rate, dtype=float), np.asarray(decay, dtype=float)
    rho = 1 - rate * h
    if np.any(np.abs(rho) >= 1):
        raise ValueError(f"learning_rate * h must be in (0, 2) for SGD to settle, got {rate * h}")
    return np.sqrt((1 - decay) * (1 + rho * decay) / ((1 + decay) * (1 - rho * decay)))


def sgd_with_averaging(learning_rates, decay, average_step, *, entropy, n_seeds=10, num_steps=3000, measured=2000, h=1.0,
                       sigma=1.0, trace=300):
    """SGD at each fixed rate from the minimum, one run per seed, with the EMA of its weights started at the first
    parameters. `average_step(ema, parameters, decay)` is one step of that average: chapter 2's `ema_of_weights`
    (the caller passes it, so the student package need not ship the graded reference).

    Returns a dict: `last` and `ema`, the root-mean-square distance to the minimum over the last `measured` steps
    (shape `(rates, seeds)`) of the last iterate and of the average; `trace_last` and `trace_ema`, the last
    `trace` steps of seed 0 (shape `(rates, trace)`).
    """
    rates = np.asarray(learning_rates, dtype=float)
    if not 0 < measured <= num_steps or not 0 <= trace <= num_steps:
        raise ValueError(f"need 0 < measured <= num_steps and trace <= num_steps, got measured={measured}, "
                         f"trace={trace}, num_steps={num_steps}")
    noise = np.stack([stream.standard_normal(num_steps) for stream in _streams(entropy, n_seeds)])
    w = np.zeros((rates.size, n_seeds))
    average = {"w": w.copy()}  # a copy of the first parameters
    squares = {"last": np.zeros_like(w), "ema": np.zeros_like(w)}
    traces = {"last": [], "ema": []}
    for k in range(num_steps):
        w = (1 - rates[:, None] * h) * w - rates[:, None] * sigma * noise[None, :, k]
        average = average_step(average, {"w": w}, decay)
        if k >= num_steps - measured:
            squares["last"] += w**2
            squares["ema"] += average["w"] ** 2
        if k >= num_steps - trace:
            traces["last"].append(w[:, 0].copy())
            traces["ema"].append(average["w"][:, 0].copy())
    return {"last": np.sqrt(squares["last"] / measured), "ema": np.sqrt(squares["ema"] / measured),
            "trace_last": np.array(traces["last"]).T.reshape(rates.size, -1),
            "trace_ema": np.array(traces["ema"]).T.reshape(rates.size, -1)}


def schedule_costs(schedules, peak_rates, *, entropy, n_seeds=10, runs=50, h=(1.0, 0.01), w0=(10.0, 10.0),
                   sigma=1.0):
    """The final cost of SGD on the noisy quadratic under each schedule at each peak rate, per seed.

    `schedules` maps a name to an array of shape `(len(peak_rates), num_steps)`: the rate of every step for every
    peak rate (all of the same length). Each seed's stream draws the noise of `runs` independent runs, which every
    schedule and rate share (common random numbers: a difference between two schedules on one seed is theirs, not
    the noise's). Returns an array of shape `(schedules, peak_rates, seeds)`: the mean over the runs of the cost
    `sum(h * w**2) / 2` after the last step.
    """
    h, w0 = np.asarray(h, dtype=float), np.asarray(w0, dtype=float)
    rates = np.stack([np.asarray(rate, dtype=float) for rate in schedules.values()])  # (schedules, grid, steps)
    if rates.shape[1] != len(peak_rates):
        raise ValueError(f"each schedule needs one row of rates per peak rate ({len(peak_rates)}), got {rates.shape[1]}")
    num_steps = rates.shape[2]
    noise = np.stack([stream.standard_normal((num_steps, h.size, runs)) for stream in _streams(entropy, n_seeds)],
                     axis=2)  # (steps, coordinates, seeds, runs)
    curvature = h[None, None, :, None, None]
    w = np.broadcast_to(w0[None, None, :, None, None], rates.shape[:2] + (h.size, n_seeds, runs)).copy()
    for k in range(num_steps):
        rate = rates[:, :, k, None, None, None]
        w = (1 - rate * curvature) * w - rate * sigma * noise[k]
    return (0.5 * curvature * w**2).sum(axis=2).mean(axis=-1)
