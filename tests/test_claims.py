"""The claims chapters 1-4 draw from experiments, re-run on 10 seeds the pages do not use (1000-1009).

Each test re-runs one experiment of a page with the library's own code (the networks of a comparison train
as one stack, `trainfaster.sweep.train_many`) and asserts the claim's direction, and its order of magnitude
where the prose gives a factor. The test id quotes the claim and names its page. A claim that fails here is
rewritten on its page to what holds. Chapters 5-8 are in `test_claims_ch5_8.py`.
"""

from functools import cache

import numpy as np
import pytest
import torch

from trainfaster import network, sweep
from trainfaster.data import make_moons
from trainfaster.minibatch import update_parameters_with_gd
from trainfaster.optimizers import initialize_adam, update_parameters_with_adamw
from trainfaster.schedules import (cosine_decay, exponential_decay, inverse_time_decay, linear_warmup, sqrt_decay,
                                   staircase_decay)

SEEDS = list(range(1000, 1010))  # the pages use seeds 1-10 (and 0 for the data)


def claim(test, id):
    return pytest.param(test, id=id)


# ---------------------------------------------------------------- chapter 1: mini-batch gradient descent

@cache
def tuned_batch_sizes():
    """Ch. 1: each batch size at its best rate from the same grid, 20 epochs on 512 moons, final whole-set cost."""
    X, Y = make_moons(m=512, noise=0.2, seed=0)
    rates, finals = [0.25, 0.5, 1.0, 2.0, 4.0], {}
    for size in (512, 64):
        stacked = np.repeat(rates, len(SEEDS)).reshape(-1, 1, 1)
        _, stack = sweep.train_many(X, Y, network.MOONS_LAYERS,
                                    lambda p, g, t, e: update_parameters_with_gd(p, g, stacked),
                                    SEEDS * len(rates), num_epochs=20, mini_batch_size=size)
        final = sweep.evaluate(X, Y, stack).reshape(len(rates), len(SEEDS))
        best = int(np.argmin(np.median(final, axis=1)))
        assert 0 < best < len(rates) - 1, f"batch size {size}: best rate at the grid's edge"
        finals[size] = final[best]
    return finals


def per_example_gradients(X, Y, parameters):
    """Every example's gradient of the course network, one row each (what ch. 1 computes example by example)."""
    AL, caches = network.forward(X, parameters)
    dZ, rows = AL - Y, {}
    for l in range(len(caches), 0, -1):
        A_prev = caches[l - 1][0]
        rows[f"dW{l}"] = np.einsum("im,jm->mij", dZ, A_prev).reshape(X.shape[1], -1)
        rows[f"db{l}"] = dZ.T
        if l > 1:
            dZ = (parameters[f"W{l}"].T @ dZ) * (caches[l - 2][1] > 0)
    return np.concatenate([rows[k] for k in sorted(rows)], axis=1)


def noise_scale(G):
    g = G.mean(axis=0)
    return ((G - g) ** 2).sum(axis=1).mean() / (g @ g)


def test_per_example_gradients_match_network_backward():
    X, Y = make_moons(m=5, seed=3)
    parameters = network.initialize_parameters(network.MOONS_LAYERS, seed=4)
    AL, caches = network.forward(X[:, [2]], parameters)
    grads = network.backward(AL, Y[:, [2]], caches, parameters)
    one = np.concatenate([grads[k].ravel() for k in sorted(grads)])
    np.testing.assert_allclose(per_example_gradients(X, Y, parameters)[2], one, rtol=1e-12)


def ch1_mini_batches_end_lower():
    finals = tuned_batch_sizes()
    assert np.median(finals[64]) < np.median(finals[512])


def ch1_mini_batches_win_seed_by_seed():
    finals = tuned_batch_sizes()
    assert np.sum(finals[64] < finals[512]) >= 7


def ch1_noise_halves_from_b1_to_b4():
    X, Y = make_moons(m=512, noise=0.2, seed=0)
    ratios = []
    for seed in SEEDS[:3]:
        G = per_example_gradients(X, Y, network.initialize_parameters(network.MOONS_LAYERS, seed=seed))
        g = G.mean(axis=0)
        draws = np.random.default_rng(seed).random((400, 512)).argsort(axis=1)
        noise = [np.sqrt(((G[draws[:, :b]].mean(axis=1) - g) ** 2).sum(axis=1).mean()) for b in (1, 4)]
        ratios.append(noise[1] / noise[0])
    assert 0.4 < np.median(ratios) < 0.6


