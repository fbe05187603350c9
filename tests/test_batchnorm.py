"""Chapter 6's reference implementations against the contract."""

import numpy as np
import pytest

from trainfaster.batchnorm import batchnorm_backward, batchnorm_forward, batchnorm_inference, update_running_stats


def _numerical_grads(Z, gamma, beta, dZ_tilde, h=1e-6):
    """Central differences of `sum(dZ_tilde * Z_tilde)` with respect to Z, gamma and beta."""
    def loss(Z_, gamma_, beta_):
        return float((batchnorm_forward(Z_, gamma_, beta_)[0] * dZ_tilde).sum())

    grads = []
    for k, array in enumerate((Z, gamma, beta)):
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            plus, minus = [Z.copy(), gamma.copy(), beta.copy()], [Z.copy(), gamma.copy(), beta.copy()]
            plus[k][index] += h
            minus[k][index] -= h
            grad[index] = (loss(*plus) - loss(*minus)) / (2 * h)
        grads.append(grad)
    return grads


def test_forward_normalizes_each_row_over_the_batch():
    Z = np.array([[1.0, 2.0, 3.0, 6.0], [-1.0, -1.0, 1.0, 1.0]])
    gamma, beta = np.ones((2, 1)), np.zeros((2, 1))
    Z_tilde, _ = batchnorm_forward(Z, gamma, beta, epsilon=0.0)
    np.testing.assert_allclose(Z_tilde.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_tilde.var(axis=1), 1)  # var divides by m
    np.testing.assert_allclose(Z_tilde[1], [-1, -1, 1, 1])


def test_gamma_and_beta_can_undo_the_normalization():
    Z = np.random.default_rng(1).normal(3.0, 2.0, (3, 50))
    mu, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
    Z_tilde, _ = batchnorm_forward(Z, np.sqrt(var + 1e-5), mu)
    np.testing.assert_allclose(Z_tilde, Z)


@pytest.mark.parametrize("n, m", [(1, 2), (3, 2), (4, 7), (2, 30)])
def test_backward_matches_numerical_gradients(n, m):
    rng = np.random.default_rng(n * 100 + m)
    Z = rng.normal(0.5, 2.0, (n, m))
    Z[0] = 1.25  # a unit with zero variance over the batch
    gamma, beta, dZ_tilde = rng.standard_normal((n, 1)), rng.standard_normal((n, 1)), rng.standard_normal((n, m))
    _, cache = batchnorm_forward(Z, gamma, beta)
    for analytic, numerical in zip(batchnorm_backward(dZ_tilde, cache), _numerical_grads(Z, gamma, beta, dZ_tilde)):
        np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-5)


def test_functions_leave_their_inputs_alone():
    rng = np.random.default_rng(2)
    Z, gamma, beta, dZ_tilde = rng.standard_normal((3, 5)), rng.standard_normal((3, 1)), rng.standard_normal((3, 1)), rng.standard_normal((3, 5))
    copies = [a.copy() for a in (Z, gamma, beta, dZ_tilde)]
    _, cache = batchnorm_forward(Z, gamma, beta)
    batchnorm_backward(dZ_tilde, cache)
    batchnorm_inference(Z, gamma, beta, np.ones((3, 1)), np.ones((3, 1)))
    for before, after in zip(copies, (Z, gamma, beta, dZ_tilde)):
        np.testing.assert_array_equal(before, after)


def test_running_stats_are_an_ewa():
    running_mean, running_var = np.zeros((2, 1)), np.ones((2, 1))
    for _ in range(200):
        running_mean, running_var = update_running_stats(running_mean, running_var, np.full((2, 1), 3.0), np.full((2, 1), 4.0))
    np.testing.assert_allclose(running_mean, 3.0 * (1 - 0.9**200))
    np.testing.assert_allclose(running_var, 4.0 + (1.0 - 4.0) * 0.9**200)
    mean, var = update_running_stats(np.ones(1), np.ones(1), np.zeros(1), np.zeros(1), momentum=0.75)
    np.testing.assert_allclose([mean, var], [[0.75], [0.75]])


def test_inference_uses_running_stats_and_works_on_one_example():
    z = np.array([[2.0], [-1.0]])
    gamma, beta = np.array([[2.0], [0.5]]), np.array([[1.0], [0.0]])
    Z_tilde = batchnorm_inference(z, gamma, beta, np.array([[1.0], [0.0]]), np.array([[4.0], [1.0]]), epsilon=0.0)
    np.testing.assert_allclose(Z_tilde, [[2.0], [-0.5]])


def test_bad_shapes_raise_a_clear_error():
    with pytest.raises(ValueError, match=r"gamma must have shape \(3, 1\)"):
        batchnorm_forward(np.zeros((3, 4)), np.ones(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="2-D"):
        batchnorm_forward(np.zeros(4), np.ones((4, 1)), np.zeros((4, 1)))


def _layernorm_numerical(Z, gamma, beta, dZ_tilde, h=1e-6):
    """Central differences of `sum(dZ_tilde * layernorm(Z))` with respect to Z, gamma and beta."""
    from trainfaster.batchnorm import layernorm_forward

    def loss(Z_, gamma_, beta_):
        return float((layernorm_forward(Z_, gamma_, beta_)[0] * dZ_tilde).sum())

    grads = []
    for k, array in enumerate((Z, gamma, beta)):
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            plus, minus = [Z.copy(), gamma.copy(), beta.copy()], [Z.copy(), gamma.copy(), beta.copy()]
            plus[k][index] += h
            minus[k][index] -= h
            grad[index] = (loss(*plus) - loss(*minus)) / (2 * h)
        grads.append(grad)
    return grads


def test_layernorm_is_batchnorm_of_the_transpose():
    from trainfaster.batchnorm import layernorm_forward

    rng = np.random.default_rng(3)
    Z, gamma, beta = rng.normal(2, 3, (5, 7)), rng.standard_normal((5, 1)), rng.standard_normal((5, 1))
    Z_norm, _ = layernorm_forward(Z, np.ones((5, 1)), np.zeros((5, 1)))
    np.testing.assert_allclose(Z_norm, batchnorm_forward(Z.T, np.ones((7, 1)), np.zeros((7, 1)))[0].T, atol=1e-12)
    Z_tilde, _ = layernorm_forward(Z, gamma, beta)
    np.testing.assert_allclose(Z_tilde, gamma * Z_norm + beta, atol=1e-12)
    # An example's result does not depend on the rest of its batch.
    np.testing.assert_allclose(layernorm_forward(Z[:, :1], gamma, beta)[0], Z_tilde[:, :1], atol=1e-12)


@pytest.mark.parametrize("n, m", [(1, 3), (4, 1), (3, 5)])
def test_layernorm_backward_matches_numerical_gradients(n, m):
    from trainfaster.batchnorm import layernorm_backward, layernorm_forward

    rng = np.random.default_rng(n * 10 + m)
    Z, gamma, beta = rng.normal(1, 2, (n, m)), rng.normal(0, 2, (n, 1)), rng.standard_normal((n, 1))
    Z[:, 0] = 0.5  # an example whose units are all equal (zero variance)
    dZ_tilde = rng.standard_normal((n, m))
    result = layernorm_backward(dZ_tilde, layernorm_forward(Z, gamma, beta)[1])
    for analytic, numerical in zip(result, _layernorm_numerical(Z, gamma, beta, dZ_tilde)):
        np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-6)
