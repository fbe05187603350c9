"""A test cell's verdict: the points it earned, the line the student reads, and the copy nbgrader keeps.

Points (the course's convention, `COURSE.md` "Points"): a test cell with hidden tests splits its points in
two. Its visible part earns `visible_points` = half the cell's points, rounded down to a whole point; the
hidden part earns the rest. The visible part runs first: if it fails, the cell earns 0 and the hidden part
does not run. So a 3-point cell gives 1 point for passing the visible tests and 3 for passing all; a
1-point cell is all or nothing. A cell without hidden tests is all or nothing. nbgrader's own convention
still holds: a test cell whose last line is an expression worth a number of points earns that number (from
0 to its points), whatever the split says.

The checker writes the verdict into the cell's metadata (`autograder`: `score`, and `failed`, "visible" or
"hidden", when a part failed, with `why` a hidden part failed in the grader's own words). The hidden parts run
apart, with nothing shown (`checker`), so no message of a student's code ever describes a hidden test. `stored_copy` is the notebook kept in nbgrader's `autograded/` folder: each
test cell's hidden part is replaced by one comment line, and its outputs by the verdict, with an output that
makes nbgrader's own rule (`nbgrader.utils.determine_grade`) give the same score. So every nbgrader route
from `OUT/course` (formgrader, `generate_feedback`, `release_feedback`) shows the verdicts and the test
cells' names and descriptions, never hidden test code or what the hidden tests printed.
"""

import copy

import nbformat

from autograder.boundary.restore import _meta, is_test

HIDDEN_LINE = "# [hidden tests: not shown; their verdict is below]\n"


def visible_points(points, has_hidden):
    """The points the visible part of a test cell earns on its own."""
    return float(points // 2) if has_hidden else float(points)


def score(cell):
    """The points a graded test cell earned (0 before it ran)."""
    return float(cell.metadata.get("autograder", {}).get("score", 0))


def description(source):
    """The one-line docstring a test cell starts with (it says what the cell checks)."""
    first = source.strip().splitlines()[0] if source.strip() else ""
    return first.strip("\"' ") if first.startswith(('"""', "'''")) else ""


def _points(value):
    return f"{value:g} point" + ("" if value == 1 else "s")


def verdict(cell, message=""):
    """What the student reads under a test cell; `message`: the visible test's failure ("Error: text"); then
    the note the test's own code left, if any (e.g. the speedrun's steps against the baselines)."""
    note = cell.metadata.get("autograder", {}).get("note")
    return _verdict(cell, message) + (f"\n{note}" if isinstance(note, str) and note else "")


def _verdict(cell, message):
    points = float(_meta(cell).get("points", 0))
    verdict_ = cell.metadata.get("autograder", {})
    earned, failed = score(cell), verdict_.get("failed")
    if failed == "hidden":
        about = description(cell.get("source", "")).rstrip(".")
        why = str(verdict_.get("why", ""))
        return (f"FAILED: {earned:g}/{points:g} points, the visible tests passed ({_points(earned)}), the hidden "
                f"tests failed ({_points(points - earned)})" + (f": {about}" if about else "") + "."
                + (f" What went wrong: {why}." if why else "") + " Hidden tests try other inputs: make your code general.")
    if failed:
        return f"FAILED ({earned:g}/{points:g} points)\n{message}".rstrip()
    if earned < points:
        return f"PARTIAL CREDIT ({earned:g}/{points:g} points)"
    return f"PASSED ({earned:g}/{points:g} points)"


def _grade_output(cell, visible_error=None):
    """The output that makes nbgrader's `determine_grade` give this cell's score: an error for 0 (the visible
    test's own, without its traceback, when that failed, so a page rendered again from this copy shows its
    message), the number of points (an execute_result, nbgrader's partial credit) between 0 and full marks,
    none for full."""
    points, earned = float(_meta(cell).get("points", 0)), score(cell)
    if earned <= 0 < points:
        failed = cell.metadata.get("autograder", {}).get("failed")
        if visible_error is not None:
            return [nbformat.v4.new_output("error", ename=visible_error.ename, evalue=visible_error.evalue,
                                           traceback=[])]
        said = f"the {failed} tests failed" if failed else "the test cell gave 0 points"
        return [nbformat.v4.new_output("error", ename="TestFailed", evalue=said, traceback=[])]
    if earned < points:
        return [nbformat.v4.new_output("execute_result", data={"text/plain": repr(earned)}, execution_count=None)]
    return []


def stored_copy(graded, visible_sources):
    """The graded notebook as nbgrader keeps it: no hidden test code, verdicts as outputs (see above).

    `visible_sources`: `{grade_id: source}` of the released (student) notebook's test cells.
    """
    notebook = copy.deepcopy(graded)
    for cell in notebook.cells:
        if not is_test(cell):
            continue
        visible = visible_sources.get(_meta(cell).get("grade_id"), "")
        cell.source = visible.rstrip("\n") + "\n" + HIDDEN_LINE if cell.source != visible else visible
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        failed = cell.metadata.get("autograder", {}).get("failed")
        error = errors[-1] if errors and failed == "visible" else None
        text = verdict(cell, f"{error.ename}: {error.evalue}" if error else "")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
                        *_grade_output(cell, error)]
    return notebook
