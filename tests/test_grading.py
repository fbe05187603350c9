"""`grade` against a hostile class: every broken or malicious submission gets the right score and a reason,
never affects another student, cannot reach what the sandbox hides, cannot fool the checks, and its
feedback never shows hidden tests or model solutions."""

import copy
import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from autograder.run import verdicts
from notebook_cells import ROOT

SLUG = "01_mini_batches"
TIMEOUT = "4"  # seconds per cell: the endless loop costs this much
GD = '''def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
'''
GD_WRONG = '''def update_parameters_with_gd(parameters, grads, learning_rate):
    return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}
'''
PREDICT = '''def predict_mini_batches(m, mini_batch_size):
    return -(-m // mini_batch_size), m % mini_batch_size or mini_batch_size
'''
PREDICT_WRONG = '''def predict_mini_batches(m, mini_batch_size):
    return m // mini_batch_size, mini_batch_size
'''
GD_LOOP = '''def update_parameters_with_gd(parameters, grads, learning_rate):
    while True:
        pass
'''
GD_HOG = '''def update_parameters_with_gd(parameters, grads, learning_rate):
    hog = np.ones((20_000, 20_000))  # 3.2 GB: more than the 2 GiB limit
    return hog
'''
MB_FROM_REFERENCE = "from trainfaster.minibatch import random_mini_batches\n"
CHEAT = '''import numpy as np
import trainfaster.checks
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
trainfaster.checks.check_dict = lambda *a, **k: None
trainfaster.checks.check_array = lambda *a, **k: None
check_dict = lambda *a, **k: None
import trainfaster.minibatch
trainfaster.minibatch.update_parameters_with_gd = update_parameters_with_gd
'''
PROBE = '''import json, os, socket, sys
root = {root!r}
seen = {{name: os.path.exists(os.path.join(root, name)) for name in ["solutions", "tests", "autograder", "notebooks"]}}
seen["gradebook"] = os.path.exists({out!r})
seen["other student"] = os.path.exists({other!r})
try:
    socket.create_connection(("1.1.1.1", 53), 2)
    seen["network"] = True
except OSError:
    seen["network"] = False
try:
    open(os.path.join(sys.prefix, "planted.py"), "w")
    seen["environment writable"] = True
except OSError:
    seen["environment writable"] = False
print("PROBE", json.dumps(seen))
'''
FORK = '''import os, time
children = 0
for _ in range(500):
    try:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
    except OSError:
        break
print("forked", children)
'''


