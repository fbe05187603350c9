"""Chapter 3's reference optimizers: hand-computed steps, the contract's details, and PyTorch."""

import copy

import numpy as np
import pytest
import torch

from trainfaster import network, sweep
from trainfaster.data import make_moons
from trainfaster.minibatch import update_parameters_with_gd
from trainfaster.optimizers import (initialize_adam, initialize_rmsprop, initialize_velocity,
                                    update_parameters_with_adam, update_parameters_with_adamw,
                                    update_parameters_with_momentum, update_parameters_with_nesterov,
                                    update_parameters_with_rmsprop)


def random_problem(layer_dims, seed):
    rng = np.random.default_rng(seed)
    parameters = network.initialize_parameters(layer_dims, seed=seed)
    parameters = {k: p + 0.1 * rng.standard_normal(p.shape) for k, p in parameters.items()}
    grads_per_step = [{"d" + k: rng.standard_normal(p.shape) for k, p in parameters.items()} for _ in range(5)]
    return parameters, grads_per_step


def test_initializers_give_zeros_keyed_like_grads():
    parameters = network.initialize_parameters((3, 4, 1), seed=0)
    for state in [initialize_velocity(parameters), initialize_rmsprop(parameters), *initialize_adam(parameters)]:
        assert sorted(state) == ["dW1", "dW2", "db1", "db2"]
        for key, value in state.items():
            assert value.shape == parameters[key[1:]].shape and value.dtype == np.float64 and not value.any()


def test_one_hand_computed_step_each():
    parameters, grads = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}, {"dW1": np.array([[2.0]]), "db1": np.array([[-4.0]])}
    updated, v = update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), 0.9, 0.5)
    np.testing.assert_allclose(v["dW1"], [[0.2]])
    np.testing.assert_allclose(updated["W1"], [[0.9]])
    np.testing.assert_allclose(updated["b1"], [[0.2]])
    updated, s = update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), 0.75, 0.5, epsilon=0.0)
    np.testing.assert_allclose(s["db1"], [[4.0]])
    np.testing.assert_allclose(updated["W1"], [[0.0]])  # 1 - 0.5 * 2 / sqrt(0.25 * 4)
    np.testing.assert_allclose(updated["b1"], [[1.0]])
    # Adam's first step is learning_rate * sign(gradient), whatever the gradient's size.
    updated, v, s = update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), t=1, epsilon=0.0)
    np.testing.assert_allclose(updated["W1"], [[0.99]])
    np.testing.assert_allclose(updated["b1"], [[0.01]])


@pytest.mark.parametrize("layer_dims", [(3, 1), (2, 4, 1), (4, 5, 3, 2)])
def test_inputs_are_not_modified_and_every_parameter_moves(layer_dims):
    parameters, grads_per_step = random_problem(layer_dims, seed=1)
    grads = grads_per_step[0]
    before = copy.deepcopy((parameters, grads))
    results = [
        update_parameters_with_momentum(parameters, grads, initialize_velocity(parameters), 0.9, 0.1)[0],
        update_parameters_with_rmsprop(parameters, grads, initialize_rmsprop(parameters), 0.999, 0.1)[0],
        update_parameters_with_adam(parameters, grads, *initialize_adam(parameters), t=1)[0],
    ]
    for updated in results:
        assert sorted(updated) == sorted(parameters)
        assert all(not np.allclose(updated[k], parameters[k]) for k in parameters)
    for key in parameters:
        np.testing.assert_array_equal(parameters[key], before[0][key])
        np.testing.assert_array_equal(grads["d" + key], before[1]["d" + key])


def run_torch(make_optimizer, parameters, grads_per_step):
    """Apply `grads_per_step` with a torch optimizer to float64 copies of `parameters`; return them."""
    tensors = {k: torch.tensor(p, dtype=torch.float64, requires_grad=True) for k, p in parameters.items()}
    optimizer = make_optimizer(list(tensors.values()))
    for grads in grads_per_step:
        for k, tensor in tensors.items():
            tensor.grad = torch.tensor(grads["d" + k], dtype=torch.float64)
        optimizer.step()
    return {k: tensor.detach().numpy() for k, tensor in tensors.items()}


@pytest.mark.parametrize("layer_dims", [(3, 1), (2, 4, 1), (4, 5, 3, 2)])
def test_five_steps_agree_with_pytorch(layer_dims):
    parameters, grads_per_step = random_problem(layer_dims, seed=2)
    lr, beta1, beta2, eps = 0.05, 0.8, 0.99, 1e-2

    ours, v, s = dict(parameters), initialize_adam(parameters)[0], initialize_adam(parameters)[1]
    for t, grads in enumerate(grads_per_step, start=1):
        ours, v, s = update_parameters_with_adam(ours, grads, v, s, t, lr, beta1, beta2, eps)
    theirs = run_torch(lambda ps: torch.optim.Adam(ps, lr=lr, betas=(beta1, beta2), eps=eps), parameters, grads_per_step)
    for k in parameters:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-14, err_msg=f"Adam {k}")

    ours, s = dict(parameters), initialize_rmsprop(parameters)
    for grads in grads_per_step:
        ours, s = update_parameters_with_rmsprop(ours, grads, s, beta2, lr, eps)
    theirs = run_torch(lambda ps: torch.optim.RMSprop(ps, lr=lr, alpha=beta2, eps=eps), parameters, grads_per_step)
    for k in parameters:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-14, err_msg=f"RMSProp {k}")

    # PyTorch's momentum is v = beta v + g (no 1 - beta), so its learning rate is ours times (1 - beta).
    ours, v = dict(parameters), initialize_velocity(parameters)
    for grads in grads_per_step:
        ours, v = update_parameters_with_momentum(ours, grads, v, beta1, lr)
    theirs = run_torch(lambda ps: torch.optim.SGD(ps, lr=lr * (1 - beta1), momentum=beta1), parameters, grads_per_step)
    for k in parameters:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-14, err_msg=f"momentum {k}")


