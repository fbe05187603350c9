"""The built book in a real browser: Debian's Chromium, driven by Playwright, on a local HTTP server.

Every page loads without console errors, its internal links and images resolve, its math is typeset
(offline: MathJax is served from the book itself), and it fits a 375-px-wide phone screen without
horizontal scrolling. Search finds the chapters, next/previous walk the table of contents, and the
exercise pages' download button serves a valid notebook. A screenshot of every page (desktop and phone)
goes to `_build/screenshots/`, for a person to look at.
"""

import functools
import re
import shutil
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from book_pages import HTML, ROOT, served, toc_pages
from conftest import CHROMIUM, CHROMIUM_ARGS

SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGES = toc_pages() + ["genindex", "search"]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 812}

# Raw TeX left in the text a reader sees: a control sequence such as \frac, or $$ (code is excluded).
RAW_TEX = re.compile(r"\\[a-zA-Z]{2,}|\\[()\[\]]|\$\$")

TYPESET = r"""async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
    const untypeset = [...document.querySelectorAll('.math')]
        .filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.trim().slice(0, 80));
    const errors = [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 80));
    // TeX typeset literally, such as \text{decay\_rate}: a backslash in the (assistive) MathML text
    const literal = [...document.querySelectorAll('mjx-container')].map(e => e.textContent)
        .filter(s => s.includes('\\')).map(s => s.slice(0, 80));
    const walker = document.createTreeWalker(document.querySelector('article') || document.body,
                                             NodeFilter.SHOW_TEXT);
    const text = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.parentElement.closest('pre, code, script, style, mjx-container, .highlight')) {
            text.push(node.textContent);
        }
    }
    return {untypeset, errors, literal, text: text.join(' ')};
}"""

RESOURCES = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    images: [...document.querySelectorAll('img')].map(i => ({src: i.currentSrc || i.src,
                                                            loaded: i.complete && i.naturalWidth > 0})),
})"""

OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const clipped = e => {  // inside a box that scrolls or clips horizontally: harmless
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    const culprits = [...document.querySelectorAll('body *')].filter(e => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && getComputedStyle(e).position !== 'fixed' && !clipped(e);
    }).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
    return {scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5)};
}"""


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on a free port of 127.0.0.1; yields its base URL."""
    with served(built_book) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots():
    """`_build/screenshots/`, emptied: it shows this run's pages only."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


def open_page(context, url):
    """Open `url`; returns the page and the list that collects its console errors and failed requests."""
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error"
            and problems.append(f"console: {message.text} ({message.location.get('url')})"))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400
            and problems.append(f"HTTP {response.status}: {response.url}"))
    page.goto(url, wait_until="load")
    return page, problems


