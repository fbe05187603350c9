"""Generic diagnoses: what a wrong array's relation to the right one says about the mistake behind it.

`trainfaster.checks` tries these after a test's explicit `mistakes=` and before the bare numbers, so a
mistake no test foresaw still gets a name: a flipped sign, a constant factor or offset (named after the
caller's `hints`, e.g. `{"beta": 0.9, "m": 64}` recognises 1/(1 - beta) or 1/m), a shift by one step, an
axis mix-up, rounding, a constant placeholder, a start value that decays away, or a value equal to another
array the caller names (e.g. `{"the parameters before the step": parameters}`).

`diagnose(actual, expected, hints, rtol, atol, before)` returns the text that follows the checked value's name,
or None; it never raises, so a diagnosis can only add to a failure, never hide it. Each diagnosis states a fact about `actual` (checkable by hand) and then suggests its likely cause.
"""

import math

import numpy as np


def _close(a, b, rtol, atol):
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def _g(x):
    return f"{float(x):.4g}"


def _scalar_hints(hints):
    """(label, value) pairs of candidate factors and offsets: each hint h, and for 0 < h < 1 also 1 - h."""
    pairs = []
    for label, value in (hints or {}).items():
        if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and value not in (0, 1):
            pairs.append((label, float(value)))
            if 0 < value < 1:
                pairs.append((f"(1 - {label})", 1 - float(value)))
    if not any(label == "ln(10)" for label, _ in pairs):
        pairs.append(("ln(10)", math.log(10)))
    return pairs


def _array_hints(hints, shape):
    return [(label, np.asarray(value, dtype=float)) for label, value in (hints or {}).items()
            if isinstance(value, np.ndarray) and value.shape == shape]


def _factor(actual, expected, hints, atol):
    """`actual` is a constant multiple c of `expected` (c = -1: the sign)."""
    nonzero = np.abs(expected) > atol
    if not nonzero.any():
        return None
    c = float(np.sum(actual * expected) / np.sum(expected * expected))
    if not math.isfinite(c) or abs(c) < 1e-12 or abs(c - 1) <= 1e-3 or not _close(actual, c * expected, 1e-6, atol):
        return None
    if abs(c + 1) <= 1e-6:
        return "has the wrong sign (it is -1 times the expected value): check a + that should be a -, or the reverse."
    for label, h in _scalar_hints(hints):
        if abs(c - h) <= 1e-6 * abs(h):
            return f"is {label} = {_g(h)} times the expected value: is there an extra factor {label}, or a missing division by it?"
        if abs(c * h - 1) <= 1e-6:
            return f"is the expected value divided by {label} = {_g(h)}: is a factor {label} missing, or is there an extra division by it?"
        if abs(c + h) <= 1e-6 * abs(h) or abs(c * h + 1) <= 1e-6:
            return f"is {_g(c)} times the expected value, the factor {label} with the wrong sign: check both."
    whole = round(c) if abs(c) >= 1 else round(1 / c)
    simple = abs(whole) >= 2 and abs((c if abs(c) >= 1 else 1 / c) - whole) <= 1e-6 * abs(whole)
    if nonzero.sum() >= 2 or simple:
        return (f"is {_g(c)} times the expected value, element for element: a constant factor is wrong "
                "(a learning rate, 1/m, (1 - beta) or a 2 missing or extra?).")
    return None


def _offset(actual, expected, hints, atol):
    """`actual` is `expected` plus the same constant everywhere."""
    diff = actual - expected
    d = float(np.mean(diff))
    if abs(d) <= atol or not np.all(np.abs(diff - d) <= 1e-6 * abs(d) + atol):
        return None
    for label, h in _scalar_hints(hints):
        if abs(abs(d) - h) <= 1e-6 * abs(h):
            return f"is {'too large' if d > 0 else 'too small'} by {label} = {_g(h)} in every element: an extra or missing term {label}?"
    if actual.size >= 2:
        return f"is off by the same {_g(d)} in every element: a constant term is wrong (a start value, a 1 or an offset?)."
    return None


