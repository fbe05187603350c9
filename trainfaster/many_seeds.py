"""Chapters 5, 6 and 8's experiments over many seeds and settings at once, for the book and its claim tests.

The book pages (`book/05..08*.md`) show each experiment on the seeds they name; `tests/test_claims_ch5_8.py`
re-runs the same functions on seeds the pages do not use. Every function trains its networks as one stack
(`sweep.train_many`, `bn_network.train_many`), so ten seeds cost little more than one.
"""

import numpy as np

from trainfaster import batchnorm, bn_network, network, schedules, sweep
from trainfaster.minibatch import update_parameters_with_gd


def _slice(parameters, k):
    return {name: value[k] for name, value in parameters.items()}


def stacked_costs(X, Y, parameters, module=network, running=None):
    """The cost on `(X, Y)` of each of K stacked networks, shape `(K,)` (batch-norm ones with `running`)."""
    K = len(next(iter(parameters.values())))
    if module is bn_network:
        return np.array([network.compute_cost(bn_network.forward(X, _slice(parameters, k), _slice(running, k))[0], Y)
                         for k in range(K)])
    return np.array([network.compute_cost(network.forward(X, _slice(parameters, k))[0], Y) for k in range(K)])


# Chapter 5: momentum's (learning rate, beta) on the moons data

def train_momentum_many(X, Y, configs, seeds, num_epochs, mini_batch_size=32):
    """Train one moons network with momentum per (config, seed), config-major: network `c * len(seeds) + s`.

    Each is `network.train(X, Y, MOONS_LAYERS, momentum, num_epochs, mini_batch_size, seed)`. Returns the stacked
    parameters.
    """
    pairs = [(config, seed) for config in configs for seed in seeds]
    rates = np.array([config["learning_rate"] for config, _ in pairs])[:, None, None]
    betas = np.array([config["beta"] for config, _ in pairs])[:, None, None]
    state = {}

    def update(parameters, grads, t, epoch):
        if t == 1:
            state["v"] = {key: np.zeros_like(value) for key, value in grads.items()}
        state["v"] = {key: betas * state["v"][key] + (1 - betas) * grads[key] for key in grads}
        return {name: value - rates * state["v"]["d" + name] for name, value in parameters.items()}

    with np.errstate(all="ignore"):  # a diverging run overflows; its cost is what it is
        _, parameters = sweep.train_many(X, Y, network.MOONS_LAYERS, update, [seed for _, seed in pairs],
                                         num_epochs=num_epochs, mini_batch_size=mini_batch_size)
    return parameters


def validation_costs(data, configs, seeds, num_epochs):
    """`data = (X_train, Y_train, X_val, Y_val)`: the validation cost of each config trained with each seed,
    shape `(len(configs), len(seeds))`. A run that diverged scores `inf`."""
    X_train, Y_train, X_val, Y_val = data
    parameters = train_momentum_many(X_train, Y_train, configs, seeds, num_epochs)
    with np.errstate(all="ignore"):
        costs = stacked_costs(X_val, Y_val, parameters)
    return np.nan_to_num(costs, nan=np.inf).reshape(len(configs), len(seeds))


