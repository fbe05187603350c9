"""Assertion helpers for the exercise notebooks.

Each helper checks in the order type -> shape -> values and raises an `AssertionError` whose message names
what is wrong (the key, the element), what it is and what it should be. `mistakes` maps a diagnosis to the
value a known wrong answer would give; a matching answer gets that diagnosis instead of the bare numbers:

    check_array("v['dW1']", v["dW1"], expected, mistakes={
        "is off by a factor (1 - beta): did you forget it?": expected / (1 - beta)})

An answer no `mistakes=` entry matches gets a generic diagnosis (`trainfaster.diagnoses`: a flipped sign, a
constant factor, a shift by one step, ...) before the bare numbers; `hints` names the scalars and arrays such
a diagnosis may mention, e.g. `hints={"beta": beta, "m": m, "the parameters before the step": parameters}`.
The bare fallback messages carry `generic = True`, so tests can count the answers that get no diagnosis.
"""

import numpy as np

from trainfaster.diagnoses import diagnose

RTOL, ATOL = 1e-7, 1e-10


def _close(actual, expected, rtol, atol):
    """Elementwise closeness; a non-finite expected value (inf, nan) only matches itself exactly."""
    with np.errstate(invalid="ignore", over="ignore"):
        near = np.abs(actual - expected) <= atol + rtol * np.abs(expected)
    return np.where(np.isfinite(expected), near, (actual == expected) | (np.isnan(actual) & np.isnan(expected)))


def _unexplained(message):
    """The generic fallback: an `AssertionError` flagged `generic`, which states values but names no mistake."""
    error = AssertionError(message)
    error.generic = True
    return error


def _fmt(x):
    return np.array2string(np.asarray(x), precision=6, separator=", ", threshold=12)


def _diagnose(name, actual, expected, mistakes, rtol, atol):
    """Raise with the diagnosis of the first known mistake that `actual` matches (and `expected` does not)."""
    for diagnosis, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=float)
        if wrong.shape == actual.shape and _close(actual, wrong, rtol, atol).all():
            if not _close(wrong, expected, rtol, atol).all():
                raise AssertionError(f"{name} {diagnosis}")


def _shape_hint(shape, expected):
    """What a wrong shape suggests: a transpose, a broadcast, a dropped axis, or one value where many belong."""
    if shape == expected[::-1] and len(shape) == 2:
        return " Did you transpose it?"
    if shape == () and expected != ():
        return " Return the whole array, one value per element, not a single value (did a loop keep only the last?)."
    if len(shape) < len(expected) and np.prod(shape) == np.prod(expected):
        return " An axis was dropped: keep it (keepdims=True, or reshape)."
    if len(shape) == len(expected) and all(a == e or e == 1 for a, e in zip(shape, expected)):
        return (" NumPy broadcast it to a larger shape: are arrays of different shapes combined (e.g. b updated "
                "with dW), or a sum missing over the examples (axis=1, keepdims=True)?")
    return ""


def check_array(name, actual, expected, *, rtol=RTOL, atol=ATOL, mistakes=None, hints=None, before=None):
    """`actual` must be a float64 NumPy array of `expected`'s shape and values (within `rtol`, `atol`)."""
    expected = np.asarray(expected, dtype=float)
    if not isinstance(actual, np.ndarray):
        raise AssertionError(f"{name} is a {type(actual).__name__}; expected a NumPy array of shape {expected.shape}.")
    if actual.dtype != np.float64:
        raise AssertionError(f"{name} has dtype {actual.dtype}; expected float64 (did an integer array sneak in?).")
    if actual.shape != expected.shape:
        hint = _shape_hint(actual.shape, expected.shape)
        if hint:
            raise AssertionError(f"{name} has shape {actual.shape}; expected {expected.shape}.{hint}")
        raise _unexplained(f"{name} has shape {actual.shape}; expected {expected.shape}.")
    _diagnose(name, actual, expected, mistakes, rtol, atol)
    if not np.isfinite(actual).all() and np.isfinite(expected).all():
        raise AssertionError(f"{name} {diagnose(actual, expected) or 'contains inf or nan:'} {_fmt(actual)}")
    ok = _close(actual, expected, rtol, atol) | (actual == expected)
    if not ok.all():
        guess = diagnose(actual, expected, hints, rtol, atol, before)
        if guess:
            raise AssertionError(f"{name} {guess}")
        bad = np.argwhere(~ok)
        index = tuple(int(i) for i in bad[0])
        where = f"{name}[{', '.join(map(str, index))}]" if index else name
        others = f" ({len(bad)} of {actual.size} elements are wrong)" if actual.size > 1 else ""
        raise _unexplained(f"{where} is {float(actual[index])!r}; expected {float(expected[index])!r}{others}.")


