"""The course's NumPy reference implementations equal PyTorch's, in float64, over random shapes and many steps.

These tests protect every chapter: if a reference implementation drifts from the formula every framework
uses, they fail. The layouts differ: the course puts one example per column, `(features, examples)`, while
PyTorch puts one per row, `(examples, features)`, so arrays are transposed on the way in and out.
Where PyTorch's convention differs from the lectures', the test shows the exact translation and a control
proves that the untranslated version is measurably different.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from trainfaster import network
from trainfaster.batchnorm import batchnorm_backward, batchnorm_forward, batchnorm_inference, update_running_stats
from trainfaster.optimizers import (initialize_adam, initialize_rmsprop, initialize_velocity,
                                    update_parameters_with_adam, update_parameters_with_momentum,
                                    update_parameters_with_rmsprop)
from trainfaster.schedules import exponential_decay
from trainfaster.softmax import cross_entropy_cost, softmax, softmax_cross_entropy_grad

torch.set_num_threads(1)  # tiny tensors: one thread is fastest (and the test machine may be shared)

RTOL, ATOL = 1e-10, 1e-12
STEPS = 100


def assert_close(ours, theirs, what):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    np.testing.assert_allclose(ours, np.reshape(theirs, np.shape(ours)), rtol=RTOL, atol=ATOL, err_msg=what)


def tensor(array, requires_grad=False):
    return torch.tensor(array, dtype=torch.float64, requires_grad=requires_grad)


# Optimizers: the course's parameters dict against torch parameters stepped with the same gradients.

def random_problem(seed):
    """A random network shape, its He-initialized parameters, and a generator of gradients of random scale."""
    rng = np.random.default_rng(seed)
    layer_dims = tuple(int(n) for n in rng.integers(1, 7, size=rng.integers(2, 6)))
    parameters = network.initialize_parameters(layer_dims, seed=seed)
    scale = 10.0 ** rng.uniform(-3, 1)

    def gradients():
        return {"d" + k: scale * rng.standard_normal(p.shape) for k, p in parameters.items()}

    return rng, parameters, gradients


def run_side_by_side(parameters, gradients, torch_optimizer, numpy_step, steps=STEPS):
    """Step both with the same gradients; yield `(t, numpy parameters, torch tensors, optimizer)` after each step."""
    tensors = {k: tensor(v, requires_grad=True) for k, v in parameters.items()}
    optimizer = torch_optimizer(list(tensors.values()))
    for t in range(1, steps + 1):
        grads = gradients()
        for name, p in tensors.items():
            p.grad = tensor(grads["d" + name])
        optimizer.step()
        parameters = numpy_step(parameters, grads, t)
        yield t, parameters, tensors, optimizer


@pytest.mark.parametrize("seed", range(6))
def test_adam_equals_torch_adam(seed):
    rng, parameters, gradients = random_problem(seed)
    lr, beta1, beta2, eps = rng.choice([1e-3, 1e-2, 0.1]), rng.choice([0.8, 0.9]), rng.choice([0.99, 0.999]), rng.choice([1e-8, 1e-3])
    state = dict(zip("vs", initialize_adam(parameters)))

    def numpy_step(parameters, grads, t):
        parameters, state["v"], state["s"] = update_parameters_with_adam(parameters, grads, state["v"], state["s"], t,
                                                                         lr, beta1, beta2, eps)
        return parameters

    adam = lambda params: torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)  # noqa: E731
    for t, ours, theirs, optimizer in run_side_by_side(parameters, gradients, adam, numpy_step):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after Adam step {t}")
            assert_close(state["v"]["d" + name], optimizer.state[p]["exp_avg"], f"v['d{name}'] at step {t}")
            assert_close(state["s"]["d" + name], optimizer.state[p]["exp_avg_sq"], f"s['d{name}'] at step {t}")


@pytest.mark.parametrize("seed", range(6))
def test_rmsprop_equals_torch_rmsprop_whose_alpha_is_beta2(seed):
    rng, parameters, gradients = random_problem(100 + seed)
    lr, beta2 = rng.choice([1e-3, 1e-2]), rng.choice([0.9, 0.99, 0.999])
    eps = 0.1 if seed % 2 else 1e-8  # a large epsilon makes its place (outside the square root) matter
    state = {"s": initialize_rmsprop(parameters)}

    def numpy_step(parameters, grads, t):
        parameters, state["s"] = update_parameters_with_rmsprop(parameters, grads, state["s"], beta2, lr, eps)
        return parameters

    rmsprop = lambda params: torch.optim.RMSprop(params, lr=lr, alpha=beta2, eps=eps)  # noqa: E731
    for t, ours, theirs, optimizer in run_side_by_side(parameters, gradients, rmsprop, numpy_step):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after RMSprop step {t}")
            assert_close(state["s"]["d" + name], optimizer.state[p]["square_avg"], f"s['d{name}'] at step {t}")


def test_epsilon_inside_the_square_root_would_be_caught():
    """Control: with eps = 0.1, RMSprop with sqrt(s + eps) is far from torch's, so the test above can fail."""
    grads = {"dW1": np.array([[0.3, -0.02]])}
    s = {"dW1": np.zeros((1, 2))}
    W = tensor([[1.0, 1.0]], requires_grad=True)
    W.grad = tensor(grads["dW1"])
    torch.optim.RMSprop([W], lr=0.01, alpha=0.9, eps=0.1).step()
    ours, _ = update_parameters_with_rmsprop({"W1": np.ones((1, 2))}, grads, s, 0.9, 0.01, 0.1)
    wrong = 1 - 0.01 * grads["dW1"] / np.sqrt(0.1 * grads["dW1"] ** 2 + 0.1)
    assert_close(ours["W1"], W, "W1")
    assert np.abs(wrong - W.detach().numpy()).max() > 1e-4


