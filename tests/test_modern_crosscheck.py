"""The 2026 references (EMA of weights, clipping, Muon, warmup-stable-decay, expected improvement, RMSNorm,
loss scaling) equal what PyTorch (or, for expected improvement, scipy and Monte Carlo) computes.

Layouts as in `test_torch_crosscheck.py`: one example per column here, one per row in PyTorch. Each test
also has a control: a plausible mistake that the comparison would catch.
"""

import math

import numpy as np
import pytest
import scipy.stats
import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from trainfaster.batchnorm import rmsnorm_backward, rmsnorm_forward
from trainfaster.ewa import ema_of_weights
from trainfaster.frameworks import update_loss_scale
from trainfaster.muon import newton_schulz_orthogonalize, update_parameters_with_muon
from trainfaster.optimizers import clip_by_global_norm
from trainfaster.schedules import wsd_schedule
from trainfaster.tuning import expected_improvement

torch.set_num_threads(1)
SHAPES = [(3, 5), (6, 2), (4, 4), (1, 7)]


def _parameters(rng, shapes):
    parameters = {}
    for l, (rows, cols) in enumerate(shapes, start=1):
        parameters[f"W{l}"] = rng.standard_normal((rows, cols))
        parameters[f"b{l}"] = rng.standard_normal((rows, 1))
    return parameters


@pytest.mark.parametrize("decay", [0.9, 0.999])
def test_ema_of_weights_equals_averaged_model(decay):
    rng = np.random.default_rng(1)
    parameters = _parameters(rng, SHAPES[:2])
    model = torch.nn.ParameterDict({k: torch.nn.Parameter(torch.tensor(v)) for k, v in parameters.items()})
    averaged = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=False)
    averaged.update_parameters(model)  # the first call copies the parameters: the course's start
    ema = {k: v.copy() for k, v in parameters.items()}
    for _ in range(30):
        parameters = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in parameters.items()}
        with torch.no_grad():
            for k, v in parameters.items():
                model[k].copy_(torch.tensor(v))
        averaged.update_parameters(model)
        ema = ema_of_weights(ema, parameters, decay)
    for k in parameters:
        np.testing.assert_allclose(ema[k], averaged.module[k].detach().numpy(), rtol=1e-12, atol=1e-12)
    zero_start = {k: np.zeros_like(v) for k, v in parameters.items()}
    control = ema_of_weights(zero_start, parameters, decay)
    assert not np.allclose(control["W1"], averaged.module["W1"].detach().numpy()), "a zero start must differ"


@pytest.mark.parametrize("max_norm", [0.5, 3.0, 1e3])
def test_clip_by_global_norm_equals_clip_grad_norm(max_norm):
    rng = np.random.default_rng(2)
    grads = {f"d{k}": v for k, v in _parameters(rng, SHAPES).items()}
    tensors = {k: torch.zeros(v.shape, dtype=torch.float64, requires_grad=True) for k, v in grads.items()}
    for k, t in tensors.items():
        t.grad = torch.tensor(grads[k])
    total = torch.nn.utils.clip_grad_norm_(list(tensors.values()), max_norm)
    clipped, norm = clip_by_global_norm({k: v.copy() for k, v in grads.items()}, max_norm)
    assert norm == pytest.approx(total.item(), rel=1e-12)
    for k, t in tensors.items():
        np.testing.assert_allclose(clipped[k], t.grad.numpy(), rtol=1e-12, atol=1e-15)
    if max_norm < norm:  # control: clipping each gradient on its own changes the direction
        each = {k: v * min(1, max_norm / np.linalg.norm(v)) for k, v in grads.items()}
        assert not all(np.allclose(each[k], clipped[k]) for k in grads)


def _newton_schulz_torch(G, steps, dtype):
    """torch.optim.Muon's own iteration (`torch.optim._muon._zeropower_via_newtonschulz`), in `dtype`."""
    from torch.optim import _muon

    source = torch.tensor(G)
    if dtype == torch.bfloat16:
        return _muon._zeropower_via_newtonschulz(source, (3.4445, -4.775, 2.0315), steps, 1e-7)
    X = source.T if G.shape[0] > G.shape[1] else source
    X = X / X.norm().clamp(min=1e-7)
    for _ in range(steps):
        A = X @ X.T
        X = 3.4445 * X + (-4.7750 * A + 2.0315 * A @ A) @ X
    return X.T if G.shape[0] > G.shape[1] else X


@pytest.mark.parametrize("shape", SHAPES + [(8, 3)])
def test_newton_schulz_matches_torch_iteration(shape):
    G = np.random.default_rng(3).standard_normal(shape)
    ours = newton_schulz_orthogonalize(G)
    np.testing.assert_allclose(ours, _newton_schulz_torch(G, 5, torch.float64).numpy(), rtol=1e-12, atol=1e-12)
    bf16 = _newton_schulz_torch(G, 5, torch.bfloat16).double().numpy()
    assert np.max(np.abs(ours - bf16)) < 0.05, "torch's bfloat16 iteration agrees to bfloat16's precision"
    singular = np.linalg.svd(ours, compute_uv=False)
    assert singular.min() > 0.5 and singular.max() < 1.3, "the iteration pushes every singular value near 1"


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_muon_matches_torch_muon(weight_decay):
    rng = np.random.default_rng(4)
    parameters = _parameters(rng, [(5, 3), (2, 5)])
    weights = {k: torch.tensor(v, requires_grad=True) for k, v in parameters.items() if k.startswith("W")}
    optimizer = torch.optim.Muon(list(weights.values()), lr=0.02, momentum=0.95, nesterov=True,
                                 weight_decay=weight_decay, ns_steps=5, adjust_lr_fn="original")
    v = {f"d{k}": np.zeros_like(p) for k, p in parameters.items()}
    for _ in range(20):
        grads = {f"d{k}": rng.standard_normal(p.shape) for k, p in parameters.items()}
        for k, w in weights.items():
            w.grad = torch.tensor(grads[f"d{k}"])
        optimizer.step()
        before_b = parameters["b1"].copy()
        parameters, v = update_parameters_with_muon(parameters, grads, v, 0.95, 0.02, weight_decay)
        np.testing.assert_array_equal(parameters["b1"], before_b)
    for k, w in weights.items():
        # torch orthogonalizes in bfloat16: the same steps, to bfloat16's precision (about 3 digits)
        assert np.max(np.abs(parameters[k] - w.detach().numpy())) < 2e-2 * 20 * 0.02 * 3
    assert np.array_equal(v["db1"], np.zeros_like(v["db1"])), "biases are left to AdamW"


