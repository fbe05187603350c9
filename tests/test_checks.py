"""The notebook assertion helpers check type, then shape, then values, and say what is wrong."""

import numpy as np
import pytest

from trainfaster.checks import check_array, check_dict, check_float, check_length, check_raises, check_unchanged


def message(function, *args, **kwargs):
    with pytest.raises(AssertionError) as caught:
        function(*args, **kwargs)
    return str(caught.value)


def test_check_array_goes_type_shape_values():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "is a list" in message(check_array, "A", [[1.0, 2.0]], expected)
    assert "dtype int64" in message(check_array, "A", np.array([[1, 2], [3, 4]]), expected)
    assert "shape (1, 2); expected (2, 2)" in message(check_array, "A", np.ones((1, 2)), expected)
    assert "Did you transpose" in message(check_array, "A", np.ones((3, 2)), np.ones((2, 3)))
    text = message(check_array, "A", np.array([[1.0, 2.0], [3.0, 5.0]]), expected)
    assert text.startswith("A[1, 1] is 5.0; expected 4.0") and "1 of 4" in text
    assert "inf or nan" in message(check_array, "A", np.array([[np.nan, 2.0], [3.0, 4.0]]), expected)
    check_array("A", expected.copy(), expected)


def test_mistakes_are_diagnosed_by_name():
    expected = np.array([1.0, 2.0])
    text = message(check_array, "v['dW1']", expected * 10, expected, mistakes={"is off by a factor (1 - beta): did you forget it?": expected * 10})
    assert text == "v['dW1'] is off by a factor (1 - beta): did you forget it?"


def test_check_dict_names_the_key():
    expected = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    assert "missing the key(s) ['b1']" in message(check_dict, "parameters", {"W1": np.ones((2, 2))}, expected)
    assert "parameters['b1'] has shape (2,)" in message(check_dict, "parameters", {"W1": np.ones((2, 2)), "b1": np.zeros(2)}, expected)
    assert "unexpected key(s) ['W2']" in message(check_dict, "p", {**expected, "W2": np.ones(1)}, expected)


def test_check_float_wants_a_python_float():
    assert "cast with float(...)" in message(check_float, "cost", np.float64(1.0), 1.0)
    assert "array of shape (1, 1)" in message(check_float, "cost", np.ones((1, 1)), 1.0)
    check_float("cost", 1.0 + 1e-12, 1.0)


def test_other_helpers():
    assert "has 2 items; expected 3" in message(check_length, "batches", [1, 2], 3)
    assert "was modified" in message(check_unchanged, "grads", {"dW1": np.ones(2)}, {"dW1": np.zeros(2)})
    assert "returned normally" in message(check_raises, "f", ValueError, lambda: 1)
    assert "should mention '-3'" in message(check_raises, "f", ValueError, lambda: int("x"), mention="-3")
    check_raises("f", ValueError, lambda: int("-3x"), mention="-3")


def test_check_number_accepts_python_and_numpy_floats_only():
    from trainfaster.checks import check_number

    check_number("rate", 0.1, 0.1)
    check_number("rate", np.float64(0.1), 0.1)
    assert "is an array of shape (1,)" in message(check_number, "rate", np.array([0.1]), 0.1)
    assert "builtins.int" in message(check_number, "rate", 1, 1.0)
    assert message(check_number, "rate", 0.2, 0.1, mistakes={"is doubled.": 0.2}) == "rate is doubled."


def test_call_or_explain_turns_type_and_value_errors_into_a_message():
    from trainfaster.checks import call_or_explain

    assert call_or_explain("abs(-2)", abs, -2) == 2
    text = message(call_or_explain, "int('x')", int, "x", hint="Pass digits.")
    assert text.startswith("int('x') raised ValueError:") and text.endswith("Pass digits.")
    with pytest.raises(NotImplementedError):
        call_or_explain("stub()", lambda: (_ for _ in ()).throw(NotImplementedError()))


def test_check_rng_used_compares_generator_states():
    from trainfaster.checks import check_rng_used

    rng, expected = np.random.default_rng(1), np.random.default_rng(1)
    rng.uniform(size=3)
    expected.random(3)
    check_rng_used("f", rng, expected)
    assert "did not draw" in message(check_rng_used, "f", np.random.default_rng(1), expected)


