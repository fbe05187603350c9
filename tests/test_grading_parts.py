"""The grading pipeline's parts, without a kernel: the plain-data codec, notebook restoration, the
integrity scan, shards, LMS names and the hidden-test split. Fast."""

import os

import nbformat
import numpy as np
import pytest

from autograder.run.checker import free_names, split_hidden
from autograder.records.collect import match
from autograder.boundary.integrity import COMPUTED_IMPORT, IMPORTS_REFERENCE, PATCHES, READS_OUTSIDE, scan
from autograder.boundary.kernel import codec
from autograder.boundary.restore import restore
from autograder.records.submissions import in_shard
from notebook_cells import ROOT

SLUG = "01_mini_batches"


def roundtrip(value):
    return codec.decode(codec.encode(value))


def test_codec_carries_plain_data_exactly():
    rng = np.random.default_rng(3)
    value = {"W1": rng.standard_normal((3, 2)), "t": (1, 2.5, "x", None, True), "n": np.float64(0.25),
             "i": np.int64(7), "c": 1 + 2j, "r": range(3), 4: [np.arange(3)]}
    back = roundtrip(value)
    assert back.keys() == value.keys() and back["t"] == value["t"] and back["r"] == range(3)
    assert np.array_equal(back["W1"], value["W1"]) and back["W1"].dtype == np.float64
    assert type(back["n"]) is np.float64 and type(back["i"]) is np.int64 and back["c"] == 1 + 2j
    moved = roundtrip(rng)
    assert moved.random() == rng.random()  # the same generator state


def test_codec_never_builds_objects_it_was_not_built_for():
    assert type(roundtrip(object())).__name__ == "object"
    assert type(roundtrip(lambda: 1)).__name__ == "function"
    assert type(roundtrip(np.array([object()]))).__name__ == "ndarray"  # an object array: a stand-in, not data
    with pytest.raises(ValueError):
        codec.decode({"t": "nd", "dtype": "O", "shape": [1], "b64": ""})
    with pytest.raises(ValueError):
        codec.decode({"t": "nd", "dtype": "<f8", "shape": [10**6], "b64": ""})


def test_codec_syncs_arguments_changed_in_place():
    original = {"W1": np.zeros(2), "v": [1]}
    codec.sync(original, {"W1": np.ones(2), "v": [1, 2]})
    assert np.array_equal(original["W1"], [1, 1]) and original["v"] == [1, 2]


def test_exception_classes_keep_their_builtin_base():
    assert codec.exception_class(["ValueError", "Exception"]) is ValueError
    custom = codec.exception_class(["LabelError", "ValueError", "Exception", "BaseException", "object"])
    assert issubclass(custom, ValueError) and custom.__name__ == "LabelError"
    assert not issubclass(codec.exception_class(["SystemExit", "BaseException"]), SystemExit)


def notebooks():
    return (nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4),
            nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4))


def grade_ids(notebook):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells]