def autograder(*args, env=None):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def student_notebook(gd=None, mb=None, extra=(), keep_experiment=False, edit=None, predict=None):
    """The student version with answers filled in; `extra` code cells appended; the experiment dropped.
    The written answer stays the stub: it scores 0 without waiting for a grader."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    answers = {"update_parameters_with_gd": gd, "random_mini_batches": mb, "predict_mini_batches": predict}
    cells = []
    for cell in notebook.cells:
        answer = answers.get(meta(cell).get("grade_id"))
        if answer is not None:
            cell.source = answer
        if cell.cell_type == "code" and not meta(cell) and not keep_experiment:
            continue
        cells.append(cell)
    notebook.cells = cells + [nbformat.v4.new_code_cell(source) for source in extra]
    if edit:
        edit(notebook)
    return notebook


def model_mb():
    for cell in nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4).cells:
        if meta(cell).get("grade_id") == "random_mini_batches":
            return "".join(line for line in cell.source.splitlines(keepends=True) if "### " not in line)


def delete_and_convert_tests(notebook):
    notebook.cells = [c for c in notebook.cells if meta(c).get("grade_id") != "test_update_parameters_with_gd"]
    for cell in notebook.cells:
        if meta(cell).get("grade_id") == "test_random_mini_batches":
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            cell.source = "I do not like tests"


def duplicate_answer(notebook):
    for index, cell in enumerate(list(notebook.cells)):
        if meta(cell).get("grade_id") == "update_parameters_with_gd":
            final = copy.deepcopy(cell)
            final.source, final.id = GD, "copied-gd"
            cell.source = GD_WRONG
            notebook.cells.insert(index + 1, final)
            notebook.cells.insert(index + 2, nbformat.v4.new_code_cell("def helper():\n    return 1\n"))
        if meta(cell).get("grade_id") == "test_random_mini_batches":
            cell.source = "pass  # edited away"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    klass, out = tmp / "class", tmp / "out"
    mb = model_mb()
    notebooks = {
        "alice": nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4),
        "bob": student_notebook(),
        "carol": student_notebook(gd=GD),
        "looper": student_notebook(gd=GD_LOOP, mb=mb),
        "hog": student_notebook(gd=GD_HOG, mb=mb),
        "exiter": student_notebook(gd=GD, mb=mb, predict=PREDICT,
                                   extra=["import os\nos._exit(3)", "print('after the exit')"]),
        "forker": student_notebook(gd=GD, mb=mb, predict=PREDICT, extra=[FORK]),
        "printer": student_notebook(gd=GD, mb=mb, predict=PREDICT,
                                    extra=["for i in range(400_000):\n    print('spam', i)"]),
        "untester": student_notebook(gd=GD, mb=mb, predict=PREDICT, edit=delete_and_convert_tests),
        "duplicator": student_notebook(gd=GD, mb=mb, predict=PREDICT, edit=duplicate_answer),
        "cheater": student_notebook(gd=GD_WRONG + "\n" + CHEAT, mb=MB_FROM_REFERENCE, predict=PREDICT_WRONG),
        "prober": student_notebook(extra=[PROBE.format(root=str(ROOT), out=str(out / "gradebook.db"),
                                                       other=str(klass / "alice"))]),
    }
    for student, notebook in notebooks.items():
        (klass / student).mkdir(parents=True)
        nbformat.write(notebook, klass / student / f"{SLUG}.ipynb")
    (klass / "badjson").mkdir()
    (klass / "badjson" / f"{SLUG}.ipynb").write_text('{"cells": [ not json')
    (klass / "misnamed").mkdir()
    nbformat.write(student_notebook(gd=GD), klass / "misnamed" / "01_minibatches.ipynb")
    (klass / "empty").mkdir()
    run = autograder("grade", klass, "--out", out, "--jobs", "2", "--timeout", TIMEOUT, "--run-all")
    assert run.returncode == 0, run.stdout + run.stderr
    with open(out / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return out, rows, run


EXPECTED = {  # student: (score, reason says); of 13 points, 11 autograded and a written answer's 2 by hand
    "alice": (11, ""), "bob": (0, ""), "carol": (2, ""), "looper": (3, ""), "hog": (3, ""), "exiter": (7, ""),
    "forker": (7, ""), "printer": (7, ""), "untester": (7, ""), "duplicator": (7, ""), "cheater": (1, ""),
    "prober": (0, ""), "badjson": (0, "unreadable notebook"), "misnamed": (0, "rename it to '01_mini_batches.ipynb'"),
    "empty": (0, "missing notebook"),
}


def test_every_student_gets_the_right_score_and_reason(hostile):
    _, rows, _ = hostile
    assert sorted(rows) == sorted(EXPECTED)
    for student, (score, says) in EXPECTED.items():
        assert (float(rows[student]["score"]), float(rows[student]["max_score"])) == (score, 13), student
        assert says in rows[student]["reason"] and bool(says) == bool(rows[student]["reason"]), student
        # alice handed in the model's written answer: it waits for its grader; everyone else left the stub (0)
        assert rows[student]["status"] == ("needs manual grading: explain_batch_size (2 points)"
                                           if student == "alice" else "final"), student


NOTES = {  # student: what grades.csv notes about grading it
    "looper": f"stopped after {float(TIMEOUT):g} s", "hog": "out of memory", "exiter": "os._exit",
    "printer": "printed too much (cut)", "untester": "test cell test_update_parameters_with_gd was deleted: restored",
    "duplicator": "test cell test_random_mini_batches was edited: restored",
}


def test_rows_note_what_happened(hostile):
    _, rows, _ = hostile
    for student, says in NOTES.items():
        assert says in rows[student]["notes"], (student, rows[student]["notes"])
    assert rows["bob"]["notes"] == rows["carol"]["notes"] == ""


def test_totals_and_progress_are_printed(hostile):
    _, _, run = hostile
    assert re.search(r"graded 15 notebooks in [\d.]+ s \([\d.]+ per minute\): 1 full, 9 partial, 2 zero, 3 errored "
                     r"\(of the autograded points; written answers are graded by hand\)", run.stdout), run.stdout
    assert "15/15 ETA" in run.stderr


def autograded(out, student):
    return nbformat.read(out / "course" / "autograded" / student / SLUG / f"{SLUG}.ipynb", as_version=4)


def outputs_text(notebook):
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", "")) for c in notebook.cells
                     if c.cell_type == "code" for o in c.outputs)


def test_runaway_code_is_stopped_with_a_reason(hostile):
    out, _, _ = hostile
    assert f"stopped after {float(TIMEOUT):g} s" in outputs_text(autograded(out, "looper"))
    assert "Unable to allocate 2.98 GiB" in outputs_text(autograded(out, "hog"))  # the 2 GiB limit
    exiter = outputs_text(autograded(out, "exiter"))
    assert "os._exit" in exiter and "after the exit" in exiter  # a fresh kernel replayed the cells and went on
    assert re.search(r"forked [1-9]\d?\n", outputs_text(autograded(out, "forker")))  # capped below 100


def test_no_process_outlives_grading(hostile):
    from autograder.boundary.sandbox import FIRST_UID

    leftovers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid = int(re.search(r"^Uid:\s+(\d+)", status.read_text(), re.M).group(1))
        except (OSError, AttributeError):
            continue
        if uid >= FIRST_UID:
            leftovers.append(status.parent.name)
    assert not leftovers


def test_the_sandbox_hides_the_course_and_the_network(hostile):
    out, _, _ = hostile
    probe = re.search(r"PROBE (\{.*\})", outputs_text(autograded(out, "prober")))
    assert probe, outputs_text(autograded(out, "prober"))
    assert probe.group(1) == ('{"solutions": false, "tests": false, "autograder": false, "notebooks": false, '
                              '"gradebook": false, "other student": false, "network": false, '
                              '"environment writable": false}')


def test_monkeypatching_the_checks_earns_nothing(hostile):
    out, rows, _ = hostile
    notebook = autograded(out, "cheater")
    failed = [meta(c)["grade_id"] for c in notebook.cells if c.cell_type == "code" and meta(c).get("grade")
              and verdicts.score(c) < meta(c)["points"]]
    # wrong answers (checks patched), the reference imported (withheld), then two left unanswered
    assert failed == ["test_update_parameters_with_gd", "test_random_mini_batches", "test_predict_mini_batches",
                      "test_gradient_noise_scale", "test_predict_highest_cost"]
    assert "moves along the gradient" in outputs_text(notebook)
    assert "counts only the full mini-batches" in outputs_text(notebook)


def test_integrity_report_flags_what_to_review(hostile):
    out, _, run = hostile
    with open(out / "integrity.csv") as handle:
        flags = {(r["student_id"], r["flag"]) for r in csv.DictReader(handle)}
    assert ("cheater", "imports the reference implementation") in flags
    assert ("cheater", "patches a module") in flags
    assert ("prober", "reads files outside its folder") in flags
    assert ("untester", "changed a test cell") in flags
    assert not {s for s, _ in flags} & {"bob", "carol", "printer", "looper"}
    assert "integrity:" in run.stdout


def test_restored_tests_and_duplicates(hostile):
    out, _, _ = hostile
    untester = autograded(out, "untester")
    tests = [meta(c)["grade_id"] for c in untester.cells if c.cell_type == "code" and meta(c).get("grade")]
    assert tests == ["test_update_parameters_with_gd", "test_random_mini_batches", "test_predict_mini_batches",
                     "test_gradient_noise_scale", "test_predict_highest_cost"]
    assert "def helper" in "".join(c.source for c in autograded(out, "duplicator").cells)


def feedback_text(out, student):
    return BeautifulSoup((out / "feedback" / student / f"{SLUG}.html").read_text(), "html.parser").get_text()


def test_printing_megabytes_is_truncated_in_feedback(hostile):
    out, _, _ = hostile
    page = out / "feedback" / "printer" / f"{SLUG}.html"
    assert page.stat().st_size < 1_000_000
    assert "more characters not shown" in feedback_text(out, "printer")


def secret_lines(begin, end):
    released = " ".join(c.source for c in nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4).cells)
    lines = []
    for cell in nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4).cells:
        for block in re.findall(re.escape(begin) + r"(.*?)" + re.escape(end), cell.source, re.S):
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    return [line for line in lines if line not in released]


def test_no_feedback_page_leaks_hidden_tests_or_solutions(hostile):
    out, _, _ = hostile
    hidden = secret_lines("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    solution = secret_lines("### BEGIN SOLUTION", "### END SOLUTION")
    assert len(hidden) > 10 and len(solution) > 5
    pages = sorted((out / "feedback").glob("*/*.html"))
    assert len(pages) == 12
    for page in pages:
        text = re.sub(r"\s+", " ", BeautifulSoup(page.read_text(), "html.parser").get_text())
        assert "HIDDEN TESTS" not in page.read_text() and "reference.random_mini_batches" not in text
        assert not [line for line in hidden if re.sub(r"\s+", " ", line) in text], page
        if page.parent.name in ("bob", "carol", "cheater", "prober"):  # the others handed in model answers
            assert not [line for line in solution if re.sub(r"\s+", " ", line) in text], page


def test_hidden_failures_show_only_their_description(hostile):
    out, _, _ = hostile
    text = feedback_text(out, "cheater")
    assert "moves along the gradient" in text  # a visible test's message is shown
    assert "FAILED (0/2 points)" in text and "FAILED (0/3 points)" in text  # gd, then the withheld reference


def test_refuses_without_a_sandbox_unless_told(tmp_path):
    (tmp_path / "class" / "bob").mkdir(parents=True)
    nbformat.write(student_notebook(), tmp_path / "class" / "bob" / f"{SLUG}.ipynb")
    missing = {"AUTOGRADER_BWRAP": str(tmp_path / "no-bwrap")}
    run = autograder("grade", tmp_path / "class", "--out", tmp_path / "out", env=missing)
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "cannot start the sandbox" in run.stderr and "--no-sandbox" in run.stderr
    run = autograder("grade", tmp_path / "class", "--out", tmp_path / "out", "--no-sandbox", env=missing)
    assert run.returncode == 0, run.stderr
    assert "bob,01_mini_batches,0,13," in (tmp_path / "out" / "grades.csv").read_text()
