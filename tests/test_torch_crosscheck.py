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


# Chapter 8 (issue 13): the new references (Nesterov, AdamW, cosine, warmup, layer norm, logits losses,
# make_torch_optimizer) against PyTorch, over random shapes, seeds and many steps.

from trainfaster.batchnorm import layernorm_backward, layernorm_forward  # noqa: E402
from trainfaster.frameworks import (OPTIMIZER_KINDS, binary_cross_entropy_with_logits_torch,  # noqa: E402
                                    make_torch_optimizer)
from trainfaster.minibatch import update_parameters_with_gd  # noqa: E402
from trainfaster.optimizers import update_parameters_with_adamw, update_parameters_with_nesterov  # noqa: E402
from trainfaster.schedules import cosine_decay, linear_warmup  # noqa: E402
from trainfaster.softmax import cross_entropy_from_logits, log_softmax  # noqa: E402


@pytest.mark.parametrize("seed", range(4))
def test_nesterov_equals_torch_sgd_nesterov_with_learning_rate_times_one_minus_beta(seed):
    rng, parameters, gradients = random_problem(300 + seed)
    lr, beta = rng.choice([1e-2, 0.1, 0.5]), rng.choice([0.5, 0.9, 0.99])
    state = {"v": initialize_velocity(parameters)}

    def numpy_step(parameters, grads, t):
        parameters, state["v"] = update_parameters_with_nesterov(parameters, grads, state["v"], beta, lr)
        return parameters

    sgd = lambda params: torch.optim.SGD(params, lr=lr * (1 - beta), momentum=beta, nesterov=True)  # noqa: E731
    for t, ours, theirs, optimizer in run_side_by_side(parameters, gradients, sgd, numpy_step):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after Nesterov step {t}")
            assert_close(state["v"]["d" + name] / (1 - beta), optimizer.state[p]["momentum_buffer"], f"v['d{name}']")


def test_nesterov_is_not_plain_momentum():
    """Control: the look-ahead changes the steps, so the test above can tell Nesterov from momentum."""
    grads = {"dW1": np.array([[1.0, -2.0]])}
    start = {"W1": np.zeros((1, 2))}
    v = initialize_velocity(start)
    nesterov, _ = update_parameters_with_nesterov(dict(start), grads, dict(v), 0.9, 0.1)
    momentum, _ = update_parameters_with_momentum(dict(start), grads, dict(v), 0.9, 0.1)
    assert np.abs(nesterov["W1"] - momentum["W1"]).max() > 1e-2


@pytest.mark.parametrize("seed", range(6))
def test_adamw_equals_torch_adamw_on_weights_and_biases_alike(seed):
    rng, parameters, gradients = random_problem(400 + seed)
    lr, beta1, beta2 = rng.choice([1e-3, 1e-2, 0.1]), rng.choice([0.8, 0.9]), rng.choice([0.95, 0.999])
    eps, weight_decay = rng.choice([1e-8, 1e-6, 1e-3]), rng.choice([1e-3, 0.01, 0.3])
    state = dict(zip("vs", initialize_adam(parameters)))

    def numpy_step(parameters, grads, t):
        parameters, state["v"], state["s"] = update_parameters_with_adamw(
            parameters, grads, state["v"], state["s"], t, lr, beta1, beta2, eps, weight_decay)
        return parameters

    adamw = lambda params: torch.optim.AdamW(params, lr=lr, betas=(beta1, beta2), eps=eps,  # noqa: E731
                                             weight_decay=weight_decay)
    for t, ours, theirs, optimizer in run_side_by_side(parameters, gradients, adamw, numpy_step):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after AdamW step {t}")
            assert_close(state["v"]["d" + name], optimizer.state[p]["exp_avg"], f"v['d{name}'] at step {t}")
            assert_close(state["s"]["d" + name], optimizer.state[p]["exp_avg_sq"], f"s['d{name}'] at step {t}")


