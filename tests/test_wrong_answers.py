"""Every graded test catches realistic wrong answers, accepts correct answers written differently, and
fails on the untouched student notebook with NotImplementedError only.

The answers live in `tests/wrong_answers/<slug>.py` as `WRONG = {function: {mistake: source}}` and
`RIGHT = {function: {variant: source}}`. Each failure message is collected into
`_build/wrong_answers.md`, to read as a student would.
"""

import importlib.util
from pathlib import Path

import pytest

from notebook_cells import ROOT, graded_functions, run_test_cell

ANSWERS = sorted((ROOT / "tests" / "wrong_answers").glob("[0-9]*.py"))
REPORT = ROOT / "_build" / "wrong_answers.md"
MIN_WRONG, MIN_RIGHT = 3, 1


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases(kind):
    for path in ANSWERS:
        for function, variants in getattr(_load(path), kind).items():
            for name, source in variants.items():
                yield pytest.param(path.stem, function, name, source, id=f"{path.stem}-{function}-{name}")


def _assert_defines(source, function):
    """The answer itself is valid Python defining `function`, so a failure is the test's doing."""
    namespace = {}
    exec(compile(source, f"<answer {function}>", "exec"), namespace)
    assert callable(namespace.get(function)), f"the answer does not define {function}"


@pytest.fixture(scope="module")
def report():
    lines = []
    yield lines
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("# What students see for each known wrong answer\n\n" + "\n".join(sorted(lines)) + "\n")


def test_every_graded_function_has_answers():
    """Each graded function of each solution notebook has enough wrong and right answers on file."""
    for notebook in sorted((ROOT / "solutions").glob("*.ipynb")):
        path = ROOT / "tests" / "wrong_answers" / f"{notebook.stem}.py"
        assert path.exists(), f"{path.relative_to(ROOT)} is missing"
        module = _load(path)
        for function in graded_functions(notebook):
            assert len(module.WRONG.get(function, {})) >= MIN_WRONG, f"{notebook.stem}: {function} needs {MIN_WRONG}+ wrong answers"
            assert len(module.RIGHT.get(function, {})) >= MIN_RIGHT, f"{notebook.stem}: {function} needs a right answer"
        assert set(module.WRONG) | set(module.RIGHT) <= set(graded_functions(notebook)), "answers for unknown functions"


@pytest.mark.parametrize("slug, function, mistake, source", list(_cases("WRONG")))
def test_wrong_answer_loses_points(slug, function, mistake, source, report):
    notebook = ROOT / "solutions" / f"{slug}.ipynb"
    test_id = graded_functions(notebook)[function]
    _assert_defines(source, function)
    with pytest.raises(Exception) as caught:
        run_test_cell(notebook, test_id, {function: source})
    report.append(f"- `{slug}` `{function}`, {mistake}: {caught.type.__name__}: {caught.value}".strip())


@pytest.mark.parametrize("slug, function, variant, source", list(_cases("RIGHT")))
def test_right_answer_gets_full_marks(slug, function, variant, source):
    notebook = ROOT / "solutions" / f"{slug}.ipynb"
    _assert_defines(source, function)
    run_test_cell(notebook, graded_functions(notebook)[function], {function: source})


@pytest.mark.parametrize("notebook", sorted((ROOT / "solutions").glob("*.ipynb")), ids=lambda p: p.stem)
def test_model_answers_pass(notebook):
    for test_id in graded_functions(notebook).values():
        run_test_cell(notebook, test_id)


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_untouched_student_notebook_fails_only_with_not_implemented(notebook):
    for test_id in graded_functions(notebook).values():
        with pytest.raises(NotImplementedError):
            run_test_cell(notebook, test_id)
