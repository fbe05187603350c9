"""Chapter 8's reference implementations (PyTorch) against the contract and the NumPy network."""

import numpy as np
import pytest
import torch

from trainfaster import network
from trainfaster.checks import check_tensor
from trainfaster.frameworks import (OPTIMIZER_KINDS, binary_cross_entropy_torch, binary_cross_entropy_with_logits_torch,
                                    forward_torch, make_torch_optimizer, minimize_quadratic)

torch.set_num_threads(1)  # tiny tensors: one thread is fastest (and the test machine may be shared)


def as_tensors(parameters, requires_grad=False):
    return {k: torch.tensor(v, dtype=torch.float64, requires_grad=requires_grad) for k, v in parameters.items()}


@pytest.mark.parametrize("coefficients, learning_rate, num_steps", [
    ((1.0, -10.0, 25.0), 0.1, 0), ((1.0, -10.0, 25.0), 0.1, 3), ((2.0, 3.0, -1.0), 0.05, 17), ((0.5, 4.0, 0.0), 0.3, 50),
])
def test_minimize_quadratic_follows_gradient_descent_step_by_step(coefficients, learning_rate, num_steps):
    c0, c1, _ = coefficients
    w = 0.0
    for _ in range(num_steps):
        w = w - learning_rate * (2 * c0 * w + c1)
    result = minimize_quadratic(coefficients, learning_rate, num_steps)
    assert type(result) is float
    assert result == pytest.approx(w, rel=1e-13, abs=1e-15)


def test_minimize_quadratic_erratum():
    """(1, -10, 25) is (w - 5)**2; the widely copied (1, -20, 25) is (w - 10)**2 - 75 and ends near 10."""
    assert minimize_quadratic((1, -10, 25)) == pytest.approx(5.0, abs=1e-7)
    assert minimize_quadratic((1, -20, 25)) == pytest.approx(10.0, abs=1e-7)
    assert minimize_quadratic(torch.tensor([1.0, -10.0, 25.0], dtype=torch.float64), 0.1, 3) == pytest.approx(2.44)


def test_minimize_quadratic_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(c0, c1, c2\)"):
        minimize_quadratic((1.0, 2.0))
    with pytest.raises(ValueError, match="num_steps"):
        minimize_quadratic((1.0, 2.0, 3.0), num_steps=-1)


@pytest.mark.parametrize("layer_dims", [(3, 1), (2, 4, 1), (4, 5, 3, 1), (2, 16, 8, 1), (3, 4, 4, 4, 2, 1)])
def test_forward_torch_equals_numpy_forward(layer_dims):
    rng = np.random.default_rng(len(layer_dims))
    X = rng.standard_normal((layer_dims[0], 9))
    parameters = network.initialize_parameters(layer_dims, seed=2)
    for name in parameters:
        parameters[name] += 0.1 * rng.standard_normal(parameters[name].shape)
    AL = forward_torch(torch.from_numpy(X), as_tensors(parameters, requires_grad=True))
    check_tensor("AL", AL, network.forward(X, parameters)[0], rtol=1e-12, atol=1e-14, differentiable=True)