def test_adam_with_weight_decay_is_l2_not_adamw():
    """Control: torch's Adam(weight_decay) adds the decay to the gradient (L2), which AdamW does not."""
    W0, g = np.array([[2.0, -1.0]]), np.array([[0.5, 0.01]])
    steps = {}
    for optimizer_class in (torch.optim.Adam, torch.optim.AdamW):
        W = tensor(W0, requires_grad=True)
        optimizer = optimizer_class([W], lr=0.1, weight_decay=0.1)
        for _ in range(3):
            W.grad = tensor(g)
            optimizer.step()
        steps[optimizer_class.__name__] = W.detach().numpy()
    v, s = initialize_adam({"W1": W0})
    ours = {"W1": W0}
    for t in range(1, 4):
        ours, v, s = update_parameters_with_adamw(ours, {"dW1": g}, v, s, t, 0.1, weight_decay=0.1)
    assert_close(ours["W1"], steps["AdamW"], "AdamW")
    assert np.abs(ours["W1"] - steps["Adam"]).max() > 1e-3


@pytest.mark.parametrize("num_epochs, learning_rate0, learning_rate_min", [
    (1, 0.1, 0.0), (7, 1.0, 0.0), (50, 0.3, 1e-3), (300, 3e-3, 1e-5), (1000, 0.05, 0.0)])
def test_cosine_decay_equals_cosine_annealing_lr(num_epochs, learning_rate0, learning_rate_min):
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate0)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs, eta_min=learning_rate_min)
    torch_rates = []
    for _ in range(num_epochs + 1):
        torch_rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    epochs = np.arange(num_epochs + 1)
    assert_close(cosine_decay(learning_rate0, epochs, num_epochs, learning_rate_min), np.array(torch_rates), "schedule")
    for epoch in (0, num_epochs // 3, num_epochs):
        assert cosine_decay(learning_rate0, epoch, num_epochs, learning_rate_min) == pytest.approx(
            torch_rates[epoch], rel=RTOL, abs=ATOL)


@pytest.mark.parametrize("warmup_steps", [2, 3, 10, 97])
def test_linear_warmup_equals_linear_lr_whose_total_iters_is_one_less(warmup_steps):
    """The course's factor is (step + 1) / warmup_steps: LinearLR(start_factor=1/w, total_iters=w - 1)."""
    learning_rate = 0.4
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=learning_rate)
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / warmup_steps, end_factor=1.0,
                                                  total_iters=warmup_steps - 1)
    torch_rates = []
    for _ in range(2 * warmup_steps + 5):
        torch_rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    steps = np.arange(len(torch_rates))
    assert_close(linear_warmup(learning_rate, steps, warmup_steps), np.array(torch_rates), "schedule")
    assert linear_warmup(learning_rate, 0, warmup_steps) == pytest.approx(learning_rate / warmup_steps, rel=RTOL)