def _check_scalar(name, actual, expected, accepted, wanted, array_hint, rtol, atol, mistakes, hints=None):
    """`actual` must pass `accepted` (a type test described by `wanted`), then equal `expected` as `check_array` does."""
    if isinstance(actual, np.ndarray):
        raise AssertionError(f"{name} is an array of shape {actual.shape}; {array_hint}")
    if not accepted(actual):
        raise AssertionError(f"{name} is a {type(actual).__module__}.{type(actual).__name__}; {wanted}")
    check_array(name, np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=rtol, atol=atol,
                mistakes=mistakes, hints=hints)


def check_float(name, actual, expected, *, rtol=RTOL, atol=ATOL, mistakes=None, hints=None):
    """`actual` must be a Python float (not a NumPy scalar or array) close to `expected`."""
    _check_scalar(name, actual, expected, lambda x: type(x) is float,
                  "expected a Python float, cast with float(...).", "expected a float (use float(...)).",
                  rtol, atol, mistakes, hints)


def check_dict(name, actual, expected, *, rtol=RTOL, atol=ATOL, mistakes=None, hints=None, before=None):
    """`actual` must be a dict with exactly `expected`'s keys, each value passing `check_array`.

    `mistakes` maps a diagnosis to a whole wrong dict; a matching key gets the diagnosis. A dict in `hints`
    gives each key its own value (e.g. `{"the gradient": grads}`); `before` is the dict before an update, so
    a wrong value's step can be diagnosed (e.g. the sign of `parameters` - `before`).
    """
    if not isinstance(actual, dict):
        raise AssertionError(f"{name} is a {type(actual).__name__}; expected a dict with keys {sorted(expected)}.")
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    if missing:
        raise AssertionError(f"{name} is missing the key(s) {missing}; it must hold {sorted(expected)}.")
    if extra:
        raise AssertionError(f"{name} has unexpected key(s) {extra}; it must hold exactly {sorted(expected)}.")
    for key in sorted(expected):
        key_mistakes = {d: wrong[key] for d, wrong in (mistakes or {}).items() if key in wrong}
        key_hints = {label: value[key] if isinstance(value, dict) else value for label, value in (hints or {}).items()
                     if not isinstance(value, dict) or key in value}
        check_array(f"{name}[{key!r}]", actual[key], expected[key], rtol=rtol, atol=atol, mistakes=key_mistakes,
                    hints=key_hints, before=None if before is None else before.get(key))


def check_length(name, actual, expected_length, *, hint=""):
    """`actual` must be a list or tuple of `expected_length` items."""
    if not isinstance(actual, (list, tuple)):
        raise AssertionError(f"{name} is a {type(actual).__name__}; expected a list of {expected_length} items.")
    if len(actual) != expected_length:
        if not hint:
            raise _unexplained(f"{name} has {len(actual)} items; expected {expected_length}.")
        raise AssertionError(f"{name} has {len(actual)} items; expected {expected_length}. {hint}")


def check_unchanged(name, before, after):
    """An input must not be modified: `after` equals the copy `before` taken before the call."""
    if isinstance(before, dict):
        for key in sorted(before):
            check_unchanged(f"{name}[{key!r}]", before[key], after[key])
    elif not np.array_equal(before, after):
        raise AssertionError(f"{name} was modified by your function; compute new arrays instead of changing its input.")


def check_raises(name, exception, function, *args, mention=None, **kwargs):
    """`function(*args, **kwargs)` must raise `exception`, whose message mentions `mention` if given."""
    try:
        function(*args, **kwargs)
    except exception as error:
        if mention is not None and str(mention) not in str(error):
            raise AssertionError(f"{name} raised {exception.__name__}({str(error)!r}); its message should mention {mention!r}.") from None
        return
    except Exception as error:
        raise AssertionError(f"{name} raised {type(error).__name__}; expected {exception.__name__}.") from None
    raise AssertionError(f"{name} returned normally; expected it to raise {exception.__name__}.")