def _constant(actual, expected, rtol, atol):
    """A placeholder: every element the same value, where the expected values differ."""
    if np.all(actual == 0) and not _close(expected, np.zeros_like(expected), rtol, atol):
        return ("is zero, where the expected value is not: is it still a placeholder (np.zeros), or was the "
                "computation never applied?")
    if actual.size < 2 or not np.all(actual == actual.flat[0]):
        return None
    value = float(actual.flat[0])
    if _close(expected, np.full_like(expected, expected.flat[0]), rtol, atol):
        return (f"is {value!r} everywhere, where {float(expected.flat[0])!r} everywhere is expected: "
                "a wrong initial or constant value?")
    what = "all ones" if value == 1 else f"{value!r} everywhere"
    return (f"is {what}, but the expected values differ from each other: is it still a placeholder "
            "(np.zeros, np.ones), or was the computation never applied?")


def _rounded(actual, expected, atol):
    """Whole numbers (or a few decimals) where the expected values are not."""
    if not np.all(actual == np.round(actual)) or np.all(expected == np.round(expected)):
        return None
    if any(_close(actual, f(expected), 0, atol) for f in (np.round, np.floor, np.trunc, np.ceil)):
        return ("holds the expected values rounded to whole numbers: integer arithmetic somewhere "
                "(// instead of /, int(...), or an integer array such as np.zeros(n, dtype=int))?")
    return None


def _shifted(actual, expected, rtol, atol):
    """Shifted by one step along an axis: element k holds what element k - 1 (or k + 1) should."""
    for axis in range(actual.ndim):
        n = actual.shape[axis]
        if n < 3:
            continue
        head, tail = (slice(None),) * axis + (slice(None, -1),), (slice(None),) * axis + (slice(1, None),)
        if _close(expected[tail], expected[head], rtol, atol):
            continue
        where = f" along axis {axis}" if actual.ndim > 1 else ""
        if _close(actual[tail], expected[head], rtol, atol):
            return (f"is shifted by one step{where}: its element k holds the expected element k - 1 "
                    "(an off-by-one in an index, e.g. t counted from 0 instead of 1, or the value before the update?).")
        if _close(actual[head], expected[tail], rtol, atol):
            return (f"is shifted by one step{where}: its element k holds the expected element k + 1 "
                    "(an off-by-one in an index, e.g. a value one step too late?).")
    return None


def _rearranged(actual, expected, rtol, atol):
    """The right values, the wrong places: a transpose, a reversal, rows or columns swapped, one index stuck."""
    if actual.ndim == 2 and actual.shape[0] == actual.shape[1] and _close(actual, expected.T, rtol, atol):
        return "is the transpose of the expected matrix: rows and columns are swapped (check .T and axis=)."
    for axis in range(actual.ndim):
        if actual.shape[axis] > 1 and _close(actual, np.flip(expected, axis), rtol, atol):
            where = f" along axis {axis}" if actual.ndim > 1 else ""
            return f"holds the expected values in reverse order{where}: check the direction of a loop or a slice."
    for axis in range(actual.ndim):
        if actual.shape[axis] < 2:
            continue
        slices = np.moveaxis(expected, axis, 0)
        mine = np.moveaxis(actual, axis, 0)
        kind = {0: "rows", 1: "columns"}.get(axis, f"slices along axis {axis}") if actual.ndim == 2 else "elements"
        for j in range(slices.shape[0]):
            if all(_close(row, slices[j], rtol, atol) for row in mine) and not _close(mine, slices, rtol, atol):
                return (f"repeats the expected {kind[:-1] if kind.endswith('s') else kind} {j} in every position: "
                        "an index stayed fixed (e.g. [0] where [i] belongs), or a value was broadcast?")
    flat_a, flat_e = np.sort(actual, axis=None), np.sort(expected, axis=None)
    if actual.size > 1 and _close(flat_a, flat_e, rtol, atol):
        return "holds the expected values, but in other places: an axis or index mix-up, or a wrong permutation?"
    return None


def _wrong_axis(actual, expected, atol):
    """Normalized (sums to 1) or centred (mean 0) along another axis than the expected."""
    if actual.ndim != 2 or min(actual.shape) < 2:
        return None
    for label, stat, target in (("sums to 1", np.sum, 1.0), ("has mean 0", np.mean, 0.0)):
        holds = [bool(np.allclose(stat(a, axis=axis), target, atol=1e-9)) for a in (actual, expected) for axis in (0, 1)]
        mine, theirs = holds[:2], holds[2:]
        for axis in (0, 1):
            if mine[axis] and not mine[1 - axis] and theirs[1 - axis] and not theirs[axis]:
                return (f"{label} along axis {axis}, where the expected value {label} along axis {1 - axis}: "
                        "it is computed over the wrong axis (check axis=).")
    return None