def test_check_decade_shares():
    from trainfaster.checks import check_decade_shares

    rng = np.random.default_rng(0)
    check_decade_shares("x", 10 ** rng.uniform(-4, 0, 20_000), 1e-4, 1.0)
    check_decade_shares("x", 10 ** rng.uniform(-3.5, -1, 20_000), 10**-3.5, 0.1)
    text = message(check_decade_shares, "x", rng.uniform(1e-4, 1, 20_000), 1e-4, 1.0, hint="Use log10.")
    assert "of the samples fall in [0.0001, 0.001)" in text and text.endswith("Use log10.")
    assert "lie outside [0.0001, 1]" in message(check_decade_shares, "x", np.array([0.5, 2.0]), 1e-4, 1.0)


def test_an_overflowing_mistake_does_not_match_every_answer():
    expected = np.array([1.0, 2.0])
    text = message(check_array, "x", np.array([1.0, 3.0]), expected, mistakes={"overflowed": np.array([np.inf, np.inf])})
    assert text.startswith("x[1] is 3.0; expected 2.0")


def test_generic_diagnoses_name_mistakes_no_test_foresaw():
    """Without `mistakes=`, the relation of a wrong array to the right one still names the likely mistake."""
    x = np.array([1.0, 2.5, -4.0, 7.0])
    assert "wrong sign" in message(check_array, "x", -x, x)
    assert "is 3 times the expected value" in message(check_array, "x", 3 * x, x)
    assert "is (1 - beta) = 0.1 times" in message(check_array, "v", 0.1 * x, x, hints={"beta": 0.9})
    assert "divided by m = 64" in message(check_array, "dW", x / 64, x, hints={"m": 64})
    assert "off by the same 0.5 in every element" in message(check_array, "x", x + 0.5, x)
    assert "is all zeros" not in message(check_array, "x", np.zeros(4), x) and "is zero" in message(check_array, "x", np.zeros(4), x)
    assert "is 2.0 everywhere" in message(check_array, "x", np.full(4, 2.0), x)
    assert "expected element k - 1" in message(check_array, "v", np.array([0.0, 1.0, 2.5, -4.0]), x)
    assert "expected element k + 1" in message(check_array, "v", np.array([2.5, -4.0, 7.0, 9.0]), x)
    assert "reverse order" in message(check_array, "x", x[::-1].copy(), x)
    assert "in other places" in message(check_array, "x", x[[1, 0, 3, 2]], x)
    assert "rounded to whole numbers" in message(check_array, "x", np.floor(x + 0.25), x + 0.25)
    assert "float32" in message(check_array, "x", x * (1 + 5e-7), x)
    assert "epsilon" in message(check_array, "x", x * (1 + 1e-5), x + 0.0)
    assert "1 minus the expected value" in message(check_array, "beta", 1 - np.array([0.9, 0.99]), np.array([0.9, 0.99]))
    assert "log10 of the expected" in message(check_array, "x", np.log10(np.abs(x)), np.abs(x))
    assert "ln and log10 mixed up" in message(check_array, "x", np.abs(x) ** np.log(10), np.abs(x))
    assert "is wrong only in its first element" in message(check_array, "v", np.array([9.0, 2.5, -4.0, 7.0]), x)
    assert "wrong only in its last element" in message(check_array, "v", np.array([1.0, 2.5, -4.0, 0.0]), x)


