"""Chapter 7's reference implementations against the contract."""

import numpy as np
import pytest

from trainfaster.network import sigmoid
from trainfaster.softmax import cross_entropy_cost, one_hot, softmax, softmax_cross_entropy_grad, softmax_regression_step


def test_softmax_of_the_lecture_example():
    A = softmax(np.array([[5.0], [2.0], [-1.0], [3.0]]))
    np.testing.assert_allclose(A.ravel(), [0.842, 0.042, 0.002, 0.114], atol=5e-4)


def test_softmax_is_finite_and_exact_for_extreme_inputs():
    Z = np.array([[1000.0, -1000.0, 1e-3], [999.0, -1001.0, 0.0], [0.0, -1000.0, 2e-3]])
    A = softmax(Z)
    assert np.isfinite(A).all()
    np.testing.assert_allclose(A.sum(axis=0), 1.0)
    small = np.exp(Z[:, 2]) / np.exp(Z[:, 2]).sum()
    np.testing.assert_allclose(A[:, 2], small)
    np.testing.assert_allclose(A[:, 0], softmax(Z[:, :1] - 1000.0).ravel())


def test_softmax_with_two_classes_is_the_sigmoid():
    z = np.linspace(-30, 30, 13).reshape(1, -1)
    A = softmax(np.concatenate([z, np.zeros_like(z)]))
    np.testing.assert_allclose(A[0], sigmoid(z).ravel())


def test_one_hot_and_its_errors():
    np.testing.assert_array_equal(one_hot(np.array([2, 0, 1, 2]), 3), [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    assert one_hot(np.array([0]), 1).dtype == np.float64
    for bad in ([0, 3], [-1, 0], [0, 1.5]):
        with pytest.raises(ValueError):
            one_hot(np.array(bad), 3)
    with pytest.raises(ValueError, match="1-D"):
        one_hot(np.zeros((1, 3), dtype=int), 3)


def test_cross_entropy_counts_zero_log_zero_as_zero():
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    A = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert cross_entropy_cost(A, Y) == 0.0
    A = np.array([[0.5, 0.0], [0.5, 1.0]])
    assert cross_entropy_cost(A, Y) == pytest.approx(np.log(2) / 2)
    assert type(cross_entropy_cost(A, Y)) is float
    with pytest.raises(ValueError, match="same shape"):
        cross_entropy_cost(A, Y[:, :1])


def test_gradient_matches_numerical_differences():
    rng = np.random.default_rng(0)
    Z, Y = rng.standard_normal((4, 6)), one_hot(rng.integers(0, 4, 6), 4)
    dZ = softmax_cross_entropy_grad(softmax(Z), Y)
    h = 1e-6
    for index in np.ndindex(Z.shape):
        plus, minus = Z.copy(), Z.copy()
        plus[index] += h
        minus[index] -= h
        numerical = (cross_entropy_cost(softmax(plus), Y) - cross_entropy_cost(softmax(minus), Y)) / (2 * h)
        assert dZ[index] == pytest.approx(numerical, abs=1e-8)


def test_regression_step_lowers_the_cost_and_returns_the_cost_before():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((5, 40)), one_hot(rng.integers(0, 3, 40), 3)
    W, b = 0.1 * rng.standard_normal((3, 5)), np.zeros((3, 1))
    W1, b1, cost0 = softmax_regression_step(W, b, X, Y, 0.5)
    assert cost0 == pytest.approx(cross_entropy_cost(softmax(W @ X + b), Y))
    _, _, cost1 = softmax_regression_step(W1, b1, X, Y, 0.5)
    assert cost1 < cost0
    assert W1.shape == W.shape and b1.shape == b.shape


def test_log_softmax_and_the_cost_from_logits_stay_exact_where_softmax_underflows():
    from trainfaster.softmax import cross_entropy_from_logits, log_softmax

    np.testing.assert_array_equal(log_softmax(np.array([[0.0], [-1000.0]])), [[0.0], [-1000.0]])
    Z = np.random.default_rng(0).normal(0, 3, (4, 6))
    np.testing.assert_allclose(log_softmax(Z), np.log(softmax(Z)), atol=1e-12)
    Y = one_hot(np.array([1]), 2)
    with np.errstate(divide="ignore"):
        assert cross_entropy_cost(softmax(np.array([[0.0], [-1000.0]])), Y) == np.inf
    assert cross_entropy_from_logits(np.array([[0.0], [-1000.0]]), Y) == 1000.0
    soft = np.full((4, 6), 0.25)
    assert cross_entropy_from_logits(np.zeros((4, 6)), soft) == pytest.approx(np.log(4))
    with pytest.raises(ValueError, match="same shape"):
        cross_entropy_from_logits(Z, Y)
