"""`validate`: a student's self-check of one exercise notebook, from the notebook alone.

It runs the notebook as `grade` does: top to bottom in a fresh kernel (in the bubblewrap sandbox where this
machine has it, else as a plain process, and it says which), nothing after the last test. No gradebook and no
course sources are needed: the tests are the visible ones the notebook carries. Since they come from the
student's file, everything runs in the kernel, the notebook's test and locked cells too, and only those whose
checksum is the one nbgrader stored when it released them (checked against the list of test cells `release`
stored in the notebook's metadata too). It warns about what would cost marks when the notebook is graded (an
edited or deleted test cell, a renamed function, a cell that raises, a fix after the last test, a file that
will not be there), lists the answers graded by hand as written or empty, and splits the score into its
automatic and hand-graded points. Its imports are light (no nbgrader): students run it as their self-check.
"""

import ast
import copy
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.run.checker import NotebookRun, _label, free_names, split_hidden
from autograder.course import UsageError
from autograder.boundary.remote import KernelDied
from autograder.boundary.restore import _meta, is_answer, is_test
from autograder.boundary.sandbox import Limits, check_sandbox

MANIFEST = "trainfaster"  # the notebook metadata `release` writes: {"exercise": slug, "tests": {grade_id: points}}
STUB = "NotImplementedError"


@dataclass
class Result:
    """One row of the table: a test cell and what running it gave."""

    grade_id: str
    points: float
    status: str  # PASSED, FAILED or MISSING
    message: str = ""


def checksum(cell):
    """nbgrader's checksum of a cell (`nbgrader.utils.compute_checksum`: nbgrader is not needed here)."""
    meta = _meta(cell)
    grade, solution = meta.get("grade", False), meta.get("solution", False)
    locked = False if solution else True if grade else meta.get("locked", False)
    digest = hashlib.md5()
    for part in (cell.source, cell.cell_type, str(grade), str(solution), str(locked), meta["grade_id"]):
        digest.update(part.encode("utf-8"))
    if grade:
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def _is_test_meta(cell):
    """A test cell by its metadata, whatever the student turned it into."""
    return bool(_meta(cell).get("grade")) and not _meta(cell).get("solution")


