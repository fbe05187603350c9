"""`grade`: a class of submissions in, grades.csv, safe feedback and the gradebook out."""

import csv
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import feedback
from autograder.course import NOTEBOOKS, UsageError, make_course, slugs
from autograder.submissions import find_submissions


@dataclass
class Row:
    """One line of grades.csv."""

    student_id: str
    assignment: str
    score: float
    max_score: float
    reason: str = ""


def grade(submissions, out, jobs=1, log=print):
    """Grade every notebook in `submissions` into `out`; return the rows of `out/grades.csv`.

    A notebook that is missing, unreadable or that nbgrader cannot grade gets score 0 and a reason; the
    run always goes on. `jobs` is the number of notebooks graded at once.
    """
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder")
    if Path(submissions).resolve() in (out, *out.parents):
        raise UsageError("--out must not be the submissions folder or inside it")
    class_ = find_submissions(submissions, slugs())
    out.mkdir(parents=True, exist_ok=True)
    assignments = sorted({s.slug for s in class_})
    api = make_course(out / "course", f"sqlite:///{out / 'gradebook.db'}", assignments)
    with api.gradebook as gradebook:
        max_scores = {slug: gradebook.find_assignment(slug).max_score for slug in assignments}
    released = {slug: nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4) for slug in assignments}

    rows, start = [], time.monotonic()
    for done, submission in enumerate(class_, 1):
        row = _grade_one(api, out, submission, max_scores[submission.slug], released[submission.slug])
        rows.append(row)
        log(f"[{done}/{len(class_)}] {row.student_id} {row.assignment}: {row.score:g}/{row.max_score:g}"
            + (f" ({row.reason})" if row.reason else ""))
    _write_csv(out / "grades.csv", rows)
    log(f"graded {len(rows)} notebooks in {time.monotonic() - start:.1f} s: {out / 'grades.csv'}")
    return rows


def _grade_one(api, out, submission, max_score, released):
    """Autograde one notebook with nbgrader and write its feedback; never raises for a bad submission."""
    student, slug = submission.student_id, submission.slug
    if submission.problem:
        return Row(student, slug, 0, max_score, submission.problem)
    course = Path(api.coursedir.root)
    target = course / "submitted" / student / slug
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(submission.path, target / f"{slug}.ipynb")
    result = api.autograde(slug, student, force=True, create=True)
    if not result["success"]:
        lines = (result.get("error") or result.get("log") or "nbgrader failed").strip().splitlines()
        return Row(student, slug, 0, max_score, f"not graded: {lines[-1][:200]}")
    with api.gradebook as gradebook:
        score = gradebook.find_submission(slug, student).score
    graded = nbformat.read(course / "autograded" / student / slug / f"{slug}.ipynb", as_version=4)
    page = out / "feedback" / student / f"{slug}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(feedback.render(graded, released, f"{slug} ({student})", score, max_score))
    return Row(student, slug, score, max_score)


def _write_csv(path, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "assignment", "score", "max_score", "reason"])
        for row in sorted(rows, key=lambda r: (r.student_id, r.assignment)):
            writer.writerow([row.student_id, row.assignment, f"{row.score:g}", f"{row.max_score:g}", row.reason])
