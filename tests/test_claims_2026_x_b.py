"""The claims of the sentences that introduce the explorables of chapters 4 to 7 ("Try it: ..."), checked on random
streams, draws and initializations the pages do not use.

- ch. 4: on the noisy quadratic, a schedule that decays too fast (inverse time with decay_rate 0.3, exponential with
  base 0.95) freezes the runs before their mean reaches the minimum; one that decays too slowly leaves a ball wider
  than a well-tuned one's but narrower than the fixed rate's.
- ch. 5: the grid tries as many values of the important hyperparameter as it has rows, random search one a trial;
  random search's median best cost falls with the budget, while the grid's jumps up and down.
- ch. 6: scaling a batch-norm layer's W by c >= 1 leaves the network's output and divides the gradient by c; at
  c = 0.01 the variance nears epsilon and neither holds exactly (the gradient strays from 1/c, either way).
- ch. 7: for z = (5, 2, -1, 3) with class 0 true, the cost keeps falling as T falls without label smoothing, and has
  a lowest point at a finite T with it.
"""

import numpy as np
import pytest

from explorables import ch4_schedules, ch5_search, ch6_scale, ch7_temperature
from trainfaster import bn_network
from trainfaster.data import make_moons
from trainfaster.minibatch import update_parameters_with_gd
from trainfaster.softmax import cross_entropy_from_logits, one_hot
from trainfaster.tuning import random_search


def final_runs(label, position, seed):
    """`w` after the explorable's STEPS steps, 400 runs, on a random stream the page does not use."""
    rate = ch4_schedules.rates(label, position)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    parameters = {"w": np.full(400, ch4_schedules.W0)}
    for a in rate:
        grads = {"dw": ch4_schedules.H * parameters["w"] + ch4_schedules.SIGMA * rng.standard_normal(400)}
        parameters = update_parameters_with_gd(parameters, grads, a)
    return parameters["w"]


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_ch4_too_fast_freezes_too_slow_stays_wide(seed):
    fixed = final_runs("fixed rate", 0, seed)
    tuned = final_runs("inverse time", 2, seed)            # decay_rate 0.03, the default
    slow = final_runs("inverse time", 0, seed)             # decay_rate 0.003
    for label, position in (("inverse time", 4), ("exponential", 4)):  # decay_rate 0.3, base 0.95
        frozen = final_runs(label, position, seed)
        # the mean is still far from 0, many standard errors away, and far above the tuned run's
        assert frozen.mean() > 2.5 and frozen.mean() > 10 * frozen.std() / np.sqrt(400)
        assert abs(tuned.mean()) < 0.5
    assert tuned.std() < slow.std() < fixed.std()


@pytest.mark.parametrize("side", ch5_search.SIDES)
def test_ch5_distinct_values_tried(side):
    grid = ch5_search.grid_points(side)
    points, _ = ch5_search.random_points(side, seed=1000 + side)
    assert ch5_search.distinct(grid[:, 0]) == side
    assert ch5_search.distinct(points[:, 0]) == side * side


def test_ch5_random_median_falls_grid_jumps():
    draws = range(100, 140)  # the page uses 0 .. 19
    medians = [np.median([random_search(ch5_search.objective, ch5_search.sample_config, side * side, seed=s)[0][1]
                          for s in draws]) for side in ch5_search.SIDES]
    assert all(later <= earlier for earlier, later in zip(medians, medians[1:])), medians
    grid = [ch5_search.cost(ch5_search.grid_points(side)[:, 0]).min() for side in ch5_search.SIDES]
    assert sum(later > earlier for earlier, later in zip(grid, grid[1:])) >= 2, grid  # up and down, not falling


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_ch6_output_stays_gradient_divided(seed):
    X, Y = make_moons(m=512, noise=0.2, seed=seed + 10)
    start = bn_network.initialize_parameters(ch6_scale.LAYER_DIMS, seed=seed)
    AL1, caches, _ = bn_network.forward(X, start)
    norm1 = np.linalg.norm(bn_network.backward(AL1, Y, caches, start)["dW3"])
    for c in (3.0, 10.0, 100.0, 0.01):
        parameters = ch6_scale.scaled(start, c)
        AL, caches, _ = bn_network.forward(X, parameters)
        ratio = np.linalg.norm(bn_network.backward(AL, Y, caches, parameters)["dW3"]) / norm1
        if c >= 1:
            assert np.abs(AL - AL1).max() < 1e-4 and ratio == pytest.approx(1 / c, rel=1e-3)
        else:
            assert np.abs(AL - AL1).max() > 1e-3 and abs(ratio * c - 1) > 0.01


@pytest.mark.parametrize("smoothing", [0.0, 0.05, 0.1, 0.3])
def test_ch7_finite_optimum_only_with_smoothing(smoothing):
    temperatures = 10 ** np.linspace(-2, 1.5, 200)  # a finer and wider grid than the page's
    target = (1 - smoothing) * one_hot(np.array([0]), 4) + smoothing / 4
    costs = np.array([cross_entropy_from_logits(ch7_temperature.Z / T, target) for T in temperatures])
    if smoothing == 0:
        assert np.all(np.diff(costs) >= 0)         # lower T, lower cost, all the way (to float64's 0)
        assert np.all(np.diff(costs)[costs[:-1] > 1e-12] > 0)
    else:
        lowest = int(np.argmin(costs))
        assert 0 < lowest < len(temperatures) - 1  # inside the grid, not at its edge
