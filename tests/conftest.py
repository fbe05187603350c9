"""Fixtures shared by the test modules: one strict build of the book per test session, and one Chromium
(Playwright's sync API allows one instance per thread, so the book's and the class report's tests share it)."""

import subprocess
import sys
from pathlib import Path

import pytest

from book_pages import HTML, ROOT

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network: background networking would only produce refused connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions"]


@pytest.fixture(scope="session")
def built_book():
    """Build the book once (strict: any warning fails) and return `_build/html`.

    Every page is rewritten (`--all`; executed chapters still come from the cache): an incremental build
    keeps stale navigation, such as an old title of a renamed page, in the pages it does not rewrite.
    """
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jupyter_book), "build", ".", "--all", "-W", "-n", "--keep-going"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, f"strict book build failed:\n{run.stdout[-5000:]}\n{run.stderr[-3000:]}"
    return HTML


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium "
                    "(make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
