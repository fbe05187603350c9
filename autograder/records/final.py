"""Final grades: what `grades.csv`, `export`, the LMS files, Gradescope and the report all show.

A notebook's points are nbgrader's, cell by cell, from its gradebook: the autograded test cells and, once
someone has graded them (formgrader or `--manual-scores`), the written answers. A row with an answer still
waiting for its grader says "needs manual grading" in `status` and is never sent to an LMS as a final score.
A late penalty (`--deadline`) takes its percentage off the points earned.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from autograder.records import csvsafe, db, deadlines, gradebook
from autograder.course import COURSE_ID

COLUMNS = gradebook.COLUMNS + ["late_by", "penalty", "status"]
FINAL = "final"
NEEDS_MANUAL = "needs manual grading"


@dataclass(frozen=True)
class Cell:
    """One graded cell of one submission, as nbgrader's gradebook holds it."""

    grade_id: str
    score: float
    max_score: float
    manual: bool  # a written answer, graded by hand
    pending: bool  # ... and nobody has graded it yet


def cell_scores(db_url):
    """`{(student, assignment): [Cell]}` for every submission in nbgrader's gradebook, in one query."""
    from nbgrader.api import (Assignment, Grade, GradeCell, Gradebook, SubmittedAssignment,
                              SubmittedNotebook)

    from autograder.records.manual import manual_cells

    book = Gradebook(db_url, COURSE_ID)
    try:
        manual = manual_cells(book)
        query = (book.db.query(SubmittedAssignment.student_id, Assignment.name, GradeCell.name, Grade.auto_score,
                               Grade.manual_score, Grade.extra_credit, GradeCell.max_score)
                 .select_from(Grade)
                 .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                 .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                 .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                 .join(GradeCell, Grade.cell_id == GradeCell.id))
        cells = {}
        for student, slug, grade_id, auto, hand, extra, max_score in query:
            score = (hand if hand is not None else auto if auto is not None else 0.0) + (extra or 0.0)
            is_manual = (slug, grade_id) in manual
            cells.setdefault((student, slug), []).append(
                Cell(grade_id, score, max_score, is_manual, is_manual and hand is None and auto is None))
        return cells
    finally:
        book.close()


def rows(db_url, keep=lambda student_id: True):
    """Every row of the gradebook (of the students `keep` accepts, e.g. one shard's), as dicts, sorted."""
    db_url = gradebook.normalize_url(db_url)
    with db.reading(db_url, gradebook.RESULTS) as connection:
        if connection is None:
            return None
        results = [dict(r._mapping) for r in connection.execute(sa.select(gradebook.RESULTS))]
        lateness = deadlines.recorded(connection)
    cells = cell_scores(db_url)
    final = []
    for result in results:
        key = (result["student_id"], result["assignment"])
        if not keep(key[0]):
            continue
        mine = [] if result["reason"] else cells.get(key, [])
        earned = sum(c.score for c in mine) if mine else result["score"]
        pending = [c for c in mine if c.pending]
        late = lateness.get(key)
        penalty = (late.points(earned) if not result["reason"] else 0.0) if late else ""
        status = (f"{NEEDS_MANUAL}: {', '.join(c.grade_id for c in pending)} "
                  f"({sum(c.max_score for c in pending):g} points)" if pending else FINAL)
        final.append({**{c: result[c] for c in gradebook.COLUMNS}, "score": earned - (penalty or 0.0),
                      "late_by": late.late_by() if late else "", "penalty": penalty, "status": status})
    return sorted(final, key=lambda r: (r["student_id"], r["assignment"]))


def is_final(row):
    return row["status"] == FINAL


def write(path, final_rows):
    """grades.csv: the columns of `COLUMNS`, scores as short numbers."""
    csvsafe.write(path, COLUMNS, [[row[c] for c in COLUMNS] for row in final_rows])
