"""The explorables of chapters 1-3 (issue 25) in Chromium, on the built book served from 127.0.0.1.

For each one: a control is moved (through Bokeh's API, as an input does, and with the keyboard) to two or three
values, and what the figure then shows (a data source's values, a label) is compared with the library's own
value for that setting, computed here independently of the explorable's module (its constants only). No console
error, no request leaving 127.0.0.1 (`explorable_pages.open_explorable` asserts both on every page). Screenshots at
two settings, desktop and 375 px, go to `_build/screenshots/explorables/` for a person to look at. Also: BokehJS is
served from the book and loaded only by pages with an explorable, a reader without JavaScript sees the static
figure, and the heaviest page's transfer size measured by Chromium agrees with `bench.book.page_weights`.
"""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from book_pages import HTML, ROOT
from explorable_pages import PHONE, book_site, desktop, open_explorable, phone  # noqa: F401  (fixtures)

SHOTS = ROOT / "_build" / "screenshots" / "explorables"
CH1 = "book/01_mini_batches"


@pytest.fixture(scope="session")
def shots():
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    return SHOTS


def _close(shown, expected, what, rtol=2e-6, atol=1e-6):
    """The figure holds float32 copies of the library's float64 values."""
    shown, expected = np.asarray(shown, dtype=float), np.asarray(expected, dtype=float)
    assert shown.shape == expected.shape, f"{what}: the figure shows {shown.shape} values, the library {expected.shape}"
    np.testing.assert_allclose(shown, expected, rtol=rtol, atol=atol, err_msg=what)


# ---------------------------------------------------------------- chapter 1: the batch size
def _ch1_library(batch_size):
    """The path and the gradient noise at `batch_size`, from the library's functions, written out here."""
    from explorables import ch1_batch_size as c  # its constants only
    from trainfaster import minibatch, network
    from trainfaster.data import make_moons

    X, Y = make_moons(m=512, noise=0.2, seed=0)
    X = X[[0]]

    def draw(count):
        found, epoch = [], 0
        while len(found) < count:
            found += minibatch.random_mini_batches(X, Y, batch_size, seed=minibatch.epoch_seed(c.SEED, epoch))
            epoch += 1
        return found[:count]

    def grad(Xb, Yb, parameters):
        AL, caches = network.forward(Xb, parameters)
        grads = network.backward(AL, Yb, caches, parameters)
        return grads

    start = {"W1": np.array([[c.START[0]]]), "b1": np.array([[c.START[1]]])}
    full = grad(X, Y, start)
    G = np.array([[g["dW1"][0, 0], g["db1"][0, 0]] for g in (grad(Xb, Yb, start) for Xb, Yb in draw(c.CLOUD))])
    noise = np.sqrt(((G - [full["dW1"][0, 0], full["db1"][0, 0]]) ** 2).sum(axis=1).mean())
    parameters, W, b = {k: v.copy() for k, v in start.items()}, [c.START[0]], [c.START[1]]
    for Xb, Yb in draw(c.STEPS):
        parameters = minibatch.update_parameters_with_gd(parameters, grad(Xb, Yb, parameters), c.LEARNING_RATE)
        W.append(parameters["W1"][0, 0])
        b.append(parameters["b1"][0, 0])
    cost = network.compute_cost(network.forward(X, parameters)[0], Y)
    return {"cloud": G, "noise": noise, "W": np.array(W), "b": np.array(b), "cost": cost}


def _ch1_check(page, batch_size):
    expected = _ch1_library(batch_size)
    path = page.data("explore-ch1-batch-size-path")
    _close(path["W"], expected["W"], f"b = {batch_size}: the path's W")
    _close(path["b"], expected["b"], f"b = {batch_size}: the path's b")
    cloud = page.data("explore-ch1-batch-size-cloud")
    _close(np.column_stack([cloud["dW"], cloud["db"]]), expected["cloud"], f"b = {batch_size}: the gradients")
    summary = page.text("explore-ch1-batch-size-summary")
    assert f"<b>b = {batch_size}</b>" in summary, summary
    assert f"<b>{expected['noise']:.3f}</b>" in summary, f"b = {batch_size}: noise {expected['noise']:.3f}? {summary}"
    assert f"<b>{expected['cost']:.3f}</b>" in summary, f"b = {batch_size}: cost {expected['cost']:.3f}? {summary}"
    return expected


