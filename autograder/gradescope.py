"""Gradescope: the autograder zip for one assignment, and what it runs on Gradescope.

`build(slug, zip)` writes `setup.sh` (run once on Gradescope's Ubuntu image: bubblewrap from apt, a venv with
that assignment's own requirements: the grader's, the library's and what the notebook imports, each pinned as in
`requirements.txt`, in `course/requirements-gradescope.txt`; torch, for chapter 8 only, as PyTorch's CPU build
from its own index when that is reachable), `run_autograder` and `course/` (the grader, the library, that
assignment's solution and student notebooks). For each submission Gradescope runs `run_autograder`, which
runs `python -m autograder.gradescope SLUG`: the uploaded notebook is graded by `grade` itself (same sandbox,
tests and feedback text) and `/autograder/results/results.json` written per Gradescope's specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test per graded test cell; a hidden
test shows only its cell's description and verdict, as on the feedback page.

Where Gradescope's container refuses bubblewrap's namespaces, the run falls back (chosen automatically, and
said in `results.json`'s output and `extra_data`): no namespaces, the same rlimits, and the kernel as a uid of
its own, which cannot read `solutions/` nor the library's references (both made root's alone).
"""

import ast
import difflib
import os
import re
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

STUDENT = "student"  # the one student of a Gradescope run, when Gradescope names nobody
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
{torch}/autograder/venv/bin/pip install --no-cache-dir -r /autograder/source/course/requirements-gradescope.txt
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


GRADER = ["nbgrader", "nbconvert", "nbformat", "jupyter_client", "ipykernel", "sqlalchemy", "numpy", "matplotlib"]
TORCH_CPU = "https://download.pytorch.org/whl/cpu"
TORCH = """if curl -fsI --max-time 20 {index}/torch/ >/dev/null; then  # PyTorch's CPU build: no CUDA libraries
    /autograder/venv/bin/pip install --no-cache-dir --index-url {index} torch=={version}
else
    echo "setup.sh: {index} is not reachable: installing torch=={version} from PyPI (the CUDA build, larger)"
fi
"""


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name, sep, version = line.split("#")[0].strip().partition("==")
        if sep:
            pins[_canonical(name)] = f"{name.strip()}=={version.strip()}"
    return pins


def _imports(notebook):
    """Top-level modules a notebook's code cells import (also through the library's modules it uses)."""
    found = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse("\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    modules, todo = set(), sorted(found)
    while todo:  # the library's modules: what they import, in turn
        name = todo.pop()
        top = name.split(".")[0]
        if top != "trainfaster":
            modules.add(top)
            continue
        path = ROOT / Path(*name.split(".")).with_suffix(".py")
        if name in modules or not path.is_file():
            continue
        modules.add(name)
        nodes = list(_module_level(ast.parse(path.read_text())))  # a function's own import runs when called
        todo += [a.name for n in nodes if isinstance(n, ast.Import) for a in n.names]
        todo += [n.module if n.module else "" for n in nodes if isinstance(n, ast.ImportFrom) and not n.level]
        todo += [f"trainfaster.{n.module}" if n.module else "" for n in nodes if isinstance(n, ast.ImportFrom) and n.level]
    return {m for m in modules if m and not m.startswith("trainfaster")}


def _module_level(tree):
    """The statements of a module that run on import: not those inside its functions."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield node
        todo += list(ast.iter_child_nodes(node))


def requirements(slug):
    """The pinned requirements that grading `slug` needs: the grader's, and what its notebook (and the
    library's modules it uses) imports, with everything they depend on; `(lines, torch pin or None)`."""
    from importlib import metadata

    from packaging.requirements import Requirement

    notebook = nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4)
    by_module = metadata.packages_distributions()
    roots = set(GRADER) | {d for m in _imports(notebook) for d in by_module.get(m, [])}
    pins, seen, done, todo = _pins(), set(), set(), [(_canonical(r), "") for r in roots]
    while todo:  # the closure, extras included (nbconvert needs bleach[css], hence tinycss2)
        name, extra = todo.pop()
        if (name, extra) in done or name not in pins:
            continue
        done.add((name, extra))
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if not requirement.marker or requirement.marker.evaluate({"extra": extra}):
                todo += [(_canonical(requirement.name), e) for e in ["", *requirement.extras]]
    torch = pins.get("torch") if "torch" in seen else None
    return sorted(pins[n] for n in seen), torch


