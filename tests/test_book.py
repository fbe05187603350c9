"""The book builds strictly (every warning is an error, every chapter executes) and offers downloads."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def built_book():
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jupyter_book), "build", ".", "-W", "-n", "--keep-going"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, f"strict book build failed:\n{run.stdout[-5000:]}\n{run.stderr[-3000:]}"
    return HTML


def test_every_toc_page_is_built(built_book):
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [entry["file"] for part in toc["parts"] for chapter in part["chapters"]
                              for entry in [chapter, *chapter.get("sections", [])]]
    for name in files:
        assert (built_book / f"{name}.html").exists(), f"{name}.html missing"


def test_exercise_pages_offer_the_notebook_download(built_book):
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        page = (built_book / "notebooks" / f"{notebook.stem}.html").read_text()
        assert f"_sources/notebooks/{notebook.name}" in page, f"no .ipynb download on {notebook.stem}"
        assert (built_book / "_sources" / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes()
        assert "NotImplementedError" in page and "Traceback" not in page  # shown, not executed


def test_chapters_have_their_figures(built_book):
    for chapter in sorted((ROOT / "book").glob("*.md")):
        page = (built_book / "book" / f"{chapter.stem}.html").read_text()
        assert page.count("<img") >= chapter.read_text().count(":  figure:"), f"{chapter.stem} lost a figure"
        assert "Traceback" not in page
