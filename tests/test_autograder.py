"""The grading pipeline end to end: release is fresh, check passes, a messy class is graded, and feedback
never shows hidden tests or model solutions."""

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from notebook_cells import ROOT

SLUG = "01_mini_batches"
CORRECT_GD = '''
def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
'''


def autograder(*args):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def test_check_passes():
    run = autograder("check")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "check: OK" in run.stdout


@pytest.mark.parametrize("args, says", [
    (["grade", "no/such/folder", "--out", "x"], "does not exist"),
    (["grade", "tests", "--out", "x", "--jobs", "0"], "--jobs must be at least 1"),
    (["grade", "tests"], "required: --out"),
    (["grade", "tests", "--out", "tests/inside"], "must not be the submissions folder or inside it"),
    (["frobnicate"], "invalid choice"),
    (["execute", "99_nothing"], "unknown assignment"),
])
def test_bad_arguments_get_one_line_errors(args, says):
    run = autograder(*args)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("autograder: error:") and says in run.stderr


def test_empty_class_gets_one_line_error(tmp_path):
    (tmp_path / "class").mkdir()
    run = autograder("grade", tmp_path / "class", "--out", tmp_path / "out")
    assert run.returncode == 2 and "no student folders" in run.stderr


def partial_notebook():
    """The student notebook with only update_parameters_with_gd answered."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "update_parameters_with_gd":
            cell.source = CORRECT_GD
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    students = {name: tmp / "class" / name for name in ["alice", "bob", "carol", "dave", "erin", "frank"]}
    for folder in students.values():
        folder.mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / f"{SLUG}.ipynb", students["alice"])
    shutil.copy(ROOT / "notebooks" / f"{SLUG}.ipynb", students["bob"])
    nbformat.write(partial_notebook(), students["carol"] / f"{SLUG}.ipynb")
    (students["dave"] / f"{SLUG}.ipynb").write_text('{"cells": [ this is not json')
    shutil.copy(ROOT / "notebooks" / f"{SLUG}.ipynb", students["erin"] / "01_mini_batch.ipynb")
    (tmp / "class" / "stray.txt").write_text("not a student")
    run = autograder("grade", tmp / "class", "--out", tmp / "out", "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    with open(tmp / "out" / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return tmp / "out", rows


def test_every_student_gets_a_row_with_the_right_score(graded):
    _, rows = graded
    assert sorted(rows) == ["alice", "bob", "carol", "dave", "erin", "frank"]
    scores = {student: (float(row["score"]), float(row["max_score"])) for student, row in rows.items()}
    # 13 points: 11 autograded, 2 for the written answer (graded by hand: the model's waits, the stub's is 0)
    assert scores["alice"] == (11, 13) and scores["bob"] == (0, 13) and scores["carol"] == (2, 13)
    assert all(scores[s] == (0, 13) for s in ["dave", "erin", "frank"])
    assert rows["alice"]["status"] == "needs manual grading: explain_batch_size (2 points)"
    assert rows["bob"]["status"] == rows["carol"]["status"] == "final"
    assert rows["alice"]["reason"] == rows["bob"]["reason"] == rows["carol"]["reason"] == ""
    assert "unreadable notebook" in rows["dave"]["reason"]
    assert "rename it to '01_mini_batches.ipynb'" in rows["erin"]["reason"]
    assert "missing notebook" in rows["frank"]["reason"]


def test_gradebook_and_nbgrader_course_are_written(graded):
    out, _ = graded
    assert (out / "gradebook.db").stat().st_size > 0
    assert (out / "course" / "nbgrader_config.py").exists()


def secret_lines(begin, end):
    """Every substantial line between `begin` and `end` in the solution notebook that students never see."""
    released = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    visible = " ".join(cell.source for cell in released.cells)
    lines = []
    for cell in nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4).cells:
        for block in re.findall(re.escape(begin) + r"(.*?)" + re.escape(end), cell.source, re.S):
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) > 20]
    lines = [line for line in lines if line not in visible]
    assert len(lines) > 5
    return lines


def shown(page, lines):
    text = re.sub(r"\s+", " ", BeautifulSoup(page.read_text(), "html.parser").get_text())
    return [line for line in lines if re.sub(r"\s+", " ", line) in text]


def test_feedback_never_shows_hidden_tests_or_solutions(graded):
    out, _ = graded
    pages = sorted((out / "feedback").glob("*/*.html"))
    assert [p.parent.name for p in pages] == ["alice", "bob", "carol"]
    hidden = secret_lines("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    solutions = secret_lines("### BEGIN SOLUTION", "### END SOLUTION")
    for page in pages:
        assert not shown(page, hidden), f"{page} shows hidden tests: {shown(page, hidden)[:3]}"
        assert "HIDDEN TESTS" not in page.read_text()
    for page in pages[1:]:  # alice handed in the model solution itself
        assert not shown(page, solutions), f"{page} shows the model solution: {shown(page, solutions)[:3]}"


def test_feedback_says_what_passed_and_what_failed(graded):
    out, _ = graded
    text = BeautifulSoup((out / "feedback" / "carol" / f"{SLUG}.html").read_text(), "html.parser").get_text()
    assert "Score: 2 / 13" in text  # carol left the written answer as the stub: 0, final
    assert "PASSED (2/2 points)" in text
    assert "FAILED (0/3 points)" in text and "NotImplementedError" in text
    assert "FAILED (0/2 points)" in text and "this score does not include them yet" not in text
