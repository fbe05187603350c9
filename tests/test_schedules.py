"""Chapter 4's reference schedules against the contract."""

import numpy as np
import pytest

from trainfaster.schedules import (cosine_decay, exponential_decay, inverse_time_decay, linear_warmup, sqrt_decay,
                                   staircase_decay)


def test_inverse_time_worked_example():
    """alpha0 = 0.2, decay_rate = 1: 0.2, 0.1, 0.0667, 0.05, 0.04 (not 0.67 and 0.5)."""
    rates = inverse_time_decay(0.2, np.arange(5), 1)
    np.testing.assert_allclose(rates, [0.2, 0.1, 0.2 / 3, 0.05, 0.04])
    assert round(inverse_time_decay(0.2, 2, 1), 4) == 0.0667


@pytest.mark.parametrize("schedule, args", [
    (inverse_time_decay, (0.3, 0.5)), (staircase_decay, (0.3, 0.5, 7)),
    (exponential_decay, (0.3, 0.9)), (sqrt_decay, (0.3, 2.0)), (cosine_decay, (0.3, 10**6, 0.01)),
    (linear_warmup, (0.3, 10)),
])
def test_scalar_gives_float_and_array_is_elementwise(schedule, args):
    epochs = np.array([[1, 6, 7], [13, 14, 10**6]])
    learning_rate0, *rest = args
    rates = schedule(learning_rate0, epochs, *rest)
    assert rates.shape == epochs.shape and rates.dtype == np.float64
    for index in np.ndindex(epochs.shape):
        single = schedule(learning_rate0, int(epochs[index]), *rest)
        assert type(single) is float and single == rates[index]


def test_formulas():
    assert staircase_decay(1.0, 999, 1.0) == 1.0 and staircase_decay(1.0, 1000, 1.0) == 0.5
    np.testing.assert_allclose(staircase_decay(0.2, np.array([0, 2, 3, 5, 6]), 0.5, time_interval=3),
                               [0.2, 0.2, 0.2 / 1.5, 0.2 / 1.5, 0.1])
    assert exponential_decay(0.2, 3, base=0.5) == pytest.approx(0.025)
    assert exponential_decay(0.2, 1) == pytest.approx(0.19)
    assert sqrt_decay(0.2, 4, k=3.0) == pytest.approx(0.3)
    assert sqrt_decay(0.2, 1) == pytest.approx(0.2)


@pytest.mark.parametrize("bad", [0, -7, np.array([3, 1, -7, 0])])
def test_sqrt_decay_names_the_bad_epoch(bad):
    with pytest.raises(ValueError, match=r"got -7|got 0"):
        sqrt_decay(0.1, bad)


def test_negative_epochs_and_intervals_are_refused():
    with pytest.raises(ValueError, match="got -1"):
        inverse_time_decay(0.1, np.array([0, -1]), 1.0)
    with pytest.raises(ValueError, match="time_interval > 0"):
        staircase_decay(0.1, 5, 1.0, time_interval=0)


def test_cosine_decay_ends_and_middle():
    """alpha_0 at epoch 0, halfway at T/2, learning_rate_min at T; 0.2, 0.1707, 0.1, 0.0293, 0 for T = 4."""
    np.testing.assert_allclose(cosine_decay(0.2, np.arange(5), 4), [0.2, 0.1 + 0.1 / 2**0.5, 0.1, 0.1 - 0.1 / 2**0.5, 0.0],
                               atol=1e-15)
    assert cosine_decay(0.5, 5, 10, learning_rate_min=0.1) == pytest.approx(0.3)
    assert cosine_decay(0.5, 10, 10, learning_rate_min=0.1) == pytest.approx(0.1)
    rates = cosine_decay(1.0, np.arange(101), 100)
    assert np.all(np.diff(rates) < 0)


@pytest.mark.parametrize("epoch, named", [(-1, "got -1"), (11, "got 11"), (np.array([0, 5, 13]), "got 13")])
def test_cosine_decay_refuses_epochs_outside_the_run(epoch, named):
    with pytest.raises(ValueError, match=named):
        cosine_decay(0.2, epoch, 10)


def test_linear_warmup_counts_steps_from_zero():
    """step 0 gets alpha / W, step W - 1 the full alpha; 0.05, 0.1, 0.15, 0.2, 0.2 for alpha = 0.2, W = 4."""
    np.testing.assert_allclose(linear_warmup(0.2, np.arange(6), 4), [0.05, 0.1, 0.15, 0.2, 0.2, 0.2])
    assert linear_warmup(0.3, 0, 1) == 0.3 and linear_warmup(0.5, 10**9, 10) == 0.5


@pytest.mark.parametrize("args, named", [((0.2, 3, 0), "warmup_steps >= 1, got 0"), ((0.2, -1, 5), "got -1"),
                                         ((0.2, np.array([0, -6]), 5), "got -6")])
def test_linear_warmup_refuses_bad_arguments(args, named):
    with pytest.raises(ValueError, match=named):
        linear_warmup(*args)
