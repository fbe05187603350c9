"""Chapter 1 (mini-batches): the reference implementations of its graded functions.

Explained in `book/01_mini_batches.md`; the exercise is `solutions/01_mini_batches.ipynb`.
"""

import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One gradient-descent step: `W = W - learning_rate * dW` (and the same for `b`) in every layer."""
    return {name: value - learning_rate * grads["d" + name] for name, value in parameters.items()}


def epoch_seed(seed, epoch):
    """The seed of the shuffle of epoch `epoch` (from 0) in a run seeded `seed`: an integer below 2**32.

    It is drawn from child `epoch` of `np.random.SeedSequence(seed)` (the child `.spawn()` makes), so every
    epoch's shuffle is a stream independent of the others and of the initialization, which uses `seed`
    itself. Seeding epoch `e` with `seed + e` would not be: run `s` would shuffle at epoch `e` exactly as run
    `s + 1` at epoch `e - 1`, and `default_rng([seed, 0])` is the very generator `default_rng(seed)` is.
    Every training loop of the library shuffles with `random_mini_batches(X, Y, size, epoch_seed(seed, e))`.
    """
    return int(np.random.SeedSequence(int(seed), spawn_key=(int(epoch),)).generate_state(1)[0])


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the columns of `X` and `Y` with one permutation, then cut them into mini-batches.

    Returns `m // mini_batch_size` full batches, then one batch of the remaining `m % mini_batch_size`
    examples if there are any. The permutation is `np.random.default_rng(seed).permutation(m)`.
    """
    m = X.shape[1]
    permutation = np.random.default_rng(seed).permutation(m)
    X_shuffled, Y_shuffled = X[:, permutation], Y[:, permutation]
    return [
        (X_shuffled[:, start : start + mini_batch_size], Y_shuffled[:, start : start + mini_batch_size])
        for start in range(0, m, mini_batch_size)
    ]