def halving_and_random(data, config_sets, n_random=4, min_budget=1, eta=3, seed=1):
    """Successive halving over each set of configs, and random search over its first `n_random` configs at the
    final budget, all trained with `seed`, every search batched together.

    Halving follows `tuning.successive_halving` (keep the `max(1, n // eta)` lowest, ties to the earlier).
    Returns `(halving_best, random_best, winners, evaluations)`: the winners' last scores, random search's best
    scores, the winning configs, and `{(search, config index, budget): score}` for every evaluation.
    """
    survivors = [list(range(len(configs))) for configs in config_sets]
    evaluations, budget = {}, min_budget
    while True:
        pairs = [(s, i) for s, indices in enumerate(survivors) for i in indices]
        scores = validation_costs(data, [config_sets[s][i] for s, i in pairs], [seed], budget)[:, 0]
        for (s, i), score in zip(pairs, scores):
            evaluations[(s, i, budget)] = float(score)
        if all(len(indices) == 1 for indices in survivors):
            break
        for s, indices in enumerate(survivors):
            ranked = sorted(indices, key=lambda i: evaluations[(s, i, budget)])  # stable: ties keep the order
            survivors[s] = ranked[:max(1, len(indices) // eta)]
        budget *= eta
    halving_best = np.array([evaluations[(s, indices[0], budget)] for s, indices in enumerate(survivors)])
    winners = [config_sets[s][indices[0]] for s, indices in enumerate(survivors)]
    firsts = [config for configs in config_sets for config in configs[:n_random]]
    random_best = validation_costs(data, firsts, [seed], budget)[:, 0].reshape(len(config_sets), n_random).min(axis=1)
    return halving_best, random_best, winners, evaluations


# Chapter 6: the deep network with and without batch norm

def gradient_along_step(X, Y, layer_dims, seeds, step_lengths):
    """From each seed's initialization, one step of each length along the gradient, without and with batch norm.

    Returns `{"plain": ..., "batch norm": ...}`, each a dict of arrays of shape `(len(seeds), len(step_lengths))`:
    `cost` after the step, `change` = |g1 - g0| / |g0|, `cosine` between g1 and g0, `size` = |g1| / |g0|.
    """
    results = {}
    with np.errstate(all="ignore"):
        for label, module in (("plain", network), ("batch norm", bn_network)):
            out = {key: np.zeros((len(seeds), len(step_lengths))) for key in ("cost", "change", "cosine", "size")}
            for i, seed in enumerate(seeds):
                parameters = module.initialize_parameters(layer_dims, seed=seed)
                AL0, caches0 = module.forward(X, parameters)[:2]
                g = module.backward(AL0, Y, caches0, parameters)
                g0 = np.concatenate([v.ravel() for v in g.values()])
                for j, length in enumerate(step_lengths):
                    moved = update_parameters_with_gd(parameters, g, length / np.linalg.norm(g0))
                    AL1, caches1 = module.forward(X, moved)[:2]
                    g1 = np.concatenate([v.ravel() for v in module.backward(AL1, Y, caches1, moved).values()])
                    out["cost"][i, j] = network.compute_cost(AL1, Y)
                    out["change"][i, j] = np.linalg.norm(g1 - g0) / np.linalg.norm(g0)
                    out["cosine"][i, j] = g1 @ g0 / (np.linalg.norm(g1) * np.linalg.norm(g0))
                    out["size"][i, j] = np.linalg.norm(g1) / np.linalg.norm(g0)
            results[label] = out
    return results


def _gd(rates):
    return lambda parameters, grads, t, epoch: update_parameters_with_gd(parameters, grads, rates)


def learning_rate_sweep(X, Y, layer_dims, learning_rates, seeds, num_epochs=20, mini_batch_size=64):
    """Final training cost (the last epoch's mean) of the network without and with batch norm, trained by
    mini-batch gradient descent at each rate with each seed: `{"plain": (L, S), "batch norm": (L, S)}`
    (`inf` where a run diverged), and the batch-norm runs' growth of |hidden W|, shape `(L, S)`."""
    rates = np.repeat(np.asarray(learning_rates, dtype=float), len(seeds))[:, None, None]
    all_seeds = list(seeds) * len(learning_rates)
    shape = (len(learning_rates), len(seeds))
    with np.errstate(all="ignore"):
        plain, _ = sweep.train_many(X, Y, layer_dims, _gd(rates), all_seeds, num_epochs, mini_batch_size)
        normalized, parameters, _ = bn_network.train_many(X, Y, layer_dims, _gd(rates), all_seeds, num_epochs,
                                                          mini_batch_size)
    final = {label: np.nan_to_num(costs[-1], nan=np.inf).reshape(shape)
             for label, costs in (("plain", plain), ("batch norm", normalized))}
    hidden = [f"W{l}" for l in range(1, len(layer_dims) - 1)]
    starts = [bn_network.initialize_parameters(layer_dims, seed) for seed in all_seeds]
    growth = np.array([np.sqrt(sum(np.sum(parameters[name][k] ** 2) for name in hidden))
                       / np.sqrt(sum(np.sum(start[name] ** 2) for name in hidden)) for k, start in enumerate(starts)])
    return final, growth.reshape(shape)


def norm_by_batch_size(data, layer_dims, batch_sizes, learning_rates, seeds, steps=256):
    """Batch norm against layer norm at each batch size, each at its own best learning rate.

    `data = (X_train, Y_train, X_val, Y_val, X_test, Y_test)`. Each run takes `steps` steps of mini-batch gradient
    descent (`steps * b / m` epochs). The rate is chosen per norm and batch size by the median validation accuracy
    over the seeds. Returns `{norm: (best rate index per batch size, test accuracy (B, S), validation accuracy
    (B, R, S))}`.
    """
    X, Y, X_val, Y_val, X_test, Y_test = data
    rates = np.repeat(np.asarray(learning_rates, dtype=float), len(seeds))[:, None, None]
    all_seeds, K = list(seeds) * len(learning_rates), len(learning_rates) * len(seeds)
    results = {}
    for label, ops, plain_ops in (("batch norm", bn_network.STACKED_BATCH_NORM, batchnorm),
                                  ("layer norm", bn_network.STACKED_LAYER_NORM, bn_network.LAYER_NORM)):
        best, test, validation = [], [], []
        for b in batch_sizes:
            num_epochs = steps * b // X.shape[1]
            with np.errstate(all="ignore"):
                _, parameters, running = bn_network.train_many(X, Y, layer_dims, _gd(rates), all_seeds, num_epochs, b,
                                                               ops=ops)

                def accuracy(X_eval, Y_eval):  # network by network: a stack times one X is slow in NumPy
                    output = np.stack([bn_network.forward(X_eval, _slice(parameters, k), _slice(running, k),
                                                          ops=plain_ops)[0] for k in range(K)])
                    return ((output > 0.5) == Y_eval).mean(axis=(1, 2)).reshape(len(learning_rates), len(seeds))

                val, tested = accuracy(X_val, Y_val), accuracy(X_test, Y_test)
            chosen = int(np.argmax(np.median(val, axis=1)))
            best.append(chosen)
            test.append(tested[chosen])
            validation.append(val)
        results[label] = (np.array(best), np.array(test), np.array(validation))
    return results


# Chapter 8: the linear scaling rule

def linear_scaling(X, Y, batch_sizes, base_batch, base_rate, num_epochs, warmup_epochs, seeds):
    """Final training cost (on all of `X`) with mini-batch GD at each batch size b, for the rate kept at
    `base_rate`, scaled to `k * base_rate` (k = b / base_batch), and scaled with a linear warmup over
    `warmup_epochs`. Returns an array of shape `(len(batch_sizes), 3, len(seeds))`; `inf` where a run diverged."""
    out = np.zeros((len(batch_sizes), 3, len(seeds)))
    for i, b in enumerate(batch_sizes):
        k = b / base_batch
        rates = np.repeat([base_rate, k * base_rate, k * base_rate], len(seeds))[:, None, None]
        warm = np.repeat([False, False, True], len(seeds))[:, None, None]
        warmup_steps = warmup_epochs * int(np.ceil(X.shape[1] / b))

        def update(parameters, grads, t, epoch):
            rate = np.where(warm, schedules.linear_warmup(rates, t - 1, warmup_steps), rates)
            return update_parameters_with_gd(parameters, grads, rate)

        with np.errstate(all="ignore"):
            _, parameters = sweep.train_many(X, Y, network.MOONS_LAYERS, update, list(seeds) * 3, num_epochs, b)
            costs = stacked_costs(X, Y, parameters)
        out[i] = np.nan_to_num(costs, nan=np.inf).reshape(3, len(seeds))
    return out
