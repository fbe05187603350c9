"""Chapter 5's claims about Bayesian optimization, TPE and quasi-random search, re-run on search seeds the page does
not use, and the precomputed objective those claims rest on.

The page (`book/05_hyperparameter_tuning.md`, section "Search that learns from its trials") runs 10 searches of 32
trials from `np.random.SeedSequence(20230501)`; these tests use `SeedSequence(20260505)` (30 searches) and
`SeedSequence(20260506)` (128 trials), and fresh training seeds 1000-1009. A claim that fails here is rewritten on
the page to what holds.
"""

from functools import lru_cache

import numpy as np
import optuna
import pytest
from scipy.stats import norm, qmc

from trainfaster import many_seeds, network, tuning_surface
from trainfaster.data import make_moons
from trainfaster.optimizers import initialize_velocity, update_parameters_with_momentum
from trainfaster.tuning import expected_improvement, random_search, sample_beta, sample_log_uniform

optuna.logging.set_verbosity(optuna.logging.WARNING)
METHODS = ("random search", "quasi-random (Sobol)", "TPE (Optuna)")


def _search_config(rng):
    return {"learning_rate": float(sample_log_uniform(1e-4, 10.0, 1, rng)[0]),
            "beta": float(sample_beta(0.9, 0.999, 1, rng)[0])}


def _surface_cost(config):
    return tuning_surface.validation_cost(config["learning_rate"], config["beta"])


def _tpe_objective(trial):
    return tuning_surface.validation_cost(trial.suggest_float("learning_rate", 1e-4, 10.0, log=True),
                                          1 - trial.suggest_float("one_minus_beta", 1e-3, 0.1, log=True))


@lru_cache(maxsize=None)
def searches(entropy, n_searches, budget):
    """The page's three searches, one independent stream each per search seed: best-so-far curves, method -> (S, N),
    and TPE's best configuration of each search."""
    curves, tpe_best = {method: [] for method in METHODS}, []
    for stream in np.random.SeedSequence(entropy).spawn(n_searches):
        random_stream, sobol_stream, tpe_stream = stream.spawn(3)
        scores = []
        random_search(lambda config: scores.append(_surface_cost(config)) or scores[-1], _search_config, budget,
                      seed=random_stream)
        curves["random search"].append(scores)
        u = qmc.Sobol(d=2, scramble=True, seed=np.random.default_rng(sobol_stream)).random(budget)
        curves["quasi-random (Sobol)"].append(tuning_surface.validation_cost(10 ** (-4 + 5 * u[:, 0]),
                                                                             1 - 10 ** (-3 + 2 * u[:, 1])))
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=int(tpe_stream.generate_state(1)[0])))
        study.optimize(_tpe_objective, n_trials=budget)
        curves["TPE (Optuna)"].append([trial.value for trial in study.trials])
        tpe_best.append({"learning_rate": study.best_params["learning_rate"],
                         "beta": 1 - study.best_params["one_minus_beta"]})
    return {m: np.minimum.accumulate(np.array(v, dtype=float), axis=1) for m, v in curves.items()}, tpe_best


# -- the precomputed objective is the chapter's --------------------------------------------------------------------

def test_the_precomputed_surface_is_what_training_gives():
    """`tuning_surface.COSTS` is the grid `compute_surface()` trains (to the 6 decimals stored)."""
    np.testing.assert_allclose(tuning_surface.compute_surface(), tuning_surface.COSTS, rtol=0, atol=2e-6)


@pytest.mark.parametrize("i, j", [(16, 8), (14, 3), (8, 0)])
def test_a_grid_point_is_the_pages_own_training_run(i, j):
    """A grid point equals the page's `validation_cost(config)`: `network.train` with momentum, seed 1, 40 epochs."""
    X_train, Y_train = make_moons(m=300, noise=0.2, seed=0)
    X_val, Y_val = make_moons(m=300, noise=0.2, seed=1)
    rate, beta = 10 ** tuning_surface.LOG_RATES[i], 1 - 10 ** tuning_surface.LOG_ONE_MINUS_BETAS[j]
    state = {}

    def update(parameters, grads, t, epoch):
        if t == 1:
            state["v"] = initialize_velocity(parameters)
        parameters, state["v"] = update_parameters_with_momentum(parameters, grads, state["v"], beta, rate)
        return parameters

    trained = network.train(X_train, Y_train, network.MOONS_LAYERS, update, num_epochs=40, mini_batch_size=32, seed=1)
    cost = network.compute_cost(network.forward(X_val, trained.parameters)[0], Y_val)
    assert cost == pytest.approx(tuning_surface.COSTS[i, j], abs=2e-6)
    assert tuning_surface.validation_cost(rate, beta) == pytest.approx(tuning_surface.COSTS[i, j], abs=1e-12)


def test_the_surface_refuses_a_point_outside_its_box():
    with pytest.raises(ValueError, match="learning_rate=20"):
        tuning_surface.validation_cost(20.0, 0.95)
    with pytest.raises(ValueError, match="beta=0.5"):
        tuning_surface.validation_cost([0.1, 0.2], [0.95, 0.5])


