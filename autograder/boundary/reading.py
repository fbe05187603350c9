"""A submitted notebook taken in by the main process: capped, parsed, checked, sanitized, or refused with a reason.

Everything here reads bytes a student sent, so every failure is that student's `Refused(reason)`, one line
that says what was wrong and what to do, never an exception that stops the class. The caps: a notebook of at
most `MAX_BYTES` on disk and `MAX_CELLS` cells. nbgrader's metadata (`{"nbgrader": {...}}`) must have the
shapes nbgrader writes: a cell marked grade, solution or locked has a non-empty string `grade_id`, a graded
cell has a number of points, the flags are booleans.
"""

import math
from pathlib import Path

import nbformat

MAX_BYTES = 20 * 2**20
MAX_CELLS = 500
FLAGS = ("grade", "solution", "locked", "task")
FRESH_COPY = "copy your answers into a fresh copy of the exercise notebook and hand that in"


class Refused(Exception):
    """The notebook cannot be graded; the message is the row's reason."""


def unreadable(path):
    """Why the notebook at `path` cannot be graded ("unreadable notebook ...", a cap), or ""."""
    try:
        read(path, sanitize=False)
    except Refused as refused:
        return str(refused)
    return ""


def read(path, sanitize=True):
    """The notebook at `path`, checked, and (`sanitize`) after nbgrader's own sanitizing: outputs cleared,
    duplicate grade_ids dropped. Raises `Refused` with the reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Refused(f"unreadable notebook {path.name}: {error.strerror}") from None
    if size > MAX_BYTES:
        raise Refused(f"notebook {path.name} is {size / 2**20:.1f} MiB, more than the {MAX_BYTES >> 20} MiB a "
                      "notebook may have: clear its outputs (Kernel > Restart & Clear Output), save, hand it in again")
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # malformed JSON, not a notebook, wrong encoding, nested too deeply...
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Refused(f"unreadable notebook {path.name}: {first_line[:200]}") from None
    if len(notebook.cells) > MAX_CELLS:
        raise Refused(f"notebook {path.name} has {len(notebook.cells)} cells, more than the {MAX_CELLS} a notebook "
                      f"may have: {FRESH_COPY}")
    for number, cell in enumerate(notebook.cells, 1):
        wrong = malformed(cell)
        if wrong:
            raise Refused(f"cell {number} of {path.name} has malformed nbgrader metadata ({wrong}): {FRESH_COPY}")
    if sanitize:
        from nbgrader.preprocessors import ClearOutput, DeduplicateIds

        try:
            for preprocessor in (ClearOutput(), DeduplicateIds()):
                notebook, _ = preprocessor.preprocess(notebook, {})
        except Exception as error:
            raise Refused(f"nbgrader could not read {path.name} ({type(error).__name__}): {FRESH_COPY}") from None
    return notebook


def malformed(cell):
    """What is wrong with a cell's nbgrader metadata, or "" (none, or the shapes nbgrader writes)."""
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return "its metadata is not a mapping"
    if "nbgrader" not in metadata:
        return ""
    meta = metadata["nbgrader"]
    if not isinstance(meta, dict):
        return "not a mapping"
    for flag in FLAGS:
        if flag in meta and not isinstance(meta[flag], bool):
            return f"{flag} is not true or false"
    grade_id = meta.get("grade_id")
    if any(meta.get(flag) for flag in ("grade", "solution", "locked")) or "grade_id" in meta:
        if not isinstance(grade_id, str) or not grade_id.strip() or len(grade_id) > 200:
            return "no grade_id, or one that is not a short name"
    if meta.get("grade"):
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not math.isfinite(points) or points < 0:
            return f"points of {grade_id} is not a number of points"
    if "schema_version" in meta and (isinstance(meta["schema_version"], bool)
                                     or not isinstance(meta["schema_version"], int)):
        return "schema_version is not a number"
    return ""
