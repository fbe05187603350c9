"""Chapter 7 (softmax regression): the reference implementations of its graded functions.

Explained in `book/07_softmax_regression.md`; the exercise is `solutions/07_softmax_regression.ipynb`.
`Z`, `A` and `Y` have shape `(C, m)`: one column per example, one row per class.
"""

import numpy as np


def softmax(Z):
    """Column-wise softmax `exp(Z) / sum(exp(Z))`, shifted by each column's max so it never overflows."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def one_hot(labels, C):
    """The `(C, m)` float64 matrix with a 1 in row `labels[i]` of column `i`, zeros elsewhere.

    `labels` is an integer array of shape `(m,)`; a label outside `[0, C)` raises a `ValueError`
    (NumPy indexing would silently wrap a negative one).
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array of shape (m,); got shape {labels.shape}.")
    if labels.size and not np.array_equal(labels, np.round(labels)):
        raise ValueError("labels must be whole numbers (class indices 0 .. C-1).")
    bad = labels[(labels < 0) | (labels >= C)]
    if bad.size:
        raise ValueError(f"label {bad[0]} is outside [0, {C}): labels must be class indices 0 .. {C - 1}.")
    Y = np.zeros((C, labels.size))
    Y[labels.astype(int), np.arange(labels.size)] = 1.0
    return Y


def cross_entropy_cost(A, Y):
    """Categorical cross-entropy `-(1/m) * sum(Y * log(A))` as a float; a term with `Y = 0` counts 0."""
    if np.shape(A) != np.shape(Y):
        raise ValueError(f"A and Y must have the same shape (C, m); got {np.shape(A)} and {np.shape(Y)}.")
    m = Y.shape[1]
    with np.errstate(divide="ignore"):  # log(0) where Y > 0 is a true infinite cost
        log_A = np.log(np.where(Y != 0, A, 1.0))
    return float(-(Y * log_A).sum() / m)


def softmax_cross_entropy_grad(A, Y):
    """The gradient of `cross_entropy_cost(softmax(Z), Y)` with respect to `Z`: `(A - Y) / m`."""
    return (A - Y) / Y.shape[1]


def softmax_regression_step(W, b, X, Y, learning_rate):
    """One full-batch gradient-descent step of softmax regression `A = softmax(W X + b)`.

    Returns `(W, b, cost)`, with the updated `W` and `b` and the cost before the step.
    """
    A = softmax(W @ X + b)
    cost = cross_entropy_cost(A, Y)
    dZ = softmax_cross_entropy_grad(A, Y)
    return W - learning_rate * (dZ @ X.T), b - learning_rate * dZ.sum(axis=1, keepdims=True), cost


def log_softmax(Z):
    """Column-wise `log(softmax(Z)) = Z - logsumexp(Z)`, computed without forming `softmax(Z)`, so it stays
    finite and exact where the softmax underflows to 0 (a column `[0, -1000]` gives `[0, -1000]`)."""
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def cross_entropy_from_logits(Z, Y):
    """`-(1/m) * sum(Y * log_softmax(Z))` as a float, for one-hot or soft labels `Y` of shape `(C, m)`: the cost
    frameworks compute from logits (`torch.nn.functional.cross_entropy(Z.T, Y.T)`), finite where
    `cross_entropy_cost(softmax(Z), Y)` is infinite."""
    if np.shape(Z) != np.shape(Y):
        raise ValueError(f"Z and Y must have the same shape (C, m); got {np.shape(Z)} and {np.shape(Y)}.")
    return float(-(Y * log_softmax(Z)).sum() / Y.shape[1])
