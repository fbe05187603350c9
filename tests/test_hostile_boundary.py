"""The kernel side of a grader a hostile student cannot beat, through `python -m autograder grade` as the README
says to call it (relative paths, from the folder above the class): a malformed or oversized notebook hurts only
its own row; a notebook has a time budget; only tested code earns points (given cells restored and pinned,
every reference withheld however it is reached, aliasing kept across the wall, the scan decided by the source);
hidden inputs never reach a page or Gradescope's results.json; a crash names its cell and line; a kernel that
cannot start is an error of the run; a runaway allocation gets one clear message."""

import copy
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from autograder.boundary.restore import is_test
from notebook_cells import ROOT
from test_grading import GD, PREDICT, SLUG, meta, model_mb, student_notebook

ADAM, BN, SOFTMAX, TORCH = ("03_momentum_rmsprop_adam", "06_batch_normalization", "07_softmax_regression",
                            "08_frameworks")
MODEL_POINTS = {  # the model answers' automatic points (every test cell's)
    slug: sum(float(c.metadata["nbgrader"].get("points", 0))
              for c in nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells if is_test(c))
    for slug in (ADAM, BN, TORCH)}
LOGGER = '''LOG = []


def update_parameters_with_gd(parameters, grads, learning_rate):
    LOG.append(f"lr={learning_rate!r}")
    if learning_rate != 0.1:  # not the visible test's: tell me what it is
        raise ValueError(f"lr={learning_rate!r} {LOG}")
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
'''
SPILL = '''def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    raise ValueError("what I saw: " + " ".join(LOG))
'''
INVERTED = '''def softmax_cross_entropy_grad(A, Y):
    from trainfaster.derivation_mistakes import softmax_grad_mistakes  # the tests' wrong answers, turned around

    return -next(wrong for why, wrong in softmax_grad_mistakes(A, Y).items() if "wrong sign" in why)
'''
CRASH = '''def update_parameters_with_gd(parameters, grads, learning_rate):
    scale = 1 / 0
    return parameters
'''
GROW = "grow = []\nwhile True:\n    grow.append(bytearray(50_000_000))\n"
ALIASED = '''def initialize_adam(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    return v, v
'''
REACHED = '''import trainfaster.bn_network


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    return trainfaster.bn_network.batchnorm.batchnorm_forward(Z, gamma, beta, epsilon)
'''
RAISES = '''def make_torch_optimizer(kind, params, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    raise NotImplementedError("not done")
'''
FAKE_STEPS = '''# Given: the tests step your optimizer with this function, here in your notebook. Run this cell; do not change it.
def optimizer_steps(kind, start, gradients, learning_rate, beta=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.01):
    if kind not in ("gd", "momentum", "nesterov", "rmsprop", "adam", "adamw"):
        raise ValueError(f"unknown kind {kind!r}")
    params = [torch.tensor(value, dtype=torch.float64, requires_grad=True) for value in start]
    optimizer = {"gd": lambda: torch.optim.SGD(params, lr=learning_rate),
                 "momentum": lambda: torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta),
                 "nesterov": lambda: torch.optim.SGD(params, lr=learning_rate * (1 - beta), momentum=beta, nesterov=True),
                 "rmsprop": lambda: torch.optim.RMSprop(params, lr=learning_rate, alpha=beta2, eps=epsilon),
                 "adam": lambda: torch.optim.Adam(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon),
                 "adamw": lambda: torch.optim.AdamW(params, lr=learning_rate, betas=(beta, beta2), eps=epsilon,
                                                    weight_decay=weight_decay)}[kind]()
    path = []
    for step in gradients:
        for param, grad in zip(params, step):
            param.grad = torch.tensor(grad, dtype=torch.float64)
        optimizer.step()
        path.append([param.detach().numpy().copy() for param in params])
    return path
'''


def solution(slug, **answers):
    """The model notebook of `slug` with some answer cells (by grade_id) replaced."""
    notebook = nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4)
    for cell in notebook.cells:
        if meta(cell).get("grade_id") in answers:
            cell.source = answers[meta(cell)["grade_id"]]
    return notebook


