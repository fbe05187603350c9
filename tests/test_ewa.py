"""Chapter 2's reference implementations against the contract and the closed form."""

import numpy as np
import pytest

from trainfaster.data import seattle_temperatures
from trainfaster.ewa import ewa, ewa_bias_corrected


def closed_form(theta, beta):
    """`v_t = (1 - beta) * sum_k beta**(t - k) * theta_k`, as one lower-triangular matrix product."""
    t = np.arange(len(theta))
    powers = np.tril(float(beta) ** np.clip(t[:, None] - t[None, :], 0, None))
    return (1 - beta) * powers @ theta


def test_hand_computed_example():
    theta = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(ewa(theta, 0.5), [0.5, 1.25, 2.125, 3.0625])
    np.testing.assert_allclose(ewa_bias_corrected(theta, 0.5), [1.0, 5 / 3, 17 / 7, 49 / 15])


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9, 0.98])
@pytest.mark.parametrize("T", [1, 2, 50])
def test_matches_closed_form_and_leaves_input_alone(beta, T):
    theta = np.random.default_rng(T).standard_normal(T)
    before = theta.copy()
    np.testing.assert_allclose(ewa(theta, beta), closed_form(theta, beta), rtol=1e-12, atol=1e-14)
    weights = 1 - beta ** np.arange(1, T + 1)
    np.testing.assert_allclose(ewa_bias_corrected(theta, beta), closed_form(theta, beta) / weights, rtol=1e-12)
    np.testing.assert_array_equal(theta, before)


def test_bias_corrected_average_of_a_constant_is_the_constant():
    np.testing.assert_allclose(ewa_bias_corrected(np.full(30, 7.0), 0.95), 7.0)
    assert ewa(np.full(30, 7.0), 0.95)[0] == pytest.approx(0.35)


@pytest.mark.parametrize("theta, beta, mention", [(np.ones((2, 3)), 0.9, "1-D"), (np.ones(3), 1.0, "beta"),
                                                  (np.ones(3), -0.1, "beta")])
def test_bad_input_gets_a_clear_error(theta, beta, mention):
    with pytest.raises(ValueError, match=mention):
        ewa(theta, beta)


def test_seattle_temperatures():
    dates, temperatures = seattle_temperatures()
    assert temperatures.shape == dates.shape == (1461,) and temperatures.dtype == np.float64
    assert str(dates[0]) == "2012-01-01" and str(dates[-1]) == "2015-12-31"
    assert -5 < temperatures.min() < temperatures.max() < 40