def ch1_noise_scale_grows_during_training():
    X, Y = make_moons(m=512, noise=0.2, seed=0)
    _, stack = sweep.train_many(X, Y, network.MOONS_LAYERS, lambda p, g, t, e: update_parameters_with_gd(p, g, 0.5),
                                SEEDS, num_epochs=20, mini_batch_size=64)
    growth = []
    for k, seed in enumerate(SEEDS):
        start = noise_scale(per_example_gradients(X, Y, network.initialize_parameters(network.MOONS_LAYERS, seed)))
        trained = noise_scale(per_example_gradients(X, Y, {name: value[k] for name, value in stack.items()}))
        growth.append(trained / start)
    assert np.median(growth) > 10


# ---------------------------------------------------------------- chapter 2: exponentially weighted averages

def ch2_pytorch_buffer_start_is_a_zero_start():
    g1, g2 = torch.tensor([1.0, -2.0], dtype=torch.float64), torch.tensor([0.5, 3.0], dtype=torch.float64)
    beta = 0.9
    for dampening, differs in [(0.0, False), (0.5, True)]:
        w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        sgd = torch.optim.SGD([w], lr=1.0, momentum=beta, dampening=dampening)
        buffers = []
        for g in (g1, g2):
            w.grad = g.clone()
            sgd.step()
            buffers.append(sgd.state[w]["momentum_buffer"].clone())
        zero_start = [(1 - dampening) * g1, beta * (1 - dampening) * g1 + (1 - dampening) * g2]
        same = all(torch.allclose(b, z) for b, z in zip(buffers, zero_start))
        assert same != differs, f"dampening={dampening}"


# ---------------------------------------------------------------- chapter 3: momentum, RMSProp and Adam

GRIDS = {"gradient descent": 10 ** np.linspace(-1, 1, 7), "momentum": 10 ** np.linspace(-1, 1, 7),
         "RMSProp": 10 ** np.linspace(-3, 0, 10), "Adam": 10 ** np.linspace(-3, 0, 10)}


@cache
def moons_sweep():
    """Ch. 3's learning-rate sweep: epochs to cost 0.05 for every (rate, seed), 150 epochs, batches of 64."""
    X, Y = make_moons(m=300, noise=0.2, seed=0)
    return {name: sweep.epochs_to(sweep.rate_sweep(X, Y, name, grid, SEEDS, num_epochs=150,
                                                   beta2=0.9 if name == "RMSProp" else 0.999), 0.05)
            for name, grid in GRIDS.items()}


def best_median(name):
    median = np.median(moons_sweep()[name], axis=1)
    best = int(np.argmin(median))
    assert 0 < best < len(median) - 1, f"{name}: best rate at the grid's edge"
    return median[best]


def band_width(name):
    works = GRIDS[name][np.isfinite(moons_sweep()[name]).all(axis=1)]
    return works.max() / works.min()


def ch3_tuned_gd_is_slowest():
    assert all(best_median("gradient descent") > best_median(name) for name in ["momentum", "RMSProp", "Adam"])


def ch3_tuned_adam_is_fastest():
    assert all(best_median("Adam") < best_median(name) for name in ["gradient descent", "momentum", "RMSProp"])


def ch3_adam_band_wider_than_gd():
    assert band_width("Adam") >= 4 * band_width("gradient descent")


def ch3_adam_band_widest_gd_band_narrowest():
    widths = {name: band_width(name) for name in GRIDS}
    assert all(widths["Adam"] >= width for width in widths.values()), widths
    assert widths["Adam"] > widths["momentum"] and widths["Adam"] > widths["gradient descent"], widths
    assert all(widths["gradient descent"] <= width for width in widths.values()), widths


def ch3_momentum_like_gd_at_small_rates():
    gd, momentum = (np.median(moons_sweep()[name], axis=1) for name in ["gradient descent", "momentum"])
    shared = np.flatnonzero(np.isfinite(gd) & np.isfinite(momentum))
    k = shared[0] + 1
    assert abs(momentum[k] / gd[k] - 1) < 0.25


