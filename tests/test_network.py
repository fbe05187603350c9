"""The course network: shapes, a numerical gradient check of the backward pass, and training."""

import numpy as np
import pytest

from trainfaster import network
from trainfaster.data import make_moons
from trainfaster.minibatch import update_parameters_with_gd


def numerical_grads(X, Y, parameters, h=1e-6):
    """Central differences of the cost with respect to every parameter entry."""
    grads = {}
    for name, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + h
            plus = network.compute_cost(network.forward(X, parameters)[0], Y)
            value[index] = original - h
            minus = network.compute_cost(network.forward(X, parameters)[0], Y)
            value[index] = original
            grad[index] = (plus - minus) / (2 * h)
        grads["d" + name] = grad
    return grads


@pytest.mark.parametrize("layer_dims", [(3, 1), (2, 4, 1), (4, 5, 3, 1)])
def test_backward_matches_numerical_gradients(layer_dims):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((layer_dims[0], 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    parameters = network.initialize_parameters(layer_dims, seed=1)
    for name in parameters:  # non-zero biases, so their gradients are exercised too
        parameters[name] += 0.1 * rng.standard_normal(parameters[name].shape)
    AL, caches = network.forward(X, parameters)
    grads = network.backward(AL, Y, caches, parameters)
    expected = numerical_grads(X, Y, parameters)
    assert sorted(grads) == sorted(expected)
    for name in expected:
        np.testing.assert_allclose(grads[name], expected[name], rtol=1e-5, atol=1e-8, err_msg=name)


def test_initialization_shapes_and_scale():
    parameters = network.initialize_parameters((400, 300, 1), seed=0)
    assert parameters["W1"].shape == (300, 400) and parameters["b1"].shape == (300, 1)
    assert parameters["W2"].shape == (1, 300) and not parameters["b2"].any()
    assert abs(parameters["W1"].std() - np.sqrt(2 / 400)) < 0.01 * np.sqrt(2 / 400) * 10


def test_sigmoid_is_stable_and_cost_finite():
    Z = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    A = network.sigmoid(Z)
    assert np.isfinite(A).all() and A[0, 2] == 0.5 and A[0, 0] == 0.0 and A[0, 4] == 1.0
    assert np.isfinite(network.compute_cost(A, np.array([[1.0, 1, 1, 0, 0]])))


def test_make_moons_is_seeded_and_shaped():
    X, Y = make_moons(m=101, noise=0.1, seed=3)
    assert X.shape == (2, 101) and Y.shape == (1, 101) and X.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0} and Y.sum() == 51
    np.testing.assert_array_equal(X, make_moons(m=101, noise=0.1, seed=3)[0])
    assert not np.array_equal(X, make_moons(m=101, noise=0.1, seed=4)[0])
    with pytest.raises(ValueError, match="m >= 2"):
        make_moons(m=1)


def test_train_learns_the_moons_and_is_reproducible():
    X, Y = make_moons(m=256, noise=0.2, seed=0)

    def step(parameters, grads, t, epoch):
        return update_parameters_with_gd(parameters, grads, 0.5)

    result = network.train(X, Y, network.MOONS_LAYERS, step, num_epochs=100, mini_batch_size=64, seed=1)
    assert len(result.costs) == 100 and len(result.batch_costs) == 400
    assert result.costs[-1] < 0.5 * result.costs[0]
    assert network.accuracy(X, Y, result.parameters) > 0.9
    again = network.train(X, Y, network.MOONS_LAYERS, step, num_epochs=100, mini_batch_size=64, seed=1)
    assert again.costs == result.costs


def test_train_passes_step_count_and_epoch_to_the_update():
    X, Y = make_moons(m=10, seed=0)
    calls = []

    def record(parameters, grads, t, epoch):
        calls.append((t, epoch))
        return parameters

    network.train(X, Y, (2, 3, 1), record, num_epochs=2, mini_batch_size=4)
    assert calls == [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 1)]