@functools.cache
def _ids(path):
    return set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def broken_targets(base, urls):
    """The URLs under `base` whose file (or #anchor in it) is not in the built book."""
    broken = []
    for url in sorted(set(urls)):
        if not url.startswith(base):
            continue  # external: there is no network here
        parts = urlsplit(url)
        path = HTML / unquote(parts.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            broken.append(url)
        elif parts.fragment and path.suffix == ".html" and unquote(parts.fragment) not in _ids(path):
            broken.append(url)
    return broken


def screenshot_name(name, suffix=""):
    return SCREENSHOTS / f"{name.replace('/', '__')}{suffix}.png"


def needs_screenshot(name):
    """Chapters and the pages around them; exercise pages are the notebooks, read in Jupyter."""
    return name in toc_pages() and not name.startswith("notebooks/")


@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(site, desktop, screenshots, name):
    """Loads cleanly, links and images resolve, math is typeset, fits a phone; screenshots saved."""
    page, problems = open_page(desktop, f"{site}{name}.html")
    try:
        math = page.evaluate(TYPESET)
        resources = page.evaluate(RESOURCES)
        if needs_screenshot(name):
            page.screenshot(path=screenshot_name(name), full_page=True)
        # The same page on a phone: the theme declares width=device-width, so a phone's layout viewport is
        # its 375 CSS pixels, as here.
        viewport_meta = page.get_attribute("meta[name=viewport]", "content") or ""
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(OVERFLOW)
        if needs_screenshot(name) and name.startswith(("book/", "intro")):
            page.screenshot(path=screenshot_name(name, "-375px"), full_page=True)
    finally:
        page.close()
    assert not problems, f"{name}: " + "\n".join(problems)
    assert not math["untypeset"], f"{name}: math left untypeset: {math['untypeset']}"
    assert not math["errors"], f"{name}: MathJax could not typeset: {math['errors']}"
    assert not math["literal"], f"{name}: TeX typeset literally, backslash and all: {math['literal']}"
    raw = sorted(set(RAW_TEX.findall(math["text"])))
    assert not raw, f"{name}: raw TeX on the page: {raw}"
    unloaded = [image["src"] for image in resources["images"] if not image["loaded"]]
    assert not unloaded, f"{name}: images that did not load: {unloaded}"
    broken = broken_targets(site, resources["links"] + [image["src"] for image in resources["images"]])
    assert not broken, f"{name}: broken internal links: {broken}"
    assert "width=device-width" in viewport_meta, f"{name}: no <meta name=viewport content=width=device-width>"
    assert overflow["scrollWidth"] <= overflow["width"], \
        f"{name}: scrolls horizontally on a 375-px screen ({overflow['scrollWidth']} px wide): {overflow['culprits']}"


# Each query must find its chapter (by slug prefix) among the results, when the chapter exists.
SEARCHES = [("mini-batch", "01_"), ("Adam", "03_")]


@pytest.mark.parametrize("query, prefix", SEARCHES)
def test_search_finds_the_chapter(site, desktop, query, prefix):
    chapters = sorted((ROOT / "book").glob(f"{prefix}*.md"))
    if not chapters:
        pytest.skip(f"no chapter {prefix}* in book/ on this branch")
    page, problems = open_page(desktop, f"{site}search.html?q={query}")
    try:
        page.wait_for_function("() => document.querySelector('#search-results .search-summary')")
        # The summary starts empty and is filled in only when every result is listed (Sphinx's searchtools).
        page.wait_for_function("() => /Search finished|did not match/.test("
                               "document.querySelector('#search-results .search-summary').textContent)")
        results = page.eval_on_selector_all("#search-results ul.search li > a", "links => links.map(a => a.href)")
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    pages = [urlsplit(url).path.lstrip("/") for url in results]
    expected = f"book/{chapters[0].stem}.html"
    assert expected in pages, f"search for {query!r}: {expected} not among the results {pages}"


def _walk(page, link):
    """Click `link` (a.right-next or a.left-prev) until a page has none; returns the pages visited."""
    visited = [urlsplit(page.url).path.lstrip("/").removesuffix(".html")]
    while page.locator(link).count():
        page.locator(link).click()
        page.wait_for_load_state("domcontentloaded")
        visited.append(urlsplit(page.url).path.lstrip("/").removesuffix(".html"))
    return visited


def test_next_and_previous_walk_the_table_of_contents(site, browser, desktop):
    expected = toc_pages()
    # The whole walk, both ways, on the plain HTML links (without JavaScript, which only slows it down)...
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}{expected[0]}.html")
        forward = _walk(page, "a.right-next")
        backward = _walk(page, "a.left-prev")
    finally:
        context.close()
    assert forward == expected, f"'next' visits {forward}, the table of contents says {expected}"
    assert backward == expected[::-1], f"'previous' visits {backward}"
    # ... and one step each way as a reader does, with JavaScript on.
    page, problems = open_page(desktop, f"{site}{expected[1]}.html")
    try:
        page.locator("a.right-next").click()
        page.wait_for_url(f"{site}{expected[2]}.html")
        page.locator("a.left-prev").click()
        page.wait_for_url(f"{site}{expected[1]}.html")
    finally:
        page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("notebook", sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb")))
def test_download_button_serves_a_valid_notebook(site, desktop, tmp_path, notebook):
    page, problems = open_page(desktop, f"{site}notebooks/{notebook}.html")
    try:
        page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
        item = page.locator(".dropdown-download-buttons a", has_text=".ipynb")
        with page.expect_download() as download:
            item.click()
        target = tmp_path / f"{notebook}.ipynb"
        download.value.save_as(target)
    finally:
        page.close()
    assert not problems, "\n".join(problems)
    downloaded = nbformat.read(target, as_version=4)
    nbformat.validate(downloaded)
    assert target.read_bytes() == (ROOT / "notebooks" / f"{notebook}.ipynb").read_bytes(), \
        "the download is not the committed student notebook"