def test_adam_defaults():
    parameters, grads_per_step = random_problem((2, 3, 1), seed=3)
    v, s = initialize_adam(parameters)
    default = update_parameters_with_adam(parameters, grads_per_step[0], v, s, 1)
    explicit = update_parameters_with_adam(parameters, grads_per_step[0], v, s, 1, 0.01, 0.9, 0.999, 1e-8)
    for a, b in zip(default, explicit):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_nesterov_and_adamw_by_hand():
    parameters, grads = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}, {"dW1": np.array([[2.0]]), "db1": np.array([[-4.0]])}
    v = {"dW1": np.array([[1.0]]), "db1": np.array([[0.0]])}
    updated, v_new = update_parameters_with_nesterov(parameters, grads, v, 0.5, 0.1)
    np.testing.assert_allclose(v_new["dW1"], [[1.5]])  # 0.5 * 1 + 0.5 * 2
    np.testing.assert_allclose(updated["W1"], [[1 - 0.1 * (0.5 * 1.5 + 0.5 * 2)]])
    np.testing.assert_allclose(updated["b1"], [[0.1 * (0.5 * -2 + 0.5 * -4) * -1]])
    # AdamW's first step: Adam's learning_rate * sign(gradient), plus learning_rate * weight_decay * the old W.
    updated, _, _ = update_parameters_with_adamw(parameters, grads, *initialize_adam(parameters), t=1, epsilon=0.0,
                                                 weight_decay=0.5)
    np.testing.assert_allclose(updated["W1"], [[1 - 0.01 - 0.01 * 0.5]])
    np.testing.assert_allclose(updated["b1"], [[0.01]])


def test_adamw_without_decay_is_adam_and_decay_is_not_l2():
    parameters, grads_per_step = random_problem((2, 3, 1), seed=4)
    v, s = initialize_adam(parameters)
    adam = update_parameters_with_adam(parameters, grads_per_step[0], v, s, 1)
    adamw = update_parameters_with_adamw(parameters, grads_per_step[0], v, s, 1, weight_decay=0.0)
    for a, b in zip(adam, adamw):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
    l2_grads = {k: g + 0.1 * parameters[k[1:]] for k, g in grads_per_step[0].items()}
    l2 = update_parameters_with_adam(parameters, l2_grads, v, s, 2)[0]
    decoupled = update_parameters_with_adamw(parameters, grads_per_step[0], v, s, 2, weight_decay=0.1)[0]
    assert not np.allclose(l2["W1"], decoupled["W1"])


@pytest.mark.parametrize("layer_dims", [(3, 1), (4, 5, 3, 2)])
def test_nesterov_and_adamw_agree_with_pytorch(layer_dims):
    parameters, grads_per_step = random_problem(layer_dims, seed=5)
    lr, beta, wd = 0.05, 0.8, 0.1
    ours, v = dict(parameters), initialize_velocity(parameters)
    for grads in grads_per_step:
        ours, v = update_parameters_with_nesterov(ours, grads, v, beta, lr)
    theirs = run_torch(lambda ps: torch.optim.SGD(ps, lr=lr * (1 - beta), momentum=beta, nesterov=True), parameters,
                       grads_per_step)
    for k in parameters:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-14, err_msg=f"Nesterov {k}")
    ours, v, s = dict(parameters), *initialize_adam(parameters)
    for t, grads in enumerate(grads_per_step, start=1):
        ours, v, s = update_parameters_with_adamw(ours, grads, v, s, t, lr, beta, 0.99, 1e-8, wd)
    theirs = run_torch(lambda ps: torch.optim.AdamW(ps, lr=lr, betas=(beta, 0.99), eps=1e-8, weight_decay=wd), parameters,
                       grads_per_step)
    for k in parameters:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=1e-12, atol=1e-14, err_msg=f"AdamW {k}")


def test_train_many_follows_network_train_for_each_seed():
    X, Y = make_moons(m=90, noise=0.2, seed=0)
    rates = np.array([0.3, 1.0, 0.3]).reshape(-1, 1, 1)
    seeds = [1, 1, 2]
    costs, stacked = sweep.train_many(X, Y, (2, 5, 1), lambda p, g, t, e: update_parameters_with_gd(p, g, rates), seeds,
                                      num_epochs=4, mini_batch_size=32)
    assert costs.shape == (4, 3)
    for k, (rate, seed) in enumerate(zip(rates.ravel(), seeds)):
        alone = network.train(X, Y, (2, 5, 1), lambda p, g, t, e, rate=rate: update_parameters_with_gd(p, g, rate),
                              num_epochs=4, mini_batch_size=32, seed=seed)
        np.testing.assert_allclose(costs[:, k], alone.costs, rtol=1e-12)
        for name, value in alone.parameters.items():
            np.testing.assert_allclose(stacked[name][k], value, rtol=1e-12, atol=1e-15)


def test_train_many_needs_seeds():
    X, Y = make_moons(m=20, noise=0.2, seed=0)
    with pytest.raises(ValueError, match="seeds"):
        sweep.train_many(X, Y, (2, 3, 1), lambda p, g, t, e: p, seeds=[])
