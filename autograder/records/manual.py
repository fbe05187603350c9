"""Written answers graded by hand: nbgrader's "manually graded answer" cells.

Their scores live where nbgrader keeps them, as the `manual_score` of the cell's grade in the gradebook:
the formgrader on `OUT/course` writes them there, and so does `--manual-scores FILE` (a CSV with
`student_id,assignment,grade_id,score`) for whoever does not run the formgrader. An answer the student left
as the stub scores 0 without anyone grading it (nbgrader's rule); any other answer needs manual grading
until a score is entered.
"""

import csv
from pathlib import Path

from autograder.course import UsageError

HEADER = ["student_id", "assignment", "grade_id", "score"]


def load_csv(path):
    """`[(student, assignment, grade_id, score)]` from a manual-scores CSV; one-line errors."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"--manual-scores: cannot read {str(path)!r} ({error})") from None
    if not set(HEADER) <= set(header):
        raise UsageError(f"--manual-scores {path.name}: expected the header {','.join(HEADER)}, "
                         f"got {','.join(header) or 'nothing'}")
    entries = []
    for number, row in enumerate(rows, 2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            score = float(row["score"])
        except ValueError:
            raise UsageError(f"--manual-scores {path.name} line {number}: score {row['score']!r} is not a number") from None
        if not all(row[k] for k in HEADER[:3]):
            raise UsageError(f"--manual-scores {path.name} line {number}: student_id, assignment and grade_id are all needed")
        entries.append((row["student_id"], row["assignment"], row["grade_id"], score))
    return entries


def manual_cells(gradebook):
    """`{(assignment, grade_id)}` of the hand-graded cells: grade cells that are also answer (solution) cells."""
    from nbgrader.api import GradeCell, SolutionCell

    solutions = {(c.notebook.assignment.name, c.name) for c in gradebook.db.query(SolutionCell)}
    return {(c.notebook.assignment.name, c.name) for c in gradebook.db.query(GradeCell)} & solutions


def enter(gradebook, entries, where="--manual-scores"):
    """Write hand-graded scores into nbgrader's gradebook, as the formgrader would; return how many."""
    from nbgrader.api import MissingEntry

    manual = manual_cells(gradebook)
    for student, slug, grade_id, score in entries:
        if (slug, grade_id) not in manual:
            choices = sorted(g for a, g in manual if a == slug)
            raise UsageError(f"{where}: {slug} has no hand-graded cell {grade_id!r}; its hand-graded cells are "
                             f"{', '.join(choices) or 'none'}")
        try:
            grade = gradebook.find_grade(grade_id, slug, slug, student)
        except MissingEntry:
            raise UsageError(f"{where}: no graded {slug} of student {student!r} in this gradebook: grade it first") from None
        if not 0 <= score <= grade.max_score:
            raise UsageError(f"{where}: {student} {slug} {grade_id}: score {score:g} is outside 0..{grade.max_score:g}")
        grade.manual_score, grade.needs_manual_grade = score, False
    gradebook.db.commit()
    return len(entries)


def pending_note(points):
    """The feedback's sentence while written answers wait for their grader."""
    return (f"Written answers worth {points:g} points are graded by hand: this score does not include them yet."
            if points else "")
