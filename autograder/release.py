"""`release`: the student notebooks, generated from `solutions/` by nbgrader.

Each gets two additions for the student: after its introduction a "How to start" cell (a free cell, so
grading keeps it as the student's and it changes nothing), and in its metadata the list of its test cells
with their points, so that `validate` can tell a deleted test cell without the course sources.
"""

import tempfile
from pathlib import Path

import nbformat

from autograder.course import NOTEBOOKS, make_course, slugs
from autograder.boundary.restore import is_test
from autograder.start import notebook_cell
from autograder import tasks
from autograder.validate import MANIFEST

START_CELL = "how-to-start"  # the cell id of the "How to start" cell (fixed, so releases are reproducible)


def for_students(notebook, slug, secret=""):
    """The released notebook with its "How to start" cell and its list of test cells; `secret`, the course
    secret the derive and predict tasks draw their parameters with, stamped into its id cell."""
    if secret:
        stamp_secret(notebook, secret)
    cell = nbformat.v4.new_markdown_cell(notebook_cell(slug), id=START_CELL)
    notebook.cells.insert(1, cell)
    notebook.metadata[MANIFEST] = {"exercise": slug, "tests": {
        c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in notebook.cells if is_test(c)}}
    return notebook


def stamp_secret(notebook, secret):
    """Write `secret` into the student's id cell, where `COURSE_SECRET = ""` (a free cell: grading keeps the
    student's copy, so the kernel draws the same numbers when graded)."""
    line = f'{tasks.SECRET_NAME} = ""'
    for cell in notebook.cells:
        lines = cell.source.splitlines()
        if cell.cell_type == "code" and any(text.startswith(line) for text in lines):
            cell.source = "\n".join(f"{tasks.SECRET_NAME} = {secret!r}" + text[len(line):] if text.startswith(line)
                                    else text for text in lines)


def release(destination=NOTEBOOKS, assignments=None, secret=""):
    """Write the student version of every assignment to `destination/<slug>.ipynb`; return the paths."""
    assignments = assignments or slugs()
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        make_course(tmp, f"sqlite:///{tmp}/gradebook.db", assignments)
        for slug in assignments:
            target = destination / f"{slug}.ipynb"
            released = nbformat.read(Path(tmp) / "release" / slug / f"{slug}.ipynb", as_version=4)
            nbformat.write(for_students(released, slug, secret), target)
            written.append(target)
    return written
