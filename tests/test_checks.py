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


def test_check_prediction_explains_a_sealed_answer():
    """chapters 4 and 5: a predict answer's key hides the value, and a wrong answer gets the known mistake and why."""
    from trainfaster.checks import check_prediction, prediction_key

    key = prediction_key(1 / 150, "Epochs count from 0.", known=[(1 / 151, "That is epoch 150.")])
    assert "150" not in key
    check_prediction("last_rate", 0.006667, key)
    with pytest.raises(AssertionError, match=r"last_rate is 0.00662252; expected 0.00666667. That is epoch 150. Epochs"):
        check_prediction("last_rate", 1 / 151, key)
    with pytest.raises(AssertionError, match="expected a number"):
        check_prediction("last_rate", "1/150", key)
