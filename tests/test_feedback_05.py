"""Exercise 5's expected_improvement: each wrong answer rev-b named gets the message that fits its mistake, not a
hint about another one (rev-b 8: the math.erf hint was attached to every error the function raised)."""

import importlib.util

import pytest

from notebook_cells import ROOT, graded_functions, run_test_cell

NOTEBOOK = ROOT / "solutions" / "05_hyperparameter_tuning.ipynb"
ERF_HINT = "math.erf takes one number at a time"
EXPECTED = {  # wrong answer on file -> (a phrase its message must hold, a phrase it must not)
    "math.erf on a whole array": (ERF_HINT, "np.where(sigma > 0"),
    "if sigma == 0 on an array": ("np.where(sigma > 0, ..., ...)", ERF_HINT),
    "item assignment that fails on a single number": ("a single number mu, sigma as well", ERF_HINT),
    "the gain clipped at 0 before the formula": ("clips best - mu at 0 before the formula", ERF_HINT),
    "z = (mu - best) / sigma with the gain best - mu": ("z = (mu - best) / sigma while the gain is best - mu",
                                                        ERF_HINT),
}


def _wrong():
    spec = importlib.util.spec_from_file_location("answers_05", ROOT / "tests" / "wrong_answers" /
                                                  "05_hyperparameter_tuning.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG["expected_improvement"]


@pytest.mark.parametrize("mistake", sorted(EXPECTED))
def test_expected_improvement_feedback_names_this_mistake(mistake):
    must, must_not = EXPECTED[mistake]
    with pytest.raises(AssertionError) as failure:
        run_test_cell(NOTEBOOK, graded_functions(NOTEBOOK)["expected_improvement"],
                      {"expected_improvement": _wrong()[mistake]})
    message = str(failure.value)
    assert must in message, message
    assert must_not not in message, message