def _decaying(actual, expected, hints, atol):
    """A 1-D series off by c * r**k: a recursion started from the wrong value."""
    if actual.ndim != 1 or actual.size < 3:
        return None
    d = actual - expected
    if np.any(np.abs(d) <= atol):
        return None
    ratios = d[1:] / d[:-1]
    r = float(ratios[0])
    if not (0 < r < 1) or not _close(ratios, np.full_like(ratios, r), 1e-6, 0):
        return None
    named = next((label for label, h in _scalar_hints(hints) if abs(r - h) <= 1e-6 * h), None)
    rate = f"{named} = {_g(r)}" if named else _g(r)
    return (f"differs from the expected value by {_g(d[0])} at the start, and the gap shrinks by a factor {rate} "
            "each step: the recursion starts from the wrong value (check the initial value, e.g. v_0 = 0).")


def _bias_factor(actual, expected, hints, atol):
    """A 1-D series whose ratio to the expected is (1 - h**t) or its inverse for a hint h, t = 1, 2, ...:
    a bias correction missing, extra, or with the wrong exponent."""
    if actual.ndim != 1 or actual.size < 2 or np.any(np.abs(expected) <= atol):
        return None
    t = np.arange(1, actual.size + 1)
    rates = [(label, h) for label, h in _scalar_hints(hints) if 0 < h < 1]
    for label, h in rates:
        for other, g in rates:
            if g != h and _close(actual, (1 - h**t) / (1 - g**t) * expected, 1e-6, atol):
                return f"is divided by (1 - {other}**t) where (1 - {label}**t) belongs."
        for ratio, text in (
                (1 - h**t, f"is the expected value times (1 - {label}**t): is the bias correction, a division "
                           f"by (1 - {label}**t), missing?"),
                (1 / (1 - h**t), f"is the expected value divided by (1 - {label}**t): is a bias correction applied "
                                 "where none belongs?"),
                ((1 - h**t) ** 2, f"is multiplied by (1 - {label}**t) where it should be divided by it."),
                ((1 - h**t) / (1 - h ** (t + 1)), f"is divided by (1 - {label}**(t + 1)) where (1 - {label}**t) "
                                                  "belongs: the first step is t = 1."),
                ((1 - h**t) / (1 - h ** (t - 1 + (t == 1))), f"is divided by (1 - {label}**(t - 1)): count t from 1, "
                                                             "not from 0.")):
            if _close(actual, ratio * expected, 1e-6, atol):
                return text
    return None


def _transformed(actual, expected, atol):
    """A simple function of the expected value: 1 - x, a log or a power of it, or the power it should be."""
    varies = not _close(expected, np.full_like(expected, expected.flat[0]), 1e-6, atol)
    if (varies or actual.size == 1) and _close(actual, 1 - expected, 1e-6, atol) and not _close(expected, 1 - expected, 1e-6, atol):
        return "is 1 minus the expected value: a (1 - x) taken the wrong way round?"
    if np.all(expected > 0):
        for fn, text in ((np.log10, "is log10 of the expected value: did you forget to raise 10 to that power?"),
                         (np.log, "is the natural log of the expected value: did you forget np.exp, or 10 ** ...?")):
            if _close(actual, fn(expected), 1e-6, atol):
                return text
    informative = np.abs(np.log(np.abs(expected) + (expected == 0))) > 1e-6
    if np.all(actual > 0) and np.all(expected > 0) and informative.sum() >= 2:
        c = float(np.median(np.log(actual[informative]) / np.log(expected[informative])))
        if abs(c - 1) > 1e-3 and _close(actual, expected**c, 1e-6, atol):
            base = (" (the ratio ln(10) of natural to base-10 logarithms: ln and log10 mixed up?)"
                    if min(abs(c - math.log(10)), abs(1 / c - math.log(10))) < 1e-6 else "")
            return f"is the expected value raised to the power {_g(c)}{base}: an exponent or a logarithm's base is wrong."
    return None