@pytest.mark.parametrize("seed", range(4))
def test_momentum_equals_torch_sgd_with_learning_rate_times_one_minus_beta(seed):
    """PyTorch's buffer is v_t = beta v_{t-1} + g_t (no 1 - beta), so lr' = lr (1 - beta) gives the same steps."""
    rng, parameters, gradients = random_problem(200 + seed)
    lr, beta = rng.choice([1e-2, 0.1]), rng.choice([0.5, 0.9, 0.99])
    state = {"v": initialize_velocity(parameters)}

    def numpy_step(parameters, grads, t):
        parameters, state["v"] = update_parameters_with_momentum(parameters, grads, state["v"], beta, lr)
        return parameters

    sgd = lambda params: torch.optim.SGD(params, lr=lr * (1 - beta), momentum=beta)  # noqa: E731
    for t, ours, theirs, optimizer in run_side_by_side(parameters, gradients, sgd, numpy_step):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after momentum step {t}")
            assert_close(state["v"]["d" + name] / (1 - beta), optimizer.state[p]["momentum_buffer"], f"v['d{name}']")


def test_torch_dampening_is_not_the_lectures_momentum():
    """Control: dampening = beta makes the EWA, but torch starts its buffer at g_1, so it is off by beta**t g_1."""
    beta, lr = 0.9, 0.1
    grads = [np.array([[1.0]]), np.array([[-2.0]]), np.array([[0.5]])]
    W = tensor([[0.0]], requires_grad=True)
    optimizer = torch.optim.SGD([W], lr=lr, momentum=beta, dampening=beta)
    v = {"dW1": np.zeros((1, 1))}
    parameters = {"W1": np.zeros((1, 1))}
    for t, g in enumerate(grads, 1):
        W.grad = tensor(g)
        optimizer.step()
        parameters, v = update_parameters_with_momentum(parameters, {"dW1": g}, v, beta, lr)
        assert_close(v["dW1"] + beta**t * grads[0], optimizer.state[W]["momentum_buffer"], f"buffer at step {t}")
    assert abs(parameters["W1"].item() - W.item()) > 1e-2


# Batch normalization: Z is (n, m) here and (m, n) in torch; statistics over the m examples.

@pytest.mark.parametrize("n, m", [(1, 2), (3, 5), (7, 64), (4, 257), (16, 3)])
@pytest.mark.parametrize("epsilon", [1e-5, 1e-2])
def test_batchnorm_forward_and_backward_equal_torch(n, m, epsilon):
    rng = np.random.default_rng(n * 1000 + m)
    Z = 3.0 * rng.standard_normal((n, m)) + rng.uniform(-5, 5, (n, 1))
    gamma, beta = rng.uniform(0.5, 2, (n, 1)), rng.standard_normal((n, 1))
    Z_tilde, cache = batchnorm_forward(Z.copy(), gamma.copy(), beta.copy(), epsilon)
    Z_t, gamma_t, beta_t = tensor(Z.T, True), tensor(gamma.ravel(), True), tensor(beta.ravel(), True)
    out = F.batch_norm(Z_t, None, None, gamma_t, beta_t, training=True, eps=epsilon)
    assert_close(Z_tilde, out.T, "Z_tilde")
    dZ_tilde = rng.standard_normal((n, m))
    out.backward(tensor(dZ_tilde.T))
    dZ, dgamma, dbeta = batchnorm_backward(dZ_tilde.copy(), cache)
    assert_close(dZ, Z_t.grad.T, "dZ")
    assert_close(dgamma, gamma_t.grad, "dgamma")
    assert_close(dbeta, beta_t.grad, "dbeta")