def ch3_momentum_faster_at_gds_best_rate():
    gd, momentum = (np.median(moons_sweep()[name], axis=1) for name in ["gradient descent", "momentum"])
    k = int(np.argmin(gd))
    assert momentum[k] < gd[k]


def ch3_momentum_tolerates_larger_rates():
    largest = {name: GRIDS[name][np.isfinite(np.median(moons_sweep()[name], axis=1))].max()
               for name in ["gradient descent", "momentum"]}
    assert largest["momentum"] > largest["gradient descent"]


CURVATURE = np.array([[0.03], [2.0]])
ROTATION = np.array([[1.0, -1.0], [1.0, 1.0]]) / np.sqrt(2)
HESSIAN = ROTATION @ np.diag(CURVATURE.ravel()) @ ROTATION.T


def descend(gradient, W, optimizer, num_steps):
    path = [W]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, num_steps + 1):
            W = optimizer({"W1": W}, {"dW1": gradient(W)}, t)["W1"]
            path.append(W)
    return np.array(path)


def bowl_starts():
    """Ten starting points of ch. 3's kind (either side of the valley), one per fresh seed: (10, 2, 1)."""
    starts = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        starts.append([[rng.choice([-1, 1]) * rng.uniform(5, 10)], [rng.choice([-1, 1]) * rng.uniform(0.5, 2)]])
    return np.array(starts)


@cache
def bowl_tuned():
    """Ch. 3's bowls: each method's median cost after 50 steps at its own best rate, aligned and rotated."""
    grid = np.geomspace(0.01, 30, 31)
    results = {}
    for label, gradient, turn in [("aligned", lambda w: CURVATURE * w, np.eye(2)),
                                  ("rotated", lambda w: HESSIAN @ w, ROTATION)]:
        origins = turn @ bowl_starts()
        for name, settings in {"gradient descent": {}, "momentum": {}, "RMSProp": {"beta2": 0.9}, "Adam": {}}.items():
            stacked = np.broadcast_to(origins, (grid.size, *origins.shape)).copy()
            optimizer = sweep.Optimizer(name, grid.reshape(-1, 1, 1, 1), **settings)
            w = turn.T @ descend(gradient, stacked, optimizer, 50)[-1]
            cost = np.nan_to_num(0.5 * (CURVATURE[0, 0] * w[..., 0, 0] ** 2 + CURVATURE[1, 0] * w[..., 1, 0] ** 2),
                                 nan=np.inf)
            median = np.median(cost, axis=1)
            best = int(np.argmin(median))
            assert 0 < best < grid.size - 1, f"{name}, {label}: best rate at the grid's edge"
            results[name, label] = median[best]
    return results


def ch3_rotation_leaves_gd_and_momentum_alone():
    costs = bowl_tuned()
    for name in ["gradient descent", "momentum"]:
        np.testing.assert_allclose(costs[name, "rotated"], costs[name, "aligned"], rtol=1e-9)


def ch3_rotation_costs_rmsprop_much():
    costs = bowl_tuned()
    assert costs["RMSProp", "rotated"] > 10 * costs["RMSProp", "aligned"]


def ch3_rotation_costs_adam():
    costs = bowl_tuned()
    assert costs["Adam", "rotated"] > costs["Adam", "aligned"]


def ch3_tuned_adam_below_gd_on_rotated_bowl():
    costs = bowl_tuned()
    assert costs["Adam", "rotated"] < costs["gradient descent", "rotated"]


def ch3_tuned_momentum_below_adam_on_rotated_bowl():
    costs = bowl_tuned()
    assert costs["momentum", "rotated"] < costs["Adam", "rotated"]


def ch3_nesterov_below_momentum_at_same_setting():
    starts = bowl_starts()
    final = {}
    for name in ["momentum", "Nesterov"]:
        w = descend(lambda w: CURVATURE * w, starts.copy(), sweep.Optimizer(name, 2.0, beta=0.9), 50)[-1]
        final[name] = 0.5 * (CURVATURE[0, 0] * w[:, 0, 0] ** 2 + CURVATURE[1, 0] * w[:, 1, 0] ** 2)
    assert np.median(final["Nesterov"]) < np.median(final["momentum"])


