"""The explorables of chapters 4 to 7 in the built book, in Chromium: each control moved to two or three settings
(by the keyboard or through the model), what the figure then shows read back from its data sources and its read-out,
and compared with the library's value for that setting, computed here from `trainfaster` (not from the module
that made the figure). No console errors; no request leaves 127.0.0.1. Screenshots of each explorable at its
default and at a moved setting, desktop and 375 px, go to `_build/screenshots/explorables/` to be looked at.
"""

import re

import numpy as np
import pytest

from trainfaster import bn_network
from trainfaster.data import make_moons
from trainfaster.schedules import cosine_decay, exponential_decay, inverse_time_decay, staircase_decay
from trainfaster.softmax import cross_entropy_from_logits, one_hot, softmax
from trainfaster.tuning import random_search

from book_pages import ROOT
from explorable_pages import PHONE, book_site, desktop, open_explorable, phone  # noqa: F401  (fixtures)

FLOAT32 = dict(rtol=2e-6, atol=1e-7)  # the pages carry float32
SHOTS = ROOT / "_build" / "screenshots" / "explorables"


def arrays(page, source):
    """The columns of the source named `source`, as NumPy arrays."""
    return {column: np.array(values) for column, values in page.data(source).items()}


def shoot(page, label):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(SHOTS / f"{label}.png")


# ---------------------------------------------------------------- chapter 4: a schedule's knob and the noise ball

def gaussian_ball(rates, h=0.1, sigma=1.0, w0=10.0):
    """The exact mean and variance of w after 0 .. len(rates) steps of SGD on the noisy quadratic:
    `m' = (1 - a h) m`, `V' = (1 - a h)**2 V + a**2 sigma**2` (w stays Gaussian: a linear map plus Gaussian noise)."""
    mean, var = [w0], [0.0]
    for a in rates:
        mean.append((1 - a * h) * mean[-1])
        var.append((1 - a * h) ** 2 * var[-1] + a**2 * sigma**2)
    return np.array(mean), np.array(var)


def check_schedule(page, rate, runs=400):
    """The rate curve is the library's, and the band of w is the noise ball the exact recursion predicts (to the
    sampling error of `runs` runs). Returns the read-out."""
    rates = arrays(page, "explore-ch4-rate")
    np.testing.assert_allclose(rates["rate"], rate[rates["step"].astype(int)], **FLOAT32)
    ball = arrays(page, "explore-ch4-ball")
    steps = ball["step"].astype(int)
    mean, var = gaussian_ball(rate)
    mean, std = mean[steps], np.sqrt(var[steps])
    assert np.all(np.abs(ball["mean"] - mean) <= 5 * std / np.sqrt(runs) + 1e-5), "the mean of w is not the theory's"
    settled = std > 0.05
    np.testing.assert_allclose((ball["high"] - ball["low"])[settled] / 2, 1.6449 * std[settled], rtol=0.3,
                               err_msg="the middle 90 % of the runs is not +-1.645 standard deviations")
    words = page.text("explore-ch4-readout")
    final_std = float(re.search(r"standard deviation of ([0-9.]+)", words).group(1))
    assert final_std == pytest.approx(np.sqrt(var[-1]), rel=0.12), words
    final_mean = float(re.search(r"the mean of w is (-?[0-9.]+)", words).group(1))
    assert abs(final_mean - mean[-1]) <= 5 * std[-1] / np.sqrt(runs) + 0.005, words
    return words