def build(slug, destination):
    """Write the Gradescope autograder zip of assignment `slug` to `destination`; return its path."""
    if slug not in slugs():
        raise UsageError(f"unknown assignment {slug!r}; choose from {', '.join(slugs())}")
    destination = Path(destination)
    if destination.suffix.lower() != ".zip":
        raise UsageError(f"--out {str(destination)!r} must name a .zip file (Gradescope takes a zip)")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        lines, torch = requirements(slug)
        setup = SETUP.format(torch=TORCH.format(index=TORCH_CPU, version=torch.split("==")[1]) if torch else "")
        for name, text in (("setup.sh", setup), ("run_autograder", RUN.format(slug=slug))):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16  # executable
            archive.writestr(info, text)
        for name, path in _course_files(slug):
            archive.write(path, name)
        archive.writestr("course/requirements-gradescope.txt",
                         f"# grading {slug} needs these (python -m autograder gradescope wrote them)\n"
                         + "".join(f"{line}\n" for line in lines))
    return destination


def _what_to_upload(slug, found):
    close = difflib.get_close_matches(f"{slug}.ipynb", found, n=1, cutoff=0.6)
    return (f"No notebook named {slug}.ipynb was uploaded" + (f" (found {', '.join(found)})" if found else "")
            + f". Upload your {slug}.ipynb, the exercise notebook from the course page, under exactly that name"
            + (f": rename {close[0]} to {slug}.ipynb." if close else "."))


def submitter(root, uploaded):
    """The id a submission is graded under, which draws its derive tasks' numbers: the notebook's `STUDENT_ID`
    when it is one of the uploader's own ids in `submission_metadata.json` (written by Gradescope: their
    student ID, else their e-mail), else their first such id; `STUDENT` when Gradescope names nobody."""
    from autograder.boundary import reading
    from autograder.records.submissions import STUDENT_ID
    from autograder.tasks import declared_id
    from trainfaster.variants import normalize_id

    try:
        users = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8")).get("users") or []
    except (OSError, ValueError, AttributeError):
        users = []
    own = []
    for user in users if isinstance(users, list) else []:
        for key in ("sid", "email"):
            value = user.get(key) if isinstance(user, dict) else None
            if isinstance(value, str) and STUDENT_ID.match(normalize_id(value)):
                own.append(normalize_id(value))
    if not own:
        return STUDENT
    try:
        written = normalize_id(declared_id(reading.read(uploaded)) or "")
    except Exception:  # an unreadable notebook: `grade` gives the reason; the id is the uploader's
        written = ""
    return written if written in own else own[0]


def results(slug, row, out, student=STUDENT):
    """Gradescope's results.json for the graded `row` of `grade`'s `out`."""
    from autograder.views import feedback
    from autograder.records import final

    if row.reason:
        return {"score": 0, "output": f"Not graded: {row.reason}.", "tests": []}
    graded = nbformat.read(out / "course" / "autograded" / student / slug / f"{slug}.ipynb", as_version=4)
    safe = feedback.safe_notebook(graded, nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4))
    scores = {c.grade_id: c for c in final.cell_scores(f"sqlite:///{out / 'gradebook.db'}")[(student, slug)]}
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
    if "STUDENT_ID is" in row.notes:
        output += " " + next(n for n in row.notes.split("; ") if n.startswith("STUDENT_ID is")) + "."
    return {"score": row.score, "output": output, "tests": tests, "visibility": "visible",
            "stdout_visibility": "hidden"}


ISOLATION = {True: "graded in the bubblewrap sandbox",
             "rlimits": "graded without namespaces, which this container refuses: resource limits and a separate "
                        "unprivileged user"}


def _isolation():
    """`(sandbox mode for grade, what it is in words)`: bubblewrap where it starts, else the fallback, with the
    grader's secrets made unreadable to the kernel's uid."""
    from autograder.boundary.sandbox import FALLBACK, check_sandbox

    try:
        check_sandbox()
        return True, ISOLATION[True]
    except UsageError as error:
        if os.geteuid() == 0:
            for secret in (SOLUTIONS, ROOT / "trainfaster"):
                os.chmod(secret, 0o700)
        return FALLBACK, f"{ISOLATION[FALLBACK]} ({error})"


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
        mode, isolation = _isolation()
        print(f"isolation: {isolation}")
        with tempfile.TemporaryDirectory() as tmp:
            student = submitter(root, exact[0])
            folder = Path(tmp) / "class" / student
            folder.mkdir(parents=True)
            shutil.copyfile(exact[0], folder / f"{slug}.ipynb")
            try:
                [row] = grade(folder.parent, Path(tmp) / "out", Options(jobs=1, sandbox=mode),
                              log=lambda line: print(line))
                report = results(slug, row, Path(tmp) / "out", student)
                report["output"] += f" ({ISOLATION[mode]})"
            except UsageError as error:
                report = {"score": 0, "output": f"The autograder could not run ({error}): tell your instructor.",
                          "tests": []}
        report["extra_data"] = {"isolation": isolation}
    report["execution_time"] = round(time.monotonic() - start, 1)
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    run(sys.argv[1])
