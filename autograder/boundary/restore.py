"""A student's notebook rebuilt on the instructor's source: only the answers are the student's.

Every locked cell (instructions, setup, tests with their hidden part) comes from `solutions/`, whatever the
student did to it: edited, deleted, turned into markdown or duplicated. Each answer cell is matched by its
nbgrader `grade_id` (the first one wins: the caller ran nbgrader's `DeduplicateIds`); cells the student added or
copied, and free cells such as experiments, keep their place after the cell they followed.
"""

import copy


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test(cell):
    """A graded test cell: it holds points and is not an answer."""
    return bool(_meta(cell).get("grade")) and not _meta(cell).get("solution") and cell.get("cell_type") == "code"


def is_answer(cell):
    return bool(_meta(cell).get("solution"))


def restore(student, source, released):
    """`(notebook, changes)`: the notebook to grade, and what had to be put back (for the instructor).

    `source` is the solution notebook (tests with their hidden part), `released` the student version (an
    answer cell the student deleted is graded as its stub, never as the model answer).
    """
    stubs = {_meta(c).get("grade_id"): c for c in released.cells if is_answer(c)}
    student = copy.deepcopy(student)
    known = {_meta(c)["grade_id"]: c for c in source.cells if _meta(c).get("grade_id")}
    answers, free, anchor = {}, {}, None
    for cell in student.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id in known and is_answer(known[grade_id]) and grade_id not in answers:
            answers[grade_id] = cell
            anchor = grade_id
        elif grade_id in known:
            anchor = grade_id  # a locked cell: the source's copy is used, wherever the student moved it
        elif cell.get("cell_type") in ("code", "markdown"):
            cell.metadata.pop("nbgrader", None)
            free.setdefault(anchor, []).append(cell)
    changes = _changes(student, source, released)
    cells = list(free.get(None, []))
    for original in source.cells:
        grade_id = _meta(original).get("grade_id")
        if not grade_id:
            continue  # the source's free cells are replaced by the student's
        cell = copy.deepcopy(stubs.get(grade_id, original) if is_answer(original) else original)
        if is_answer(original) and grade_id in answers:
            cell.source = answers[grade_id].get("source", "")
            if cell.cell_type == "markdown" and answers[grade_id].get("attachments"):
                cell["attachments"] = copy.deepcopy(answers[grade_id]["attachments"])  # images pasted in an answer
        cells.append(cell)
        cells += free.get(grade_id, [])
    notebook = copy.deepcopy(source)
    notebook.cells = cells
    return notebook, changes


def _changes(student, source, released):
    mine = {}
    for cell in student.cells:
        mine.setdefault(_meta(cell).get("grade_id"), cell)
    visible = {_meta(c).get("grade_id"): c.source for c in released.cells}
    changes = []
    for cell in source.cells:
        grade_id = _meta(cell).get("grade_id")
        if not is_test(cell):
            continue
        theirs = mine.get(grade_id)
        if theirs is None:
            changes.append(f"test cell {grade_id} was deleted")
        elif theirs.get("cell_type") != "code":
            changes.append(f"test cell {grade_id} was turned into {theirs.get('cell_type')}")
        elif theirs.get("source", "").strip() != visible.get(grade_id, "").strip():
            changes.append(f"test cell {grade_id} was edited")
    return changes
