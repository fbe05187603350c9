"""Chapter 5's objective, precomputed: the validation cost of the course network trained with momentum, on a grid.

The book's search (`book/05_hyperparameter_tuning.md`) scores a configuration `(learning_rate, beta)` by training the
moons network with momentum for 40 epochs (mini-batches of 32, seed 1, 300 training examples of
`make_moons(noise=0.2, seed=0)`) and taking its cost on 300 validation examples (`seed=1`). Comparing search
methods fairly takes many searches of dozens of trials each, too many trainings for a page; so the cost is
computed once on a grid, `log10(learning_rate)` in -4, -3.75, ..., 1 and `log10(1 - beta)` in -3, -2.75, ..., -1,
and `validation_cost` interpolates it linearly on those log scales. It is the same network and data as the
chapter's, with one training seed, smoothed between grid points: a search over it is cheap, deterministic and
reproducible, and it has the chapter's landscape (good rates around 1 to 3, and an interaction with beta).

`compute_surface()` retrains the grid (`many_seeds.train_momentum_many`, about 2 s); `tests/test_claims_2026_m_ch5.py`
checks that `COSTS` is what it gives. Regenerate with `python -m trainfaster.tuning_surface`.
"""

import numpy as np

LOG_RATES = np.linspace(-4.0, 1.0, 21)  # log10(learning_rate) of the grid's rows
LOG_ONE_MINUS_BETAS = np.linspace(-3.0, -1.0, 9)  # log10(1 - beta) of its columns
RATE_RANGE, BETA_RANGE = (1e-4, 10.0), (0.9, 0.999)  # the box the grid covers

# COSTS[i, j]: the validation cost at learning_rate = 10**LOG_RATES[i], beta = 1 - 10**LOG_ONE_MINUS_BETAS[j].
COSTS = np.array([
    [0.703536, 0.703099, 0.702505, 0.701826, 0.701220, 0.700803, 0.700561, 0.700424, 0.700347],
    [0.702986, 0.702211, 0.701156, 0.699952, 0.698882, 0.698151, 0.697728, 0.697492, 0.697358],
    [0.702010, 0.700634, 0.698768, 0.696651, 0.694774, 0.693506, 0.692773, 0.692362, 0.692130],
    [0.700277, 0.697847, 0.694566, 0.690871, 0.687609, 0.685403, 0.684136, 0.683424, 0.683026],
    [0.697218, 0.692954, 0.687226, 0.680798, 0.675200, 0.671427, 0.669263, 0.668044, 0.667362],
    [0.691850, 0.684399, 0.674515, 0.663522, 0.654038, 0.647645, 0.643867, 0.641720, 0.640453],
    [0.682478, 0.669661, 0.652896, 0.634462, 0.618087, 0.606324, 0.598880, 0.594276, 0.591626],
    [0.666372, 0.644817, 0.616733, 0.584685, 0.553713, 0.529754, 0.513866, 0.503782, 0.498153],
    [0.639364, 0.603338, 0.554451, 0.495959, 0.442859, 0.408459, 0.391294, 0.383011, 0.378519],
    [0.594358, 0.532308, 0.448504, 0.375123, 0.338333, 0.323301, 0.317934, 0.315514, 0.314115],
    [0.517772, 0.417528, 0.344903, 0.321306, 0.307245, 0.292850, 0.288362, 0.286816, 0.285892],
    [0.399155, 0.337824, 0.335620, 0.315784, 0.276959, 0.270044, 0.268430, 0.267021, 0.266235],
    [0.339395, 0.358927, 0.336577, 0.282073, 0.262029, 0.251575, 0.245539, 0.242136, 0.239403],
    [0.379851, 0.360072, 0.312041, 0.255862, 0.220805, 0.195559, 0.177575, 0.165915, 0.158953],
    [0.380319, 0.343569, 0.244591, 0.188838, 0.138728, 0.105997, 0.090029, 0.084718, 0.085029],
    [0.369054, 0.255479, 0.190810, 0.128170, 0.087640, 0.073683, 0.070738, 0.073933, 0.070516],
    [0.267518, 0.242344, 0.118252, 0.075316, 0.095097, 0.088254, 0.077661, 0.087329, 0.078749],
    [0.273755, 0.161045, 0.093050, 0.132181, 0.106899, 0.093382, 0.105154, 0.113284, 0.101036],
    [0.142401, 0.113728, 0.089714, 0.174795, 0.168620, 0.117399, 0.102350, 0.125706, 0.114426],
    [0.096761, 0.159681, 0.209024, 0.114931, 0.146738, 0.173363, 0.320120, 0.292458, 0.697443],
    [0.277654, 0.340682, 0.226665, 0.196609, 0.683617, 0.817105, 0.713922, 0.693222, 0.707450],
])