def test_generic_diagnoses_of_matrices_and_series():
    A = np.array([[1.0, 2.0], [3.0, 5.0]])
    assert "transpose" in message(check_array, "A", A.T.copy(), A)
    P = np.array([[0.2, 0.6, 0.1], [0.8, 0.4, 0.9]])  # columns sum to 1
    assert "sums to 1 along axis 1" in message(check_array, "A", P / P.sum(axis=1, keepdims=True), P)
    repeated = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    assert "repeats the expected row 0" in message(check_array, "A", repeated, np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    beta, theta = 0.9, np.array([10.0, 20.0, 30.0, 40.0])
    t = np.arange(1, 5)
    v = np.array([1.0, 2.9, 5.61, 9.049])
    assert "gap shrinks by a factor beta = 0.9" in message(check_array, "v", v + 9 * beta ** (t - 1), v, hints={"beta": beta})
    v_hat = v / (1 - beta**t)
    assert "bias correction, a division by (1 - beta**t), missing" in message(check_array, "v", v, v_hat, hints={"beta": beta})
    assert "(1 - beta**(t + 1))" in message(check_array, "v", v / (1 - beta ** (t + 1)), v_hat, hints={"beta": beta})
    assert "count t from 1" in message(check_array, "v", v / (1 - beta ** np.maximum(t - 1, 1)) * (t > 1) + v_hat * (t == 1),
                                       v_hat, hints={"beta": beta})
    with np.errstate(divide="ignore"):
        assert "contains inf or nan (first inf at [0])" in message(check_array, "v", v / (1 - beta ** (t - 1)), v_hat)
    assert theta.sum() == 100.0  # the series the averages come from


def test_generic_diagnoses_of_an_update_and_the_fallback_flag():
    before = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    grads = {"dW1": np.array([[0.3, -0.7]]), "db1": np.array([[1.0]])}
    expected = {k: before[k] - 0.1 * grads["d" + k] for k in before}
    wrong = {k: before[k] + 0.1 * grads["d" + k] for k in before}
    assert "the step has the wrong sign" in message(check_dict, "parameters", wrong, expected, before=before)
    no_rate = {k: before[k] - grads["d" + k] for k in before}
    assert "the step is the expected value divided by learning_rate" in message(
        check_dict, "parameters", no_rate, expected, before=before, hints={"learning_rate": 0.1})
    assert "was not updated" in message(check_dict, "parameters", {"W1": expected["W1"], "b1": before["b1"]}, expected, before=before)
    assert "equals the gradient" in message(check_dict, "p", {"W1": grads["dW1"], "b1": expected["b1"]}, expected,
                                            hints={"the gradient": {"W1": grads["dW1"], "b1": grads["db1"]}})
    with pytest.raises(AssertionError) as caught:  # nothing explains this one: the bare numbers, flagged generic
        check_array("x", np.array([1.0, 5.0, 3.0]), np.array([1.0, 2.0, 3.0]))
    assert caught.value.generic and str(caught.value) == "x[1] is 5.0; expected 2.0 (1 of 3 elements are wrong)."
    with pytest.raises(AssertionError) as caught:
        check_array("x", -np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    assert not getattr(caught.value, "generic", False)


def test_check_prediction_explains_the_answer():
    from trainfaster.checks import check_prediction

    check_prediction("n", 16, 16, tolerance=0, explanation="")
    check_prediction("ratio", 0.5001, 0.5, tolerance=0.01, explanation="")
    assert "write your prediction as a number" in message(check_prediction, "n", "16", 16, tolerance=0, explanation="")
    text = message(check_prediction, "ratio", 0.25, 0.5, tolerance=0.01, explanation="std ~ 1/sqrt(b).",
                   mistakes={0.25: "That is the variance's factor."})
    assert text == "ratio is 0.25; expected 0.5. That is the variance's factor. std ~ 1/sqrt(b)."


def test_generic_diagnoses_of_a_bias_correction_gone_wrong():
    beta, t = 0.9, np.arange(1, 5)
    v = np.array([1.0, 2.9, 5.61, 9.049])
    v_hat = v / (1 - beta**t)
    hints = {"beta": beta}
    assert "multiplied by (1 - beta**t) where it should be divided" in message(check_array, "v", v * (1 - beta**t), v_hat, hints=hints)
    assert "(1 - (1 - beta)**t) where (1 - beta**t) belongs" in message(check_array, "v", v / (1 - (1 - beta) ** t), v_hat, hints=hints)
    assert "right only in its last element" in message(check_array, "v", v / (1 - beta**4), v_hat, hints=hints)


def test_check_prediction_explains_a_sealed_answer():
    """chapters 4 and 5: a predict answer's key hides the value, and a wrong answer gets the known mistake and why."""
    from trainfaster.checks import check_prediction, prediction_key

    key = prediction_key(1 / 150, "Epochs count from 0.", known=[(1 / 151, "That is epoch 150.")])
    assert "150" not in key
    check_prediction("last_rate", 0.006667, key)
    with pytest.raises(AssertionError, match=r"last_rate is 0.00662252; expected 0.00666667. That is epoch 150. Epochs"):
        check_prediction("last_rate", 1 / 151, key)
    with pytest.raises(AssertionError, match="write your prediction as a number"):
        check_prediction("last_rate", "1/150", key)
