"""Data sets of the course, generated or loaded from installed packages (never downloaded)."""

import numpy as np


def make_moons(m=300, noise=0.2, seed=0):
    """Two interleaving half circles: the course's 2-D, two-class data set.

    Returns `X` of shape `(2, m)` (one example per column) and `Y` of shape `(1, m)` with labels 0 and 1.
    The first `m // 2` examples form the upper moon (label 0), the rest the lower moon (label 1); call
    `random_mini_batches` or index with a permutation to shuffle them. Same `seed`, same data.
    """
    if m < 2:
        raise ValueError(f"make_moons needs m >= 2 examples, got m={m}")
    rng = np.random.default_rng(seed)
    m_upper = m // 2
    angles = np.concatenate([np.linspace(0, np.pi, m_upper), np.linspace(0, np.pi, m - m_upper)])
    upper = np.stack([np.cos(angles[:m_upper]), np.sin(angles[:m_upper])])
    lower = np.stack([1 - np.cos(angles[m_upper:]), 0.5 - np.sin(angles[m_upper:])])
    X = np.concatenate([upper, lower], axis=1) + noise * rng.standard_normal((2, m))
    Y = np.concatenate([np.zeros(m_upper), np.ones(m - m_upper)]).reshape(1, m)
    return X, Y


def seattle_temperatures():
    """Seattle's daily maximum temperatures, 2012-01-01 to 2015-12-31 (1461 days), in degrees Celsius.

    Loaded from the copy `vega_datasets` ships for offline use (`data.seattle_weather()`, column
    `temp_max`). Returns `(dates, temperatures)`: a `datetime64[D]` array and a float64 array.
    """
    from vega_datasets import data

    weather = data.seattle_weather()
    dates = weather["date"].to_numpy().astype("datetime64[D]")
    return dates, weather["temp_max"].to_numpy(dtype=np.float64)
def make_spirals(m=300, n_classes=3, noise=0.2, seed=0):
    """`n_classes` interleaving spiral arms in 2-D: a multi-class problem no linear classifier solves.

    Returns `X` of shape `(2, m)` and integer `labels` of shape `(m,)` in `0 .. n_classes - 1`, arm by arm
    (`m // n_classes` examples each, the first arms taking one more when `n_classes` does not divide `m`).
    """
    if n_classes < 2 or m < n_classes:
        raise ValueError(f"make_spirals needs n_classes >= 2 and m >= n_classes, got m={m}, n_classes={n_classes}")
    rng = np.random.default_rng(seed)
    labels = np.sort(np.arange(m) % n_classes)
    radius = np.concatenate([np.linspace(0.1, 1.0, np.sum(labels == c)) for c in range(n_classes)])
    angle = 2 * np.pi * labels / n_classes + 1.5 * np.pi * radius + noise * rng.standard_normal(m)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, labels


def load_digits(test_fraction=0.25, seed=0):
    """scikit-learn's bundled 8x8 handwritten digits (1797 images, no download), split into train and test.

    Returns `(X_train, labels_train, X_test, labels_test)`: `X` has shape `(64, m)`, one image per column,
    pixel values scaled from 0..16 to 0..1; `labels` are integers 0..9 of shape `(m,)`. The split is a
    `np.random.default_rng(seed)` permutation, the last `test_fraction` of it being the test set.
    The data are those of `sklearn.datasets.load_digits`, read straight from the file scikit-learn ships
    (`sklearn/datasets/data/digits.csv.gz`): importing `sklearn.datasets` would take seconds.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    table = np.loadtxt(_digits_file(), delimiter=",")
    X, labels = table[:, :-1].T / 16.0, table[:, -1].astype(int)
    permutation = np.random.default_rng(seed).permutation(labels.size)
    n_test = int(round(test_fraction * labels.size))
    train, test = permutation[:-n_test], permutation[-n_test:]
    return X[:, train], labels[train], X[:, test], labels[test]


def _digits_file():
    """The path of scikit-learn's bundled digits table, found without importing scikit-learn."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise ValueError("load_digits needs scikit-learn installed: pip install -r requirements.txt")
    return Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"
