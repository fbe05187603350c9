"""A grading worker process: one notebook at a time, each in a fresh sandboxed kernel.

Kept light (no nbgrader, no database): the main process does nbgrader's sanitizing and writes the gradebook.
"""

import functools
import os
import re
from pathlib import Path

import nbformat

from autograder.boundary import cgroup, integrity, sandbox
from autograder.views import feedback
from autograder.records import manual
from autograder.run import verdicts
from autograder.run.checker import NotebookRun
from autograder.course import NOTEBOOKS, SOLUTIONS
from autograder.boundary.restore import is_answer, is_test, restore


@functools.lru_cache(maxsize=None)
def _course_notebooks(slug):
    return (nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4),
            nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4))


def score_of(notebook):
    """(score, max_score): the points each test cell earned (see `verdicts`), and all their points."""
    tests = [c for c in notebook.cells if is_test(c)]
    return sum(verdicts.score(c) for c in tests), sum(c.metadata.nbgrader.get("points", 0) for c in tests)


def warm_up():
    """Import what grading a notebook needs, while the main process sets up the course."""
    import matplotlib.pyplot  # noqa: F401
    import nbconvert  # noqa: F401

    import trainfaster.checks  # noqa: F401


def notes_of(notebook, changes, limits, use_sandbox):
    """What happened while grading, for grades.csv: restored cells, stopped kernels, memory and disk (with
    the kind of limit in force), cut output."""
    notes = [f"{change}: restored from the source" for change in changes]
    for number, cell in enumerate(notebook.cells, 1):
        for output in cell.get("outputs", []):
            if output.output_type == "error" and output.ename == "KernelDied" and "time budget" in output.evalue:
                continue  # `budget_note` says it once
            if output.output_type == "error" and output.ename == "KernelDied" and output.evalue.startswith("out of"):
                notes.append(f"cell {number}: out of memory ({cgroup.kind(limits.memory)})")
            elif output.output_type == "error" and output.ename == "KernelDied":
                notes.append(f"cell {number}: {output.evalue}")
            elif output.output_type == "error" and "MemoryError" in output.ename:
                notes.append(f"cell {number}: out of memory ({cgroup.kind(limits.memory)})")
            elif output.output_type == "error" and re.search(r"Errno (28|27)\]", output.evalue):
                notes.append(f"cell {number}: out of disk space ({sandbox.disk_kind(limits.disk, use_sandbox)})")
            elif output.output_type == "stream" and "more characters not shown" in output.text:
                notes.append(f"cell {number}: printed too much (cut)")
    return "; ".join(dict.fromkeys(notes))


def grade_notebook(student, slug, submitted, folder, out, limits, use_sandbox, matplotlib_cache, run_all=False,
                   library=None, late=None):
    """Grade one (sanitized) notebook and write its feedback page; return (the notebook as nbgrader keeps it,
    without hidden test code, integrity flags, notes). `library`: the course library the kernel sees.

    `late` (a `deadlines.Late`) takes its penalty off the score the page shows, and the page says why."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    source, released = _course_notebooks(slug)
    submitted = nbformat.from_dict(submitted)
    notebook, changes = restore(submitted, source, released)
    with NotebookRun(folder, limits, use_sandbox, matplotlib_cache, library) as run:
        run.execute(notebook, run_all)
    found = integrity.report(submitted, source, run.suspicious, changes)
    budget = budget_note(run.budget_hit, limits)
    page = Path(out) / "feedback" / student / f"{slug}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    score, max_score = score_of(notebook)
    written = [c for c in notebook.cells if is_answer(c) and c.metadata.nbgrader.get("grade")]
    max_score += sum(c.metadata.nbgrader.get("points", 0) for c in written)  # all the points, as grades.csv
    stubs = {c.metadata.nbgrader.grade_id: c.source.strip() for c in released.cells if is_answer(c)}
    hand_graded = sum(c.metadata.nbgrader.get("points", 0) for c in written  # a stub scores 0 unread
                      if c.source.strip() != stubs.get(c.metadata.nbgrader.grade_id))
    note = " ".join(filter(None, [budget, manual.pending_note(hand_graded),
                                  late.describe(score, max_score) if late else ""]))
    shown = score - late.points(score) if late else score
    html, page_note = feedback.rendered(notebook, released, f"{slug} ({student})", shown, max_score, note)
    page.write_text(html)
    visible = {c.metadata.nbgrader.grade_id: c.source for c in released.cells if is_test(c)}
    notes = "; ".join(filter(None, [budget, notes_of(notebook, changes, limits, use_sandbox), page_note]))
    return verdicts.stored_copy(notebook, visible), found, notes


def budget_note(where, limits):
    """What the feedback and grades.csv say when the notebook's time budget ran out (`NotebookRun.budget_hit`)."""
    if where is None:
        return ""
    budget = f"this notebook's time budget ({limits.notebook_budget():g} s for all of its code) was used up"
    if where == "hidden":
        return f"Grading stopped while the hidden tests ran: {budget}, so they earned nothing."
    return (f"Grading stopped at cell {where}: {budget}, so the cells after it were not run and their tests "
            "earned nothing.")
