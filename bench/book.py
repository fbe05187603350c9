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

Page weight: after the cold build, the heaviest page of the built book, by what a first visit transfers
uncompressed (`page_weight`): its HTML (with the explorables' data and static fallbacks inlined) and every script,
style sheet and image it references from the book (BokehJS on the pages with an explorable, MathJax's loader on
every page). Web fonts and the MathJax components it loads later are not counted (`tests/test_explorables.py`
checks the sum against what Chromium actually loads). The target, 7000 KB: before the explorables the
heaviest page was chapter 3 at about 4400 KB (its nine figures 1.1 MB, the theme's icon-font script 1.45 MB,
MathJax 1.1 MB); a page with an explorable loads BokehJS too (1.6 MB, 0.44 MB gzipped) and the explorable's
data and static fallback (at most about 250 KB); 7000 KB leaves room for that and little more, so a second
plotting library, an unminified bundle or a heavy explorable shows up as a miss. (Served with gzip, as static
hosts do, the same page transfers about 40 % of it.)
"""

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import entry
from bench.report import CACHED_ALL, CACHED_BUILD, CLOCKS, COLD_BUILD, EXECUTE, PAGE_WEIGHT, ROOT, TARGET

TARGETS = {COLD_BUILD: 90.0, CACHED_BUILD: 15.0, CACHED_ALL: 15.0, EXECUTE: 15.0}
PAGE_WEIGHT_TARGET_KB = 7000.0
# What a page loads from the book: scripts, style sheets, images (their local URLs, relative to the page).
_REFERENCES = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"'
                         r'|<img\b[^>]*\bsrc="([^"]+)"')


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


def page_weight(page):
    """Bytes a first visit to the built page `page` (a Path) transfers, uncompressed: the page and the scripts,
    style sheets and images it references from the book (not fonts, not what scripts load later)."""
    text = page.read_text(encoding="utf-8")
    files = set()
    for match in _REFERENCES.finditer(text):
        url = next(group for group in match.groups() if group)
        if re.match(r"^[a-z]+:", url):  # data:, and http(s): (the book references none: offline)
            continue
        path = (page.parent / url.split("?")[0].split("#")[0]).resolve()
        if path.is_file():
            files.add(path)
    return len(text.encode()) + sum(path.stat().st_size for path in files)


def heaviest_page(html):
    """`(page relative to html, bytes)`: the built book's heaviest page by `page_weight`."""
    pages = [path for path in html.rglob("*.html") if "_static" not in path.parts]
    weights = {path.relative_to(html).as_posix(): page_weight(path) for path in pages}
    page = max(weights, key=weights.get)
    return page, weights[page]


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
            page, weight = heaviest_page(Path(output) / "_build" / "html")
            results.append(entry(f"{PAGE_WEIGHT}{page}", weight / 1024, PAGE_WEIGHT_TARGET_KB, TARGET, "KB"))
    notebooks = sorted((ROOT / "solutions").glob("*.ipynb"))[:1] if quick else [
        *sorted((ROOT / "book").glob("*.md")), *sorted((ROOT / "solutions").glob("*.ipynb"))]
    for path in notebooks:
        results += _entries(EXECUTE + path.relative_to(ROOT).as_posix(), timed(execute, path))
    return results
