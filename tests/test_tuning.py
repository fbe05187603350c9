"""Chapter 5's reference tuning helpers against the contract."""

import math

import numpy as np
import pytest

from trainfaster.tuning import random_search, sample_beta, sample_log_uniform, successive_halving, zoom_range


def test_log_uniform_is_the_contract_formula_and_fills_every_decade():
    samples = sample_log_uniform(1e-4, 1.0, 40_000, np.random.default_rng(3))
    np.testing.assert_allclose(samples, 10 ** np.random.default_rng(3).uniform(-4, 0, 40_000))
    counts, _ = np.histogram(np.log10(samples), bins=[-4, -3, -2, -1, 0])
    np.testing.assert_allclose(counts / samples.size, 0.25, atol=0.01)
    assert samples.min() >= 1e-4 and samples.max() <= 1.0


def test_beta_is_log_uniform_in_one_minus_beta():
    betas = sample_beta(0.9, 0.999, 20_000, np.random.default_rng(4))
    assert betas.min() >= 0.9 and betas.max() <= 0.999
    assert abs((betas < 0.99).mean() - 0.5) < 0.02
    np.testing.assert_allclose(betas, 1 - 10 ** np.random.default_rng(4).uniform(-3, -1, 20_000))


@pytest.mark.parametrize("call", [lambda: sample_log_uniform(0, 1, 3, np.random.default_rng()),
                                  lambda: sample_log_uniform(1, 0.1, 3, np.random.default_rng()),
                                  lambda: sample_beta(0.9, 1.0, 3, np.random.default_rng())])
def test_bad_ranges_are_refused(call):
    with pytest.raises(ValueError, match="needs"):
        call()


def test_random_search_is_deterministic_sorted_and_shares_one_rng():
    def sample(rng):
        return {"x": float(rng.uniform(-1, 1))}

    def objective(config):
        return (config["x"] - 0.3) ** 2

    trials = random_search(objective, sample, 20, seed=5)
    assert trials == random_search(objective, sample, 20, seed=5)
    assert trials != random_search(objective, sample, 20, seed=6)
    rng = np.random.default_rng(5)
    xs = [float(rng.uniform(-1, 1)) for _ in range(20)]
    assert sorted(config["x"] for config, _ in trials) == sorted(xs)
    scores = [score for _, score in trials]
    assert scores == sorted(scores) and all(type(s) is float for s in scores)


def test_random_search_refuses_nan_scores():
    with pytest.raises(ValueError, match="nan"):
        random_search(lambda config: math.nan, lambda rng: {"a": rng.random()}, 3)


def test_zoom_range():
    values = [0.1, 0.5, 0.2, 0.9, 0.3]
    scores = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert zoom_range(values, scores, top_k=2) == (0.5, 0.9)
    assert zoom_range(values, scores, top_k=3) == (0.3, 0.9)
    assert zoom_range(values, scores, top_k=10) == (0.1, 0.9)
    with pytest.raises(ValueError, match="equal length"):
        zoom_range(values, scores[:3])
    with pytest.raises(ValueError, match="top_k"):
        zoom_range(values, scores, top_k=0)


def _recording(score):
    calls = []

    def objective(config, budget):
        calls.append((config["id"], budget))
        return score(config["id"], budget)

    return objective, calls


def test_successive_halving_rounds_budgets_and_result():
    """27 configs, eta 3: 27 at budget 1, 9 at 3, 3 at 9, 1 at 27 (108 epochs); survivors evaluated best first."""
    objective, calls = _recording(lambda k, budget: abs(k - 13.3) + 1 / budget)
    result = successive_halving(objective, [{"id": k} for k in range(27)])
    budgets = [budget for _, budget in calls]
    assert budgets == [1] * 27 + [3] * 9 + [9] * 3 + [27] and sum(budgets) == 108
    assert [k for k, _ in calls[27:36]] == [13, 14, 12, 15, 11, 16, 10, 17, 9]
    assert [k for k, _ in calls[36:]] == [13, 14, 12, 13]
    assert [(c["id"], b) for c, _, b in result[:4]] == [(13, 27), (14, 9), (12, 9), (15, 3)]
    assert len(result) == 27 and sorted(c["id"] for c, _, _ in result) == list(range(27))


def test_successive_halving_ties_go_to_the_earlier_evaluated():
    objective, calls = _recording(lambda k, budget: 0.0)
    result = successive_halving(objective, [{"id": k} for k in range(9)], min_budget=2, eta=3)
    assert calls == [(k, 2) for k in range(9)] + [(0, 6), (1, 6), (2, 6), (0, 18)]
    assert result[0][0]["id"] == 0 and result[0][2] == 18


@pytest.mark.parametrize("kwargs, named", [({"configs": []}, "at least one config"), ({"eta": 1}, "eta >= 2"),
                                           ({"eta": 2.5}, "eta >= 2"), ({"min_budget": 0}, "min_budget > 0")])
def test_successive_halving_refuses_bad_arguments(kwargs, named):
    arguments = {"objective": lambda c, b: 0.0, "configs": [{"id": 0}], **kwargs}
    with pytest.raises(ValueError, match=named):
        successive_halving(**arguments)
