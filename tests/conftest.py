"""Fixtures shared by the test modules: one strict build of the book per test session."""

import subprocess
import sys
from pathlib import Path

import pytest

from book_pages import HTML, ROOT


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