def test_restore_puts_back_tests_and_never_uses_the_model_answer():
    source, released = notebooks()
    student = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    student.cells = [c for c in student.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") not in ("test_random_mini_batches", "random_mini_batches")]
    student.cells.append(nbformat.v4.new_code_cell("x = 1"))
    restored, changes = restore(student, source, released)
    assert [g for g in grade_ids(restored) if g] == [g for g in grade_ids(source) if g]
    by_id = dict(zip(grade_ids(restored), restored.cells))
    assert "### BEGIN HIDDEN TESTS" in by_id["test_random_mini_batches"].source
    assert "NotImplementedError" in by_id["random_mini_batches"].source  # the stub, not the solution
    assert restored.cells[-1].source == "x = 1"
    assert changes == ["test cell test_random_mini_batches was deleted"]


def test_integrity_scan_flags_cheats_not_honest_code():
    graded = {"update_parameters_with_gd", "random_mini_batches"}
    names = {"modules": {"np", "numpy", "trainfaster"}, "helpers": {"check_dict"}}
    kinds = lambda source: {kind for kind, _ in scan(source, graded, names)}  # noqa: E731
    assert kinds("from trainfaster.minibatch import random_mini_batches") == {IMPORTS_REFERENCE}
    assert kinds("from trainfaster import minibatch") == {IMPORTS_REFERENCE}
    assert kinds("np.allclose = lambda *a, **k: True") == {PATCHES}
    assert kinds("setattr(np, 'allclose', max)") == {PATCHES}
    assert kinds("check_dict = print") == {PATCHES}
    assert kinds("data = open('/etc/shadow').read()") == {READS_OUTSIDE}
    assert kinds("data = open('../bob/01_mini_batches.ipynb').read()") == {READS_OUTSIDE}
    assert kinds("W = W - learning_rate * np.asarray(dW)\nd = {}\nd['W1'] = W") == set()


def test_shards_split_a_class_exactly_once():
    students = [f"student{i}" for i in range(200)]
    shards = [{s for s in students if in_shard(s, k, 3)} for k in (1, 2, 3)]
    assert set().union(*shards) == set(students) and sum(map(len, shards)) == 200
    assert all(40 < len(shard) < 90 for shard in shards)


@pytest.mark.parametrize("name, expected", [
    ("doejane_123_456_01_mini_batches.ipynb", ("doejane", "01_mini_batches.ipynb")),
    ("doejane_LATE_123_456_01_mini_batches-2.ipynb", ("doejane", "01_mini_batches.ipynb")),
    ("Jane Doe_42_assignsubmission_file_/01_mini_batches.ipynb", ("jane_doe", "01_mini_batches.ipynb")),
    ("jdoe/01_mini_batches.ipynb", ("jdoe", "01_mini_batches.ipynb")),
    ("notes.ipynb", None),
])
def test_lms_names(name, expected):
    assert match(name, [SLUG]) == expected


def test_hidden_part_splits_off_and_names_are_found():
    visible, hidden = split_hidden('"""doc"""\nx = f(1)\n### BEGIN HIDDEN TESTS\ny = f(2)\n### END HIDDEN TESTS\n')
    assert "f(2)" not in visible and "f(2)" in hidden and hidden.startswith("\n\n")
    assert free_names("result = f(x)\nfor k in result:\n    print(k, np.abs(k))\ndef g(a):\n    return a") == {"f", "x", "np"}


def test_autograd_flows_back_through_the_kernel():
    """A tensor a student's function returns can be differentiated here (PyTorch exercises need it)."""
    import torch

    from autograder.boundary.remote import Kernel
    from autograder.boundary.sandbox import Limits

    with Kernel(ROOT / "tests", Limits(), use_sandbox=False) as kernel:
        kernel.run("import torch\n"
                   "def forward(X, p):\n    return torch.sigmoid(p['W'] @ X)\n"
                   "def cost(A, Y):\n    return -(Y * torch.log(A)).mean()\n")
        student = kernel.lookup({"forward", "cost"})
        W = torch.tensor([[1.0, 2.0]], dtype=torch.float64, requires_grad=True)
        X = torch.tensor([[1.0], [-1.0]], dtype=torch.float64)
        student["cost"](student["forward"](X, {"W": W}), torch.ones((1, 1), dtype=torch.float64)).backward()
    expected = -(1 - torch.sigmoid(torch.tensor(-1.0, dtype=torch.float64))) * X.T
    assert torch.allclose(W.grad, expected)


def _cell(source, **nbgrader):
    cell = nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "locked": not nbgrader.get("solution"), "solution": False,
                                     "grade": False, **nbgrader}
    return cell