def ch3_nesterov_oscillates_less_but_diverges_first():
    """Ch. 3's (alpha, beta) grid, 50 steps on the aligned bowl from each fresh start: where both are stable,
    Nesterov mostly ends lower; momentum is stable at many settings where Nesterov diverges, hardly the reverse."""
    A, B = np.meshgrid(np.geomspace(0.1, 30, 160), np.linspace(0, 0.99, 100))
    lower, only_momentum, only_nesterov = [], 0, 0
    for start in bowl_starts():
        final = {}
        for nesterov in (False, True):
            w = np.broadcast_to(start.reshape(2, 1, 1), (2, *A.shape)).copy()
            v = np.zeros_like(w)
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(50):
                    dW = CURVATURE.reshape(2, 1, 1) * w
                    v = B * v + (1 - B) * dW
                    w = w - A * ((B * v + (1 - B) * dW) if nesterov else v)
                cost = 0.5 * (CURVATURE.reshape(2, 1, 1) * w**2).sum(axis=0)
            final[nesterov] = np.where(np.isfinite(cost) & (cost < 1e3), cost, np.nan)
        both = np.isfinite(final[False]) & np.isfinite(final[True])
        lower.append(np.mean(final[True][both] < final[False][both]))
        only_momentum += np.sum(np.isfinite(final[False]) & ~both)
        only_nesterov += np.sum(np.isfinite(final[True]) & ~both)
    assert np.median(lower) > 0.5
    assert only_momentum > 10 * max(only_nesterov, 1)


def ch3_nesterov_cap_is_1_plus_2beta_smaller():
    beta, h = 0.9, CURVATURE.max()
    largest = {}
    for nesterov in (False, True):
        stable = []
        for alpha in np.linspace(0.1, 30, 3000):  # one step of the state (w, v) along a direction of curvature h
            v_row = np.array([(1 - beta) * h, beta])
            w_row = np.array([1.0, 0.0]) - alpha * (beta * v_row + np.array([(1 - beta) * h, 0.0]) if nesterov else
                                                    v_row)
            if np.abs(np.linalg.eigvals(np.vstack([w_row, v_row]))).max() < 1:
                stable.append(alpha)
        largest[nesterov] = max(stable)
    np.testing.assert_allclose(largest[False] / largest[True], 1 + 2 * beta, rtol=0.01)


def plateau_valley(w):
    return 1 / (1 + np.exp(2 * w[..., 0, 0])) + 25 * w[..., 1, 0] ** 2


def plateau_valley_gradient(w):
    e = np.exp(np.clip(2 * w[..., :1, :], -50, 50))
    return np.concatenate([-2 * e / (1 + e) ** 2, 50 * w[..., 1:, :]], axis=-2)


@cache
def plateau_steps():
    """Ch. 3's plateau beside a valley: each method's median steps until the cost stays below 0.01, tuned."""
    starts = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        starts.append([[rng.uniform(-3, -2)], [rng.choice([-1, 1]) * rng.uniform(0.5, 1.5)]])
    starts, grid, budget = np.array(starts), np.geomspace(1e-3, 10, 25), 3000
    steps = {}
    for name in ["gradient descent", "momentum", "RMSProp", "Adam"]:
        settings = {"beta2": 0.9} if name == "RMSProp" else {}
        stacked = np.broadcast_to(starts, (grid.size, *starts.shape)).copy()
        with np.errstate(over="ignore", invalid="ignore"):
            costs = np.nan_to_num(plateau_valley(descend(plateau_valley_gradient, stacked, sweep.Optimizer(
                name, grid.reshape(-1, 1, 1, 1), **settings), budget)), nan=np.inf)
        above = costs >= 0.01
        stay = np.where(above[-1], np.inf, budget + 1 - np.argmax(above[::-1], axis=0))
        median = np.median(stay, axis=1)
        best = int(np.lexsort((np.median(costs[-1], axis=1), median))[0])  # ties beyond the budget: the lower cost
        assert 0 < best < grid.size - 1, f"{name}: best rate at the grid's edge"
        steps[name] = median[best]  # inf: the median start is still above 0.01 after the budget
        steps[name, "alpha"] = grid[best]
    return steps


def ch3_adam_crosses_plateau_much_faster_than_gd():
    assert plateau_steps()["gradient descent"] > 10 * plateau_steps()["Adam"]


def ch3_momentum_crosses_plateau_faster_than_gd():
    steps = plateau_steps()
    assert steps["gradient descent"] > 5 * steps["momentum"]
    assert steps["momentum", "alpha"] > 10 * steps["gradient descent", "alpha"]  # the larger rate it tolerates


