"""Independent random streams: each epoch's shuffle and the initialization come from separate streams of one seed."""

import numpy as np

from trainfaster import bn_network, minibatch, network, sweep
from trainfaster.data import make_moons
from trainfaster.minibatch import epoch_seed, random_mini_batches


def _permutation(seed, m=50):
    X = np.arange(m, dtype=float).reshape(1, m)
    return random_mini_batches(X, X, m, seed)[0][0].ravel()


def test_epoch_seed_is_a_child_of_the_seed_sequence():
    child = np.random.SeedSequence(7).spawn(4)[3]
    assert epoch_seed(7, 3) == int(child.generate_state(1)[0])
    assert isinstance(epoch_seed(7, 3), int) and 0 <= epoch_seed(7, 3) < 2**32


def test_shifted_runs_no_longer_share_shuffles():
    # With seed + epoch, run s at epoch e shuffled exactly as run s + 1 at epoch e - 1.
    for s in range(5):
        for e in range(1, 6):
            assert not np.array_equal(_permutation(epoch_seed(s, e)), _permutation(epoch_seed(s + 1, e - 1)))


def test_the_first_shuffle_is_not_the_initialization_stream():
    # default_rng([s, 0]) is default_rng(s): a seed list ending in 0 would reuse the initialization's stream.
    np.testing.assert_array_equal(np.random.default_rng([5, 0]).random(3), np.random.default_rng(5).random(3))
    for s in range(5):
        assert not np.array_equal(_permutation(epoch_seed(s, 0)), np.random.default_rng(s).permutation(50))


def _seeds_passed(train, **kwargs):
    seen = []

    def make_batches(X, Y, size, seed):
        seen.append(seed)
        return random_mini_batches(X, Y, size, seed)

    X, Y = make_moons(m=20, seed=0)
    train(X, Y, (2, 3, 1), lambda p, g, t, e: p, num_epochs=4, mini_batch_size=8, seed=11, make_batches=make_batches,
          **kwargs)
    return seen


def test_network_train_shuffles_epoch_e_with_epoch_seed():
    assert _seeds_passed(network.train) == [epoch_seed(11, e) for e in range(4)]


def test_batch_norm_network_shuffles_as_network_train(monkeypatch):
    seen = []

    def recording(X, Y, size, seed):
        seen.append(seed)
        return random_mini_batches(X, Y, size, seed)

    monkeypatch.setattr(minibatch, "random_mini_batches", recording)
    X, Y = make_moons(m=40, seed=1)
    bn_network.train(X, Y, (2, 3, 1), lambda p, g, t, e: p, num_epochs=3, mini_batch_size=16, seed=4)
    assert seen == [epoch_seed(4, e) for e in range(3)]


def test_train_many_follows_network_train_with_independent_streams():
    X, Y = make_moons(m=70, noise=0.2, seed=0)
    seeds = [3, 4, 1000]
    def gd_step(parameters, grads, t, epoch):
        return minibatch.update_parameters_with_gd(parameters, grads, 0.5)

    costs, stacked = sweep.train_many(X, Y, (2, 4, 1), gd_step, seeds, num_epochs=3, mini_batch_size=16)
    for k, seed in enumerate(seeds):
        alone = network.train(X, Y, (2, 4, 1), lambda p, g, t, e: minibatch.update_parameters_with_gd(p, g, 0.5),
                              num_epochs=3, mini_batch_size=16, seed=seed)
        np.testing.assert_allclose(costs[:, k], alone.costs, rtol=1e-12)
        for name, value in alone.parameters.items():
            np.testing.assert_allclose(stacked[name][k], value, rtol=1e-12, atol=1e-15)
