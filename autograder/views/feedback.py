"""Feedback HTML that never shows hidden tests: each graded cell appears as the student saw it, plus its result.

Everything of the student's is untrusted (`untrusted`): rendered without reading any file it names, cleaned,
in a child process with time and size limits (`isolated`), inside the pages' shell (`page`: CSP, local MathJax).
"""

import copy
import html

import nbformat

from autograder.run import verdicts
from autograder.views import isolated, page, untrusted
from autograder.views.style import STYLE

MAX_OUTPUT_CHARS = 10_000
RENDER_SECONDS = 30  # a notebook's page: beyond this it is shown as plain text
MAX_PAGE_BYTES = 30 * 10**6  # the notebook shown, and its page


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


def _exporter():
    """nbconvert's basic template (cells only: no script, no CDN) whose markdown filter renders untrusted
    markdown: no file read, HTML cleaned; images are data, so no `files/` prefix to strip."""
    from jinja2 import pass_context
    from nbconvert import HTMLExporter

    class Exporter(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):
            return untrusted.markdown_html(source, context.get("cell", {}).get("attachments"))

        def default_filters(self):
            yield from super().default_filters()
            # its regex is quadratic (`'![' * 40000` took minutes), and there is no path to strip
            yield ("strip_files_prefix", lambda text: text)

    return Exporter(template_name="basic", exclude_anchor_links=True)


def cells_html(notebook):
    """The safe notebook's cells as HTML: outputs made safe, raw cells cleaned."""
    notebook = copy.deepcopy(notebook)
    untrusted.plain_fields(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [untrusted.safe_output(o) for o in cell.outputs]
        elif cell.cell_type == "raw":
            cell.source = untrusted.clean_html(cell.source)
    body, _ = _exporter().from_notebook_node(notebook)
    return body


def _plain(notebook):
    """The fallback: each cell's source and text outputs, escaped, nothing rendered."""
    parts = []
    for cell in notebook.cells:
        texts = [cell.source] + [o.get("text", "") for o in cell.get("outputs", [])
                                 if o.get("output_type") == "stream"]
        parts.append("".join(f"<pre>{html.escape(_truncate(t))}</pre>" for t in texts if t))
    return '<div class="plain">' + "".join(parts) + "</div>"


def _header(title, score, max_score, note):
    return (f"<header><h1>Feedback: {html.escape(title)}</h1>"
            f"<p><strong>Score: {score:g} / {max_score:g}</strong></p>"
            + (f"<p>{html.escape(note)}</p>" if note else "") + "</header>")


def rendered(graded, released, title, score, max_score, note=""):
    """(the feedback page, a note for the grader's row or ""): a score header (and `note`: a late penalty,
    answers graded by hand), then the safe notebook, in the shell of `page` (for `OUT/feedback/<student>/`).

    The notebook is rendered in a child process, in an empty folder, within `RENDER_SECONDS` and
    `MAX_PAGE_BYTES`; when it cannot be, the page shows the cells as plain text and says why."""
    notebook = safe_notebook(graded, released)
    problem = ""
    if len(nbformat.writes(notebook)) > MAX_PAGE_BYTES:
        problem = f"the notebook is larger than {MAX_PAGE_BYTES // 10**6} MB"
    else:
        body, problem = isolated.run(cells_html, notebook, seconds=RENDER_SECONDS, max_bytes=MAX_PAGE_BYTES)
    if problem:
        body = (f'<p class="fallback">This page shows your notebook as plain text: {html.escape(problem)}.</p>'
                + _plain(notebook))
    main = f'<main class="notebook">{_header(title, score, max_score, note)}{body}</main>'
    page_html = page.document(f"Feedback: {title}", main, root="../..", math=not problem, style=STYLE)
    return page_html, (f"feedback page shown as plain text ({problem})" if problem else "")


def render(graded, released, title, score, max_score, note=""):
    """The feedback page of `rendered`, as one HTML string."""
    return rendered(graded, released, title, score, max_score, note)[0]