def compute_surface(num_epochs=40, seed=1):
    """Train the grid's networks (one stack) and return their validation costs, shape `(21, 9)`."""
    from trainfaster import many_seeds
    from trainfaster.data import make_moons

    X_train, Y_train = make_moons(m=300, noise=0.2, seed=0)
    X_val, Y_val = make_moons(m=300, noise=0.2, seed=1)
    configs = [{"learning_rate": 10**r, "beta": 1 - 10**b} for r in LOG_RATES for b in LOG_ONE_MINUS_BETAS]
    costs = many_seeds.validation_costs((X_train, Y_train, X_val, Y_val), configs, [seed], num_epochs)
    return costs.reshape(len(LOG_RATES), len(LOG_ONE_MINUS_BETAS))


def validation_cost(learning_rate, beta):
    """The precomputed validation cost at `(learning_rate, beta)`, elementwise, interpolated linearly in
    `log10(learning_rate)` and `log10(1 - beta)` between the grid's points.

    Both must lie in the grid's box, `learning_rate` in [1e-4, 10] and `beta` in [0.9, 0.999]; a `ValueError` otherwise.
    """
    rate, beta = np.broadcast_arrays(np.asarray(learning_rate, dtype=float), np.asarray(beta, dtype=float))
    outside = ~((rate >= RATE_RANGE[0] * (1 - 1e-12)) & (rate <= RATE_RANGE[1] * (1 + 1e-12))
                & (beta >= BETA_RANGE[0] - 1e-12) & (beta <= BETA_RANGE[1] + 1e-12))
    if outside.any():
        k = np.argwhere(outside)[0] if outside.ndim else ()
        raise ValueError(f"validation_cost covers learning_rate in [1e-4, 10] and beta in [0.9, 0.999]; got "
                         f"learning_rate={rate[tuple(k)]:g}, beta={beta[tuple(k)]:g}.")
    x = np.clip(np.log10(rate), LOG_RATES[0], LOG_RATES[-1])
    y = np.clip(np.log10(1 - beta), LOG_ONE_MINUS_BETAS[0], LOG_ONE_MINUS_BETAS[-1])
    i = np.clip(np.searchsorted(LOG_RATES, x, side="right") - 1, 0, len(LOG_RATES) - 2)
    j = np.clip(np.searchsorted(LOG_ONE_MINUS_BETAS, y, side="right") - 1, 0, len(LOG_ONE_MINUS_BETAS) - 2)
    u = (x - LOG_RATES[i]) / (LOG_RATES[i + 1] - LOG_RATES[i])
    v = (y - LOG_ONE_MINUS_BETAS[j]) / (LOG_ONE_MINUS_BETAS[j + 1] - LOG_ONE_MINUS_BETAS[j])
    cost = ((1 - u) * (1 - v) * COSTS[i, j] + u * (1 - v) * COSTS[i + 1, j]
            + (1 - u) * v * COSTS[i, j + 1] + u * v * COSTS[i + 1, j + 1])
    return float(cost) if cost.ndim == 0 else cost


if __name__ == "__main__":
    rows = compute_surface()
    print("COSTS = np.array([")
    for row in rows:
        print("    [" + ", ".join(f"{value:.6f}" for value in row) + "],")
    print("])")