def ch3_rmsprop_slower_than_adam_and_momentum_on_plateau():
    steps = plateau_steps()
    assert steps["RMSProp"] > steps["Adam"] and steps["RMSProp"] > steps["momentum"]


def ch3_l2_shrinks_weights_more_than_adamw():
    X, Y = make_moons(m=300, noise=0.2, seed=0)
    l2 = np.tile([0.0, 0.01, 0.0], len(SEEDS)).reshape(-1, 1, 1)
    decay = np.tile([0.0, 0.0, 0.01], len(SEEDS)).reshape(-1, 1, 1)
    state = {}

    def update(parameters, grads, t, epoch):
        if not state:
            state["v"], state["s"] = initialize_adam(parameters)
        grads = {key: g + l2 * parameters[key[1:]] for key, g in grads.items()}
        parameters, state["v"], state["s"] = update_parameters_with_adamw(parameters, grads, state["v"], state["s"], t,
                                                                          0.01, weight_decay=decay)
        return parameters

    _, stack = sweep.train_many(X, Y, network.MOONS_LAYERS, update, np.repeat(SEEDS, 3), num_epochs=300)
    weights = np.concatenate([stack[f"W{l}"].reshape(len(SEEDS), 3, -1) for l in (1, 2, 3)], axis=2)
    norms = np.linalg.norm(weights, axis=2)  # (seed, [Adam, L2, AdamW])
    assert np.all(norms[:, 1] < norms[:, 2]) and np.all(norms[:, 2] < norms[:, 0])
    assert np.median(norms[:, 2] / norms[:, 1]) > 2  # "far more"


# ---------------------------------------------------------------- chapter 4: learning-rate decay

def ch4_noise_ball_grows_like_sqrt_alpha():
    alphas, rng = np.array([10**-2.5, 1.0]), np.random.default_rng(SEEDS[0])
    w, total = np.zeros((2, 400)), np.zeros((2, 400))
    for k in range(1500):
        w = (1 - alphas[:, None]) * w - alphas[:, None] * rng.standard_normal(w.shape)
        if k >= 1000:
            total += w**2
    spread = np.sqrt(total.mean(axis=1) / 500)
    predicted = np.sqrt(alphas / (2 - alphas))
    np.testing.assert_allclose(spread[1] / spread[0], predicted[1] / predicted[0], rtol=0.1)


@cache
def sgd_schedules():
    """Ch. 4: every schedule and knob from alpha_0 = 1 (cosine and the fixed rate: alpha_0 itself), 100 epochs:
    {(schedule, knob): final whole-set cost of each seed}."""
    X, Y = make_moons(m=300, noise=0.2, seed=0)
    num_epochs = 100
    knobs = {"fixed rate": ([0.1, 0.3, 1.0, 3.0], lambda e, a: a),
             "inverse time": ([0.01, 0.03, 0.1, 1.0], lambda e, d: inverse_time_decay(1.0, e, d)),
             "staircase": ([0.3, 1.0, 3.0], lambda e, d: staircase_decay(1.0, e, d, time_interval=25)),
             "exponential": ([0.95, 0.98, 0.99, 0.995], lambda e, b: exponential_decay(1.0, e, base=b)),
             "k / sqrt(t)": ([1.0, 2.0, 4.0], lambda e, k: sqrt_decay(1.0, e + 1, k=k)),
             "cosine": ([0.3, 1.0, 3.0], lambda e, a: cosine_decay(a, e, num_epochs))}
    settings = [(label, value) for label, (grid, _) in knobs.items() for value in grid]
    table = np.array([[knobs[label][1](e, value) for label, value in settings] for e in range(num_epochs)])
    with np.errstate(over="ignore", invalid="ignore"):
        _, stack = sweep.train_many(
            X, Y, network.MOONS_LAYERS,
            lambda p, g, t, e: update_parameters_with_gd(p, g, np.repeat(table[e], len(SEEDS))[:, None, None]),
            SEEDS * len(settings), num_epochs=num_epochs, mini_batch_size=32)
    return dict(zip(settings, sweep.evaluate(X, Y, stack).reshape(len(settings), len(SEEDS))))