def test_linear_lr_with_total_iters_equal_to_warmup_steps_is_one_step_late():
    """Control: the obvious total_iters=warmup_steps reaches the full rate one step after the course's."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.2, end_factor=1.0, total_iters=5)
    rates = []
    for _ in range(6):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert np.abs(np.array(rates) - linear_warmup(1.0, np.arange(6), 5)).max() > 0.1


@pytest.mark.parametrize("n, m", [(1, 3), (2, 1), (3, 5), (7, 64), (64, 4), (16, 257)])
@pytest.mark.parametrize("epsilon", [1e-5, 1e-2])
def test_layernorm_forward_and_backward_equal_torch_layer_norm(n, m, epsilon):
    rng = np.random.default_rng(7 * n + m)
    Z = 3.0 * rng.standard_normal((n, m)) + rng.uniform(-5, 5, (1, m))  # each example its own offset
    Z[:, 0] = 2.5  # a constant example: its variance is 0
    gamma, beta = rng.uniform(0.5, 2, (n, 1)), rng.standard_normal((n, 1))
    Z_tilde, cache = layernorm_forward(Z.copy(), gamma.copy(), beta.copy(), epsilon)
    Z_t, gamma_t, beta_t = tensor(Z.T, True), tensor(gamma.ravel(), True), tensor(beta.ravel(), True)
    out = F.layer_norm(Z_t, (n,), gamma_t, beta_t, eps=epsilon)
    assert_close(Z_tilde, out.T, "Z_tilde")
    dZ_tilde = rng.standard_normal((n, m))
    out.backward(tensor(dZ_tilde.T))
    dZ, dgamma, dbeta = layernorm_backward(dZ_tilde.copy(), cache)
    assert_close(dZ, Z_t.grad.T, "dZ")
    assert_close(dgamma, gamma_t.grad, "dgamma")
    assert_close(dbeta, beta_t.grad, "dbeta")


def test_layernorm_module_equals_layernorm_forward():
    """nn.LayerNorm(n) with its parameters set is the same layer (its statistics over the last axis)."""
    rng = np.random.default_rng(5)
    Z, gamma, beta = rng.standard_normal((6, 10)), rng.uniform(0.5, 2, (6, 1)), rng.standard_normal((6, 1))
    layer = torch.nn.LayerNorm(6, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(tensor(gamma.ravel()))
        layer.bias.copy_(tensor(beta.ravel()))
    assert_close(layernorm_forward(Z, gamma, beta)[0], layer(tensor(Z.T)).T, "nn.LayerNorm")


@pytest.mark.parametrize("C, m, scale", [(2, 1, 1.0), (3, 7, 1.0), (10, 50, 5.0), (5, 20, 400.0)])
def test_log_softmax_equals_torch_even_where_softmax_underflows(C, m, scale):
    rng = np.random.default_rng(10 * C + m)
    Z = scale * rng.standard_normal((C, m))
    Z[:, 0] = -1000.0  # a column [0, -1000, ...]: softmax underflows to 0 below the top; its log is exactly -1000
    Z[0, 0] = 0.0
    if m > 1:
        Z[0, -1] += 1000.0  # exp would overflow without the shift
    log_A = log_softmax(Z.copy())
    assert np.isfinite(log_A).all()
    assert_close(log_A, torch.log_softmax(tensor(Z.T), dim=1).T, "log_softmax(Z)")
    assert_close(log_A[:, 0], np.r_[0.0, np.full(C - 1, -1000.0)], "log_softmax of [0, -1000, ...]")


@pytest.mark.parametrize("C, m, scale", [(2, 1, 1.0), (3, 7, 1.0), (10, 50, 5.0), (4, 30, 300.0)])
@pytest.mark.parametrize("labels", ["one-hot", "soft"])
def test_cross_entropy_from_logits_equals_torch_with_probability_targets(C, m, scale, labels):
    rng = np.random.default_rng(C * m + int(scale))
    Z = scale * rng.standard_normal((C, m))
    if labels == "soft":
        Y = rng.dirichlet(np.ones(C), size=m).T
    else:
        classes = rng.integers(0, C, m)
        Y = np.eye(C)[:, classes]
        index_loss = F.cross_entropy(tensor(Z.T), torch.from_numpy(classes))  # the class-index form too
        assert cross_entropy_from_logits(Z.copy(), Y.copy()) == pytest.approx(index_loss.item(), rel=RTOL, abs=ATOL)
    cost = cross_entropy_from_logits(Z.copy(), Y.copy())
    assert type(cost) is float and np.isfinite(cost)
    assert cost == pytest.approx(F.cross_entropy(tensor(Z.T), tensor(Y.T)).item(), rel=RTOL, abs=ATOL)


def test_cross_entropy_from_logits_is_finite_where_the_probability_cost_is_not():
    Z, Y = np.array([[0.0, 5.0], [-1000.0, 0.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])
    with np.errstate(divide="ignore"):
        assert not np.isfinite(cross_entropy_cost(softmax(Z), Y))
    assert cross_entropy_from_logits(Z, Y) == pytest.approx(F.cross_entropy(tensor(Z.T), tensor(Y.T)).item(), rel=RTOL)


@pytest.mark.parametrize("m, scale", [(1, 1.0), (7, 3.0), (64, 30.0), (200, 1000.0)])
@pytest.mark.parametrize("labels", ["binary", "soft"])
def test_binary_cross_entropy_with_logits_equals_torch_value_and_gradient(m, scale, labels):
    rng = np.random.default_rng(m + int(scale))
    ZL = scale * rng.standard_normal((1, m))
    ZL[0, 0] = 1000.0 if m > 1 else ZL[0, 0]
    ZL[0, -1] = -1000.0 if m > 2 else ZL[0, -1]
    ZL[0, m // 2] = 0.0 if m > 3 else ZL[0, m // 2]  # where max(z, 0) and |z| have their kinks
    Y = (rng.random((1, m)) < 0.5).astype(float) if labels == "binary" else rng.random((1, m))
    ours_Z, theirs_Z = tensor(ZL, True), tensor(ZL, True)
    ours = binary_cross_entropy_with_logits_torch(ours_Z, tensor(Y))
    theirs = F.binary_cross_entropy_with_logits(theirs_Z, tensor(Y))
    assert ours.shape == () and torch.isfinite(ours)
    assert ours.item() == pytest.approx(theirs.item(), rel=RTOL, abs=ATOL)
    ours.backward()
    theirs.backward()
    assert torch.isfinite(ours_Z.grad).all()
    assert_close(ours_Z.grad.numpy(), theirs_Z.grad, "dZL")
    assert_close(ours_Z.grad.numpy(), (torch.sigmoid(theirs_Z.detach()) - tensor(Y)) / m, "dZL = (sigmoid(ZL) - Y) / m")


def test_binary_cross_entropy_with_logits_at_1000_is_exact():
    """At ZL = 1000 with Y = 0 the cost is 1000 exactly; log(1 - sigmoid(1000)) would be log(0)."""
    ZL, Y = tensor([[1000.0, -1000.0]], True), tensor([[0.0, 1.0]])
    cost = binary_cross_entropy_with_logits_torch(ZL, Y)
    assert cost.item() == pytest.approx(1000.0, rel=1e-15)
    cost.backward()
    assert_close(ZL.grad.numpy(), np.array([[0.5, -0.5]]), "dZL")


def numpy_updater(kind, parameters, learning_rate, beta, beta2, epsilon, weight_decay):
    """The course's update function of `kind`, with its state, as `(parameters, grads, t) -> parameters`."""
    v, s = initialize_adam(parameters)

    def step(parameters, grads, t):
        nonlocal v, s
        if kind == "gd":
            return update_parameters_with_gd(parameters, grads, learning_rate)
        if kind == "momentum":
            parameters, v = update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)
        elif kind == "nesterov":
            parameters, v = update_parameters_with_nesterov(parameters, grads, v, beta, learning_rate)
        elif kind == "rmsprop":
            parameters, s = update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon)
        elif kind == "adam":
            parameters, v, s = update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta, beta2, epsilon)
        else:
            parameters, v, s = update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate, beta, beta2,
                                                            epsilon, weight_decay)
        return parameters

    return step


