"""The claims of chapter 6's weight-decay section and chapter 8's precision section, re-checked on what the pages do
not use: other seeds (1000-1019 against the page's 0-9), other data, other sizes.

Chapter 6 shows a mechanism (weight decay on a layer followed by batch norm raises its effective learning rate
alpha / |W|^2), not which setting trains better, so the test checks the direction for every fresh seed, on the
page's data and on other data. Chapter 8's statements are facts of the formats, checked beyond the page's cases.
"""

import math

import numpy as np
import pytest
import torch

from trainfaster import bn_network
from trainfaster.data import make_moons
from trainfaster.frameworks import update_loss_scale

FRESH = list(range(1000, 1020))
torch.set_num_threads(1)


@pytest.mark.parametrize("data_seed", [1, 7], ids=["page's data", "other data"])
def test_weight_decay_raises_the_effective_learning_rate_of_a_batch_norm_layer(data_seed):
    """"with decay they shrink and it rises; ... higher with decay" (chapter 6), on 20 fresh seeds."""
    X, Y = make_moons(m=256, noise=0.2, seed=data_seed)
    rates = bn_network.effective_rates(X, Y, (2, 16, 16, 1), 0.5, [0.0, 0.01], FRESH, num_epochs=20, mini_batch_size=64)
    plain, decayed = rates
    assert np.all(decayed[-1] / plain[-1] > 1.5), "with decay the effective rate ends well above the plain run's"
    assert np.all(decayed[-1] / decayed[0] > 1.5), "with decay the effective rate rises"
    assert np.all(plain[-1] / plain[0] < 1.0), "without decay the weights grow and the effective rate falls"


def test_weight_decay_effect_holds_on_another_layer_and_width():
    """The same direction for the first hidden layer of a wider network (scope: not only the page's W2)."""
    X, Y = make_moons(m=256, noise=0.2, seed=3)
    plain, decayed = bn_network.effective_rates(X, Y, (2, 32, 32, 1), 0.5, [0.0, 0.01], FRESH[:10], num_epochs=20,
                                                mini_batch_size=64, layer=1)
    assert np.all(decayed[-1] > plain[-1]) and np.all(decayed[-1] > decayed[0])


def test_effective_rates_rejects_the_output_layer():
    X, Y = make_moons(m=32, noise=0.2, seed=0)
    with pytest.raises(ValueError, match="hidden layer"):
        bn_network.effective_rates(X, Y, (2, 4, 1), 0.5, [0.0], [0], num_epochs=1, layer=2)


@pytest.mark.parametrize("g", [1e-5, 3e-5, 1e-4, 1.5e-4])
def test_adam_first_step_divides_by_zero_in_float16(g):
    """"In float16, g**2 underflows to 0 once |g| is below about 2e-4, and so does epsilon" (chapter 8)."""
    grad, epsilon = torch.tensor(g, dtype=torch.float16), torch.tensor(1e-8, dtype=torch.float16)
    assert epsilon.item() == 0.0 and (grad**2).item() == 0.0
    assert math.isinf((grad / (torch.sqrt(grad**2) + epsilon)).item())
    for dtype in (torch.float32, torch.bfloat16):  # no such failure in the formats training uses
        grad, epsilon = torch.tensor(g, dtype=dtype), torch.tensor(1e-8, dtype=dtype)
        assert abs((grad / (torch.sqrt(grad**2) + epsilon)).item() - 1) < 1e-2


@pytest.mark.parametrize("a", [1e-4, 3e-5])
def test_float16_gradient_underflows_and_loss_scaling_recovers_it(a):
    """"In float16 the gradient is 0 ... with the loss scaled it is" back; bfloat16 needs no scaling (chapter 8)."""
    def gradient(dtype, scale=1.0):
        w = torch.tensor(1.0, dtype=dtype, requires_grad=True)
        factor = torch.tensor(a, dtype=dtype)
        (w * factor * factor * scale).backward()
        return w.grad.float().item() / scale

    assert gradient(torch.float16) == 0.0
    assert gradient(torch.float16, 2.0**15) == pytest.approx(a * a, rel=2e-3)
    assert gradient(torch.bfloat16) == pytest.approx(a * a, rel=2e-2)


def test_bfloat16_loses_a_small_update_float32_keeps_it():
    assert (torch.tensor(1.0, dtype=torch.bfloat16) + 1e-3).item() == 1.0
    assert (torch.tensor(1.0, dtype=torch.float32) + 1e-3).item() != 1.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_update_loss_scale_follows_grad_scaler_on_real_float16_overflows(seed):
    """The page's figure on other models: CPU autocast in float16, GradScaler, and the course's function agree."""
    torch.manual_seed(seed)
    X = torch.randn(48, 6)
    Y = X @ torch.randn(6, 1) * 30
    model = torch.nn.Linear(6, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0**16, growth_interval=3)
    scale, tracker, overflows = 2.0**16, 0, 0
    for _ in range(30):
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):
            out = model(X)
        scaler.scale(((out.float() - Y) ** 2).mean()).backward()
        found_inf = not all(torch.isfinite(p.grad).all() for p in model.parameters())
        overflows += found_inf
        scaler.step(optimizer)
        scaler.update()
        scale, tracker = update_loss_scale(scale, tracker, found_inf, growth_interval=3)
        assert scale == scaler.get_scale()
    assert overflows >= 2, "the run overflowed, so the back-off was exercised"
