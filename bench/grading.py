"""Grading speed: `python -m autograder grade --jobs 2` against plain `nbgrader autograde`, same class.

The class is generated: students cycle through the model solution, one function answered, and the untouched
notebook, each handed in whole (experiment cells included). Both sides start from nothing: nbgrader runs
`generate_assignment` then `autograde` (one student after another, its Execute preprocessor, a kernel per
notebook, no sandbox); ours sets up the same course then grades with `--jobs 2`, each notebook in a
sandboxed kernel, with the tests run outside it, and writes every feedback page (nbgrader's autograde writes
none). Ours is timed twice: by default (cells after the last test are skipped: they cannot change a grade)
and with `--run-all` (every cell, as nbgrader does). Each is measured as wall-clock seconds for the whole
class and as CPU seconds (every process started included), which other programs on a shared machine
disturb less. `python -m bench.grading [--quick]` prints the table.
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SLUG = "01_mini_batches"
GD = '''def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
'''


def make_class(folder, size):
    """`size` students: the model solution, one function answered, untouched, in turn."""
    solution = nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4)
    partial = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    for cell in partial.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "update_parameters_with_gd":
            cell.source = GD
    untouched = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    kinds = [solution, partial, untouched]
    for index in range(size):
        (folder / f"s{index:03d}").mkdir(parents=True)
        nbformat.write(kinds[index % 3], folder / f"s{index:03d}" / f"{SLUG}.ipynb")


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command, cwd):
    """(wall-clock seconds, CPU seconds of every process it started)."""
    start, cpu = time.perf_counter(), _cpu()
    # nbgrader runs its environment's `alembic`: put that environment's bin folder first on PATH.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command[:4]))} failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return time.perf_counter() - start, _cpu() - cpu


def ours(klass, out, *options):
    return _timed([sys.executable, "-m", "autograder", "grade", klass, "--out", out, "--jobs", "2", *options], ROOT)


def nbgrader(klass, course):
    """Plain nbgrader on the same class and the same course configuration: generate, then autograde all."""
    (course / "source" / SLUG).mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / f"{SLUG}.ipynb", course / "source" / SLUG)
    for student in sorted(klass.iterdir()):
        target = course / "submitted" / student.name / SLUG
        target.mkdir(parents=True)
        shutil.copy(student / f"{SLUG}.ipynb", target)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"load_subconfig({str(ROOT / 'autograder' / 'nbgrader_config.py')!r})\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'trainfaster'\n")
    executable = Path(sys.executable).with_name("nbgrader")
    generate = _timed([executable, "generate_assignment", SLUG, "--force"], course)
    autograde = _timed([executable, "autograde", SLUG, "--force", "--create"], course)
    return generate[0] + autograde[0], generate[1] + autograde[1]


def run(quick):
    """Entries (seconds to grade the whole class of 36) for `make bench`; `quick`: 2 students, default mode only."""
    size = 2 if quick else 36
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_class(tmp / "class", size)
        baseline = nbgrader(tmp / "class", tmp / "nbgrader")
        measured = {"": ours(tmp / "class", tmp / "ours")}
        if not quick:
            measured[" --run-all"] = ours(tmp / "class", tmp / "ours-all", "--run-all")
    entries = []
    for options, (wall, cpu) in measured.items():
        for clock, mine, theirs in (("wall-clock", wall, baseline[0]), ("CPU", cpu, baseline[1])):
            entries.append({"name": f"grading {size} notebooks, --jobs 2{options} ({clock})", "ours": mine,
                            "baseline": theirs, "baseline_name": "nbgrader autograde", "unit": "s",
                            "ratio": mine / theirs})
    return entries


def main():
    entries = run(quick="--quick" in sys.argv[1:])
    print(f"{'benchmark (seconds)':<48} {'ours':>8} {'baseline':>9}  {'ratio':>6}  baseline")
    for e in entries:
        print(f"{e['name']:<48} {e['ours']:>8.1f} {e['baseline']:>9.1f}  {e['ratio']:>6.2f}  {e['baseline_name']}"
              f" ({1 / e['ratio']:.1f}x faster)")


if __name__ == "__main__":
    main()