def test_ch4_schedule_and_its_noise_ball(book_site, desktop):
    steps = np.arange(300)
    with open_explorable(desktop, book_site, "book/04_learning_rate_decay", "explore-ch4-schedules") as page:
        assert "decay_rate = 0.03" in check_schedule(page, inverse_time_decay(0.5, steps, 0.03))
        shoot(page, "ch4_default")
        # the keyboard: the visible slider's handle, one step right is the grid's next decay_rate
        page.press(".noUi-handle", "ArrowRight", watch="explore-ch4-rate")
        assert page.model("explore-ch4-knob-inverse", "value") == "0.1"
        assert "decay_rate = 0.1" in check_schedule(page, inverse_time_decay(0.5, steps, 0.1))
        # the keyboard on the menu: the option after inverse time is the staircase, its knob in the middle (3)
        page.press("select", "ArrowDown", watch="explore-ch4-rate")
        assert page.model("explore-ch4-schedule", "value") == "staircase (every 50 steps)"
        assert "decay_rate = 3" in check_schedule(page, staircase_decay(0.5, steps, 3.0, time_interval=50))
        page.set("explore-ch4-schedule", "exponential", watch="explore-ch4-rate")
        page.set("explore-ch4-knob-exponential", "0.995", watch="explore-ch4-rate")
        assert "base = 0.995" in check_schedule(page, exponential_decay(0.5, steps, base=0.995))
        page.set("explore-ch4-schedule", "cosine", watch="explore-ch4-rate")
        page.set("explore-ch4-knob-cosine", "0", watch="explore-ch4-rate")
        assert "learning_rate_min = 0</b>" in check_schedule(page, cosine_decay(0.5, steps, 300, learning_rate_min=0.0))
        shoot(page, "ch4_cosine")
        page.set("explore-ch4-schedule", "fixed rate", watch="explore-ch4-rate")
        check_schedule(page, np.full(300, 0.5))


# ---------------------------------------------------------------- chapter 5: a search budget, grid against random

def cost(x):
    return 1 - np.exp(-((np.asarray(x) - 0.63) / 0.06) ** 2)


def random_trials(n, seed):
    return random_search(lambda config: cost(config[0]), lambda rng: rng.uniform(0, 1, 2), n, seed=seed)


def test_ch5_budget_grid_against_random(book_site, desktop):
    with open_explorable(desktop, book_site, "book/05_hyperparameter_tuning", "explore-ch5-search") as page:
        shoot(page, "ch5_default")
        best = arrays(page, "explore-ch5-best")
        for side in (2, 3, 8):
            page.set("explore-ch5-budget", f"{side * side} ({side} × {side})", watch="explore-ch5-readout")
            grid, rand = arrays(page, "explore-ch5-grid"), arrays(page, "explore-ch5-random")
            values = (np.arange(side) + 0.5) / side
            assert len(grid["x"]) == side * side
            np.testing.assert_allclose(np.unique(grid["x"]), values, **FLOAT32)
            np.testing.assert_allclose(np.unique(grid["y"]), values, **FLOAT32)
            trials = random_trials(side * side, seed=0)
            drawn = np.array([config for config, _ in trials])
            np.testing.assert_allclose(np.sort(rand["x"]), np.sort(drawn[:, 0]), **FLOAT32)
            np.testing.assert_allclose(np.sort(rand["y"]), np.sort(drawn[:, 1]), **FLOAT32)
            assert page.model("explore-ch5-marker", "location") == side * side
            words = page.text("explore-ch5-readout")
            assert f"{side * side} trials" in words and f"tries {side} values" in words, words
            shown_best = f"{trials[0][1]:.3f}" if trials[0][1] >= 0.001 else f"{trials[0][1]:.1e}"
            assert f"tries {side * side}, and its best cost is {shown_best} in the draw shown" in words, words
            row = list(best["budget"]).index(side * side)
            assert best["grid"][row] == pytest.approx(cost(values).min(), rel=2e-6, abs=1e-7)
            draws = [random_trials(side * side, seed)[0][1] for seed in range(20)]
            assert best["median"][row] == pytest.approx(np.median(draws), rel=2e-6, abs=1e-7)
            assert best["low"][row] == pytest.approx(min(draws), rel=2e-6, abs=1e-7)
            assert best["high"][row] == pytest.approx(max(draws), rel=2e-6, abs=1e-7)
        shoot(page, "ch5_budget_64")


# ---------------------------------------------------------------- chapter 6: batch norm's weight scale c