def check_mini_batches(name, actual, expected, X, Y):
    """`actual` must be the list of `(X_batch, Y_batch)` tuples `expected`, cut from `X` and `Y`.

    Diagnoses the usual mistakes: the last partial batch dropped or an empty one added, no shuffling,
    X and Y shuffled differently, and a permutation other than the one the seed fixes.
    """
    sizes = [b[0].shape[1] for b in expected]
    rule = (f"The m = {X.shape[1]} examples go into batches of {sizes}: full ones of mini_batch_size, then one "
            "with the remaining m % mini_batch_size, if any.")
    hint = ""
    if isinstance(actual, (list, tuple)) and len(actual) != len(expected):
        if len(actual) == len(expected) - 1 and len(set(sizes)) > 1:
            hint = f"The last, smaller mini-batch of {sizes[-1]} examples is missing: keep it."
        elif len(actual) == len(expected) + 1 and len(set(sizes)) == 1:
            hint = "Add the last mini-batch only when m % mini_batch_size != 0: yours is empty."
        else:
            hint = rule
    check_length(name, actual, len(expected), hint=hint)
    for k, item in enumerate(actual):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise AssertionError(f"{name}[{k}] is a {type(item).__name__}; expected a tuple (X_batch, Y_batch).")
        for part, label in ((0, "X_batch"), (1, "Y_batch")):
            if not isinstance(item[part], np.ndarray):
                raise AssertionError(f"{name}[{k}][{part}] ({label}) is a {type(item[part]).__name__}; expected a NumPy array.")
            if item[part].shape != expected[k][part].shape:
                where = "the last mini-batch" if k == len(expected) - 1 and k > 0 else f"mini-batch {k}"
                raise AssertionError(f"{name}[{k}][{part}] ({label}) has shape {item[part].shape}; expected "
                                     f"{expected[k][part].shape}: {where} should hold {sizes[k]} examples. {rule}")
    X_all = np.concatenate([b[0] for b in actual], axis=1)
    Y_all = np.concatenate([b[1] for b in actual], axis=1)
    X_expected = np.concatenate([b[0] for b in expected], axis=1)
    Y_expected = np.concatenate([b[1] for b in expected], axis=1)
    if np.array_equal(X_all, X) and not np.array_equal(X, X_expected):
        raise AssertionError(f"{name}: the examples are in their original order; shuffle the columns first.")
    if np.array_equal(X_all, X_expected) and not np.array_equal(Y_all, Y_expected):
        raise AssertionError(f"{name}: the Y_batch columns do not follow the X_batch columns; shuffle X and Y with the same permutation.")
    def by_column(A):
        return A[:, np.lexsort(A[::-1])]

    same_examples = np.array_equal(by_column(X_all), by_column(X_expected))
    if not np.array_equal(X_all, X_expected) and same_examples:
        raise AssertionError(f"{name}: the right examples in another order; shuffle with "
                             "np.random.default_rng(seed).permutation(m), once, for both X and Y.")
    for k, (X_batch, Y_batch) in enumerate(expected):
        check_array(f"{name}[{k}][0] (X_batch)", actual[k][0], X_batch)
        check_array(f"{name}[{k}][1] (Y_batch)", actual[k][1], Y_batch)


def check_number(name, actual, expected, *, rtol=RTOL, atol=ATOL, mistakes=None, hints=None):
    """`actual` must be a float scalar (a Python float or a NumPy float64) close to `expected`."""
    _check_scalar(name, actual, expected, lambda x: isinstance(x, float), "expected a float.",
                  "expected a single float for a single input.", rtol, atol, mistakes, hints)


def call_or_explain(call, function, *args, hint="", **kwargs):
    """Return `function(*args, **kwargs)`; a TypeError or ValueError it raises becomes an AssertionError
    that names the `call` (as text, e.g. "f(0.2, np.arange(5))") and adds `hint`."""
    try:
        return function(*args, **kwargs)
    except (TypeError, ValueError) as error:
        raise AssertionError(f"{call} raised {type(error).__name__}: {error}. {hint}".strip()) from None


def check_rng_used(name, rng, expected_rng):
    """`rng` must have drawn exactly what `expected_rng` drew (their states must agree after the calls)."""
    if rng.bit_generator.state != expected_rng.bit_generator.state:
        raise AssertionError(f"{name} did not draw its random numbers from the rng it was given, or drew a different "
                             "number of them: make one call rng.uniform(..., size) with that rng (not np.random.uniform "
                             "or a new np.random.default_rng), so the caller's seed decides the result.")


