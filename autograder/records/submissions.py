"""Finding a class's submissions, and what is wrong with each.

Two layouts are read as they are: `SUBMISSIONS/<student_id>/<slug>.ipynb` (an optional `timestamp.txt` beside
the notebooks) and nbgrader's own `submitted/<student_id>/<slug>/<slug>.ipynb` (or `autograded/`), each with
the `timestamp.txt` that `nbgrader collect` wrote. Ids are compared after Unicode normalization (NFC), so
"Jörg" typed on a Mac and on Linux are one student. A symbolic link (notebook, folder or timestamp) is refused:
it would make the grader read a file the student did not hand in. Files that are not the assignment's
notebook are reported, never silently dropped.
"""

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import UsageError

STUDENT_ID = re.compile(r"^[^\W_][\w.@+-]*$")  # letters (any script), digits and _ . @ + -
HUB_ROOTS = ("submitted", "autograded")


@dataclass
class Submission:
    """One student's notebook for one assignment, or the reason it cannot be graded."""

    student_id: str
    slug: str
    path: Path | None
    problem: str = ""
    timestamp: Path | None = None  # nbgrader's timestamp.txt for this submission, if any
    extras: list = field(default_factory=list)  # other files the student handed in (not graded)


def normal_id(text):
    """An id as it is compared and stored: NFC, stripped."""
    return unicodedata.normalize("NFC", str(text)).strip()


def safe_id(name):
    """`name` if it is a valid student id, else a stand-in that is safe to write anywhere."""
    name = normal_id(name)
    if STUDENT_ID.match(name):
        return name
    return "invalid-" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def hub_root(folder):
    """nbgrader's `submitted/` (or `autograded/`) inside `folder` (a course root), or `folder` itself."""
    folder = Path(folder)
    for name in HUB_ROOTS:
        if (folder / name).is_dir() and not (folder / name).is_symlink():
            return folder / name
    return folder


def _is_hub(students, course_slugs):
    """Whether the student folders hold one folder per assignment (nbgrader's layout)."""
    return any((s / slug).is_dir() for s in students for slug in course_slugs)


def find_submissions(folder, course_slugs, resolve=None):
    """One `Submission` per student folder and assignment found anywhere in the class.

    An assignment counts as found when at least one student handed it in; a student without it gets a
    `Submission` with a `problem`, as does an unreadable notebook. `resolve(folder name)` gives the student's
    id (the roster's, through its aliases); by default the normalized folder name.
    """
    folder = hub_root(folder)
    if not folder.is_dir():
        raise UsageError(f"submissions folder {str(folder)!r} does not exist or is not a folder")
    students = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not students:
        raise UsageError(f"no student folders in {str(folder)!r}: expected {folder}/<student_id>/<slug>.ipynb "
                         f"or nbgrader's submitted/<student_id>/<slug>/<slug>.ipynb")
    hub = _is_hub(students, course_slugs)
    if hub:
        found = sorted({p.name for s in students for p in s.iterdir() if p.is_dir()} & set(course_slugs))
    else:
        found = sorted({p.stem for s in students for p in s.glob("*.ipynb")} & set(course_slugs))
    if not found:
        raise UsageError(f"no notebook in {str(folder)!r} is named after an assignment: expected one of "
                         f"{', '.join(f'{s}.ipynb' for s in course_slugs)}")
    submissions = []
    for student in students:
        valid = STUDENT_ID.match(normal_id(student.name))
        student_id = (resolve or normal_id)(student.name) if valid else safe_id(student.name)
        for slug in found:
            where = student / slug if hub else student
            path = where / f"{slug}.ipynb"
            others = _others(where, slug, course_slugs, hub)
            problem = _problem(student, path, others, where)
            stamp = where / "timestamp.txt"
            submissions.append(Submission(student_id, slug, path if not problem else None, problem,
                                          stamp if stamp.exists() or stamp.is_symlink() else None,
                                          others if not problem else []))
    return submissions


def _others(where, slug, course_slugs, hub):
    """The files beside the notebook that are not a notebook of the course (nor nbgrader's timestamp)."""
    if not where.is_dir() or where.is_symlink():
        return []
    skip = {"timestamp.txt"} | ({f"{slug}.ipynb"} if hub else {f"{s}.ipynb" for s in course_slugs})
    return sorted(p.name for p in where.iterdir() if p.name not in skip and not p.name.startswith(".")
                  and not (not hub and p.is_dir() and p.name in course_slugs))


def _problem(student, path, others, where):
    """Why `path` cannot be graded, or "" if it can."""
    if not STUDENT_ID.match(normal_id(student.name)):
        return (f"student folder name {ascii(student.name)[:80]} is not a valid id "
                "(letters, digits and _ . @ + - only, starting with a letter or digit)")
    for link in (student, where, path, where / "timestamp.txt"):
        if link.is_symlink():
            return f"{link.name} is a symbolic link, refused: hand in the file itself"
    if not path.is_file():
        notebooks = [o for o in others if o.endswith(".ipynb")]
        close = difflib.get_close_matches(path.name, notebooks, n=1, cutoff=0.6)
        hint = f"; found {close[0]!r}: rename it to {path.name!r}" if close else ""
        if not hint and others:
            hint = f"; handed in only {', '.join(others[:5])} (the .ipynb notebook is what is graded)"
        return f"missing notebook {path.name}{hint}"
    from autograder.boundary.reading import unreadable

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
