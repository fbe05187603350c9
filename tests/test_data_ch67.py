"""The data sets of chapters 6 and 7: the digits loader and the spirals generator."""

import numpy as np
import pytest

from trainfaster.data import load_digits, make_spirals


def test_digits_are_scikit_learns_split_by_the_seed():
    from sklearn.datasets import load_digits as sklearn_load_digits

    X_train, labels_train, X_test, labels_test = load_digits(test_fraction=0.25, seed=3)
    assert X_train.shape == (64, 1348) and X_test.shape == (64, 449)
    assert labels_train.shape == (1348,) and labels_train.dtype.kind == "i"
    X, labels = np.concatenate([X_train, X_test], axis=1), np.concatenate([labels_train, labels_test])
    digits = sklearn_load_digits()
    order = np.random.default_rng(3).permutation(labels.size)
    np.testing.assert_array_equal(X * 16, digits.data[order].T)
    np.testing.assert_array_equal(labels, digits.target[order])
    assert X.min() == 0.0 and X.max() == 1.0


def test_digits_reject_a_bad_fraction():
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.0)


def test_spirals_shapes_labels_and_seed():
    X, labels = make_spirals(m=301, n_classes=3, noise=0.1, seed=4)
    assert X.shape == (2, 301) and labels.shape == (301,)
    assert np.bincount(labels).tolist() == [101, 100, 100]
    np.testing.assert_array_equal(X, make_spirals(m=301, n_classes=3, noise=0.1, seed=4)[0])
    assert np.abs(X).max() < 2
    with pytest.raises(ValueError):
        make_spirals(m=2, n_classes=3)