def test_points_split_nbgrader_partial_credit_and_helpers_across_test_cells():
    """A hidden failure earns the visible part's points; a cell worth a number earns it (nbgrader's rule); a
    helper from one test cell calls the student's code from a later one; nbgrader reads the same scores."""
    from nbgrader.utils import determine_grade

    from autograder.run.checker import NotebookRun
    from autograder.boundary.sandbox import Limits
    from autograder.run.verdicts import stored_copy
    from autograder.run.worker import score_of

    test_a = '"""f: returns x."""\ndef run(x):\n    return f(x)\nassert run(1) == 1\n' \
             '### BEGIN HIDDEN TESTS\nassert run(100) == 100, "f(100) is secret"\n### END HIDDEN TESTS\n'
    notebook = nbformat.v4.new_notebook(cells=[
        _cell("import numpy as np"),
        _cell("def f(x):\n    return x if x < 10 else 0\n", solution=True, grade_id="f"),
        _cell(test_a, grade=True, points=3, grade_id="test_f"),
        _cell('"""f through the helper of the cell before."""\nassert run(2) == 2\n', grade=True, points=2,
              grade_id="test_f_again"),
        _cell('"""nbgrader\'s partial credit."""\nearned = 2.5 if f(3) == 3 else 0\nearned\n', grade=True, points=4,
              grade_id="test_f_partial"),
        _cell('"""too many points."""\n5\n', grade=True, points=1, grade_id="test_too_many"),
    ])
    with NotebookRun(ROOT / "tests", Limits(), use_sandbox=False) as run:
        run.execute(notebook)
    scores = [c.metadata["autograder"]["score"] for c in notebook.cells[2:]]
    assert scores == [1.0, 2.0, 2.5, 0.0]
    assert score_of(notebook) == (5.5, 10)
    visible = {"test_f": test_a.split("### BEGIN")[0]}
    stored = stored_copy(notebook, visible)
    assert "secret" not in str(stored) and "BEGIN HIDDEN" not in str(stored)
    assert [determine_grade(c)[0] for c in stored.cells[2:]] == scores
    assert stored.cells[2].outputs[0].text.startswith("FAILED: 1/3 points, the visible tests passed (1 point), "
                                                      "the hidden tests failed (2 points): f: returns x.")
    assert "must be between 0 and 1" in str(notebook.cells[5].outputs)


def test_integrity_scan_flags_computed_imports():
    graded = {"update_parameters_with_gd", "random_mini_batches"}
    names = {"modules": {"np", "numpy", "trainfaster"}, "helpers": set()}
    kinds = lambda source: {kind for kind, _ in scan(source, graded, names)}  # noqa: E731
    assert kinds('import importlib\nm = importlib.import_module("train" + "faster.minibatch")') == {IMPORTS_REFERENCE}
    assert kinds('m = __import__(f"trainfaster.{\'minibatch\'}")') == {IMPORTS_REFERENCE}
    assert kinds("name = input()\nm = __import__(name)") == {COMPUTED_IMPORT}
    assert kinds('load = getattr(builtins, "__imp" + "ort__")') == {COMPUTED_IMPORT}
    assert kinds("import importlib\nm = importlib.import_module('numpy.linalg')") == set()


def test_withheld_references_raise_and_keep_the_library_importable(tmp_path):
    import subprocess
    import sys

    from autograder.boundary.withhold import library_copy, withheld

    # every graded function, those the library's own code uses too (network draws with random_mini_batches)
    assert withheld(SLUG) == {"minibatch": ["update_parameters_with_gd", "random_mini_batches"]}
    assert "optimizers" in withheld("03_momentum_rmsprop_adam")
    library = library_copy("03_momentum_rmsprop_adam", tmp_path)
    original = (ROOT / "trainfaster" / "optimizers.py").read_text().splitlines()
    copied = (library / "optimizers.py").read_text().splitlines()
    assert [line.startswith("def ") for line in copied[:len(original)]] == [line.startswith("def ") for line in original]
    probe = ("import trainfaster.network, trainfaster.plotting, trainfaster.data\n"
             "from trainfaster.optimizers import update_parameters_with_adam\n"
             "update_parameters_with_adam({}, {}, {}, {}, 1)\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(library.parent), "PATH": "/usr/bin:/bin"})
    assert "RuntimeError: trainfaster.optimizers.update_parameters_with_adam is withheld" in run.stderr, run.stderr


def test_the_memory_limit_is_per_student_where_a_cgroup_allows(tmp_path, monkeypatch):
    from autograder.boundary import cgroup

    monkeypatch.setattr(cgroup, "parent", lambda: (tmp_path, None))
    assert cgroup.kind(2**31) == "2 GiB for all the student's processes together (a cgroup v2)"
    group = cgroup.MemoryGroup(2**31)
    path = group.create()
    assert (path / "memory.max").read_text() == str(2**31)
    group.join()
    assert (path / "cgroup.procs").read_text() == str(os.getpid())
    monkeypatch.setattr(cgroup, "parent", lambda: (None, "the grader is not root"))
    assert cgroup.kind(2**31) == "2 GiB per process (the grader is not root)"
    assert cgroup.MemoryGroup(2**31).create() is None