def best_of(finals, label):
    """The final costs (one per seed) of schedule `label` at its knob with the best median."""
    values = [final for (name, _), final in finals.items() if name == label]
    best = int(np.argmin([np.median(final) for final in values]))
    assert 0 < best < len(values) - 1, f"{label}: best knob at the grid's edge"
    return values[best]


def wins_over_best_fixed_rate():
    finals = sgd_schedules()
    fixed = best_of(finals, "fixed rate")
    return {label: int(np.sum(best_of(finals, label) < fixed))
            for label in ["inverse time", "staircase", "exponential", "k / sqrt(t)", "cosine"]}


def ch4_most_tuned_schedules_beat_best_fixed_rate_seed_by_seed():
    wins = wins_over_best_fixed_rate()
    assert all(wins[label] >= 8 for label in ["cosine", "staircase", "exponential"]), wins
    assert wins["inverse time"] >= 7, wins


def ch4_sqrt_decay_wins_least_often():
    wins = wins_over_best_fixed_rate()
    assert all(wins["k / sqrt(t)"] <= count for count in wins.values()), wins


def ch4_inverse_time_with_decay_rate_1_kills_the_rate():
    finals = sgd_schedules()
    assert np.median(finals["inverse time", 1.0]) > 2 * np.median(best_of(finals, "inverse time"))


def watched_last_steps(schedules, X, Y, num_epochs, first_watched, make_update):
    """The whole-set cost of every network after each step from `first_watched` on: (steps, networks)."""
    costs = []

    def update(parameters, grads, t, epoch):
        parameters = make_update(parameters, grads, t, epoch)
        if t >= first_watched:
            costs.append(sweep.evaluate(X, Y, parameters))
        return parameters

    sweep.train_many(X, Y, network.MOONS_LAYERS, update, SEEDS * len(schedules), num_epochs=num_epochs,
                     mini_batch_size=32)
    return np.array(costs).reshape(-1, len(schedules), len(SEEDS))


def ch4_fixed_rate_jitters_staircase_settles():
    X, Y = make_moons(m=300, noise=0.2, seed=0)
    rates = lambda e: np.repeat([1.0, staircase_decay(1.0, e, 1.0, time_interval=50)], len(SEEDS))[:, None, None]
    costs = watched_last_steps([0, 1], X, Y, 300, 2501, lambda p, g, t, e: update_parameters_with_gd(p, g, rates(e)))
    swing = np.median(costs.max(axis=0) / costs.min(axis=0), axis=1)  # (fixed, staircase)
    assert swing[0] > 10 and swing[0] > 5 * swing[1]
    step = np.exp(np.abs(np.diff(np.log(costs[:, 0]), axis=0)).max(axis=0))  # largest change in one iteration
    assert 2 < np.median(step) < swing[0]  # several-fold from one iteration to the next, less than the whole swing
    assert np.median(costs[-1, 1]) < np.median(costs[-1, 0])


ADAM_SCHEDULES = {"fixed rate": lambda t, epoch: 1.0, "cosine decay": lambda t, epoch: cosine_decay(1.0, epoch, 60),
                  "warmup + cosine": lambda t, epoch: linear_warmup(cosine_decay(1.0, epoch, 60), t - 1, 40)}


@cache
def adam_decay():
    """Ch. 4: Adam's best (rate, median final whole-set cost) for each schedule, 60 epochs, batches of 32."""
    X, Y = make_moons(m=300, noise=0.2, seed=0)
    alphas = [0.01, 0.03, 0.1, 0.3, 1.0]
    runs = [(label, alpha) for label in ADAM_SCHEDULES for alpha in alphas]
    which = np.repeat(np.arange(len(runs)), len(SEEDS))
    rates = np.array([alpha for _, alpha in runs])[which].reshape(-1, 1, 1)

    def schedule(rate, t, epoch):
        return rate * np.array([ADAM_SCHEDULES[label](t, epoch) for label, _ in runs])[which].reshape(-1, 1, 1)

    with np.errstate(over="ignore", invalid="ignore"):
        _, stack = sweep.train_many(X, Y, network.MOONS_LAYERS, sweep.Optimizer("Adam", rates, schedule=schedule),
                                    SEEDS * len(runs), num_epochs=60, mini_batch_size=32)
    finals = sweep.evaluate(X, Y, stack).reshape(len(ADAM_SCHEDULES), len(alphas), len(SEEDS))
    best = {}
    for label, final in zip(ADAM_SCHEDULES, finals):
        median = np.median(final, axis=1)
        k = int(np.argmin(median))
        assert 0 < k < len(alphas) - 1, f"{label}: best rate at the grid's edge"
        best[label] = (alphas[k], median[k])
    return best


