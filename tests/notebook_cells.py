"""Run one graded test cell of an exercise notebook in-process, with a chosen answer in place of the model one.

Fast enough to try hundreds of answers: no kernel, just the notebook's setup cells, its solution cells
(one of them replaced) and the target test cell, executed in a fresh namespace.
"""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _grade_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_functions(notebook_path):
    """`{function grade_id: test grade_id}` of a notebook: each solution cell and the test cell after it."""
    cells = nbformat.read(notebook_path, as_version=4).cells
    pairs, current = {}, None
    for cell in cells:
        meta = _grade_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            current = meta["grade_id"]
        elif meta.get("grade") and current:
            pairs[current] = meta["grade_id"]
            current = None
    return pairs


def run_test_cell(notebook_path, test_id, replacements=None):
    """Execute the notebook's code up to test cell `test_id` and that cell; return the namespace.

    `replacements` maps a solution cell's grade_id to the source that replaces it. Other test cells are
    skipped. Exceptions propagate: a failing test raises, usually an `AssertionError`.
    """
    import matplotlib

    matplotlib.use("Agg")
    replacements = replacements or {}
    namespace = {"__name__": "__main__"}
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        meta = _grade_meta(cell)
        source = replacements.get(meta.get("grade_id"), cell.source)
        if meta.get("grade"):
            if meta["grade_id"] == test_id:
                exec(compile(source, f"<{test_id}>", "exec"), namespace)
                return namespace
            continue
        exec(compile(source, f"<{meta.get('grade_id', 'cell')}>", "exec"), namespace)
    raise KeyError(f"no test cell {test_id!r} in {notebook_path}")
