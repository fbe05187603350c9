"""Helpers for the explorables' browser tests (`tests/test_explorables*.py`): the built book on 127.0.0.1, a page
opened in Chromium, its Bokeh models found by `name`, a control moved, what the figure then shows read back.

Use (see `tests/test_explorables.py`)::

    from explorable_pages import book_site, desktop, phone  # noqa: F401  (fixtures)
    from explorable_pages import open_explorable

    def test_mine(book_site, desktop):
        with open_explorable(desktop, book_site, "book/04_learning_rate_decay", "explore-ch4-schedule") as page:
            page.set("explore-ch4-schedule-kind", "cosine", watch="explore-ch4-schedule-curve")
            data = page.data("explore-ch4-schedule-curve")          # {column: list of numbers}
            assert page.text("explore-ch4-schedule-summary") ...     # a Div's text (HTML)
            page.press("select[name='explore-ch4-schedule-kind']", "ArrowDown", watch=...)  # the keyboard
        # leaving the block asserts: no console error, no failed request, nothing requested outside 127.0.0.1

`book_site` builds the book strictly once per session (conftest's `built_book`); with `COURSE_BOOK_BUILT=1` in
the environment it serves the `_build/html` already there instead (while iterating on a test; the build itself
is then not checked).
"""

import contextlib
import json
import os
from urllib.parse import urlsplit

import pytest

from book_pages import HTML, served

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 812}
LOCAL_SCHEMES = ("data", "blob", "about")
HIDE_STICKY = ".bd-header, .bd-header-article, .skip-link { visibility: hidden !important; }"


@pytest.fixture(scope="session")
def book_site(request):
    """The built book served on a free port of 127.0.0.1; yields its base URL."""
    if os.environ.get("COURSE_BOOK_BUILT") == "1":
        assert (HTML / "index.html").is_file(), f"COURSE_BOOK_BUILT=1 but no book in {HTML}"
        root = HTML
    else:
        root = request.getfixturevalue("built_book")
    with served(root) as url:
        yield url


@pytest.fixture(scope="session")
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="session")
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


_MODEL = """(name) => {
    for (const doc of Bokeh.documents) {
        const model = doc.get_model_by_name(name);
        if (model) return model;
    }
    throw new Error(`no Bokeh model named ${name}`);
}"""

_STATE = f"""(name) => {{
    const model = ({_MODEL})(name);
    if (model.data !== undefined) {{
        const out = {{}};
        for (const [k, v] of Object.entries(model.data)) out[k] = Array.from(v, Number);
        return JSON.stringify(out);
    }}
    return JSON.stringify(model.text !== undefined ? model.text : null);
}}"""


class ExplorablePage:
    """One book page in Chromium, with the console errors and outside requests it produced (`problems`)."""

    def __init__(self, page, problems, name):
        self.page, self.problems, self.name = page, problems, name

    def model(self, name, attribute):
        """The attribute `attribute` of the Bokeh model named `name`, as JSON can carry it."""
        return self.page.evaluate(f"([name, attribute]) => {{ const v = ({_MODEL})(name)[attribute];"
                                  " return ArrayBuffer.isView(v) ? Array.from(v) : v; }", [name, attribute])

    def state(self, name):
        return json.loads(self.page.evaluate(_STATE, name))

    def data(self, source):
        """`{column: [numbers]}` of the ColumnDataSource named `source`, as the figure now draws it."""
        return self.state(source)

    def text(self, name):
        """The `text` of the model named `name` (a Div's HTML)."""
        return self.model(name, "text")

    def _raw_state(self, watch):
        return self.page.evaluate(_STATE, watch)

    def set(self, control, value, *, attribute="value", watch):
        """Set the control named `control` (its `value`, or `active` for buttons and switches) through Bokeh's
        API, as a reader's input does, and wait until the model named `watch` has changed."""
        before = self._raw_state(watch)
        self.page.evaluate(f"([name, attribute, value]) => {{ ({_MODEL})(name)[attribute] = value; }}",
                           [control, attribute, value])
        self.page.wait_for_function(f"([name, before]) => ({_STATE})(name) !== before", arg=[watch, before],
                                    timeout=10_000)

    def press(self, selector, key, *, watch, times=1):
        """Focus the element `selector` (CSS; it pierces Bokeh's shadow DOM, e.g. `.noUi-handle`,
        `select[name='explore-...']`), press `key` `times` times and wait until the model `watch` changed."""
        before = self._raw_state(watch)
        element = self.page.locator(f"figure#{self.name} {selector}").first
        element.focus()
        for _ in range(times):
            self.page.keyboard.press(key)
        self.page.wait_for_function(f"([name, before]) => ({_STATE})(name) !== before", arg=[watch, before],
                                    timeout=10_000)

    def screenshot(self, path):
        """A screenshot of the explorable's figure alone (the page's sticky bars hidden: they would cover it)."""
        self.page.locator(f"figure#{self.name}").screenshot(path=path, style=HIDE_STICKY)

    def assert_clean(self):
        assert not self.problems, f"{self.name}: " + "\n".join(self.problems)


def _outside(url):
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname != "127.0.0.1"


@contextlib.contextmanager
def open_explorable(context, site, page_path, name):
    """Open `page_path` (e.g. `book/01_mini_batches`) of the book at `site`, wait until the explorable `name` is
    drawn (its Bokeh document is idle), yield an `ExplorablePage`; on leaving, assert that the page had no
    console error, no failed or outside request (only 127.0.0.1) and no HTTP error."""
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("request", lambda request: _outside(request.url) and problems.append(f"outside: {request.url}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}"))
    try:
        page.goto(f"{site}{page_path}.html", wait_until="load")
        assert page.locator(f"figure#{name}").count() == 1, f"{page_path}: no explorable figure#{name}"
        page.wait_for_function("(name) => window.Bokeh && Bokeh.documents.some(d => d.is_idle) && "
                               "document.querySelector(`figure#${name} .explorable-live [data-root-id]`)",
                               arg=name, timeout=20_000)
        explorable = ExplorablePage(page, problems, name)
        yield explorable
        page.wait_for_timeout(200)  # errors of the last callback
        explorable.assert_clean()
    finally:
        page.close()