def _step(actual, expected, before, hints, rtol, atol):
    """For an update: the step taken, actual - before, against the step expected."""
    if _close(actual, before, rtol, atol):
        return "was not updated: it still holds its value before the step."
    taken, wanted = actual - before, expected - before
    scale = max(float(np.max(np.abs(wanted))), atol)
    guess = (_factor(taken, wanted, hints, 1e-9 * scale) or _offset(taken, wanted, hints, 1e-9 * scale)
             or _nearly(taken, wanted, 1e-9 * scale))
    return guess and "has the wrong step (its change from before the update): the step " + guess


def _partly(actual, expected, rtol, atol):
    """A 1-D series right except at its start, its end, or right only at its start."""
    if actual.ndim != 1 or actual.size < 3:
        return None
    ok = np.abs(actual - expected) <= atol + rtol * np.abs(expected)
    if not ok[0] and ok[1:].all():
        return "is wrong only in its first element: check the first step (the start value, or t = 1)."
    if not ok[-1] and ok[:-1].all():
        return "is wrong only in its last element: check the end of a range (an off-by-one such as range(n - 1))."
    if ok[-1] and not ok[:-1].any():
        return ("is right only in its last element: does a term that should depend on t use the final t = T "
                "(e.g. len(theta)) for every element?")
    if ok[0] and not ok[1:].any():
        return ("is right only in its first element: the start is right, but not how the value changes from "
                "step to step (check the recursion, or a term that depends on t or the epoch).")
    return None


def _nearly(actual, expected, atol):
    """Close, but outside the tolerance: a small term or the precision."""
    with np.errstate(invalid="ignore", divide="ignore"):
        error = float(np.max(np.abs(actual - expected) / np.maximum(np.abs(expected), atol)))
    if error < 1e-6:
        return (f"agrees with the expected value only to about {error:.0e} (relative): float32 arithmetic "
                "somewhere? Keep everything float64.")
    if error < 1e-3:
        return (f"is close to the expected value but off by up to {error:.1e} (relative): a small term such as "
                "epsilon missing, added twice or in the wrong place (inside or outside a square root)?")
    return None


def _not_finite(actual):
    bad = tuple(int(i) for i in np.argwhere(~np.isfinite(actual))[0])
    where = f"[{', '.join(map(str, bad))}]" if bad else ""
    return (f"contains inf or nan (first {float(actual[bad])!r}{' at ' + where if where else ''}) where the expected "
            "values are finite: a division by zero (e.g. by epoch 0, or by 1 - beta**0) or the log of 0?")


def diagnose(actual, expected, hints=None, rtol=1e-7, atol=1e-10, before=None):
    """The text after a value's name that says what `actual` (same shape as `expected`) got wrong, or None.

    `before`, if given, is the value before an update: the step taken is then compared with the step expected.
    """
    try:
        with np.errstate(all="ignore"):
            return _diagnose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), hints, rtol, atol, before)
    except (ArithmeticError, ValueError, TypeError):  # a best guess that fails is no guess
        return None


def _diagnose(actual, expected, hints, rtol, atol, before):
    if not np.isfinite(expected).all():
        return None
    if not np.isfinite(actual).all():
        return _not_finite(actual)
    for label, other in _array_hints(hints, actual.shape):
        if _close(actual, other, rtol, atol) and not _close(expected, other, rtol, atol):
            return f"equals {label}: was a step skipped, or the wrong variable returned?"
    if before is not None and np.shape(before) == actual.shape:
        guess = _step(actual, expected, np.asarray(before, dtype=float), hints, rtol, atol)
        if guess:
            return guess
    return (_constant(actual, expected, rtol, atol) or _factor(actual, expected, hints, atol)
            or _bias_factor(actual, expected, hints, atol) or _transformed(actual, expected, atol)
            or _offset(actual, expected, hints, atol) or _shifted(actual, expected, rtol, atol)
            or _nearly(actual, expected, atol) or _rearranged(actual, expected, rtol, atol)
            or _wrong_axis(actual, expected, atol) or _rounded(actual, expected, atol)
            or _decaying(actual, expected, hints, atol) or _partly(actual, expected, rtol, atol))
