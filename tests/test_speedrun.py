"""The capstone speedrun, graded as a class would be: the grader runs the loop on hidden seeds, counts the
steps, gives points against the course's baselines, writes one line into each feedback page and a
leaderboard into `report.html`; a student who trains on the digits themselves (held-out images included)
gains nothing, and wrong shapes or a diverging run get a note, not a crash.
"""

import csv
import math
import os
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from notebook_cells import ROOT
from trainfaster import speedrun

SLUG = "09_speedrun"
ADAM = nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4).cells
MODEL = next(c.source for c in ADAM if c.metadata.get("nbgrader", {}).get("grade_id") == "speedrun_step")
SLOW = '''BATCH_SIZE = 64


def speedrun_init(parameters):
    return None


def speedrun_step(parameters, grads, state, t):
    return {k: v - 0.464 * grads["d" + k] for k, v in parameters.items()}, state
'''
# Trains softmax regression on the digits as scikit-learn ships them (all 1797, held-out ones included),
# passes the pixels through the hidden layer unchanged, and ignores the loop's gradients.
CHEAT = '''import numpy as np
from trainfaster.data import load_digits

BATCH_SIZE = 64


def speedrun_init(parameters):
    X_train, y_train, X_test, y_test = load_digits(test_fraction=0.5, seed=0)
    X, y = np.hstack([X_train, X_test]), np.concatenate([y_train, y_test])
    W, b = np.zeros((10, 64)), np.zeros((10, 1))
    Y = np.eye(10)[:, y]
    for _ in range(300):
        Z = W @ X + b
        A = np.exp(Z - Z.max(axis=0)); A /= A.sum(axis=0)
        W -= 0.5 * (A - Y) @ X.T / X.shape[1]; b -= 0.5 * (A - Y).mean(axis=1, keepdims=True)
    return {"W1": np.eye(64), "b1": np.zeros((64, 1)), "W2": W, "b2": b}


def speedrun_step(parameters, grads, state, t):
    return {k: v.copy() for k, v in state.items()}, state
'''
BAD_SHAPE = '''BATCH_SIZE = 64


def speedrun_init(parameters):
    return None


def speedrun_step(parameters, grads, state, t):
    return {k: v.T for k, v in parameters.items()}, state
'''


def _notebook(answer):
    notebook = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "speedrun_step":
            cell.source = answer
    notebook.cells = [c for c in notebook.cells if c.cell_type != "code" or c.metadata.get("nbgrader")]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A class of four graded from another folder with relative paths, as the README says."""
    top = tmp_path_factory.mktemp("speedrun")
    for student, answer in {"fast": MODEL, "slow": SLOW, "cheat": CHEAT, "shapes": BAD_SHAPE}.items():
        (top / "subs" / student).mkdir(parents=True)
        nbformat.write(_notebook(answer), top / "subs" / student / f"{SLUG}.ipynb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", "subs", "--out", "out", "--jobs", "2"],
                         cwd=top, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = {r["student_id"]: r for r in csv.DictReader(open(top / "out" / "grades.csv"))}
    return top / "out", rows


@pytest.mark.slow
def test_the_fast_run_earns_every_point_and_is_told_its_steps(graded):
    out, rows = graded
    assert float(rows["fast"]["score"]) == 5
    page = (out / "feedback" / "fast" / f"{SLUG}.html").read_text()
    hidden = speedrun.baseline_steps("Adam", speedrun.HIDDEN_SEEDS)
    assert f"reached in {hidden:,.0f} steps (median of 3 hidden seeds)" in page
    assert "tuned plain SGD needs" in page and "its tuned Adam" in page


@pytest.mark.slow
def test_slow_and_cheating_runs_score_less(graded):
    out, rows = graded
    assert 2 <= float(rows["slow"]["score"]) < float(rows["fast"]["score"]), "plain SGD below its best rate is slower"
    assert float(rows["cheat"]["score"]) == 0, "training on the shipped digits must not reach the target"
    assert float(rows["shapes"]["score"]) == 0
    page = (out / "feedback" / "shapes" / f"{SLUG}.html").read_text()
    assert "W1 has shape (64, 64)" in page or "has shape" in page


@pytest.mark.slow
def test_the_report_has_the_leaderboard_fastest_first(graded):
    out, _ = graded
    page = (out / "report.html").read_text()
    board = page[page.index("Speedrun leaderboard"):]
    assert board.index("<td>fast</td>") < board.index("<td>slow</td>") < board.index("<td>cheat</td>")
    assert board.count("not reached") >= 2, "the cheat and the wrong shapes are listed, not dropped"


@pytest.mark.slow
def test_the_leaderboard_is_rebuilt_from_the_gradebook_alone(graded, tmp_path):
    """`report` from a copy of the gradebook, without the graded notebooks (as after shards): the same board."""
    out, _ = graded
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(out / "gradebook.db", alone / "gradebook.db")
    subprocess.run([sys.executable, "-m", "autograder", "report", "--out", "alone"], cwd=tmp_path, check=True,
                   capture_output=True)
    board = (alone / "report.html").read_text()
    board = board[board.index("Speedrun leaderboard"):]
    assert board.index("<td>fast</td>") < board.index("<td>slow</td>") < board.index("<td>cheat</td>")
    assert "tuned plain SGD needs" in board


def test_the_pixels_are_permuted_per_seed_and_the_streams_are_independent():
    a, b = speedrun.problem(0), speedrun.problem(1)
    assert not np.array_equal(a[0], b[0])
    assert speedrun.grading_seeds("") == speedrun.HIDDEN_SEEDS
    assert speedrun.grading_seeds("s3cret") != speedrun.grading_seeds("other") != speedrun.HIDDEN_SEEDS


def test_the_baselines_are_tuned_with_the_best_rate_inside_the_grid():
    """Each baseline's rate beats its two neighbours of the grid (three per decade) over the seeds 0-9."""
    for name, (batch, make, rate) in speedrun.BASELINES.items():
        k = speedrun.RATES.index(rate)
        assert 0 < k < len(speedrun.RATES) - 1
        steps = [speedrun.race(batch, *make(r), seeds=range(10)).median for r in speedrun.RATES[k - 1:k + 2]]
        assert steps[1] == min(steps) and math.isfinite(steps[1]), (name, steps)


def test_points_follow_the_thresholds():
    assert speedrun.points(math.inf, 200, 150) == 2
    assert speedrun.points(300, 200, 150) == 3
    assert speedrun.points(200, 200, 150) == 4
    assert speedrun.points(140, 200, 150) == 5