def bn_at_scale(c):
    """Layer 3 of the chapter's network with W3 scaled by c: its units' spread before and after batch norm, the
    largest change of the output from c = 1, and |dW3| / |dW3 at c = 1|."""
    X, Y = make_moons(m=512, noise=0.2, seed=1)
    start = bn_network.initialize_parameters((2, 32, 32, 32, 32, 32, 32, 1), seed=0)
    out = {}
    for scale in (1.0, c):
        parameters = {**start, "W3": scale * start["W3"]}
        AL, caches, _ = bn_network.forward(X, parameters)
        Z = parameters["W3"] @ caches[2][0]
        out[scale] = (AL, Z.std(axis=1), caches[2][1].std(axis=1),
                      np.linalg.norm(bn_network.backward(AL, Y, caches, parameters)["dW3"]))
    return out[c][1], out[c][2], np.abs(out[c][0] - out[1.0][0]).max(), out[c][3] / out[1.0][3]


def test_ch6_weight_scale_leaves_the_output_and_divides_the_gradient(book_site, desktop):
    with open_explorable(desktop, book_site, "book/06_batch_normalization", "explore-ch6-scale") as page:
        shoot(page, "ch6_default")
        for position in (0, 10, 6):   # c = 0.01, 21.5, 1
            c = 10 ** (-2 + position / 3)
            if position != 6:
                page.set("explore-ch6-scale", f"{c:.3g}", watch="explore-ch6-here")
            else:  # back to the default with the keyboard: four steps left from c = 21.5
                page.press(".noUi-handle", "ArrowLeft", times=4, watch="explore-ch6-here")
            before, after, change, ratio = bn_at_scale(c)
            spreads, here = arrays(page, "explore-ch6-spreads"), arrays(page, "explore-ch6-here")
            np.testing.assert_allclose(spreads["before"], before, rtol=1e-6)
            np.testing.assert_allclose(spreads["after"], after, rtol=1e-6)
            assert here["c"][0] == pytest.approx(c, rel=1e-6)
            assert here["ratio"][0] == pytest.approx(ratio, rel=1e-6)
            words = page.text("explore-ch6-readout")
            assert f"at most {change:.1e}" in words and f"is {ratio:.4g} times" in words, words
            if c >= 1:   # the chapter's claim: the output stays, the gradient is divided by c
                assert change < 1e-4 and ratio == pytest.approx(1 / c, rel=1e-4)
            else:        # at c = 0.01 the variance nears epsilon = 1e-5, and the figure shows it
                assert change > 1e-2 and abs(ratio * c - 1) > 0.01
            if position == 10:
                shoot(page, "ch6_c_21")


# ---------------------------------------------------------------- chapter 7: temperature and label smoothing

def test_ch7_temperature_and_label_smoothing(book_site, desktop):
    z = np.array([[5.0], [2.0], [-1.0], [3.0]])
    temperatures = 10 ** np.linspace(-1, 1, 21)
    with open_explorable(desktop, book_site, "book/07_softmax_regression", "explore-ch7-softmax") as page:
        shoot(page, "ch7_default")
        # the keyboard: the temperature slider comes first; five steps left is T = 10**-0.5
        page.press(".noUi-handle", "ArrowLeft", times=5, watch="explore-ch7-bars")
        assert page.model("explore-ch7-temperature", "value") == "0.316"
        for i, smoothing in ((5, 0.0), (5, 0.2), (14, 0.5), (2, 0.0)):
            T = temperatures[i]
            if page.model("explore-ch7-temperature", "value") != f"{T:.3g}":
                page.set("explore-ch7-temperature", f"{T:.3g}", watch="explore-ch7-bars")
            if page.model("explore-ch7-smoothing", "value") != f"{smoothing:.2f}":
                page.set("explore-ch7-smoothing", f"{smoothing:.2f}", watch="explore-ch7-bars")
            target = (1 - smoothing) * one_hot(np.array([0]), 4) + smoothing / 4
            bars, curve = arrays(page, "explore-ch7-bars"), arrays(page, "explore-ch7-curve")
            here = arrays(page, "explore-ch7-here")
            np.testing.assert_allclose(bars["probability"], softmax(z / T).ravel(), **FLOAT32)
            np.testing.assert_allclose(bars["target"], target.ravel(), **FLOAT32)
            costs = [cross_entropy_from_logits(z / t, target) for t in temperatures]
            np.testing.assert_allclose(curve["cost"], costs, **FLOAT32)
            assert here["cost"][0] == pytest.approx(cross_entropy_from_logits(z / T, target), rel=2e-6)
            words = page.text("explore-ch7-readout")
            shown_cost = cross_entropy_from_logits(z / T, target)
            shown_cost = f"{shown_cost:.3f}" if shown_cost >= 0.001 else f"{shown_cost:.1e}"
            assert f"The cost is {shown_cost}" in words, words
            lowest = int(np.argmin(costs))
            assert (lowest == 0) == (smoothing == 0), "with smoothing the cost has a finite optimum, without none"
            if lowest:
                assert f"lowest, {costs[lowest]:.3f}, at T = {temperatures[lowest]:.3g}" in words, words
        shoot(page, "ch7_smoothed")


