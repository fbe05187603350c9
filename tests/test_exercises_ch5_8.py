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
])
def test_a_correct_backward_is_not_blamed_for_the_forward_pass(forward, backward, mistake):
    """A wrong forward pass with the model backward pass: the backward test names the forward pass, not the backward."""
    notebook = ROOT / "solutions" / "06_batch_normalization.ipynb"
    wrong_forward = _answers("06_batch_normalization").WRONG[forward][mistake]
    with pytest.raises(AssertionError) as failure:
        run_test_cell(notebook, f"test_{backward}", {forward: wrong_forward})
    message = str(failure.value)
    assert f"your {forward}" in message and "follow from your forward pass" in message, message