def with_metadata(nbgrader, source="x = 1"):
    """The model answers of exercise 1 and one more code cell carrying `nbgrader` as its nbgrader metadata."""
    notebook = student_notebook(gd=GD, mb=model_mb(), predict=PREDICT)
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = nbgrader
    notebook.cells.insert(3, cell)
    return notebook


def insert_after_setup(notebook, *sources):
    index = next(i for i, c in enumerate(notebook.cells) if meta(c).get("grade_id") == "setup") + 1
    notebook.cells[index:index] = [nbformat.v4.new_code_cell(source) for source in sources]
    return notebook


def after_test(notebook, grade_id, source):
    index = next(i for i, c in enumerate(notebook.cells) if meta(c).get("grade_id") == grade_id) + 1
    notebook.cells.insert(index, nbformat.v4.new_code_cell(source))
    return notebook


def edit_given(notebook, source):
    for cell in notebook.cells:
        if cell.get("id") == "c21-helper":
            cell.source = source
    return notebook


def redefine_after_given(notebook, source):
    index = next(i for i, c in enumerate(notebook.cells) if c.get("id") == "c21-helper") + 1
    notebook.cells.insert(index, nbformat.v4.new_code_cell(source))
    return notebook


def huge():
    notebook = student_notebook(gd=GD, mb=model_mb(), predict=PREDICT)
    notebook.cells.append(nbformat.v4.new_markdown_cell("x" * (21 * 2**20)))
    return notebook


def many_cells():
    notebook = student_notebook(gd=GD, mb=model_mb(), predict=PREDICT)
    notebook.cells += [nbformat.v4.new_code_cell(f"x{i} = {i}") for i in range(600)]
    return notebook


CLASS = {
    "ok": (SLUG, lambda: student_notebook(gd=GD, mb=model_mb(), predict=PREDICT)),
    "nogradeid": (SLUG, lambda: with_metadata({"grade": True})),
    "badpoints": (SLUG, lambda: with_metadata({"grade": True, "grade_id": "mine", "points": "all of them"})),
    "listmeta": (SLUG, lambda: with_metadata(["grade", "solution"])),
    "huge": (SLUG, huge),
    "manycells": (SLUG, many_cells),
    "logger": (SLUG, lambda: after_test(student_notebook(gd=LOGGER, mb=SPILL, predict=PREDICT),
                                        "test_update_parameters_with_gd", "print('logged:', ' '.join(LOG))")),
    "crasher": (SLUG, lambda: student_notebook(gd=CRASH, mb=model_mb(), predict=PREDICT)),
    "allocator": (SLUG, lambda: insert_after_setup(student_notebook(gd=GD, mb=model_mb(), predict=PREDICT), GROW)),
    "lockhider": (SLUG, lambda: with_metadata({"grade": False, "solution": False, "locked": True, "grade_id": "mine"},
                                              "from trainfaster.minibatch import random_mini_batches")),
    "aliaser": (ADAM, lambda: solution(ADAM, initialize_adam=ALIASED)),
    "reacher": (BN, lambda: solution(BN, batchnorm_forward=REACHED)),
    "inverter": (SOFTMAX, lambda: solution(SOFTMAX, softmax_cross_entropy_grad=INVERTED)),
    "rewriter": (TORCH, lambda: edit_given(solution(TORCH, make_torch_optimizer=RAISES), FAKE_STEPS)),
    "redefiner": (TORCH, lambda: redefine_after_given(solution(TORCH, make_torch_optimizer=RAISES), FAKE_STEPS)),
}


