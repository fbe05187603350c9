"""The visible side of the exercises' derive and predict tasks: was an answer of the right kind committed?

Nothing here knows an answer. A derive task's numbers are each student's own (`trainfaster.variants`) and are
checked when the notebook is graded, on the grader's side; a predict-then-run question is graded on the
commitment and its reason, and the experiment after it says whether the prediction was right.
"""

import math
import numbers


def check_committed(function, answer, names):
    """`answer`, what `function` returned, holds one finite number per name of `names` (a tuple if several)."""
    values = answer if len(names) > 1 else (answer,)
    if len(names) > 1 and (not isinstance(answer, (tuple, list)) or len(answer) != len(names)):
        raise AssertionError(f"{function} returned {_short(answer)}; return {len(names)} numbers: ({', '.join(names)}).")
    for name, value in zip(names, values):
        if value is None or value is Ellipsis:
            raise AssertionError(f"{name} is {value!r}: not answered yet.")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise AssertionError(f"{name} is a {type(value).__name__}; write it as a number (an int or a float).")
        if not math.isfinite(float(value)):
            raise AssertionError(f"{name} is {value!r}; write a finite number.")


def check_commitment(prediction, reason, options):
    """A predict-then-run commitment: `prediction` is one of `options` and `reason` says why in a few words."""
    if prediction not in options:
        raise AssertionError(f"PREDICTION is {_short(prediction)}; write one of {', '.join(map(repr, options))}.")
    if not isinstance(reason, str) or len(reason.split()) < 4:
        raise AssertionError(f"REASON is {_short(reason)}; write one line (a few words at least) saying why you expect "
                             f"{prediction!r}.")


def reveal(prediction, outcome, what):
    """The sentence an experiment prints after a predict-then-run question: was the prediction right?"""
    if prediction == outcome:
        return f"You predicted {prediction!r}, and {what} is indeed {outcome!r}."
    return (f"You predicted {_short(prediction)}; {what} is {outcome!r}. Your points came from committing to a "
            "prediction and its reason; now compare your reason with what the run shows.")


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "..."
