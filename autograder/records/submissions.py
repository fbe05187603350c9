"""Finding a class's submissions: `SUBMISSIONS/<student_id>/<slug>.ipynb`, and what is wrong with each."""

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.course import UsageError

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


@dataclass
class Submission:
    """One student's notebook for one assignment, or the reason it cannot be graded."""

    student_id: str
    slug: str
    path: Path | None
    problem: str = ""


def find_submissions(folder, course_slugs):
    """One `Submission` per student folder and assignment found anywhere in the class.

    An assignment counts as found when at least one student handed it in; a student without it gets a
    `Submission` with a `problem`, as does an unreadable notebook. Stray files at the top are ignored.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"submissions folder {str(folder)!r} does not exist or is not a folder")
    students = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not students:
        raise UsageError(f"no student folders in {str(folder)!r}: expected {folder}/<student_id>/<slug>.ipynb")
    found = sorted({p.stem for s in students for p in s.glob("*.ipynb")} & set(course_slugs))
    if not found:
        raise UsageError(f"no notebook in {str(folder)!r} is named after an assignment: expected one of "
                         f"{', '.join(f'{s}.ipynb' for s in course_slugs)}")
    submissions = []
    for student in students:
        others = sorted(p.name for p in student.glob("*.ipynb") if p.stem not in course_slugs)
        for slug in found:
            path = student / f"{slug}.ipynb"
            submissions.append(Submission(student.name, slug, path, _problem(student.name, path, others)))
    return submissions


def _problem(student_id, path, misnamed):
    """Why `path` cannot be graded, or "" if it can."""
    if not STUDENT_ID.match(student_id):
        return f"student folder name {student_id!r} is not a valid id (letters, digits and _ . @ + - only)"
    if not path.is_file():
        close = difflib.get_close_matches(path.name, misnamed, n=1, cutoff=0.6)
        hint = f"; found {close[0]!r}: rename it to {path.name!r}" if close else ""
        return f"missing notebook {path.name}{hint}"
    from autograder.boundary.intake import unreadable

    return unreadable(path)  # malformed JSON, not a notebook, too big, malformed nbgrader metadata...


def parse_shard(text):
    """`"K/N"` -> (K, N), 1 <= K <= N; a one-line error otherwise."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard must look like K/N (e.g. 2/8), got {text!r}") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return k, n


def in_shard(student_id, k, n):
    """Whether the K-th of N shards grades this student: a stable hash, the same on every machine."""
    return int(hashlib.sha256(student_id.encode()).hexdigest(), 16) % n == k - 1
