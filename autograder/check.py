"""`check`: the course is consistent. Solutions score full marks (less their written answers, graded by hand),
untouched student notebooks score 0 without crashing, and `notebooks/` is exactly what `release` writes."""

import shutil
import tempfile
from pathlib import Path

from autograder.course import NOTEBOOKS, SOLUTIONS, slugs
from autograder.run.grade import Options, grade
from autograder.release import release


def stale_notebooks():
    """The student notebooks that differ from (or are missing in) a fresh release, with the reason."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for fresh in release(tmp):
            committed = NOTEBOOKS / fresh.name
            if not committed.exists():
                problems.append(f"notebooks/{fresh.name} is missing")
            elif committed.read_bytes() != fresh.read_bytes():
                problems.append(f"notebooks/{fresh.name} is stale")
    extra = sorted({p.name for p in NOTEBOOKS.glob("*.ipynb")} - {f"{s}.ipynb" for s in slugs()})
    problems += [f"notebooks/{name} has no source in solutions/" for name in extra]
    return problems


def check(jobs=1, log=print):
    """Return the list of problems found (empty when the course is consistent)."""
    problems = [p + ": run `python -m autograder release`" for p in stale_notebooks()]
    with tempfile.TemporaryDirectory() as tmp:
        for student, folder in (("solutions", SOLUTIONS), ("untouched", NOTEBOOKS)):
            (Path(tmp) / "class" / student).mkdir(parents=True)
            for slug in slugs():
                shutil.copyfile(folder / f"{slug}.ipynb", Path(tmp) / "class" / student / f"{slug}.ipynb")
        # the course's own notebooks: sandboxed where this machine can, but no refusal where it cannot
        def log_grading(line):  # the model solutions' hidden tests always look like edited test cells, and the
            if not line.startswith(("integrity:", "report:")):  # report is in a folder about to be deleted
                log(line)

        rows = grade(Path(tmp) / "class", Path(tmp) / "out", Options(jobs=jobs, sandbox=None), log=log_grading)
    for row in rows:
        if row.reason:
            problems.append(f"{row.student_id}/{row.assignment}: not graded ({row.reason})")
        elif row.max_score <= 0:
            problems.append(f"{row.assignment}: has no graded test cell")
        elif row.student_id == "solutions" and row.score != row.max_score - row.by_hand:
            problems.append(f"solutions/{row.assignment}.ipynb scores {row.score:g}/{row.max_score:g}, not full marks "
                            f"(of which {row.by_hand:g} are graded by hand)")
        elif row.student_id == "untouched" and row.score != 0:
            problems.append(f"notebooks/{row.assignment}.ipynb scores {row.score:g} untouched: a test passes on the stub")
    return problems
