"""Feedback HTML that never shows hidden tests: each graded cell appears as the student saw it, plus its result."""

import copy

import nbformat
from nbconvert import HTMLExporter

from autograder.run import verdicts

MAX_OUTPUT_CHARS = 10_000


def _is_test(cell):
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    return bool(nbgrader.get("grade")) and not nbgrader.get("solution")


def _truncate(text):
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    return text[:MAX_OUTPUT_CHARS] + f"\n... [{len(text) - MAX_OUTPUT_CHARS:,} more characters not shown]\n"


def _result(cell):
    """The verdict of an executed test cell: passed, or failed with the message of a visible test only.

    A hidden test's failure shows the test cell's description and nothing of the hidden test itself.
    """
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    failed = cell.get("metadata", {}).get("autograder", {}).get("failed")
    message = f"{errors[-1].get('ename', 'Error')}: {errors[-1].get('evalue', '')}".strip() if errors else ""
    return _truncate(verdicts.verdict(cell, message if failed == "visible" else ""))


def safe_notebook(graded, released):
    """A copy of the graded notebook fit for the student.

    Test cells get the source of the released (student) version, so hidden tests vanish, and their
    outputs become the verdict alone: no traceback, which would quote hidden code. Long outputs are cut.
    """
    visible = {c.metadata.nbgrader.grade_id: c.source for c in released.cells if _is_test(c)}
    notebook = copy.deepcopy(graded)
    for cell in notebook.cells:
        if _is_test(cell):
            grade_id = cell.metadata.nbgrader.grade_id
            cell.source = visible.get(grade_id, f"# test {grade_id}")
            verdict = _result(cell)
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict)]
        elif cell.cell_type == "code":
            for output in cell.outputs:
                if output.get("output_type") == "stream":
                    output.text = _truncate(output.text)
                elif output.get("output_type") == "error":
                    output.traceback = [_truncate("\n".join(output.traceback))]
        cell.metadata = {}
    notebook.metadata = {"kernelspec": graded.metadata.get("kernelspec", {}), "language_info": {"name": "python"}}
    return notebook


def render(graded, released, title, score, max_score, note=""):
    """The feedback page: a score header (and `note`: a late penalty, answers graded by hand), then the safe
    notebook, as one self-contained HTML string."""
    notebook = safe_notebook(graded, released)
    header = nbformat.v4.new_markdown_cell(f"# Feedback: {title}\n\n**Score: {score:g} / {max_score:g}**"
                                           + (f"\n\n{note}" if note else ""))
    notebook.cells.insert(0, header)
    html, _ = HTMLExporter(template_name="classic", embed_images=True).from_notebook_node(notebook)
    return html
