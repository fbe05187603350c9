"""The usual wrong answers of exercise 07's visible tests, computed from the references; the student package ships
them as values (`autograder.mistake_tables`).

Each function returns `{what to fix: the wrong answer}` for the inputs it is given, for `mistakes=` of
`trainfaster.checks`; the student package answers only the inputs the visible tests give (`{}` otherwise). The
derivations of exercise 7 (the softmax's Jacobian and gradient) are in `trainfaster.derivation_mistakes`.
"""

import numpy as np


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # the stand-ins of wrong answers overflow too
def log_softmax_mistakes(Z):
    """What the usual wrong answers of `log_softmax(Z)` return, each with what to fix."""
    c = Z.max(axis=0, keepdims=True)
    E = np.exp(Z - c)
    E_rows = np.exp(Z - Z.max(axis=1, keepdims=True))
    return {
        "takes the log of a softmax that underflowed to 0 (e^-1000 is 0 in float64), giving -inf: compute "
        "Z - LSE(Z) directly, never forming the softmax.": np.log(E / E.sum(axis=0, keepdims=True)),
        "forgets the max shift: np.exp(1000) overflows to inf. Subtract each column's max before np.exp and "
        "add it back: LSE(z) = max(z) + log(sum(exp(z - max(z)))).": Z - np.log(np.exp(Z).sum(axis=0, keepdims=True)),
        "shifts by one max for the whole matrix: a column far below it underflows to log(0). Use each column's "
        "max (axis=0, keepdims=True).": Z - Z.max() - np.log(np.exp(Z - Z.max()).sum(axis=0, keepdims=True)),
        "is off by each column's max: LSE(z) = max(z) + log(sum(exp(z - max(z)))), add the max back (or "
        "subtract it from Z as well).": Z - np.log(E.sum(axis=0, keepdims=True)),
        "sums over the rows (axis=1): the log-sum-exp runs over the classes of each column, axis=0.":
            Z - Z.max(axis=1, keepdims=True) - np.log(E_rows.sum(axis=1, keepdims=True)),
        "is the softmax, not its log.": E / E.sum(axis=0, keepdims=True),
        "has the wrong sign: log_softmax(Z) = Z - LSE(Z), which is never positive.":
            -(Z - c - np.log(E.sum(axis=0, keepdims=True))),
    }


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def logits_cost_mistakes(Z, Y):
    """What the usual wrong answers of `cross_entropy_from_logits(Z, Y)` return, each with what to fix."""
    m = Y.shape[1]
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_A = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    right = -np.sum(Y * log_A) / m
    A = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
    return {
        "is m times too large: divide the sum by m, the number of examples (columns).": right * m,
        "divides by C * m (np.mean over every element): divide the sum by m only.": right / Y.shape[0],
        "has the wrong sign: the cost is -(1/m) sum(Y log_softmax(Z)).": -right,
        "takes the log of the softmax, which underflowed to 0: use log_softmax(Z).": -np.sum(Y * np.log(A)) / m,
        "counts only the most likely label of each column (treats Y as one-hot): with soft labels every class "
        "counts, sum Y * log_softmax(Z).": -np.sum(log_A[Y.argmax(axis=0), np.arange(m)]) / m,
    }
