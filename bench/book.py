"""The book and its notebooks: a cold build, a cached rebuild, and each notebook's execution time.

Both builds are strict (`-W -n --keep-going`) and go to a temporary folder (`--path-output`), so
`_build/html` is left alone:

- cold: a fresh output folder, so the execution cache is empty and every chapter is executed;
- cached: the same build again with `--all`, so every page is read and written again but the chapters'
  outputs come from the execution cache (the worst case of a rebuild after editing prose).

Each chapter's execution time is the one the cold build's execution cache recorded; each solution
notebook is executed top to bottom in a fresh kernel, as `python -m autograder execute` does (nothing
is saved). Times are wall-clock seconds, compared with the course's targets on 2 cores.
`quick` builds nothing and executes only the first solution notebook.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import entry
from bench.report import CACHED_BUILD, COLD_BUILD, EXECUTE, ROOT, TARGET

TARGETS = {COLD_BUILD: 90.0, CACHED_BUILD: 15.0, EXECUTE: 15.0}


def build(output, *options):
    """Wall-clock seconds of one strict `jupyter-book build` of the course into `output`."""
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output",
               str(output), "-W", "-n", "--keep-going", *options]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise RuntimeError(f"the book does not build (strict), so its build time is meaningless:\n"
                           f"{run.stdout[-3000:]}\n{run.stderr[-2000:]}")
    return seconds


def chapter_times(output):
    """`{path relative to the course: seconds}` of every notebook the build executed into its cache."""
    from jupyter_cache import get_cache

    cache = get_cache(str(Path(output) / "_build" / ".jupyter_cache"))
    return {Path(record.uri).resolve().relative_to(ROOT).as_posix(): record.data["execution_seconds"]
            for record in cache.list_cache_records()}


def execute(path):
    """Wall-clock seconds to execute the notebook at `path` in a fresh kernel (kernel start included)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    return time.perf_counter() - start


def run(quick):
    """Entries for the two builds (unless quick) and every notebook, each against its target."""
    results = []
    if not quick:
        with tempfile.TemporaryDirectory(prefix="bench-book-") as output:
            cold = build(output)
            cached = build(output, "--all")
            chapters = chapter_times(output)
        results += [entry(COLD_BUILD, cold, TARGETS[COLD_BUILD], TARGET, "s"),
                    entry(CACHED_BUILD, cached, TARGETS[CACHED_BUILD], TARGET, "s")]
        results += [entry(EXECUTE + path, seconds, TARGETS[EXECUTE], TARGET, "s")
                    for path, seconds in sorted(chapters.items())]
    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))[: 1 if quick else None]
    results += [entry(EXECUTE + path.relative_to(ROOT).as_posix(), execute(path), TARGETS[EXECUTE], TARGET, "s")
                for path in solutions]
    return results
