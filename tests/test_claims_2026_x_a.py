"""The claims of the sentences that introduce the explorables of chapters 1-3 (issue 25), as tests.

Chapter 1's are checked over 10 runs whose shuffles the page does not use (run seeds 2 to 11; the page's is 1;
each epoch of a run shuffles with its own stream, `minibatch.epoch_seed`). Chapters 2 and 3 have no randomness:
their claims are checked on every setting of the explorable's grid.
"""

import numpy as np
import pytest

from explorables import ch1_batch_size as ch1
from explorables import ch2_beta as ch2
from explorables import ch3_valley as ch3

SEEDS = range(2, 12)


@pytest.fixture(scope="module")
def moons():
    return ch1.data()


def test_ch1_each_doubling_of_the_batch_shrinks_the_noise_by_about_sqrt_2(moons):
    """"each doubling of b shrinks the cloud by only about sqrt 2" (from 1 to 64, far from m = 512)."""
    X, Y = moons
    sizes = [1, 2, 4, 8, 16, 32, 64]
    for seed in SEEDS:
        noise = np.array([ch1.cloud(X, Y, b, seed=seed)[2] for b in sizes])
        ratios = noise[1:] / noise[:-1]
        assert np.all((ratios > 0.6) & (ratios < 0.8)), f"seed {seed}: noise ratios per doubling {ratios.round(3)}"


def test_ch1_from_64_on_the_path_is_almost_the_full_batch_path(moons):
    """"from b = 64 on the path looks almost as straight as the full batch's": its largest distance from the
    full-batch path, on every run, is under a fifth of the smallest distance of a b = 1 path."""
    X, Y = moons
    full = np.array(ch1.path(X, Y, 512)[:2]).T

    def distance(b, seed):
        return np.abs(np.array(ch1.path(X, Y, b, seed=seed)[:2]).T - full).max()

    worst = {b: max(distance(b, seed) for seed in SEEDS) for b in (64, 128, 256)}
    best_b1 = min(distance(1, seed) for seed in SEEDS)
    assert all(d < 0.2 * best_b1 for d in worst.values()), (worst, best_b1)


def test_ch2_larger_beta_starts_lower_and_the_correction_fades_in_a_few_windows():
    """"the larger beta, the further below the first days' temperatures the average also starts"; with the
    correction "the start is fixed, and a few windows later the two curves coincide" (within 1 % after five)."""
    from trainfaster.data import seattle_temperatures
    from trainfaster.ewa import ewa, ewa_bias_corrected

    _, temperatures = seattle_temperatures()
    starts = [ewa(temperatures, beta)[0] for beta in ch2.BETAS]
    assert all(a > b for a, b in zip(starts, starts[1:])), starts
    for beta in ch2.BETAS:
        plain, corrected = ewa(temperatures, beta), ewa_bias_corrected(temperatures, beta)
        assert corrected[0] == pytest.approx(temperatures[0])
        later = int(np.ceil(5 / (1 - beta)))
        assert np.all(np.abs(corrected[later:] - plain[later:]) < 0.01 * np.abs(corrected[later:])), beta


def test_ch3_the_angle_changes_rmsprop_and_adam_only():
    """"the paths of gradient descent and momentum do not change at all" when the valley turns;
    RMSProp and Adam end far lower on the aligned valley than on the one turned by 45 degrees, for every beta."""
    for alpha in ch3.ALPHAS:
        for beta in ch3.BETAS:
            runs = {degrees: {name: ch3.run(optimizer, degrees) for name, optimizer in
                              ch3.optimizers(alpha, beta).items()} for degrees in ch3.ANGLES}
            for name in ("gradient descent", "momentum"):
                for degrees in ch3.ANGLES[1:]:
                    np.testing.assert_allclose(runs[degrees][name], runs[0.0][name], rtol=1e-9, atol=1e-9,
                                               err_msg=f"{name} at alpha {alpha}, beta {beta}, {degrees} degrees")
            for name in ("RMSProp", "Adam"):
                aligned, turned = ch3.final_cost(runs[0.0][name]), ch3.final_cost(runs[45.0][name])
                assert aligned < turned / 10, f"{name} at beta {beta}: {aligned} aligned, {turned} turned"


def test_ch3_momentum_is_fastest_near_the_theory_best_and_gradient_descent_diverges_past_1():
    """"momentum converges fastest in the dark band near the theory's best (alpha*, beta*) and diverges in the
    grey region"; "gradient descent ... diverges once alpha passes 1"."""
    alpha_star, beta_star = ch3.theory_best()
    rates = ch3.momentum_rate(ch3.MAP_ALPHAS[None, :], ch3.MAP_BETAS[:, None])
    j, i = np.unravel_index(rates.argmin(), rates.shape)
    steps = ch3.MAP_ALPHAS[1] - ch3.MAP_ALPHAS[0], ch3.MAP_BETAS[1] - ch3.MAP_BETAS[0]
    assert abs(ch3.MAP_ALPHAS[i] - alpha_star) <= 2 * steps[0] and abs(ch3.MAP_BETAS[j] - beta_star) <= 2 * steps[1]
    assert float(ch3.momentum_rate(alpha_star, beta_star)) == pytest.approx(np.sqrt(beta_star), rel=1e-6)
    assert (rates >= 1).any() and (rates < 1).any()
    for alpha in ch3.ALPHAS:
        gd = ch3.final_cost(ch3.run(ch3.optimizers(alpha, 0.0)["gradient descent"], 45.0))
        assert np.isfinite(gd) == (alpha <= 1.0), f"gradient descent at alpha {alpha}: cost {gd}"


def test_ch3_adam_swings_on_the_aligned_valley_unless_beta_is_0():
    """The "Try it" sentence: RMSProp runs straight on the aligned valley, Adam (beta1 = beta = 0.9) swings across
    it at every angle; at beta = 0 Adam runs straight when aligned and turning the valley only slows it down."""
    def swing(name, beta, degrees):
        path = ch3.run(ch3.optimizers(2.0, beta)[name], degrees)
        return float(np.abs(path[10:, 1]).max()), ch3.final_cost(path)

    assert swing("RMSProp", 0.9, 0.0)[0] < 0.05 < swing("RMSProp", 0.9, 45.0)[0]
    for degrees in ch3.ANGLES:
        assert swing("Adam", 0.9, degrees)[0] > 0.3, degrees
    straight, cost_aligned = swing("Adam", 0.0, 0.0)
    assert straight < 0.05
    for degrees in ch3.ANGLES[1:]:
        turned, cost_turned = swing("Adam", 0.0, degrees)
        assert turned < 0.1 and cost_turned > cost_aligned, (degrees, turned, cost_turned, cost_aligned)