def check_decade_shares(name, samples, low, high, *, tolerance=0.02, hint=""):
    """`samples` must lie in `[low, high]` with each decade's share of them proportional to its width in log10."""
    samples = np.asarray(samples, dtype=float)
    outside = samples[(samples < low) | (samples > high)]
    if outside.size:
        raise AssertionError(f"{name}: {outside.size} of {samples.size} samples lie outside [{low:g}, {high:g}], "
                             f"e.g. {outside.flat[0]:g}. {hint}".strip())
    a, b = np.log10(low), np.log10(high)
    edges = np.unique(np.concatenate([[a], np.arange(np.ceil(a), np.floor(b) + 1), [b]]))
    counts, _ = np.histogram(np.log10(samples), bins=edges)
    for left, right, count in zip(edges[:-1], edges[1:], counts):
        share, expected = count / samples.size, (right - left) / (b - a)
        if abs(share - expected) > tolerance:
            raise AssertionError(f"{name}: {share:.1%} of the samples fall in [{10**left:g}, {10**right:g}); "
                                 f"a log-uniform sample puts {expected:.1%} there (every decade gets the same share). "
                                 f"{hint}".strip())
def check_tensor(name, actual, expected, *, rtol=RTOL, atol=ATOL, mistakes=None, hints=None, differentiable=False):
    """`actual` must be a float64 torch tensor of `expected`'s shape and values; torch is imported only here.

    With `differentiable=True` it must also be connected to autograd's graph (have a `grad_fn`), which
    converting to NumPy, `.item()`, `.detach()` or a fresh `torch.tensor(...)` would break.
    """
    import torch

    expected = np.asarray(expected.detach() if isinstance(expected, torch.Tensor) else expected, dtype=float)
    if not isinstance(actual, torch.Tensor):
        raise AssertionError(f"{name} is a {type(actual).__module__}.{type(actual).__name__}; expected a torch tensor "
                             f"of shape {expected.shape}: keep the computation in torch, so autograd can follow it.")
    if actual.dtype != torch.float64:
        raise AssertionError(f"{name} has dtype {actual.dtype}; expected torch.float64 (in PyTorch .float() means "
                             "float32: use .double() or dtype=torch.float64).")
    if differentiable and actual.grad_fn is None:
        raise AssertionError(f"{name} is not connected to autograd's graph, so no gradient can flow back: did you "
                             "use NumPy, .item(), .detach() or build a new torch.tensor(...) on the way?")
    if tuple(actual.shape) != expected.shape:
        hint = " Did you transpose it?" if tuple(actual.shape) == expected.shape[::-1] and actual.ndim == 2 else ""
        if expected.shape == () and actual.numel() == 1:
            hint = " Reduce it to a 0-dimensional tensor, e.g. with .sum() or .squeeze()."
        if not hint:
            raise _unexplained(f"{name} has shape {tuple(actual.shape)}; expected {expected.shape}.")
        raise AssertionError(f"{name} has shape {tuple(actual.shape)}; expected {expected.shape}.{hint}")
    check_array(name, actual.detach().numpy(), expected, rtol=rtol, atol=atol, mistakes=mistakes, hints=hints)


def prediction_key(expected, explanation, known=(), rtol=2e-3):
    """The sealed answer of a *predict* question, for `check_prediction`: a string that does not show the answer
    at a glance, so a student commits to a prediction before the test explains it.

    `known` pairs a likely wrong value with what it means; `explanation` says why `expected` is right.
    """
    import base64
    import json
    import zlib

    payload = {"expected": expected, "explanation": explanation, "known": [list(pair) for pair in known], "rtol": rtol}
    return base64.b64encode(zlib.compress(json.dumps(payload).encode())).decode()


def check_prediction(name, actual, expected, *, tolerance=None, explanation="", mistakes=None):
    """`actual`, a number the student predicted or derived, must be within `tolerance` of `expected`.

    `expected` is the answer, or a key sealed by `prediction_key` (which carries its own relative tolerance,
    explanation and known mistakes). A wrong number gets the known mistake it matches (`mistakes` maps a wrong
    value to what it means), then `explanation`, which derives the right answer: the student has committed by then.
    """
    if isinstance(expected, str):
        import base64
        import json
        import zlib

        sealed = json.loads(zlib.decompress(base64.b64decode(expected)))
        expected, explanation = sealed["expected"], sealed["explanation"]
        tolerance = sealed["rtol"] * abs(expected)
        mistakes = {wrong: why for wrong, why in sealed["known"]}
    if isinstance(actual, bool) or not isinstance(actual, (int, float, np.integer, np.floating)):
        raise AssertionError(f"{name} is a {type(actual).__name__}; write your prediction as a number.")
    if not abs(actual - expected) <= tolerance:
        known = next((text for value, text in (mistakes or {}).items()
                      if abs(actual - value) <= max(tolerance, 1e-12 * abs(value))), "")
        raise AssertionError(f"{name} is {actual:.6g}; expected {expected:.6g}. {known + ' ' if known else ''}{explanation}".strip())
