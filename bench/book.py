"""The book and its notebooks: a cold build, a cached rebuild, and each notebook's execution time.

Both builds are strict (`-W -n --keep-going`) and go to a temporary folder (`--path-output`), so
`_build/html` is left alone:

- cold: a fresh output folder, so the execution cache is empty and every chapter is executed;
- cached: the same build again, nothing changed (what `make book` does the second time);
- cached, every page: the same build with `--all`, so every page is read and written again but the
  chapters' outputs come from the execution cache (the worst case of a rebuild after editing prose).

Each solution notebook and each chapter (converted by jupytext) is executed top to bottom in a fresh
kernel, as `python -m autograder execute` does (nothing is saved). Every time is measured twice: wall
clock, which is what a reader waits but includes whatever else the machine does, and CPU time (of this
process and every process it started), which leaves other programs out. Both are compared with the
course's targets on 2 cores. `quick` builds nothing and executes only the first solution notebook.
"""

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import entry
from bench.report import CACHED_ALL, CACHED_BUILD, CLOCKS, COLD_BUILD, EXECUTE, ROOT, TARGET

TARGETS = {COLD_BUILD: 90.0, CACHED_BUILD: 15.0, CACHED_ALL: 15.0, EXECUTE: 15.0}


def _cpu():
    """CPU seconds (user + system) used so far by this process and by its finished child processes."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def timed(function, *args):
    """`(wall-clock seconds, CPU seconds)` of `function(*args)`, child processes included."""
    wall, cpu = time.perf_counter(), _cpu()
    function(*args)
    return time.perf_counter() - wall, _cpu() - cpu


def build(output, *options):
    """One strict `jupyter-book build` of the course into `output`."""
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output",
               str(output), "-W", "-n", "--keep-going", *options]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"the book does not build (strict), so its build time is meaningless:\n"
                           f"{run.stdout[-3000:]}\n{run.stderr[-2000:]}")


def execute(path):
    """Execute the notebook (or jupytext Markdown chapter) at `path` top to bottom in a fresh kernel."""
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(path)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()


def _entries(what, times):
    return [entry(f"{what}, {clock}", seconds, TARGETS[what if what in TARGETS else EXECUTE], TARGET, "s")
            for clock, seconds in zip(CLOCKS, times)]


def run(quick):
    """Entries for the three builds (unless quick) and every notebook, each against its target."""
    results = []
    if not quick:
        with tempfile.TemporaryDirectory(prefix="bench-book-") as output:
            results += _entries(COLD_BUILD, timed(build, output))
            results += _entries(CACHED_BUILD, timed(build, output))
            results += _entries(CACHED_ALL, timed(build, output, "--all"))
    notebooks = sorted((ROOT / "solutions").glob("*.ipynb"))[:1] if quick else [
        *sorted((ROOT / "book").glob("*.md")), *sorted((ROOT / "solutions").glob("*.ipynb"))]
    for path in notebooks:
        results += _entries(EXECUTE + path.relative_to(ROOT).as_posix(), timed(execute, path))
    return results