def test_ch1_batch_size(book_site, desktop, shots):
    """Default b = 64; b = 1 (noisiest); the keyboard moves the drop-down to 2; b = 512 (no noise at all)."""
    with open_explorable(desktop, book_site, CH1, "explore-ch1-batch-size") as page:
        assert page.model("explore-ch1-batch-size-batch", "value") == "64"
        at64 = _ch1_check(page, 64)
        page.screenshot(shots / "ch1-b64-desktop.png")
        page.set("explore-ch1-batch-size-batch", "1", watch="explore-ch1-batch-size-path")
        at1 = _ch1_check(page, 1)
        page.screenshot(shots / "ch1-b1-desktop.png")
        page.press("select[name='explore-ch1-batch-size-batch']", "ArrowDown", watch="explore-ch1-batch-size-path")
        assert page.model("explore-ch1-batch-size-batch", "value") == "2"
        _ch1_check(page, 2)
        page.set("explore-ch1-batch-size-batch", "512", watch="explore-ch1-batch-size-path")
        at512 = _ch1_check(page, 512)
    # what the sentence above the figure promises
    assert at1["noise"] > 5 * at64["noise"] and at512["noise"] < 1e-12
    assert at1["cost"] > at64["cost"]


def test_ch1_on_a_phone(book_site, phone, shots):
    with open_explorable(phone, book_site, CH1, "explore-ch1-batch-size") as page:
        page.screenshot(shots / "ch1-b64-375px.png")
        page.set("explore-ch1-batch-size-batch", "1", watch="explore-ch1-batch-size-path")
        page.screenshot(shots / "ch1-b1-375px.png")
        width = page.page.evaluate("() => document.documentElement.scrollWidth")
        box = page.page.locator("figure#explore-ch1-batch-size").bounding_box()
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width} px"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box


# ---------------------------------------------------------------- every explorable page
EXPLORABLE_PAGES = [CH1]


def test_bokeh_is_served_by_the_book_and_only_where_needed(built_or_existing_book):
    import bokeh

    import explorables

    installed = Path(bokeh.__file__).parent / "server" / "static" / "js"
    assert bokeh.__version__ == explorables.BOKEH_VERSION
    for bundle in explorables.BOKEH_BUNDLES:
        served = built_or_existing_book / "_static" / explorables.STATIC_FOLDER / bundle
        assert served.is_file(), f"{served} is missing"
        assert served.read_bytes() == (installed / bundle).read_bytes(), f"{served} is not the installed BokehJS"
    for path in built_or_existing_book.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        has = 'class="explorable"' in text
        loads = re.search(r'<script defer="defer" src="[./]*_static/explorables/bokeh.min.js', text) is not None
        assert has == loads, f"{path.relative_to(built_or_existing_book)}: explorable {has}, loads BokehJS {loads}"
        assert "cdn.bokeh.org" not in text, f"{path}: BokehJS from a CDN"


@pytest.fixture(scope="session")
def built_or_existing_book(book_site):
    return HTML


@pytest.mark.parametrize("page_path", EXPLORABLE_PAGES)
def test_without_javascript_the_static_figure_shows(book_site, browser, page_path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{book_site}{page_path}.html")
        images = page.eval_on_selector_all(
            "figure.explorable noscript img, figure.explorable img.explorable-fallback",
            "images => images.map(i => ({alt: i.alt, loaded: i.complete && i.naturalWidth > 0}))")
        captions = page.eval_on_selector_all("figure.explorable figcaption", "c => c.map(e => e.textContent)")
    finally:
        context.close()
    assert images and all(image["loaded"] and image["alt"] for image in images), images
    assert len(captions) == len(images) and all(len(c) > 40 for c in captions), captions
