"""A student's notebook rebuilt on the instructor's source: only the answers are the student's.

Every locked cell (instructions, setup, tests with their hidden part) comes from `solutions/`, whatever the
student did to it: edited, deleted, turned into markdown or duplicated. So does every *given* cell: a code
cell of the source without nbgrader metadata before its last test (a helper the tests call, such as exercise
8's `optimizer_steps`); the checker pins what it defines. Each answer cell is matched by its nbgrader
`grade_id` (the first one wins: the caller ran nbgrader's `DeduplicateIds`); cells the student added or
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


def is_given(cell):
    """A given cell of the notebook being graded (`restore` marks it)."""
    return bool(cell.get("metadata", {}).get("autograder", {}).get("given"))


def given_cells(source):
    """The source's given cells: code without a grade_id, before its last test cell (experiments come after)."""
    tests = [i for i, cell in enumerate(source.cells) if is_test(cell)]
    return [cell for cell in source.cells[:tests[-1] if tests else 0]
            if cell.get("cell_type") == "code" and not _meta(cell).get("grade_id")]


def restore(student, source, released):
    """`(notebook, changes)`: the notebook to grade, and what had to be put back (for the instructor).

    `source` is the solution notebook (tests with their hidden part), `released` the student version (an
    answer cell the student deleted is graded as its stub, never as the model answer).
    """
    stubs = {_meta(c).get("grade_id"): c for c in released.cells if is_answer(c)}
    student = copy.deepcopy(student)
    known = {_meta(c)["grade_id"]: c for c in source.cells if _meta(c).get("grade_id")}
    given = {id(c): ("given", index) for index, c in enumerate(given_cells(source))}
    given_ids = {c.get("id"): key for c in given_cells(source) if c.get("id") for key in [given[id(c)]]}
    given_sources = {c.source.strip(): given[id(c)] for c in given_cells(source)}
    answers, free, anchor, seen = {}, {}, None, {}
    for cell in student.cells:
        grade_id = _meta(cell).get("grade_id")
        mine = given_ids.get(cell.get("id")) or given_sources.get(str(cell.get("source", "")).strip())
        if grade_id in known and is_answer(known[grade_id]) and grade_id not in answers:
            answers[grade_id] = cell
            anchor = grade_id
        elif grade_id in known:
            anchor = grade_id  # a locked cell: the source's copy is used, wherever the student moved it
        elif mine and cell.get("cell_type") == "code" and mine not in seen:
            seen[mine] = cell  # a given cell: the source's copy is used
            anchor = mine
        elif cell.get("cell_type") in ("code", "markdown"):
            cell.metadata.pop("nbgrader", None)
            free.setdefault(anchor, []).append(cell)
    changes = _changes(student, source, released) + _given_changes(seen, source)
    cells = list(free.get(None, []))
    for original in source.cells:
        grade_id = _meta(original).get("grade_id")
        if id(original) in given:
            cell = copy.deepcopy(original)
            cell.metadata["autograder"] = {"given": True}
            cells.append(cell)
            cells += free.get(given[id(original)], [])
            continue
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
            theirs = mine.get(grade_id)
            locked_code = cell.cell_type == "code" and _meta(cell).get("locked") and not is_answer(cell)
            if locked_code and theirs is not None and theirs.get("source", "").strip() != cell.source.strip():
                changes.append(f"locked cell {grade_id} was edited")  # restored from the source like a test
            continue
        theirs = mine.get(grade_id)
        if theirs is None:
            changes.append(f"test cell {grade_id} was deleted")
        elif theirs.get("cell_type") != "code":
            changes.append(f"test cell {grade_id} was turned into {theirs.get('cell_type')}")
        elif theirs.get("source", "").strip() != visible.get(grade_id, "").strip():
            changes.append(f"test cell {grade_id} was edited")
    return changes


def _given_changes(seen, source):
    """Given cells the student edited (one deleted is restored too, without a note: nothing was changed)."""
    changes = []
    for index, cell in enumerate(given_cells(source)):
        theirs = seen.get(("given", index))
        if theirs is not None and str(theirs.get("source", "")).strip() != cell.source.strip():
            changes.append(f"given cell {cell.get('id') or index + 1} was edited")
    return changes