@pytest.mark.parametrize("kind", OPTIMIZER_KINDS)
@pytest.mark.parametrize("seed", range(3))
def test_make_torch_optimizer_follows_the_course_update_of_every_kind(kind, seed):
    rng, parameters, gradients = random_problem(500 + seed)
    hyperparameters = {"beta": rng.choice([0.5, 0.9, 0.99]), "beta2": rng.choice([0.9, 0.99, 0.999]),
                       "epsilon": rng.choice([1e-8, 1e-3, 0.1]), "weight_decay": rng.choice([1e-3, 0.01, 0.2])}
    learning_rate = rng.choice([1e-3, 1e-2, 0.1])
    numpy_step = numpy_updater(kind, parameters, learning_rate, **hyperparameters)
    make = lambda params: make_torch_optimizer(kind, params, learning_rate, **hyperparameters)  # noqa: E731
    for t, ours, theirs, _ in run_side_by_side(parameters, gradients, make, numpy_step, steps=30):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after {kind} step {t}")


@pytest.mark.parametrize("kind", OPTIMIZER_KINDS)
def test_make_torch_optimizer_defaults_are_the_course_defaults(kind):
    rng, parameters, gradients = random_problem(600)
    numpy_step = numpy_updater(kind, parameters, 0.01, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01)
    make = lambda params: make_torch_optimizer(kind, params, 0.01)  # noqa: E731
    for t, ours, theirs, _ in run_side_by_side(parameters, gradients, make, numpy_step, steps=10):
        for name, p in theirs.items():
            assert_close(ours[name], p, f"{name} after {kind} step {t}")


def test_make_torch_optimizer_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown kind 'sgd'.*gd, momentum"):
        make_torch_optimizer("sgd", [tensor([1.0], requires_grad=True)], 0.1)
