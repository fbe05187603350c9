"""The book's cold build executes its chapters side by side (`_ext/parallel_execution.py`), and that changes
nothing a reader sees: a tiny book of three chapters, built strictly as `make book` builds ours."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from book_pages import ROOT

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {title}

```{{code-cell}} ipython3
from pathlib import Path
print("{title}", Path.cwd().name, 6 * 7)
{extra}
```
"""


def _book(folder, chapters):
    folder.mkdir()
    (folder / "_config.yml").write_text(
        "title: tiny\nexecute:\n  execute_notebooks: cache\n  timeout: 60\n"
        f"sphinx:\n  local_extensions:\n    parallel_execution: {ROOT / '_ext'}\n"
        "  config:\n    nb_execution_raise_on_error: true\n    library_packages: [chapters/tinylib]\n")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n"
                                     + "".join(f"  - file: chapters/{name}\n" for name in chapters))
    (folder / "intro.md").write_text("# Intro\n")
    (folder / "chapters").mkdir()
    for name, extra in chapters.items():
        (folder / "chapters" / f"{name}.md").write_text(CHAPTER.format(title=name, extra=extra))


def _build(folder):
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run([str(jupyter_book), "build", str(folder), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: the chapters run one after the other")
def test_chapters_run_side_by_side_and_read_from_the_cache(tmp_path):
    _book(tmp_path / "book", {"one": "", "two": "", "three": ""})
    built = _build(tmp_path / "book")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "executing 3 chapters, 2 at a time" in built.stdout
    assert built.stdout.count("Using cached notebook") == 3 and "Executing notebook" not in built.stdout
    for name in ("one", "two", "three"):
        page = (tmp_path / "book" / "_build" / "html" / "chapters" / f"{name}.html").read_text()
        assert f"{name} chapters 42" in page, "run in the chapter's own folder, its output on its page"
    again = _build(tmp_path / "book")
    assert "executing" not in again.stdout.replace("Executing", ""), "a cached build executes nothing"


def test_a_chapter_that_fails_is_reported_as_myst_nb_reports_it(tmp_path):
    _book(tmp_path / "book", {"fine": "", "broken": "raise ValueError('a chapter that fails')"})
    built = _build(tmp_path / "book")
    assert built.returncode != 0
    assert "broken.md: not cached (ValueError: a chapter that fails)" in built.stdout
    assert "ValueError" in built.stdout + built.stderr and "broken" in built.stdout + built.stderr
    assert (tmp_path / "book" / "_build" / ".jupyter_cache").is_dir()


def test_a_change_to_the_library_runs_every_chapter_again(tmp_path):
    """The cache knows a chapter by its code only; the figures come from the library: after the library
    changes, the next build shows what the new library computes, though no chapter changed."""
    book = tmp_path / "book"
    _book(book, {"one": "import tinylib; print('library says', tinylib.VALUE)", "two": ""})
    (book / "chapters" / "tinylib").mkdir()
    (book / "chapters" / "tinylib" / "__init__.py").write_text("VALUE = 1\n")
    assert _build(book).returncode == 0
    page = book / "_build" / "html" / "chapters" / "one.html"
    assert "library says 1" in page.read_text()
    unchanged = _build(book)
    assert "Using cached notebook" not in unchanged.stdout and "Executing notebook" not in unchanged.stdout
    (book / "chapters" / "tinylib" / "__init__.py").write_text("VALUE = 2\n")
    changed = _build(book)
    assert changed.returncode == 0, changed.stdout[-3000:]
    assert "the library changed since the chapters were executed" in changed.stdout
    assert "library says 2" in page.read_text()