# -- expected improvement: scipy, Monte Carlo, and the page's Gaussian-process step ---------------------------------

def test_expected_improvement_is_the_mean_improvement_of_a_normal_score():
    """EI equals scipy's closed form and a Monte Carlo mean of max(best - y, 0), y ~ N(mu, sigma^2); and it grows with
    sigma at a fixed mu (exploration) and as mu falls at a fixed sigma (exploitation), as the page says."""
    rng = np.random.default_rng(2026)
    mu, sigma, best = rng.normal(0.3, 0.2, 8), rng.uniform(0.01, 0.3, 8), 0.25
    z = (best - mu) / sigma
    np.testing.assert_allclose(expected_improvement(mu, sigma, best),
                               (best - mu) * norm.cdf(z) + sigma * norm.pdf(z), rtol=1e-12, atol=1e-15)
    draws = rng.normal(mu[:, None], sigma[:, None], (8, 200_000))
    np.testing.assert_allclose(expected_improvement(mu, sigma, best), np.maximum(best - draws, 0).mean(axis=1),
                               rtol=0.03, atol=3e-4)
    sigmas = np.linspace(0, 1, 50)
    assert np.all(np.diff(expected_improvement(np.full(50, 0.4), sigmas, best)) > 0)
    mus = np.linspace(1, -1, 50)
    assert np.all(np.diff(expected_improvement(mus, np.full(50, 0.1), best)) > 0)


# -- TPE against random and quasi-random search -------------------------------------------------------------------

def test_tpe_ends_lower_than_random_search_at_32_trials():
    """"TPE ends lower than random search in most searches, and its worst search beats random search's worst"
    (the page: 8 of 10)."""
    curves, _ = searches(20260505, 30, 32)
    tpe, rand = curves["TPE (Optuna)"][:, -1], curves["random search"][:, -1]
    assert np.sum(tpe < rand) >= 0.7 * len(tpe), np.sum(tpe < rand)
    assert np.median(tpe) < np.median(rand)
    assert tpe.max() < rand.max()


def test_tpe_has_no_lead_during_its_random_startup_trials():
    """"Its lead starts only after its 10 random startup trials"."""
    curves, _ = searches(20260505, 30, 32)
    assert np.median(curves["TPE (Optuna)"][:, 9]) >= np.median(curves["random search"][:, 9]) - 0.01
    assert np.median(curves["TPE (Optuna)"][:, -1]) < np.median(curves["TPE (Optuna)"][:, 9]) - 0.005


def test_sobol_search_has_no_consistent_median_lead_but_a_better_worst_search():
    """"Paired search by search it ends lower than random search in only about half ... no consistent difference in the
    median, unlike TPE's lead. What it does improve is the worst search" (rev-b 13: the median gap is tested paired,
    and against TPE's, not against an arbitrary bound)."""
    curves, _ = searches(20260505, 30, 32)
    sobol, rand = curves["quasi-random (Sobol)"][:, -1], curves["random search"][:, -1]
    tpe = curves["TPE (Optuna)"][:, -1]
    wins, tpe_wins = int(np.sum(sobol < rand)), int(np.sum(tpe < rand))
    assert 0.3 * len(sobol) <= wins <= 0.7 * len(sobol) < tpe_wins, (wins, tpe_wins)
    assert abs(np.median(sobol) - np.median(rand)) < np.median(rand) - np.median(tpe)
    assert sobol.max() < rand.max()
    assert np.percentile(sobol, 90) < np.percentile(rand, 90)


def test_tpe_gain_is_smaller_than_seed_to_seed_noise_of_real_training():
    """"TPE's gain over random search is smaller than the seed-to-seed spread of a single configuration": the median
    gap on the precomputed objective, against the spread of TPE's best configurations retrained on fresh seeds."""
    curves, tpe_best = searches(20260505, 30, 32)
    gap = np.median(curves["random search"][:, -1]) - np.median(curves["TPE (Optuna)"][:, -1])
    X_train, Y_train = make_moons(m=300, noise=0.2, seed=0)
    X_val, Y_val = make_moons(m=300, noise=0.2, seed=1)
    costs = many_seeds.validation_costs((X_train, Y_train, X_val, Y_val), tpe_best[:3], list(range(1000, 1010)), 40)
    spreads = costs.max(axis=1) - costs.min(axis=1)
    assert 0 < gap < spreads.min(), (gap, spreads)


def test_tpe_still_ends_lower_with_a_larger_budget():
    """The page's "the claim tests repeat the comparison ... with a larger budget" (128 trials): TPE still ends lower
    than random search, in most searches."""
    curves, _ = searches(20260506, 12, 128)
    tpe, rand = curves["TPE (Optuna)"][:, -1], curves["random search"][:, -1]
    assert np.sum(tpe < rand) >= 0.7 * len(tpe), np.sum(tpe < rand)
    assert np.median(tpe) < np.median(rand)
