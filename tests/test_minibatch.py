"""Chapter 1's reference implementations against the contract."""

import numpy as np
import pytest

from trainfaster.minibatch import random_mini_batches, update_parameters_with_gd


@pytest.mark.parametrize("m, size", [(10, 4), (8, 4), (1, 64), (64, 64), (65, 64), (7, 1)])
def test_batches_partition_a_single_permutation(m, size):
    X = np.arange(3 * m, dtype=float).reshape(3, m)
    Y = X[:1] + 1000
    batches = random_mini_batches(X, Y, size, seed=5)
    expected_sizes = [size] * (m // size) + ([m % size] if m % size else [])
    assert [b[0].shape[1] for b in batches] == expected_sizes
    X_all = np.concatenate([b[0] for b in batches], axis=1)
    np.testing.assert_array_equal(X_all, X[:, np.random.default_rng(5).permutation(m)])
    for X_batch, Y_batch in batches:
        np.testing.assert_array_equal(Y_batch, X_batch[:1] + 1000)


def test_gd_updates_every_parameter_and_leaves_grads_alone():
    parameters = {"W1": np.ones((2, 3)), "b1": np.ones((2, 1)), "W2": np.ones((1, 2)), "b2": np.ones((1, 1))}
    grads = {"d" + k: np.full(v.shape, 2.0) for k, v in parameters.items()}
    updated = update_parameters_with_gd(parameters, grads, 0.25)
    assert all(np.all(updated[k] == 0.5) for k in parameters)
    assert all(np.all(g == 2.0) for g in grads.values())