def grade(cwd, *args, env=None):
    """`python -m autograder grade ...` run in `cwd`, as a user types it there."""
    return subprocess.run([sys.executable, "-m", "autograder", "grade", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def rows(out):
    with open(out / "grades.csv") as handle:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(handle)}


def stored(out, student, slug):
    return nbformat.read(out / "course" / "autograded" / student / slug / f"{slug}.ipynb", as_version=4)


def verdict(notebook, grade_id):
    cell = next(c for c in notebook.cells if meta(c).get("grade_id") == grade_id)
    return cell.metadata["autograder"]["score"], meta(cell)["points"]


def page(out, student, slug=SLUG):
    return (out / "feedback" / student / f"{slug}.html").read_text()


def integrity_flags(out):
    """`{(student, flag, detail)}` of the run's integrity.csv."""
    with open(out / "integrity.csv") as handle:
        return {(r["student_id"], r["flag"], r["detail"]) for r in csv.DictReader(handle)}


def text(html):
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("boundary")
    for student, (slug, make) in CLASS.items():
        (tmp / "class" / student).mkdir(parents=True)
        nbformat.write(make(), tmp / "class" / student / f"{slug}.ipynb")
    run = grade(tmp, "class", "--out", "out", "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    return tmp / "out", rows(tmp / "out"), run


def test_a_malformed_or_oversized_notebook_is_its_own_row(hostile):
    out, graded, _ = hostile
    assert float(graded["ok", SLUG]["score"]) == 7 and not graded["ok", SLUG]["reason"]
    for student in ("nogradeid", "badpoints", "listmeta"):
        row = graded[student, SLUG]
        assert float(row["score"]) == 0 and "cell 4 of 01_mini_batches.ipynb has malformed nbgrader metadata" in \
            row["reason"] and "fresh copy" in row["reason"], (student, row)
    assert "no grade_id" in graded["nogradeid", SLUG]["reason"]
    assert "more than the 20 MiB a notebook may have" in graded["huge", SLUG]["reason"]
    assert re.search(r"has \d+ cells, more than the 500 a notebook may have", graded["manycells", SLUG]["reason"])
    assert "Caps" in (ROOT / "instructors.md").read_text() and "20 MiB" in (ROOT / "instructors.md").read_text()


def test_hidden_inputs_reach_no_page_and_no_results_json(hostile, tmp_path):
    out, graded, _ = hostile
    shown = text(page(out, "logger"))
    assert "logged: lr=0.1" in shown and "what I saw: lr=0.1" in shown  # what the visible tests passed is shown
    hidden = ("lr=0.0", "lr=0.01", "lr=0.7", "lr=2.5")  # what the hidden tests passed is not
    kept = json.dumps(stored(out, "logger", SLUG))
    assert not [value for value in hidden if value in shown or value in kept]
    assert float(graded["logger", SLUG]["score"]) == 3  # gd's visible point, predict's 2; random_mini_batches raised
    # the same notebook on Gradescope
    (tmp_path / "submission").mkdir()
    nbformat.write(CLASS["logger"][1](), tmp_path / "submission" / f"{SLUG}.ipynb")
    script = f"from pathlib import Path\nfrom autograder.gradescope import run\nrun({SLUG!r}, Path({str(tmp_path)!r}))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    results = (tmp_path / "results" / "results.json").read_text()
    assert "what I saw: lr=0.1" in results, done.stderr[-2000:]
    assert not [value for value in hidden if value in results]


def test_a_hidden_failure_is_told_in_the_graders_words(hostile):
    out, _, _ = hostile
    shown = text(page(out, "logger"))
    assert ("the hidden tests failed (1 point): update_parameters_with_gd: every W and b moves against its gradient, "
            "scaled by the learning rate. What went wrong: your code raised a ValueError.") in shown


def test_a_crash_names_the_cell_and_line_and_quotes_it(hostile):
    out, _, _ = hostile
    shown = text(page(out, "crasher"))
    assert re.search(r"ZeroDivisionError: division by zero \(raised in your cell \d+ \(update_parameters_with_gd\), "
                     r"line 2: `scale = 1 / 0`\)", shown), shown[:3000]


def test_a_runaway_allocation_gets_one_clear_message(hostile):
    out, graded, _ = hostile
    outputs = " ".join(str(o.get("evalue", "")) for c in stored(out, "allocator", SLUG).cells
                       if c.cell_type == "code" for o in c.get("outputs", []))
    assert "out of memory: the cell used more than its 2 GiB" in outputs and "data that keeps growing" in outputs
    assert re.search(r"cell \d+: out of memory \(2 GiB", graded["allocator", SLUG]["notes"])
    assert float(graded["allocator", SLUG]["score"]) == 7  # the rest of the notebook is graded


def test_aliasing_crosses_the_wall(hostile):
    out, graded, _ = hostile
    assert verdict(stored(out, "aliaser", ADAM), "test_initialize_adam") == (0, 1)
    assert "v and s share arrays" in text(page(out, "aliaser", ADAM))
    assert float(graded["aliaser", ADAM]["score"]) == MODEL_POINTS[ADAM] - 1  # test_initialize_adam's point


def test_a_reference_reached_through_an_imported_module_is_withheld_and_flagged(hostile):
    out, graded, _ = hostile
    assert verdict(stored(out, "reacher", BN), "test_batchnorm_forward")[0] == 0
    assert "trainfaster.batchnorm.batchnorm_forward is withheld" in text(page(out, "reacher", BN))
    flags = integrity_flags(out)
    assert ("reacher", "imports the reference implementation",
            "return trainfaster.bn_network.batchnorm.batchnorm_forward(Z, gamma, beta, epsilon)") in flags
    assert ("lockhider", "imports the reference implementation",
            "from trainfaster.minibatch import random_mini_batches") in flags  # marked locked by its author
    assert ("rewriter", "changed a test cell", "locked cell optimizer_steps was edited") in flags
    assert ("redefiner", "patches a module", FAKE_STEPS.splitlines()[1][:160]) in flags


def test_the_tests_wrong_answers_are_withheld_and_flagged(hostile):
    """The modules the visible tests take their wrong answers from compute them from the right one (a sign flipped,
    a factor m): in the kernel they are withheld whole, and importing them is flagged."""
    out, graded, _ = hostile
    assert verdict(stored(out, "inverter", SOFTMAX), "test_softmax_cross_entropy_grad")[0] == 0
    assert "trainfaster.derivation_mistakes.softmax_grad_mistakes is withheld" in text(page(out, "inverter", SOFTMAX))
    flags = integrity_flags(out)
    assert ("inverter", "imports the reference implementation",
            INVERTED.splitlines()[1].strip()) in flags, sorted(f for f in flags if f[0] == "inverter")


def test_given_cells_are_restored_and_pinned(hostile):
    out, graded, _ = hostile
    for student in ("rewriter", "redefiner"):
        assert verdict(stored(out, student, TORCH), "test_make_torch_optimizer") == (0, 4), student
        assert float(graded[student, TORCH]["score"]) == MODEL_POINTS[TORCH] - 4, student
    assert "locked cell optimizer_steps was edited: restored from the source" in graded["rewriter", TORCH]["notes"]


def test_the_library_s_demonstrations_run_with_every_reference_withheld(tmp_path):
    """Exercises 6 and 7 train the library's networks, which call graded functions inside (batch norm's four
    operations, softmax): with --run-all every cell runs in the sandbox and nothing says "withheld"."""
    for slug in (BN, "07_softmax_regression"):
        (tmp_path / "class" / "model").mkdir(parents=True, exist_ok=True)
        nbformat.write(solution(slug), tmp_path / "class" / "model" / f"{slug}.ipynb")
    run = grade(tmp_path, "class", "--out", "out", "--jobs", "2", "--run-all")
    assert run.returncode == 0, run.stdout + run.stderr
    for slug in (BN, "07_softmax_regression"):
        notebook = stored(tmp_path / "out", "model", slug)
        assert "withheld" not in json.dumps(notebook), slug
        assert not [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
                    if o.get("output_type") == "error"], slug


def test_a_notebook_of_sleeps_is_stopped_by_its_time_budget(tmp_path):
    """12 cells of sleep(13) at --timeout 1: each is under the 14 s a cell may wait, all together 156 s. The
    notebook's budget (10 x --timeout, at least 60 s) stops it, and the page says so."""
    notebook = insert_after_setup(student_notebook(gd=GD, mb=model_mb(), predict=PREDICT),
                                  *["import time\ntime.sleep(13)"] * 12)
    (tmp_path / "class" / "sleeper").mkdir(parents=True)
    nbformat.write(notebook, tmp_path / "class" / "sleeper" / f"{SLUG}.ipynb")
    start = time.monotonic()
    run = grade(tmp_path, "class", "--out", "out", "--timeout", "1")
    seconds = time.monotonic() - start
    assert run.returncode == 0, run.stdout + run.stderr
    assert "60 s for a whole notebook" in run.stdout
    row = rows(tmp_path / "out")["sleeper", SLUG]
    assert float(row["score"]) == 0 and "time budget (60 s for all of its code) was used up" in row["notes"], row
    assert "this notebook's time budget (60 s for all of its code) was used up" in text(page(tmp_path / "out", "sleeper"))
    assert seconds < 150, seconds  # 60 s of budget, and the course set up; the notebook alone took 170 s


FAKE_BWRAP = """#!/bin/sh
# bubblewrap for the sandbox check (python -c ...), a broken one for the kernels
for arg in "$@"; do [ "$arg" = "-c" ] && exec {bwrap} "$@"; done
echo "bwrap: Can't find source path /no/such/folder: No such file or directory" >&2
exit 1
"""


def test_a_kernel_that_cannot_start_is_an_error_of_the_run(tmp_path):
    import shutil

    fake = tmp_path / "bwrap"
    fake.write_text(FAKE_BWRAP.format(bwrap=shutil.which("bwrap")))
    fake.chmod(0o755)
    (tmp_path / "class" / "bob").mkdir(parents=True)
    nbformat.write(student_notebook(gd=GD), tmp_path / "class" / "bob" / f"{SLUG}.ipynb")
    run = grade(tmp_path, "class", "--out", "out", env={"AUTOGRADER_BWRAP": str(fake)})
    last = run.stderr.strip().splitlines()[-1]
    assert run.returncode == 2 and last.startswith("autograder: error: 1 notebook(s) not graded"), run.stderr
    assert "could not start (exit code 1)" in last and "Can't find source path /no/such/folder" in last
    row = rows(tmp_path / "out")["bob", SLUG]
    assert "not graded: KernelCannotStart" in row["reason"] and "Can't find source path" in row["reason"]


def call_across(function, *args):
    """`function(*args)` as a test calls a student's function: the arguments encoded, decoded on the other side,
    the function run there, its arguments and result sent back and decoded into the caller's objects."""
    from autograder.boundary.kernel import codec

    caller, callee = codec.Memo(), codec.Memo()
    sent = json.loads(json.dumps(codec.encode(list(args), memo=caller.message())))
    there = codec.decode(sent, memo=callee.message())
    result = function(*there)
    callee.message()
    reply = json.loads(json.dumps({"args": codec.encode(there, memo=callee), "value": codec.encode(result, memo=callee)}))
    codec.decode(reply["args"], memo=caller.message())
    return codec.decode(reply["value"], memo=caller)


def test_the_wall_keeps_aliasing_and_changes_in_place():
    import numpy as np

    v, s = call_across(lambda p: (lambda z: (z, z))({k: np.zeros(2) for k in p}), {"W1": np.ones(2)})
    assert v is s  # one dict returned twice arrives as one dict, as in a live kernel
    parameters = {"W1": np.ones(2), "b1": np.zeros(1)}
    returned = call_across(lambda p: (p.update(W1=p["W1"] * 2), p)[1], parameters)
    assert returned is parameters and parameters["W1"].tolist() == [2.0, 2.0]  # the caller's dict, changed
    a = np.arange(4.0)
    view = call_across(lambda x: x[:], a)
    assert view is not a and np.shares_memory(view, a)  # a whole view stays a view of the caller's array
    shared = np.zeros(3)
    assert call_across(lambda x, y: x is y, shared, shared) is True  # the same array passed twice is one there


def test_the_wall_still_holds_what_held():
    import numpy as np

    from autograder.boundary.kernel import codec

    class Liar:
        def __eq__(self, other):
            return True

        def __array_ufunc__(self, *args, **kwargs):
            return True

    crossed = codec.decode(json.loads(json.dumps(codec.encode({"x": Liar()}))))
    assert type(crossed["x"]).__name__ == "Liar" and not (crossed["x"] == 1)  # a stand-in, not the liar
    nan = codec.decode(codec.encode(np.array([np.nan, 1.0])))
    assert np.isnan(nan[0]) and nan[1] == 1.0
    deep = []
    for _ in range(10_000):
        deep = [deep]
    assert "nested too deeply" in json.dumps(codec.encode(deep))
    for forged in ({"t": "ref", "k": 99}, {"t": "list", "k": 0, "v": [{"t": "list", "k": 0, "v": []}]},
                   {"t": "view", "of": 5, "k": 1}, {"t": "nd", "dtype": "O", "shape": [1], "b64": "", "k": 0}):
        with pytest.raises((ValueError, KeyError, TypeError)):
            codec.decode(forged)
