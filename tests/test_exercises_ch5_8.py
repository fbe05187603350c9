"""Exercises 5-8: what the graded tests say when the mistake is not in the function they test, and what they
must never show (the answers of the derive and predict tasks)."""

import importlib.util

import pytest

from notebook_cells import ROOT, run_test_cell


def _answers(slug):
    spec = importlib.util.spec_from_file_location(slug, ROOT / "tests" / "wrong_answers" / f"{slug}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("forward, backward, mistake", [
    ("batchnorm_forward", "batchnorm_backward", "epsilon outside the square root"),
    ("batchnorm_forward", "batchnorm_backward", "variance divided by m - 1"),
    ("layernorm_forward", "layernorm_backward", "epsilon outside the square root"),
    ("layernorm_forward", "layernorm_backward", "variance divided by n - 1"),
    ("rmsnorm_forward", "rmsnorm_backward", "epsilon outside the square root"),
    ("rmsnorm_forward", "rmsnorm_backward", "centres like layer norm"),
])
def test_a_correct_backward_is_not_blamed_for_the_forward_pass(forward, backward, mistake):
    """A wrong forward pass with the model backward pass: the backward test names the forward pass, not the backward."""
    notebook = ROOT / "solutions" / "06_batch_normalization.ipynb"
    wrong_forward = _answers("06_batch_normalization").WRONG[forward][mistake]
    with pytest.raises(AssertionError) as failure:
        run_test_cell(notebook, f"test_{backward}", {forward: wrong_forward})
    message = str(failure.value)
    assert f"your {forward}" in message and "follow from your forward pass" in message, message


SLUGS = ("05_hyperparameter_tuning", "06_batch_normalization", "07_softmax_regression", "08_frameworks")
IDS = ("", "alice", "jdoe42", "Zoë Ünal")


def _tasks():
    from autograder.tasks import registry

    return [(slug, function, task) for (slug, function), task in sorted(registry().items()) if slug in SLUGS]


def _forms(value):
    """How a number may be written: a few significant digits (the short forms a page or a message would use)."""
    return {f"{value:.4g}", f"{value:.5g}", f"{value:.6g}", repr(value)}


def _found(value, text):
    """The forms of `value` in `text`; a whole number only where it stands alone, not inside another number."""
    import re

    if float(value).is_integer():
        return [form for form in _forms(value) if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text)]
    return [form for form in _forms(value) if form in text]


def _telling(value):
    """An answer whose text says something: not a small whole number, which any page holds by chance."""
    return not (float(value).is_integer() and abs(value) < 100)


def _visible_text(slug):
    """What a student sees of the source notebook: every cell but the solutions and the hidden tests."""
    import nbformat

    from autograder.run.checker import split_hidden

    parts = []
    for cell in nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            source = cell.source
            while "### BEGIN SOLUTION" in source:
                head, _, rest = source.partition("### BEGIN SOLUTION")
                source = head + rest.partition("### END SOLUTION")[2]
            parts.append(source)
        elif meta.get("grade"):
            parts.append(split_hidden(cell.source)[0])
        else:
            parts.append(cell.source)
            for output in cell.get("outputs", []):  # what a person reads: text, not the digits of a PNG's base64
                data = output.get("data", {})
                parts += [str(output.get("text", "")), str(output.get("evalue", "")),
                          str(data.get("text/plain", "")), str(data.get("text/html", "")),
                          str(data.get("text/markdown", ""))]
    return "\n".join(parts)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_answer_appears_where_a_student_looks(slug):
    """No derive task's answer, for any of a few ids, is in the chapter page or the student's view of the notebook."""
    from trainfaster.variants import parameters

    text = _visible_text(slug) + (ROOT / "book" / f"{slug}.md").read_text()
    for task_slug, function, task in _tasks():
        if task_slug != slug:
            continue
        for student_id in IDS:
            answer = task.answer(parameters(slug, student_id))
            for value in answer if isinstance(answer, tuple) else (answer,):
                if _telling(value):
                    found = _found(value, text)
                    assert not found, f"{function}'s answer for {student_id!r} appears as {found}"


def _wrong_functions():
    for slug in SLUGS:
        answers = _answers(slug)
        for slug_, function, task in _tasks():
            if slug_ == slug:
                for mistake, source in answers.WRONG.get(function, {}).items():
                    yield pytest.param(slug, function, source, id=f"{slug}-{function}-{mistake}")


@pytest.mark.parametrize("slug, function, source", list(_wrong_functions()))
def test_a_wrong_answer_is_told_the_kind_of_mistake_never_the_answer(slug, function, source):
    """Through the grader's check, with the grader's id and a course secret: the message names no right value."""
    import math

    import numpy as np
    import torch

    from autograder.tasks import IDENTITY, check_task, registry
    from trainfaster.variants import parameters

    namespace = {"np": np, "math": math, "torch": torch}
    exec(compile(source, f"<{function}>", "exec"), namespace)
    failed = 0
    for student_id in IDS:
        try:
            check_task(slug, function, namespace[function], {IDENTITY: {"student_id": student_id, "secret": "s3cret"}})
            continue  # this mistake gives the right numbers for this id (e.g. rounding up a whole quotient)
        except AssertionError as error:
            failure, failed = error, failed + 1
        task = registry()[(slug, function)]
        params = parameters(slug, student_id, "s3cret")
        given = namespace[function](**{name: params[name] for name in task.arguments})
        message = str(failure)
        for value in given if isinstance(given, (tuple, list)) else (given,):  # the student's own numbers, echoed
            if isinstance(value, (int, float)):
                message = message.replace(f"{value:.6g}", "")
        answer = task.answer(params)
        for value in answer if isinstance(answer, tuple) else (answer,):
            if _telling(value):
                shown = _found(value, message)
                assert not shown, f"the message shows the answer {shown}: {failure}"
    assert failed, f"{function}: the wrong answer passes for every id"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_given_cell_is_locked(slug):
    """A "Given ... do not change it" cell the tests depend on is a locked nbgrader cell, restored from the source
    when graded (exercise 8's optimizer_steps had no metadata: a rewrite of it was what the test called)."""
    import nbformat

    for cell in nbformat.read(ROOT / "solutions" / f"{slug}.ipynb", as_version=4).cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith("# Given"):
            meta = cell.metadata.get("nbgrader", {})
            assert meta.get("locked") and meta.get("grade_id") and not meta.get("solution"), cell.source[:80]
