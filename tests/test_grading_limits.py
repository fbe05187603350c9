"""Limits per student, and only the student's code timed: a disk filler is stopped with a note, and good
copies graded with a short --timeout on a machine kept busy keep full marks."""

import csv
import os
import re
import subprocess
import sys
import time

import nbformat
import pytest

from notebook_cells import ROOT
from test_grading import GD, SLUG, autograder, model_mb, student_notebook

FILLER = '''import os
written = 0
for folder in ("/tmp", "."):
    for i in range({files}):
        with open(os.path.join(folder, f"fill{{i}}.bin"), "wb") as handle:
            handle.write(b"x" * 15_000_000)
        written += 1
print("wrote", written, "files")
'''
BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


def rows(out):
    with open(out / "grades.csv") as handle:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(handle)}


def outputs(out, student, slug=SLUG):
    notebook = nbformat.read(out / "course" / "autograded" / student / slug / f"{slug}.ipynb", as_version=4)
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", "")) for c in notebook.cells
                     if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.skipif(os.geteuid() != 0, reason="the shared /tmp and working-folder limit needs root (a mount namespace)")
def test_a_disk_filler_is_stopped_with_a_note(tmp_path):
    mb = model_mb()
    for student, files in (("filler", 40), ("modest", 10)):
        (tmp_path / "class" / student).mkdir(parents=True)
        notebook = student_notebook(gd=GD, mb=mb, extra=[FILLER.format(files=files)])
        nbformat.write(notebook, tmp_path / "class" / student / f"{SLUG}.ipynb")
    run = autograder("grade", tmp_path / "class", "--out", tmp_path / "out", "--jobs", "2", "--run-all")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "disk 512 MiB for /tmp and the working folder together" in run.stdout
    graded = {s: r for (s, _), r in rows(tmp_path / "out").items()}
    assert graded["filler"]["score"] == graded["modest"]["score"] == "5"
    assert re.search(r"cell \d+: out of disk space \(512 MiB for /tmp and the working folder together\)",
                     graded["filler"]["notes"]), graded["filler"]["notes"]
    assert "No space left on device" in outputs(tmp_path / "out", "filler")
    assert "wrote" not in outputs(tmp_path / "out", "filler")
    assert "wrote 20 files" in outputs(tmp_path / "out", "modest") and not graded["modest"]["notes"]


def test_the_memory_note_says_which_limit_was_in_force(tmp_path):
    from autograder.boundary import cgroup

    hog = "import numpy as np\nhog = np.ones((20_000, 20_000))\n"
    (tmp_path / "class" / "hog").mkdir(parents=True)
    nbformat.write(student_notebook(gd=GD, mb=model_mb(), extra=[hog]), tmp_path / "class" / "hog" / f"{SLUG}.ipynb")
    run = autograder("grade", tmp_path / "class", "--out", tmp_path / "out", "--run-all", "--memory", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    kind = cgroup.kind(2**30)
    assert f"memory {kind}" in run.stdout
    assert f"out of memory ({kind})" in rows(tmp_path / "out")["hog", SLUG]["notes"]


def test_good_copies_keep_full_marks_on_a_busy_machine_with_a_short_timeout(tmp_path):
    """The setup cells import NumPy and matplotlib and the tests compute references and call back the grader's
    objectives: under load all of it is slow, but only the student's own computing counts."""
    slugs = ("01_mini_batches", "05_hyperparameter_tuning")
    for index in range(4):
        (tmp_path / "class" / f"s{index}").mkdir(parents=True)
        for slug in slugs:
            solution = nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4)
            nbformat.write(solution, tmp_path / "class" / f"s{index}" / f"{slug}.ipynb")
    busy = [subprocess.Popen([sys.executable, "-c", BUSY.format(seconds=600)])
            for _ in range(2 * (os.cpu_count() or 1))]
    try:
        time.sleep(1)
        run = autograder("grade", tmp_path / "class", "--out", tmp_path / "out", "--jobs", "2", "--timeout", "2")
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert run.returncode == 0, run.stdout + run.stderr
    graded = list(rows(tmp_path / "out").values())
    assert len(graded) == 8
    by_hand = {slug: sum(c.metadata.nbgrader.get("points", 0) for c in nbformat.read(
        ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells if c.metadata.get("nbgrader", {}).get("solution")
        and c.metadata.nbgrader.get("grade")) for slug in slugs}  # the written answers: they wait for a grader
    assert all(float(row["score"]) == float(row["max_score"]) - by_hand[row["assignment"]] for row in graded), \
        [(r["student_id"], r["notes"]) for r in graded]