@pytest.mark.parametrize("n, m", [(1, 2), (5, 8), (8, 100)])
def test_running_statistics_and_inference_equal_batchnorm1d(n, m):
    """BatchNorm1d(momentum=0.1) is update_running_stats(momentum=0.9), with the unbiased batch variance."""
    rng = np.random.default_rng(n + m)
    layer = torch.nn.BatchNorm1d(n, eps=1e-5, momentum=0.1, dtype=torch.float64)
    gamma, beta = rng.uniform(0.5, 2, (n, 1)), rng.standard_normal((n, 1))
    with torch.no_grad():
        layer.weight.copy_(tensor(gamma.ravel()))
        layer.bias.copy_(tensor(beta.ravel()))
    running_mean, running_var = np.zeros((n, 1)), np.ones((n, 1))  # torch's starting values
    biased_var = running_var.copy()
    shift = rng.uniform(-3, 3, (n, 1))
    for step in range(STEPS):
        Z = 2.0 * rng.standard_normal((n, m)) + shift
        layer.train()(tensor(Z.T))
        batch_mean, batch_var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
        running_mean, running_var = update_running_stats(running_mean, running_var, batch_mean,
                                                         batch_var * m / (m - 1), momentum=0.9)
        _, biased_var = update_running_stats(running_mean, biased_var, batch_mean, batch_var, momentum=0.9)
        assert_close(running_mean, layer.running_mean, f"running mean at step {step}")
        assert_close(running_var, layer.running_var, f"running variance at step {step}")
    assert np.abs(biased_var - layer.running_var.numpy().reshape(n, 1)).max() > 1e-3  # the biased one differs
    Z_test = rng.standard_normal((n, 9))
    expected = layer.eval()(tensor(Z_test.T)).T
    assert_close(batchnorm_inference(Z_test, gamma, beta, running_mean, running_var, 1e-5), expected, "inference")


# Softmax and cross-entropy: Z, A, Y are (C, m) here and logits are (m, C) in torch.

@pytest.mark.parametrize("C, m, scale", [(2, 1, 1.0), (3, 7, 1.0), (10, 50, 5.0), (5, 20, 400.0)])
def test_softmax_equals_torch_even_for_huge_inputs(C, m, scale):
    rng = np.random.default_rng(C * m)
    Z = scale * rng.standard_normal((C, m))
    Z[:, 0] += 1000.0  # would overflow exp without the shift by the column maximum
    A = softmax(Z.copy())
    assert np.isfinite(A).all()
    assert_close(A, torch.softmax(tensor(Z.T), dim=1).T, "softmax(Z)")


@pytest.mark.parametrize("C, m", [(2, 1), (3, 7), (10, 50), (4, 300)])
@pytest.mark.parametrize("soft_labels", [False, True])
def test_cross_entropy_and_its_gradient_equal_torch(C, m, soft_labels):
    rng = np.random.default_rng(C + m)
    Z = 4.0 * rng.standard_normal((C, m))
    if soft_labels:  # probability vectors as targets: torch's cross_entropy accepts them too
        Y = rng.dirichlet(np.ones(C), size=m).T
        target = tensor(Y.T)
    else:
        labels = rng.integers(0, C, m)
        Y = np.eye(C)[:, labels]
        target = torch.from_numpy(labels)
    Z_t = tensor(Z.T, requires_grad=True)
    loss = F.cross_entropy(Z_t, target)
    loss.backward()
    A = softmax(Z)
    cost = cross_entropy_cost(A.copy(), Y.copy())
    assert cost == pytest.approx(loss.item(), rel=RTOL, abs=ATOL)
    assert_close(softmax_cross_entropy_grad(A.copy(), Y.copy()), Z_t.grad.T, "dZ")


# Learning-rate schedules.

@pytest.mark.parametrize("learning_rate0, base", [(0.1, 0.95), (1.0, 0.5), (3e-3, 0.999), (0.02, None)])
def test_exponential_decay_equals_exponential_lr(learning_rate0, base):
    gamma = 0.95 if base is None else base  # None: the contract's default base
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate0)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
    torch_rates = []
    for _ in range(300):
        torch_rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    kwargs = {} if base is None else {"base": base}
    epochs = np.arange(300)
    assert_close(exponential_decay(learning_rate0, epochs, **kwargs), np.array(torch_rates), "the schedule")
    for epoch in (0, 1, 17, 299):
        assert exponential_decay(learning_rate0, epoch, **kwargs) == pytest.approx(torch_rates[epoch], rel=RTOL)
