"""`python -m autograder validate`, the students' self-check: a finished notebook passes, an untouched one
fails test by test, each thing that would cost marks is warned about, and bad input gets one line."""

import copy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from notebook_cells import ROOT

SLUG = "01_mini_batches"
pytestmark = pytest.mark.slow


def filled(slug=SLUG):
    """The student notebook with every answer cell replaced by the solution's."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{slug}.ipynb", as_version=4)
    answers = {c.metadata.nbgrader.grade_id: c.source
               for c in nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def cell(notebook, grade_id):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def validate(path, **env):
    import os

    return subprocess.run([sys.executable, "-m", "autograder", "validate", str(path)], cwd=path.parent,
                          capture_output=True, text=True, env={**os.environ, **env})


def write(notebook, folder, name=f"{SLUG}.ipynb"):
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_finished_notebook_passes(tmp_path):
    run = validate(write(filled(), tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "in the bubblewrap sandbox" in run.stdout
    for test in ("test_update_parameters_with_gd", "test_random_mini_batches", "test_predict_mini_batches"):
        assert any(line.split()[:3] == [test, line.split()[1], "PASSED"] for line in run.stdout.splitlines()
                   if line.strip().startswith(test)), run.stdout
    assert "visible score: 11 / 11" in run.stdout
    assert "score: automatic 11/11, by hand: 2 points still to be graded" in run.stdout
    assert "what would cost marks" not in run.stdout
    assert "validate: every visible test passes" in run.stdout


def test_untouched_notebook_fails_test_by_test(tmp_path):
    run = validate(write(nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4), tmp_path))
    assert run.returncode == 1, run.stdout + run.stderr
    rows = [line.split(None, 3) for line in run.stdout.splitlines() if line.strip().startswith("test_")]
    assert [(r[0], r[1], r[2]) for r in rows] == [("test_update_parameters_with_gd", "0/2", "FAILED"),
                                                   ("test_random_mini_batches", "0/3", "FAILED"),
                                                   ("test_predict_mini_batches", "0/2", "FAILED"),
                                                   ("test_gradient_noise_scale", "0/3", "FAILED"),
                                                   ("test_predict_highest_cost", "0/1", "FAILED")]
    assert all("not written yet" in r[3] for r in rows[:-1]) and "PREDICTION" in rows[-1][3]
    assert "visible score: 0 / 11" in run.stdout and "validate: not yet" in run.stdout
    assert "explain_batch_size: EMPTY: write your answer (2 points, graded by hand)" in run.stdout


def test_warns_about_what_would_cost_marks(tmp_path):
    notebook = filled()
    test = cell(notebook, "test_update_parameters_with_gd")
    test.source = "assert True  # the test, emptied\n"  # edited: passes here, but grading runs the original
    answer = cell(notebook, "random_mini_batches")
    answer.source = answer.source.replace("def random_mini_batches(", "def make_batches(")  # renamed
    index = notebook.cells.index(answer)
    notebook.cells.insert(index, nbformat.v4.new_code_cell("scale = 1 / 0"))  # a cell that raises
    notebook.cells.insert(index, nbformat.v4.new_code_cell("table = open('my_data.csv').read()"))  # a file
    notebook.cells.append(nbformat.v4.new_code_cell("def update_parameters_with_gd(p, g, a):\n    return p"))
    run = validate(write(notebook, tmp_path))
    assert run.returncode == 1, run.stdout + run.stderr
    out = " ".join(run.stdout.split())
    assert "test cell test_update_parameters_with_gd was edited: validate does not run it and grading runs the original test" in out
    assert ("test cell test_random_mini_batches uses random_mini_batches, which no cell above it defines "
            "(the answer cell above defines make_batches)") in out
    assert "this cell raised ZeroDivisionError: division by zero" in out
    assert "this cell raised FileNotFoundError" in out and "only the notebook is there when it is graded" in out
    assert "defines update_parameters_with_gd after the last test: grading never runs cells after the last test" in out
    assert "test_random_mini_batches 0/3 FAILED NameError" in out
    assert ("test_update_parameters_with_gd 0/2 FAILED NotRun: not run: this test cell is not the one released (its "
            "checksum differs)") in out


def test_deleted_test_cell_and_files_outside_without_the_sandbox(tmp_path):
    notebook = filled()
    notebook.cells.remove(cell(notebook, "test_random_mini_batches"))
    test = cell(notebook, "test_update_parameters_with_gd")
    notebook.cells[notebook.cells.index(test)] = nbformat.v4.new_markdown_cell(test.source, metadata=test.metadata)
    # a file outside every folder a kernel may read (the course may itself be cloned under /tmp)
    outside = Path(tempfile.mkdtemp(dir="/var/tmp")) / "data.csv"
    outside.write_text("x\n1\n")
    notebook.cells.insert(3, nbformat.v4.new_code_cell(f"text = open({str(outside)!r}).read()"))
    (tmp_path / "nb").mkdir()
    run = validate(write(notebook, tmp_path / "nb"), AUTOGRADER_BWRAP=str(tmp_path / "no-bwrap"))
    assert run.returncode == 1, run.stdout + run.stderr
    out = " ".join(run.stdout.split())
    assert "as a plain process: bubblewrap (the grading sandbox) is not available here" in out
    assert "test cell(s) test_random_mini_batches deleted: grading puts them back and runs them" in out
    assert "test_random_mini_batches 0/3 MISSING this test cell was deleted" in out
    assert "test cell test_update_parameters_with_gd was turned into markdown: validate does not run it and grading runs the original" in out
    assert "test_update_parameters_with_gd 0/2 MISSING this test cell was turned into markdown" in out
    assert "visible score: 6 / 11" in out  # the derive, predict and commit tests, kept, pass
    assert f"this cell opened {outside}: that file will not be there when it is graded" in out
    shutil.rmtree(outside.parent)


@pytest.mark.parametrize("content, says", [
    ('{"cells": [ this is not json', "is not a valid notebook (NotJSONError"),
    ('{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "is not a valid notebook"),
    (nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])),
     "is not a course exercise: it has no test cells"),
])
def test_bad_input_gets_one_line(tmp_path, content, says):
    path = tmp_path / "mine.ipynb"
    path.write_text(content)
    run = validate(path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("autograder: error:") and says in run.stderr


def test_missing_notebook_gets_one_line(tmp_path):
    run = validate(tmp_path / "nowhere.ipynb")
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "no such notebook" in run.stderr


@pytest.mark.parametrize("slug", sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_no_false_warnings_on_the_course_notebooks(slug):
    """Untouched or finished, every exercise is as released: nothing changed, no name missing."""
    from autograder.validate import integrity_warnings, name_warnings

    for notebook in (nbformat.read(ROOT / "notebooks" / f"{slug}.ipynb", as_version=4), filled(slug)):
        assert integrity_warnings(notebook) == ([], set())
        assert name_warnings(notebook) == []


def test_checksums_are_nbgraders():
    from nbgrader.utils import compute_checksum

    from autograder.validate import checksum

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for c in nbformat.read(path, as_version=4).cells:
            if c.metadata.get("nbgrader", {}).get("grade_id"):
                assert checksum(c) == compute_checksum(copy.deepcopy(c)) == c.metadata.nbgrader.checksum, path.name


def test_test_and_locked_cells_run_in_the_sandbox_never_in_validates_process(tmp_path):
    """A hostile notebook whose test and locked cells were rewritten, their checksums recomputed to match: they run
    in the sandboxed kernel, like the student's own cells, so they cannot write outside it (they used to run in
    validate's own process: a TA validating a student's notebook ran that student's code)."""
    from autograder.validate import checksum

    outside = Path(tempfile.mkdtemp(dir="/var/tmp"))  # outside every folder a sandboxed kernel may write
    notebook = filled()
    for grade_id, name in (("test_update_parameters_with_gd", "test"), ("setup", "locked")):
        target = cell(notebook, grade_id)
        target.source = (f"open({str(outside / name)!r}, 'w').write('ran outside the sandbox')\n" + target.source)
        target.metadata.nbgrader.checksum = checksum(target)
    run = validate(write(notebook, tmp_path))
    assert "in the bubblewrap sandbox" in run.stdout
    assert list(outside.iterdir()) == [], run.stdout
    shutil.rmtree(outside)


def test_a_changed_test_or_locked_cell_is_not_run(tmp_path):
    """validate refuses to run a test or locked cell whose checksum is not the released one, and says so."""
    outside = Path(tempfile.mkdtemp(dir="/var/tmp"))
    notebook = filled()
    target = cell(notebook, "setup")
    target.source = f"open({str(outside / 'locked')!r}, 'w').write('x')\n" + target.source
    run = validate(write(notebook, tmp_path), AUTOGRADER_BWRAP=str(tmp_path / "no-bwrap"))  # even unsandboxed
    out = " ".join(run.stdout.split())
    assert "so your own code runs unsandboxed" in out
    assert "locked cell setup was edited: validate does not run it and grading puts the original back" in out
    assert list(outside.iterdir()) == [], out
    assert run.returncode == 1
    shutil.rmtree(outside)


def test_written_answers_are_listed_and_counted(tmp_path):
    notebook = filled()
    run = validate(write(notebook, tmp_path))
    assert "explain_batch_size: written (2 points, graded by hand)" in run.stdout
    assert "by hand: 2 points still to be graded" in run.stdout