def ch4_adam_decay_beats_best_fixed_rate():
    best = adam_decay()
    assert best["cosine decay"][1] < best["fixed rate"][1] and best["warmup + cosine"][1] < best["fixed rate"][1]


def ch4_adam_decay_allows_larger_rate():
    best = adam_decay()
    assert best["cosine decay"][0] > best["fixed rate"][0] and best["warmup + cosine"][0] > best["fixed rate"][0]


@cache
def adam_at_01(watch_first):
    """Adam at alpha = 0.1 on ch. 4's runs: the first 100 steps' weight changes, or the last 100 steps' costs and
    the fixed-rate runs' factors."""
    X, Y = make_moons(m=300, noise=0.2, seed=0)
    labels = list(ADAM_SCHEDULES)
    optimizer = sweep.Optimizer("Adam", 0.1, schedule=lambda rate, t, epoch: rate * np.repeat(
        [ADAM_SCHEDULES[label](t, epoch) for label in labels], len(SEEDS))[:, None, None])
    record, late = [], []  # late: fixed-rate Adam's |change of a weight| / alpha in its last 100 steps

    def update(parameters, grads, t, epoch):
        before = parameters["W1"]
        parameters = optimizer(parameters, grads, t, epoch)
        if watch_first and t <= 100:
            record.append(np.abs(parameters["W1"] - before).reshape(len(labels), len(SEEDS), -1))
        if not watch_first and t > 500:
            record.append(sweep.evaluate(X, Y, parameters).reshape(len(labels), len(SEEDS)))
            late.append(np.abs(parameters["W1"] - before).reshape(len(labels), len(SEEDS), -1)[0] / 0.1)
        return parameters

    sweep.train_many(X, Y, network.MOONS_LAYERS, update, SEEDS * len(labels), num_epochs=10 if watch_first else 60,
                     mini_batch_size=32)
    return np.array(record) if watch_first else (np.array(record), np.array(late))


def ch4_fixed_rate_adam_jitters_decayed_settles():
    costs = adam_at_01(False)[0]  # (100 steps, schedule, seed)
    swing = np.median(costs.max(axis=0) / costs.min(axis=0), axis=1)
    assert swing[0] > 2 * swing[1] and swing[0] > 2 * swing[2]


def ch4_adams_factor_does_not_vanish_near_the_end():
    factors = adam_at_01(False)[1]  # (100 steps, seed, weight) of the fixed-rate runs
    assert np.median(factors[factors > 0]) > 0.01  # its steps keep a size set by alpha


def ch4_adams_own_factor_falls_quickly():
    changes = adam_at_01(True)[:, 0]  # no warmup: (100 steps, seed, weight)
    factor = np.array([np.median(c[c > 0]) for c in changes.reshape(100, -1)]) / 0.1
    assert abs(factor[0] - 1) < 1e-3
    assert factor[4] < 0.75 and factor[19] < factor[4]


def ch4_first_ten_steps_several_times_larger():
    changes = adam_at_01(True)[:, 0]
    assert np.median(changes[:10]) > 2 * np.median(changes[90:])


