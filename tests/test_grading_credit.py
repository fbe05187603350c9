"""What an instructor relies on all term, on a small class: partial credit inside a test cell, nbgrader's own
feedback route from `OUT/course` showing no hidden test, and regrading into the same OUT keeping the class."""

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from notebook_cells import ROOT
from test_grading import GD, SLUG, autograder, secret_lines, student_notebook

# right on the visible test (Y with one row), wrong on the hidden ones (Y with three rows)
MB_ONE_ROW = '''def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    return [(X[:, k:k + mini_batch_size], Y[:, k:k + mini_batch_size]) for k in range(0, m, mini_batch_size)]
'''
COMPUTED_IMPORT = '''import importlib
reference = importlib.import_module("train" + "faster.minibatch")
name = "trainfaster" + ".minibatch"
other = __import__(name, fromlist=["update_parameters_with_gd"])


def update_parameters_with_gd(parameters, grads, learning_rate):
    return reference.update_parameters_with_gd(parameters, grads, learning_rate)
'''


def write_class(folder, notebooks):
    for student, notebook in notebooks.items():
        (folder / student).mkdir(parents=True)
        nbformat.write(notebook, folder / student / f"{SLUG}.ipynb")


def read_csv(path):
    with open(path) as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("credit")
    write_class(tmp / "class", {
        "alice": nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4),
        "bob": student_notebook(),
        "carol": student_notebook(gd=GD),
        "dan": student_notebook(gd=GD, mb=MB_ONE_ROW),
        "erin": student_notebook(gd=COMPUTED_IMPORT),
    })
    run = autograder("grade", tmp / "class", "--out", tmp / "out", "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    return tmp, run


def test_a_partly_right_answer_earns_the_visible_part(graded):
    tmp, _ = graded
    scores = {r["student_id"]: r["score"] for r in read_csv(tmp / "out" / "grades.csv")}
    assert scores == {"alice": "11", "bob": "0", "carol": "2", "dan": "3", "erin": "0"}  # of 11 autograded
    page = BeautifulSoup((tmp / "out" / "feedback" / "dan" / f"{SLUG}.html").read_text(), "html.parser").get_text()
    assert ("FAILED: 1/3 points, the visible tests passed (1 point), the hidden tests failed (2 points): "
            "random_mini_batches: one shared permutation") in page
    assert "PASSED (2/2 points)" in page


def test_nbgraders_gradebook_holds_the_same_partial_scores(graded):
    from nbgrader.api import Gradebook

    tmp, _ = graded
    with Gradebook(f"sqlite:///{tmp / 'out' / 'gradebook.db'}", "trainfaster") as book:
        dan = book.find_submission_notebook(SLUG, SLUG, "dan")
        assert {g.name: g.score for g in dan.grades if g.cell.cell_type == "code" and g.name.startswith("test_")} == {
            "test_update_parameters_with_gd": 2, "test_random_mini_batches": 1, "test_predict_mini_batches": 0,
            "test_gradient_noise_scale": 0, "test_predict_highest_cost": 0}


def test_nbgrader_generate_feedback_in_out_course_shows_no_hidden_test(graded):
    tmp, _ = graded
    course = tmp / "out" / "course"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([Path(sys.executable).with_name("nbgrader"), "generate_feedback", SLUG, "--force"],
                         cwd=course, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    pages = sorted(course.glob(f"feedback/*/{SLUG}/{SLUG}.html"))
    assert [p.parts[-3] for p in pages] == ["alice", "bob", "carol", "dan", "erin"]
    hidden = secret_lines("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    for page in pages:
        html = page.read_text()
        text = re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text())
        assert "BEGIN HIDDEN TESTS" not in html and "reference.random_mini_batches" not in text, page
        assert not [line for line in hidden if re.sub(r"\s+", " ", line) in text], page
        assert "hidden tests: not shown" in text
    dan = BeautifulSoup((course / "feedback" / "dan" / SLUG / f"{SLUG}.html").read_text(), "html.parser").get_text()
    assert "the hidden tests failed" in dan and re.search(r"Score:\s*3(\.0)?\s*/\s*13", dan), dan[:2000]
    # the stored notebooks keep the verdicts and names of the hidden tests, not their code
    stored = nbformat.read(course / "autograded" / "dan" / SLUG / f"{SLUG}.ipynb", as_version=4)
    cell = next(c for c in stored.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_random_mini_batches")
    assert "BEGIN HIDDEN TESTS" not in cell.source and "the hidden tests failed" in cell.outputs[0].text


def test_computed_imports_of_the_reference_are_flagged_and_withheld(graded):
    tmp, _ = graded
    flags = {(r["flag"], r["detail"]) for r in read_csv(tmp / "out" / "integrity.csv") if r["student_id"] == "erin"}
    assert ("imports the reference implementation",
            'reference = importlib.import_module("train" + "faster.minibatch")') in flags
    assert ("imports a module by a computed name",
            'other = __import__(name, fromlist=["update_parameters_with_gd"])') in flags
    page = BeautifulSoup((tmp / "out" / "feedback" / "erin" / f"{SLUG}.html").read_text(), "html.parser").get_text()
    assert "trainfaster.minibatch.update_parameters_with_gd is withheld while notebooks are graded" in page


def test_regrading_some_students_keeps_the_class(graded):
    tmp, _ = graded
    out = tmp / "regrade-out"
    shutil.copytree(tmp / "out", out)
    before = {(r["student_id"], r["flag"]) for r in read_csv(out / "integrity.csv")}
    write_class(tmp / "again", {"bob": nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4),
                                "erin": student_notebook(gd=GD)})
    run = autograder("grade", tmp / "again", "--out", out, "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "regraded: 2 notebook(s) were graded before and were replaced (bob/01_mini_batches, erin/01_mini_batches)" \
        in run.stdout
    assert "grades.csv keeps all 5 row(s)" in run.stdout
    scores = {r["student_id"]: r["score"] for r in read_csv(out / "grades.csv")}
    assert scores == {"alice": "11", "bob": "11", "carol": "2", "dan": "3", "erin": "2"}
    after = {(r["student_id"], r["flag"]) for r in read_csv(out / "integrity.csv")}
    assert {f for f in before if f[0] not in ("bob", "erin")} <= after  # the others' flags are kept
    assert not {f for f in after if f[0] == "erin"}  # erin's old flags were replaced by none
    assert ("bob", "changed a test cell") in after
