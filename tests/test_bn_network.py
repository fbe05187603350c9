"""The batch-norm network (chapter 6) and the softmax network (chapter 7): gradients and training."""

import numpy as np
import pytest

from trainfaster import batchnorm, bn_network, network, softmax_network
from trainfaster.data import make_moons, make_spirals
from trainfaster.minibatch import epoch_seed, random_mini_batches, update_parameters_with_gd
from trainfaster.softmax import cross_entropy_cost, one_hot


def _numerical(cost, parameters, h=1e-6):
    grads = {}
    for name, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[name][index] += h
            minus[name][index] -= h
            grad[index] = (cost(plus) - cost(minus)) / (2 * h)
        grads["d" + name] = grad
    return grads


def test_bn_parameters_have_no_hidden_bias():
    parameters = bn_network.initialize_parameters((2, 4, 3, 1))
    assert sorted(parameters) == ["W1", "W2", "W3", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    assert parameters["gamma2"].shape == (3, 1) and np.all(parameters["gamma2"] == 1)


def test_bn_backward_matches_numerical_gradients():
    X, Y = make_moons(m=12, seed=2)
    parameters = bn_network.initialize_parameters((2, 5, 4, 1), seed=1)
    parameters = {k: v + 0.1 * np.random.default_rng(0).standard_normal(v.shape) for k, v in parameters.items()}
    AL, caches, _ = bn_network.forward(X, parameters)
    grads = bn_network.backward(AL, Y, caches, parameters)
    numerical = _numerical(lambda p: network.compute_cost(bn_network.forward(X, p)[0], Y), parameters)
    assert sorted(grads) == sorted(numerical)
    for key in grads:
        np.testing.assert_allclose(grads[key], numerical[key], rtol=1e-4, atol=1e-7, err_msg=key)


def test_bn_training_learns_and_keeps_running_stats():
    X, Y = make_moons(m=256, seed=0)
    def step(parameters, grads, t, epoch):
        return update_parameters_with_gd(parameters, grads, 0.5)

    result = bn_network.train(X, Y, (2, 16, 16, 1), step, num_epochs=15, mini_batch_size=64)
    assert result.costs[-1] < 0.5 * result.costs[0]
    assert float((bn_network.predict(X, result.parameters, result.running) == Y).mean()) > 0.9
    Z1 = result.parameters["W1"] @ X
    np.testing.assert_allclose(result.running["mean1"], Z1.mean(axis=1, keepdims=True), atol=0.3)
    single, _, _ = bn_network.forward(X[:, :1], result.parameters, result.running)
    full, _, _ = bn_network.forward(X, result.parameters, result.running)
    assert single[0, 0] == pytest.approx(full[0, 0])  # at test time an example does not depend on its batch


def test_softmax_network_gradients_and_training():
    X, labels = make_spirals(m=9, seed=1)
    Y = one_hot(labels, 3)
    parameters = network.initialize_parameters((2, 6, 3), seed=2)
    AL, caches = softmax_network.forward(X, parameters)
    np.testing.assert_allclose(AL.sum(axis=0), 1.0)
    grads = network.backward(AL, Y, caches, parameters)
    numerical = _numerical(lambda p: cross_entropy_cost(softmax_network.forward(X, p)[0], Y), parameters)
    for key in grads:
        np.testing.assert_allclose(grads[key], numerical[key], rtol=1e-4, atol=1e-7, err_msg=key)

    X, labels = make_spirals(m=150, seed=0)
    def step(parameters, grads, t, epoch):
        return update_parameters_with_gd(parameters, grads, 0.5)

    result = softmax_network.train(X, one_hot(labels, 3), (2, 16, 3), step, num_epochs=30, mini_batch_size=32)
    assert result.costs[-1] < 0.8 * result.costs[0]
    assert softmax_network.predict(X, result.parameters).shape == (150,)


def test_layer_norm_network_gradients_and_batch_independence():
    X, Y = make_moons(m=10, seed=3)
    parameters = bn_network.initialize_parameters((2, 5, 4, 1), seed=1)
    parameters = {k: v + 0.1 * np.random.default_rng(0).standard_normal(v.shape) for k, v in parameters.items()}
    ops = bn_network.LAYER_NORM
    AL, caches, _ = bn_network.forward(X, parameters, ops=ops)
    grads = bn_network.backward(AL, Y, caches, parameters, ops=ops)
    numerical = _numerical(lambda p: network.compute_cost(bn_network.forward(X, p, ops=ops)[0], Y), parameters)
    for key in grads:
        np.testing.assert_allclose(grads[key], numerical[key], rtol=1e-4, atol=1e-7, err_msg=key)
    running = bn_network.initialize_running((2, 5, 4, 1))
    np.testing.assert_allclose(bn_network.forward(X, parameters, running, ops=ops)[0], AL)  # test time = training
    np.testing.assert_allclose(bn_network.forward(X[:, :1], parameters, ops=ops)[0], AL[:, :1])


@pytest.mark.parametrize("stacked, ops", [(bn_network.STACKED_BATCH_NORM, batchnorm),
                                          (bn_network.STACKED_LAYER_NORM, bn_network.LAYER_NORM)])
def test_train_many_trains_each_network_as_train_would(stacked, ops):
    X, Y = make_moons(m=100, noise=0.2, seed=3)
    rates = np.array([0.05, 0.5])

    def step(rate):
        return lambda parameters, grads, t, epoch: {k: v - rate * grads["d" + k] for k, v in parameters.items()}

    costs, parameters, running = bn_network.train_many(X, Y, (2, 8, 8, 1), step(rates[:, None, None]), seeds=[4, 9],
                                                       num_epochs=3, mini_batch_size=32, ops=stacked)
    for k, (seed, rate) in enumerate(zip([4, 9], rates)):
        alone = bn_network.train(X, Y, (2, 8, 8, 1), step(rate), num_epochs=3, mini_batch_size=32, seed=seed, ops=ops)
        np.testing.assert_allclose(costs[:, k], alone.costs, rtol=1e-12)
        for name in alone.parameters:
            np.testing.assert_allclose(parameters[name][k], alone.parameters[name], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(running["var1"][k], alone.running["var1"], rtol=1e-10)


def test_each_epoch_shuffles_from_its_own_stream():
    """Seed s at epoch e must not repeat seed s + 1 at epoch e - 1 (the old `seed + epoch` did)."""
    X, Y = np.arange(64.0)[None], np.zeros((1, 64))
    order = lambda seed, epoch: random_mini_batches(X, Y, 64, epoch_seed(seed, epoch))[0][0]
    assert not np.array_equal(order(3, 2), order(4, 1))
    assert not np.array_equal(order(3, 0), np.random.default_rng(3).permutation(64)[None])