# ---------------------------------------------------------------- every explorable on a phone

@pytest.mark.parametrize("page_path, name, control, value", [
    ("book/04_learning_rate_decay", "explore-ch4-schedules", "explore-ch4-knob-inverse", "0.3"),
    ("book/05_hyperparameter_tuning", "explore-ch5-search", "explore-ch5-budget", "16 (4 × 4)"),
    ("book/06_batch_normalization", "explore-ch6-scale", "explore-ch6-scale", "0.01"),
    ("book/07_softmax_regression", "explore-ch7-softmax", "explore-ch7-temperature", "0.2"),
])
def test_fits_a_phone(book_site, phone, page_path, name, control, value):
    """At 375 px the figure is no wider than the screen, at the default and at a moved setting; screenshots."""
    with open_explorable(phone, book_site, page_path, name) as page:
        for label in ("default", "moved"):
            if label == "moved":
                page.set(control, value, watch=f"{name.rsplit('-', 1)[0]}-readout")
            box = page.page.locator(f"figure#{name}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
            page.page.locator(f"figure#{name}").scroll_into_view_if_needed()
            shoot(page, f"{name}_phone_{label}")


# ---------------------------------------------------------------- without a browser

def test_a_grid_slider_refuses_a_default_outside_its_grid_and_repeated_labels():
    from explorables.b_controls import index_slider

    with pytest.raises(ValueError, match="default position 5 is outside 0 .. 2"):
        index_slider("T", ["0.1", "1", "10"], 5, "explore-test")
    with pytest.raises(ValueError, match="two positions share a label"):
        index_slider("T", ["0.1", "0.1", "10"], 0, "explore-test")
    slider = index_slider("T", ["0.1", "1", "10"], 1, "explore-test")
    assert (slider.value, slider.title, slider.categories) == ("1", "T", ["0.1", "1", "10"])


def test_each_caption_states_the_default_setting_the_figure_starts_at():
    """The caption (for every reader) and the read-out (live) agree at the default setting."""
    from explorables import ch4_schedules, ch5_search, ch6_scale, ch7_temperature

    data = ch4_schedules.precompute()
    words = ch4_schedules.describe(data, *ch4_schedules.DEFAULT)
    spread = re.search(r"standard deviation of ([0-9.]+)", words).group(1)
    assert f"spread of {spread} around" in ch4_schedules.caption(data)
    data = ch5_search.precompute()
    words = ch5_search.describe(data, ch5_search.SIDES.index(ch5_search.DEFAULT_SIDE))
    assert re.search(r"its best cost is ([0-9.e-]+);", words).group(1) in ch5_search.caption(data)
    data = ch6_scale.precompute()
    assert "c = 1" in ch6_scale.describe(data, ch6_scale.DEFAULT) and "c = 1" in ch6_scale.caption(data)
    data = ch7_temperature.precompute()
    cost = re.search(r"The cost is ([0-9.e-]+);", ch7_temperature.describe(data, *ch7_temperature.DEFAULT)).group(1)
    assert f"the cost is {cost}" in ch7_temperature.caption(data)