CLAIMS = [
    claim(ch1_mini_batches_end_lower, "ch1: tuned, mini-batches of 64 end lower than batch descent after 20 epochs"),
    claim(ch1_mini_batches_win_seed_by_seed, "ch1: the mini-batches end lower on most seeds, seed by seed"),
    claim(ch1_noise_halves_from_b1_to_b4, "ch1: 4 times the batch, only half the noise"),
    claim(ch1_noise_scale_grows_during_training, "ch1: the noise scale B_noise grows as training proceeds"),
    claim(ch2_pytorch_buffer_start_is_a_zero_start,
          "ch2: PyTorch's buffer started at g1 is exactly a zero start, unless dampening is nonzero"),
    claim(ch3_tuned_gd_is_slowest, "ch3: at its best rate, plain gradient descent is the slowest on the moons"),
    claim(ch3_tuned_adam_is_fastest, "ch3: at its best rate, Adam reaches cost 0.05 first on the moons"),
    claim(ch3_adam_band_wider_than_gd, "ch3: Adam's working band is several times wider than GD's on the moons"),
    claim(ch3_adam_band_widest_gd_band_narrowest,
          "ch3: Adam's working band is the widest (wider than momentum's), gradient descent's the narrowest"),
    claim(ch3_momentum_like_gd_at_small_rates, "ch3: at small rates momentum and GD behave alike"),
    claim(ch3_momentum_faster_at_gds_best_rate, "ch3: at GD's own best rate momentum is already faster"),
    claim(ch3_momentum_tolerates_larger_rates, "ch3: momentum still works at rates where GD diverges"),
    claim(ch3_rotation_leaves_gd_and_momentum_alone, "ch3: rotating the bowl leaves GD and momentum unchanged"),
    claim(ch3_rotation_costs_rmsprop_much, "ch3: tuned RMSProp ends far higher on the rotated bowl"),
    claim(ch3_rotation_costs_adam, "ch3: tuned Adam ends higher on the rotated bowl"),
    claim(ch3_tuned_adam_below_gd_on_rotated_bowl, "ch3: tuned, Adam still ends below GD on the rotated bowl"),
    claim(ch3_tuned_momentum_below_adam_on_rotated_bowl,
          "ch3: tuned momentum ends below tuned Adam on the rotated bowl"),
    claim(ch3_nesterov_below_momentum_at_same_setting, "ch3: at the same setting Nesterov ends lower than momentum"),
    claim(ch3_nesterov_oscillates_less_but_diverges_first,
          "ch3: where both are stable Nesterov mostly ends lower, but momentum is stable where Nesterov diverges"),
    claim(ch3_nesterov_cap_is_1_plus_2beta_smaller, "ch3: Nesterov's largest stable rate is 1 + 2 beta times smaller"),
    claim(ch3_adam_crosses_plateau_much_faster_than_gd,
          "ch3: beside a steep valley Adam crosses the plateau many times faster than tuned GD"),
    claim(ch3_momentum_crosses_plateau_faster_than_gd,
          "ch3: momentum crosses the plateau faster than GD, at a rate far above GD's cap"),
    claim(ch3_rmsprop_slower_than_adam_and_momentum_on_plateau,
          "ch3: RMSProp without momentum is slower than Adam and momentum on the plateau"),
    claim(ch3_l2_shrinks_weights_more_than_adamw,
          "ch3: at equal lambda, L2 under Adam shrinks the weights far more than AdamW"),
    claim(ch4_noise_ball_grows_like_sqrt_alpha, "ch4: the noise ball's spread follows sqrt(alpha / (h (2 - alpha h)))"),
    claim(ch4_most_tuned_schedules_beat_best_fixed_rate_seed_by_seed,
          "ch4: tuned, cosine, staircase and exponential decay end below the best fixed rate on most seeds"),
    claim(ch4_sqrt_decay_wins_least_often, "ch4: k/sqrt(t) beats the best fixed rate on the fewest seeds"),
    claim(ch4_inverse_time_with_decay_rate_1_kills_the_rate, "ch4: inverse time with decay_rate 1 kills the rate"),
    claim(ch4_fixed_rate_jitters_staircase_settles,
          "ch4: a fixed rate swings over an order of magnitude (several-fold in one iteration), the staircase settles"),
    claim(ch4_adam_decay_beats_best_fixed_rate, "ch4: Adam with decay at its best ends below the best fixed rate"),
    claim(ch4_adam_decay_allows_larger_rate, "ch4: decay lets Adam use a larger rate"),
    claim(ch4_fixed_rate_adam_jitters_decayed_settles,
          "ch4: fixed-rate Adam keeps jittering, decayed Adam comes to rest"),
    claim(ch4_adams_factor_does_not_vanish_near_the_end,
          "ch4: near the end, fixed-rate Adam's steps keep a size set by alpha (its factor does not go to 0)"),
    claim(ch4_adams_own_factor_falls_quickly,
          "ch4: Adam's own factor v_hat / sqrt(s_hat) is 1 at step 1 and falls within a few steps"),
    claim(ch4_first_ten_steps_several_times_larger,
          "ch4: Adam's first ten steps are several times its steps 91 to 100"),
]


@pytest.mark.parametrize("check", CLAIMS)
def test_claim(check):
    check()