def load(path):
    """The notebook at `path`, or a one-line `UsageError` if it is missing, malformed or not an exercise."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such notebook: {str(path)!r}")
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:
        reason = " ".join(str(error).split())[:160]
        raise UsageError(f"{path.name} is not a valid notebook ({type(error).__name__}: {reason}); "
                         "download it again and copy your answers over") from None
    if not any(_is_test_meta(cell) for cell in notebook.cells):
        raise UsageError(f"{path.name} is not a course exercise: it has no test cells (nbgrader metadata); "
                         "validate the notebook you downloaded from the course")
    return notebook


def integrity_warnings(notebook):
    """`(warnings, changed)`: cells changed in ways grading undoes, and the grade_ids of the test cells among them
    (edited, turned into another type of cell, or deleted)."""
    warnings, changed = [], set()
    for number, cell in enumerate(notebook.cells, 1):
        meta = _meta(cell)
        if not meta.get("checksum") or meta.get("solution") or "grade_id" not in meta:
            continue
        if checksum(cell) == meta["checksum"]:
            continue
        grade_id = meta["grade_id"]
        if _is_test_meta(cell):
            changed.add(grade_id)
            turned = f"turned into {cell.cell_type}" if cell.cell_type != "code" else "edited"
            warnings.append(f"cell {number}: test cell {grade_id} was {turned}: validate does not run it and "
                            "grading runs the original test; undo the change (or copy your answers into a fresh "
                            "download)")
        else:
            warnings.append(f"cell {number}: locked cell {grade_id} was edited: validate does not run it and grading "
                            "puts the original back")
    manifest = notebook.metadata.get(MANIFEST, {})
    present = {_meta(c).get("grade_id") for c in notebook.cells if _is_test_meta(c)}
    missing = [g for g in manifest.get("tests", {}) if g not in present]
    changed.update(missing)
    if missing:
        warnings.append(f"test cell(s) {', '.join(missing)} deleted: grading puts them back and runs them; "
                        "copy your answers into a fresh download to see their results")
    if not manifest:
        warnings.append("this notebook carries no list of its test cells, so deleted ones cannot be found: "
                        "validate the notebook as downloaded from the course")
    return warnings, changed


def defined_names(source):
    """The names a cell binds (functions, classes, assignments, imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _top_functions(source):
    try:
        return [n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    except SyntaxError:
        return []


def _top_names(source):
    """The names a cell binds at its top level (not those inside its functions)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return set()
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        else:
            names |= defined_names(ast.unparse(node))
    return names


def name_warnings(notebook):
    """Tests that use a name no cell above them defines (a renamed function), and fixes after the last test."""
    warnings, defined, answer = [], set(), None
    tests = [i for i, cell in enumerate(notebook.cells) if is_test(cell)]
    for index, cell in enumerate(notebook.cells[:tests[-1] + 1] if tests else []):
        if cell.cell_type != "code":
            continue
        source = split_hidden(cell.source)[0] if is_test(cell) else cell.source
        if is_answer(cell):
            answer = cell
        if is_test(cell):
            unknown = [] if "*" in defined else sorted(free_names(source) - defined - defined_names(source))
            if unknown:
                hint = ""
                if answer is not None and _top_functions(answer.source):
                    hint = f" (the answer cell above defines {', '.join(_top_functions(answer.source))})"
                warnings.append(f"cell {index + 1}: test cell {_meta(cell)['grade_id']} uses {', '.join(unknown)}, "
                                f"which no cell above it defines{hint}: grading calls it by that name, so keep "
                                "the name (and the signature) the notebook gave")
        defined |= defined_names(source)
    answers = [c for c in notebook.cells if is_answer(c) and c.cell_type == "code"]
    graded = set().union(set(), *(_top_names(c.source) for c in answers))
    for index, cell in enumerate(notebook.cells[tests[-1] + 1:] if tests else [], tests[-1] + 2 if tests else 1):
        redefined = sorted(_top_names(cell.source) & graded) if cell.cell_type == "code" else []
        if redefined:
            warnings.append(f"cell {index}: defines {', '.join(redefined)} after the last test: grading never runs "
                            "cells after the last test, so it grades the answer cell's version; put your fix there")
    return warnings


class _Run(NotebookRun):
    """Grading's run, with everything in the kernel: the student's cells, and the notebook's own test and locked
    cells too (they come from the student's file, so they are untrusted here), each test or locked cell only if
    its checksum is the one it was released with. Notes which cell opened a file outside the kernel's folders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened = {}  # cell source: paths it opened

    def _run_student(self, source, *args, **kwargs):
        before = len(self.suspicious)
        outputs = super()._run_student(source, *args, **kwargs)
        if len(self.suspicious) > before:
            self.opened[source] = self.suspicious[before:]
        return outputs

    def _run_trusted(self, *parts):
        """Nothing runs in this process: a locked cell ran in the kernel already (`_run_student`)."""
        return "", None, None, None

    def _run_test(self, cell, index):
        """The visible part, in the kernel; nothing is left for a hidden run (the student's file has none)."""
        if changed_since_release(cell):
            return [_refused("test")], ""
        return self._run_student(split_hidden(cell.source)[0], _label(cell, index)), ""

    def execute(self, notebook, run_all=False):
        for cell in notebook.cells:  # a changed locked cell is not run: it becomes an error, its outputs say why
            if cell.cell_type == "code" and not is_test(cell) and not is_answer(cell) and changed_since_release(cell):
                cell.source, cell.metadata["validate_refused"] = "", True
        notebook = super().execute(notebook, run_all)
        for cell in notebook.cells:
            if cell.metadata.pop("validate_refused", False):
                cell.outputs = [nbformat.from_dict(_refused("locked"))]
        return notebook


def changed_since_release(cell):
    """Whether a test or locked cell's checksum is not the one nbgrader stored when it was released."""
    meta = _meta(cell)
    if not meta.get("checksum") or meta.get("solution") or "grade_id" not in meta:
        return False
    try:
        return checksum(cell) != meta["checksum"]
    except (KeyError, TypeError, ValueError):
        return True


def _refused(kind):
    reason = (f"not run: this {kind} cell is not the one released (its checksum differs), and validate runs only "
              "released tests and locked cells; grading runs the original")
    return {"output_type": "error", "ename": "NotRun", "evalue": reason, "traceback": [reason]}


def sandbox_available():
    """Whether a kernel can start in the bubblewrap sandbox here."""
    try:
        check_sandbox()
    except UsageError:
        return False
    return True


def run(notebook, path, use_sandbox):
    """The notebook executed as grading does, with its visible tests; and `{cell source: files opened}`.

    The kernel's folder holds a copy of the notebook alone, as a submission's does when it is graded.
    """
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if is_test(cell):
            cell.source = split_hidden(cell.source)[0]  # a source notebook's hidden tests are not the student's
        if cell.cell_type == "code":
            cell.outputs = []
    with tempfile.TemporaryDirectory(prefix="validate-") as folder:
        shutil.copyfile(path, Path(folder) / Path(path).name)
        with _Run(folder, Limits(), use_sandbox) as execution:
            execution.execute(notebook)
    return notebook, execution.opened


def _message(outputs):
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if not errors:
        return ""
    ename, evalue = errors[-1].get("ename", "Error"), errors[-1].get("evalue", "")
    if ename == STUB and not evalue.strip():
        evalue = "not written yet (replace `raise NotImplementedError()` with your code)"
    text = f"{ename}: {evalue}".strip()
    return text if len(text) <= 600 else text[:600] + " ..."


def results(notebook, changed=()):
    """A `Result` per test cell of the executed notebook (the first of a grade_id, as grading keeps), then one
    per deleted test cell. `changed`: the test cells that were edited."""
    rows = {}
    for cell in notebook.cells:
        grade_id = _meta(cell).get("grade_id")
        if not _is_test_meta(cell) or grade_id in rows:
            continue
        points = float(_meta(cell).get("points", 0))
        if cell.cell_type != "code":
            rows[grade_id] = Result(grade_id, points, "MISSING", f"this test cell was turned into {cell.cell_type}")
            continue
        message = _message(cell.outputs)
        if not message and grade_id in changed:
            message = "but this test cell was edited: grading runs the original"
        rows[grade_id] = Result(grade_id, points, "FAILED" if _message(cell.outputs) else "PASSED", message)
    for grade_id, points in notebook.metadata.get(MANIFEST, {}).get("tests", {}).items():
        if grade_id not in rows:
            rows[grade_id] = Result(grade_id, float(points), "MISSING", "this test cell was deleted")
    return list(rows.values())


def run_warnings(notebook, opened):
    """Cells that raised (other than a stub not yet answered) and files the code opened that grading lacks."""
    warnings = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code" or is_test(cell):
            continue
        message = _message(cell.get("outputs", []))
        name = f"answer cell {_meta(cell)['grade_id']}" if is_answer(cell) else "this cell"
        if message.startswith(STUB):
            warnings.append(f"cell {number}: {name} raised {message}")
        elif message.startswith(KernelDied.__name__):
            warnings.append(f"cell {number}: {name} stopped the kernel ({message.split(': ', 1)[-1]})")
        elif message.startswith(("FileNotFoundError", "PermissionError")):
            warnings.append(f"cell {number}: {name} raised {message.splitlines()[0]}: only the notebook is there "
                            "when it is graded; make the data in the notebook or load it with trainfaster.data")
        elif message:
            warnings.append(f"cell {number}: {name} raised {message.splitlines()[0]}: grading runs it the same way, "
                            "and whatever it should have defined is missing for the cells after it")
        for path in opened.get(cell.source, []):
            warnings.append(f"cell {number}: {name} opened {path}: that file will not be there when it is graded")
    return warnings


def written_answers(notebook):
    """`[(grade_id, points, written)]`: the answers graded by hand, and whether each was changed since release
    (its checksum differs from the one nbgrader stored) and holds more than a stub."""
    found = []
    for cell in notebook.cells:
        meta = _meta(cell)
        if not (is_answer(cell) and meta.get("grade") and "grade_id" in meta):
            continue
        try:
            unchanged = bool(meta.get("checksum")) and checksum(cell) == meta["checksum"]
        except (KeyError, TypeError, ValueError):
            unchanged = False
        text = cell.source.strip()
        empty = unchanged or not text or text.endswith("YOUR ANSWER HERE") or text.endswith("raise NotImplementedError()")
        found.append((meta["grade_id"], float(meta.get("points", 0)), not empty))
    return found


def hand_lines(written):
    """The hand-graded answers as lines, written or empty."""
    return [f"  {grade_id}: {'written' if done else 'EMPTY: write your answer'} ({points:g} points, graded by hand)"
            for grade_id, points, done in written]


def table(rows, by_hand=0.0):
    """The results as aligned text lines, and the score: automatic (visible tests) and by hand."""
    width = max([len("test cell")] + [len(r.grade_id) for r in rows])
    lines = [f"  {'test cell':<{width}}  {'points':>7}  result"]
    for row in rows:
        earned = row.points if row.status == "PASSED" else 0
        message = "\n".join(f"{'':{width + 23}}{line}" for line in row.message.splitlines())
        lines.append(f"  {row.grade_id:<{width}}  {f'{earned:g}/{row.points:g}':>7}  {row.status}"
                     + (f"  {message.lstrip()}" if message else ""))
    score = sum(r.points for r in rows if r.status == "PASSED")
    total = sum(r.points for r in rows)
    lines.append(f"visible score: {score:g} / {total:g} (grading adds hidden tests, which try other inputs)")
    lines.append(f"score: automatic {score:g}/{total:g}, by hand: {by_hand:g} points still to be graded")
    return lines


def _cell_number(warning):
    """Warnings in cell order; those about the whole notebook last."""
    number = warning.split(":", 1)[0].removeprefix("cell ")
    return int(number) if number.isdigit() else float("inf")


def validate(path, log=print):
    """Check one notebook; return the exit status: 0 only if every visible test passes and none was changed."""
    notebook = load(path)
    use_sandbox = sandbox_available()
    where = ("in the bubblewrap sandbox, as when graded, its tests and locked cells in the same kernel" if use_sandbox
             else "as a plain process: bubblewrap (the grading sandbox) is not available here, so your own code runs "
             "unsandboxed (and so do the notebook's tests and locked cells)")
    log(f"validate {Path(path).name}: a fresh kernel runs it top to bottom, {where}")
    warnings, changed = integrity_warnings(notebook)
    warnings += name_warnings(notebook)
    executed, opened = run(notebook, path, use_sandbox)
    warnings += run_warnings(executed, opened)
    rows = results(executed, changed)
    written = written_answers(notebook)
    log("")
    for line in table(rows, sum(points for _, points, _ in written)):
        log(line)
    if written:
        log("")
        log("answers graded by hand:")
        for line in hand_lines(written):
            log(line)
    if warnings:
        log("")
        log("what would cost marks when it is graded:")
        for warning in sorted(warnings, key=_cell_number):
            log(f"  - {warning}")
    passed = all(row.status == "PASSED" for row in rows) and not changed
    log("")
    log("validate: every visible test passes" if passed else "validate: not yet: see above")
    return 0 if passed else 1