@pytest.mark.parametrize("layer_dims", [(3, 1), (2, 4, 1), (4, 5, 3, 1), (2, 16, 8, 1)])
def test_autograd_gradients_equal_the_hand_written_backward(layer_dims):
    rng = np.random.default_rng(10 + len(layer_dims))
    X = rng.standard_normal((layer_dims[0], 11))
    Y = (rng.random((1, 11)) > 0.5).astype(float)
    parameters = network.initialize_parameters(layer_dims, seed=3)
    for name in parameters:
        parameters[name] += 0.1 * rng.standard_normal(parameters[name].shape)
    tensors = as_tensors(parameters, requires_grad=True)
    cost = binary_cross_entropy_torch(forward_torch(torch.from_numpy(X), tensors), torch.from_numpy(Y))
    cost.backward()
    AL, caches = network.forward(X, parameters)
    assert cost.item() == pytest.approx(network.compute_cost(AL, Y), rel=1e-13)
    grads = network.backward(AL, Y, caches, parameters)
    for name, tensor in tensors.items():
        np.testing.assert_allclose(tensor.grad.numpy(), grads["d" + name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_binary_cross_entropy_is_a_finite_differentiable_scalar():
    AL = torch.tensor([[0.8, 0.1, 0.6, 0.0, 1.0]], dtype=torch.float64, requires_grad=True)
    Y = torch.tensor([[1.0, 0.0, 1.0, 1.0, 0.0]], dtype=torch.float64)
    cost = binary_cross_entropy_torch(AL, Y)
    assert cost.shape == () and cost.dtype == torch.float64 and torch.isfinite(cost)
    assert cost.item() == pytest.approx(network.compute_cost(AL.detach().numpy(), Y.numpy()), rel=1e-14)
    cost.backward()
    m = 5
    expected = (-(Y / AL - (1 - Y) / (1 - AL)) / m).detach()[:, :3]
    np.testing.assert_allclose(AL.grad[:, :3].numpy(), expected.numpy(), rtol=1e-12)


def test_bad_input_gets_one_clear_error():
    with pytest.raises(TypeError, match="torch tensor"):
        forward_torch(np.ones((2, 3)), {"W1": torch.ones(1, 2), "b1": torch.ones(1, 1)})
    with pytest.raises(TypeError, match="AL is a ndarray"):
        binary_cross_entropy_torch(np.ones((1, 3)), torch.ones(1, 3))
    with pytest.raises(ValueError, match="must match"):
        binary_cross_entropy_torch(torch.ones(1, 3), torch.ones(3, 1))


def test_check_tensor_says_what_is_wrong():
    """trainfaster.checks.check_tensor: type, dtype, graph, shape, then values, each with its own message."""
    expected = np.array([[1.0, 2.0]])
    leaf = torch.tensor([[1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    check_tensor("x", leaf * 1, expected, differentiable=True)
    cases = [
        (expected, {}, "expected a torch tensor"),
        (leaf.float(), {}, "torch.float32"),
        (leaf.detach() * 1, {"differentiable": True}, "not connected to autograd's graph"),
        (leaf.T * 1, {}, "Did you transpose it?"),
        (torch.ones((1, 1), dtype=torch.float64), {"expected_scalar": True}, "0-dimensional"),
        (leaf * 2, {"mistakes": {"is doubled.": 2 * expected}}, "x is doubled."),
        (leaf + torch.tensor([[0.0, 1.0]], dtype=torch.float64), {}, "x[0, 1] is 3.0; expected 2.0"),
    ]
    for actual, options, message in cases:
        target = 1.0 if options.pop("expected_scalar", False) else expected
        with pytest.raises(AssertionError, match=message.replace("?", r"\?").replace("[", r"\[")):
            check_tensor("x", actual, target, **options)


def test_binary_cross_entropy_with_logits_by_hand_and_at_the_kink():
    """(0, y=1) costs log 2, (2, y=0) costs 2 + log(1 + e^-2), (-1, y=0) log(1 + e^-1); the gradient is
    (sigmoid(z) - y) / m, also at z = 0, where max(z, 0) and |z| have kinks autograd would get wrong."""
    ZL = torch.tensor([[0.0, 2.0, -1.0]], dtype=torch.float64, requires_grad=True)
    Y = torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)
    cost = binary_cross_entropy_with_logits_torch(ZL, Y)
    assert cost.shape == () and cost.dtype == torch.float64
    assert cost.item() == pytest.approx((np.log(2) + 2 + np.log1p(np.exp(-2)) + np.log1p(np.exp(-1))) / 3, rel=1e-15)
    cost.backward()
    np.testing.assert_allclose(ZL.grad.numpy(), ((torch.sigmoid(ZL) - Y) / 3).detach().numpy(), rtol=1e-15)


def test_binary_cross_entropy_with_logits_is_exact_where_the_sigmoid_saturates():
    ZL = torch.tensor([[1000.0, -1000.0, 40.0]], dtype=torch.float64, requires_grad=True)
    Y = torch.tensor([[0.0, 1.0, 1.0]], dtype=torch.float64)
    cost = binary_cross_entropy_with_logits_torch(ZL, Y)
    assert cost.item() == pytest.approx((1000 + 1000 + np.log1p(np.exp(-40))) / 3, rel=1e-15)
    cost.backward()
    np.testing.assert_allclose(ZL.grad.numpy(), [[1 / 3, -1 / 3, -np.exp(-40) / 3]], rtol=1e-12, atol=1e-17)
    clamped = binary_cross_entropy_torch(torch.sigmoid(ZL.detach()[:, :1]), Y[:, :1])  # sigmoid(1000) == 1.0
    assert clamped.item() == pytest.approx(-np.log(1e-15), rel=1e-3)  # the clamp's 34.5, not the true 1000


def test_make_torch_optimizer_classes_and_bad_kind():
    params = [torch.zeros(2, dtype=torch.float64, requires_grad=True)]
    classes = {"gd": "SGD", "momentum": "SGD", "nesterov": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}
    assert set(classes) == set(OPTIMIZER_KINDS)
    for kind, name in classes.items():
        assert type(make_torch_optimizer(kind, params, 0.1)).__name__ == name
    assert make_torch_optimizer("momentum", params, 0.1, beta=0.9).defaults["lr"] == pytest.approx(0.01)
    assert make_torch_optimizer("rmsprop", params, 0.1).defaults["alpha"] == 0.999
    with pytest.raises(ValueError, match="unknown kind 'Adam'"):
        make_torch_optimizer("Adam", params, 0.1)