def test_wsd_schedule_matches_a_torch_lambda_schedule():
    total, warmup, decay, lr = 100, 10, 20, 0.3
    factor = lambda s: (s + 1) / warmup if s < warmup else (1.0 if s < total - decay else (total - s) / decay)
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    torch_rates = []
    for _ in range(total):
        torch_rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    ours = wsd_schedule(lr, np.arange(total), total, warmup, decay)
    np.testing.assert_allclose(ours, torch_rates, rtol=1e-12)
    assert ours[-1] == pytest.approx(lr / decay) and ours[warmup] == lr
    assert wsd_schedule(lr, 0, total, 0, decay) == lr, "no warmup starts at the full rate"
    for bad in [dict(decay_steps=0), dict(warmup_steps=90, decay_steps=20), dict(step=total)]:
        kwargs = dict(learning_rate=lr, step=5, total_steps=total, warmup_steps=warmup, decay_steps=decay) | bad
        with pytest.raises(ValueError, match=str(next(iter(bad.values())))):
            wsd_schedule(**kwargs)


def test_expected_improvement_equals_scipy_and_monte_carlo():
    rng = np.random.default_rng(5)
    mu, sigma, best = rng.normal(0, 1, 50), rng.uniform(0.01, 2, 50), 0.2
    z = (best - mu) / sigma
    scipy_ei = (best - mu) * scipy.stats.norm.cdf(z) + sigma * scipy.stats.norm.pdf(z)
    np.testing.assert_allclose(expected_improvement(mu, sigma, best), scipy_ei, rtol=1e-12, atol=1e-15)
    draws = rng.normal(mu[:5, None], sigma[:5, None], (5, 400_000))
    monte_carlo = np.maximum(best - draws, 0).mean(axis=1)
    np.testing.assert_allclose(expected_improvement(mu[:5], sigma[:5], best), monte_carlo, rtol=0.02, atol=2e-3)
    np.testing.assert_array_equal(expected_improvement([0.0, 1.0], [0.0, 0.0], 0.5), [0.5, 0.0])
    assert isinstance(expected_improvement(0.1, 0.3, 0.2), float)
    with pytest.raises(ValueError, match="-0.1"):
        expected_improvement([0.0], [-0.1], 0.0)


@pytest.mark.parametrize("n, m", [(4, 6), (1, 3), (7, 1)])
def test_rmsnorm_matches_torch(n, m):
    rng = np.random.default_rng(6)
    Z, gamma, dZ_tilde = rng.standard_normal((n, m)) * 3, rng.standard_normal((n, 1)), rng.standard_normal((n, m))
    Zt = torch.tensor(Z.T, requires_grad=True)
    gt = torch.tensor(gamma.ravel(), requires_grad=True)
    out = F.rms_norm(Zt, (n,), gt, eps=1e-5)
    out.backward(torch.tensor(dZ_tilde.T))
    Z_tilde, cache = rmsnorm_forward(Z, gamma)
    dZ, dgamma = rmsnorm_backward(dZ_tilde, cache)
    np.testing.assert_allclose(Z_tilde, out.detach().numpy().T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dZ, Zt.grad.numpy().T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dgamma, gt.grad.numpy()[:, None], rtol=1e-10, atol=1e-12)
    if n > 1:  # control: layer norm (centred) is not RMSNorm
        centred = Z - Z.mean(axis=0)
        assert not np.allclose(gamma * centred / np.sqrt((centred**2).mean(axis=0) + 1e-5), Z_tilde)


def test_update_loss_scale_matches_grad_scaler():
    rng = np.random.default_rng(7)
    scale_t, tracker_t = torch.tensor([2.0**16]), torch.tensor([0], dtype=torch.int32)
    scale, tracker = 2.0**16, 0
    events = rng.random(400) < 0.02
    events[[50, 51]] = True
    for found in events:
        torch._amp_update_scale_(scale_t, tracker_t, torch.tensor([float(found)]), 2.0, 0.5, 7)
        scale, tracker = update_loss_scale(scale, tracker, bool(found), 2.0, 0.5, 7)
        assert (scale, tracker) == (scale_t.item(), tracker_t.item())
    assert scale > 2.0**16, "growth happened over the run"
    with pytest.raises(ValueError, match="0"):
        update_loss_scale(1.0, 0, False, growth_interval=0)


def test_update_loss_scale_matches_the_public_grad_scaler():
    """The public GradScaler (CPU) on a float16-overflowing gradient backs off, then grows, as ours."""
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**10, growth_interval=3)
    scale, tracker = 2.0**10, 0
    for k in range(8):
        optimizer.zero_grad()
        cost = (w - 1.0).pow(2).sum() * (math.inf if k == 2 else 1.0)
        scaler.scale(cost).backward()
        scaler.step(optimizer)
        scaler.update()
        scale, tracker = update_loss_scale(scale, tracker, k == 2, 2.0, 0.5, 3)
        assert scale == scaler.get_scale()
