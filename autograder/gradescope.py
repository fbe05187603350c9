"""Gradescope: the autograder zip for one assignment, and what it runs on Gradescope.

`build(slug, zip)` writes `setup.sh` (run once on Gradescope's Ubuntu image: bubblewrap from apt, a venv
with the course's pinned requirements), `run_autograder` and `course/` (the grader, the library, that
assignment's solution and student notebooks). For each submission Gradescope runs `run_autograder`, which
runs `python -m autograder.gradescope SLUG`: the uploaded notebook is graded by `grade` itself (same sandbox,
tests and feedback text) and `/autograder/results/results.json` written per Gradescope's specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test per graded test cell; a hidden
test shows only its cell's description and verdict, as on the feedback page.
"""

import difflib
import json
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat

from autograder.course import NOTEBOOKS, ROOT, SOLUTIONS, UsageError, slugs
from autograder.boundary.restore import is_answer, is_test

STUDENT = "student"  # the one student of a Gradescope run
SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image: the course environment the grader needs.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends bubblewrap util-linux software-properties-common
if ! command -v python3.11 >/dev/null; then  # the pins need Python 3.11 (Ubuntu 22.04 has 3.10)
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update
fi
apt-get install -y --no-install-recommends python3.11 python3.11-venv
python3.11 -m venv /autograder/venv
/autograder/venv/bin/pip install --no-cache-dir -r /autograder/source/course/requirements.txt
cd /autograder/source/course && /autograder/venv/bin/python -c "import autograder.run.grade, trainfaster"
"""
RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission: grade /autograder/submission/*.ipynb as `grade` does and write
# /autograder/results/results.json. AUTOGRADER_PYTHON: the course environment's Python (setup.sh's venv).
cd /autograder/source/course || exit 1
exec "${{AUTOGRADER_PYTHON:-/autograder/venv/bin/python}}" -m autograder.gradescope {slug}
"""


def _course_files(slug):
    """`(path in the zip, file)` of everything `course/` needs: no other assignment, no tests, no book."""
    files = [(f"course/{p.relative_to(ROOT)}", p) for folder in ("autograder", "trainfaster")
             for p in sorted((ROOT / folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    files += [(f"course/{name}", ROOT / name) for name in ("requirements.txt", "pyproject.toml", "README.md")]
    return files + [(f"course/solutions/{slug}.ipynb", SOLUTIONS / f"{slug}.ipynb"),
                    (f"course/notebooks/{slug}.ipynb", NOTEBOOKS / f"{slug}.ipynb")]


def build(slug, destination):
    """Write the Gradescope autograder zip of assignment `slug` to `destination`; return its path."""
    if slug not in slugs():
        raise UsageError(f"unknown assignment {slug!r}; choose from {', '.join(slugs())}")
    destination = Path(destination)
    if destination.suffix.lower() != ".zip":
        raise UsageError(f"--out {str(destination)!r} must name a .zip file (Gradescope takes a zip)")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN.format(slug=slug))):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16  # executable
            archive.writestr(info, text)
        for name, path in _course_files(slug):
            archive.write(path, name)
    return destination


def _what_to_upload(slug, found):
    close = difflib.get_close_matches(f"{slug}.ipynb", found, n=1, cutoff=0.6)
    return (f"No notebook named {slug}.ipynb was uploaded" + (f" (found {', '.join(found)})" if found else "")
            + f". Upload your {slug}.ipynb, the exercise notebook from the course page, under exactly that name"
            + (f": rename {close[0]} to {slug}.ipynb." if close else "."))


def results(slug, row, out):
    """Gradescope's results.json for the graded `row` of `grade`'s `out`."""
    from autograder.views import feedback
    from autograder.records import final

    if row.reason:
        return {"score": 0, "output": f"Not graded: {row.reason}.", "tests": []}
    graded = nbformat.read(out / "course" / "autograded" / STUDENT / slug / f"{slug}.ipynb", as_version=4)
    safe = feedback.safe_notebook(graded, nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4))
    scores = {c.grade_id: c for c in final.cell_scores(f"sqlite:///{out / 'gradebook.db'}")[(STUDENT, slug)]}
    tests, by_hand = [], 0.0
    for cell, shown in zip(graded.cells, safe.cells):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if is_test(cell):
            score = scores[grade_id]
            tests.append({"name": grade_id, "number": str(len(tests) + 1), "score": score.score,
                          "max_score": score.max_score, "status": "passed" if score.score >= score.max_score else "failed",
                          "output": "".join(o.get("text", "") for o in shown.outputs), "visibility": "visible"})
        elif is_answer(cell) and cell.metadata.nbgrader.get("grade"):
            by_hand += scores[grade_id].max_score
    output = f"Autograded score: {row.score:g} / {sum(t['max_score'] for t in tests):g}."
    if by_hand:
        output += f" Your written answers ({by_hand:g} points) are graded by hand, later."
    return {"score": row.score, "output": output, "tests": tests, "visibility": "visible",
            "stdout_visibility": "hidden"}


def run(slug, root=Path("/autograder")):
    """Grade `root/submission/*.ipynb` and write `root/results/results.json`; the results."""
    from autograder.run.grade import Options, grade

    start = time.monotonic()
    uploaded = sorted(p for p in (root / "submission").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    exact = [p for p in uploaded if p.name == f"{slug}.ipynb"]
    if not exact:
        report = {"score": 0, "output": _what_to_upload(slug, [p.name for p in uploaded]), "tests": []}
    elif any(part.is_symlink() for part in [exact[0], *exact[0].parents] if part != root and root in part.parents):
        report = {"score": 0, "tests": [], "output": f"Not graded: {exact[0].name} is a symbolic link, refused. "
                  f"Upload the notebook file itself."}
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class" / STUDENT
            folder.mkdir(parents=True)
            shutil.copyfile(exact[0], folder / f"{slug}.ipynb")
            try:
                [row] = grade(folder.parent, Path(tmp) / "out", Options(jobs=1), log=lambda line: print(line))
                report = results(slug, row, Path(tmp) / "out")
            except UsageError as error:  # e.g. the sandbox cannot start on this image
                report = {"score": 0, "output": f"The autograder could not run ({error}): tell your instructor.",
                          "tests": []}
    report["execution_time"] = round(time.monotonic() - start, 1)
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    run(sys.argv[1])
