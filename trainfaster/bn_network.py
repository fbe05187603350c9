"""The course network with batch normalization in every hidden layer (chapter 6).

Explained in `book/06_batch_normalization.md`. Hidden layer `l` computes `Z = W_l A_prev` (no bias:
`beta_l` takes its place), `Z_tilde = batchnorm(Z; gamma_l, beta_l)` and `A = relu(Z_tilde)`; the output
layer is the plain `W_L A + b_L` with a sigmoid, as in `trainfaster.network`. `parameters` holds
`"W1", "gamma1", "beta1", ..., "WL", "bL"`, so any update rule of the course (which updates every key by
`"d" + key`) trains it. The running statistics live apart from the parameters, in `running`
(`"mean1", "var1", ...`): they are averaged, not learned.

The four batch-norm operations are taken from `ops` (default: `trainfaster.batchnorm`), any object with
`batchnorm_forward`, `batchnorm_backward`, `update_running_stats` and `batchnorm_inference`, so an
exercise can plug in its own. `LAYER_NORM` plugs in layer norm instead. `train_many` trains K networks at
once as one stack of arrays (a leading axis of K), with `STACKED_BATCH_NORM` or `STACKED_LAYER_NORM`.

Random streams: initialization uses `seed` (as `network.initialize_parameters`), and epoch `e` shuffles with
the child stream `SeedSequence(seed, spawn_key=(e,))`, independent of the initialization's and of every other
(seed, epoch): seed s at epoch e never repeats seed s + 1 at epoch e - 1. (`default_rng([seed, e])` would not
do: `[3, 0]` is the same entropy as `3`, so epoch 0 would shuffle with the initialization's stream.)
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

from trainfaster import batchnorm, minibatch, network


def _layernorm_inference(Z, gamma, beta, running_mean, running_var):
    """Layer norm at test time is its training forward pass: each example has its own statistics."""
    return batchnorm.layernorm_forward(Z, gamma, beta)[0]


LAYER_NORM = SimpleNamespace(
    batchnorm_forward=batchnorm.layernorm_forward, batchnorm_backward=batchnorm.layernorm_backward,
    update_running_stats=batchnorm.update_running_stats, batchnorm_inference=_layernorm_inference)
"""`ops` that make the network a layer-norm network (the running statistics it keeps go unused)."""


STACKED_BATCH_NORM = SimpleNamespace(
    batchnorm_forward=lambda Z, gamma, beta: batchnorm._normalize(Z, gamma, beta, 1e-5, axis=-1),
    batchnorm_backward=lambda dZ_tilde, cache: batchnorm._normalize_backward(dZ_tilde, cache, axis=-1),
    update_running_stats=batchnorm.update_running_stats, batchnorm_inference=batchnorm._inference)
"""Batch norm on stacks `(K, n, m)` of K networks: the same arithmetic as `trainfaster.batchnorm`."""

STACKED_LAYER_NORM = SimpleNamespace(
    batchnorm_forward=lambda Z, gamma, beta: batchnorm._normalize(Z, gamma, beta, 1e-5, axis=-2),
    batchnorm_backward=lambda dZ_tilde, cache: batchnorm._normalize_backward(dZ_tilde, cache, axis=-2),
    update_running_stats=batchnorm.update_running_stats,
    batchnorm_inference=lambda Z, gamma, beta, mean, var: batchnorm._normalize(Z, gamma, beta, 1e-5, axis=-2)[0])
"""Layer norm on stacks `(K, n, m)` of K networks."""


def initialize_parameters(layer_dims, seed=0):
    """He-initialized `W`s as in `network.initialize_parameters`; `gamma = 1`, `beta = 0` in hidden layers."""
    plain = network.initialize_parameters(layer_dims, seed)
    L = len(layer_dims) - 1
    parameters = {}
    for l in range(1, L):
        parameters[f"W{l}"] = plain[f"W{l}"]
        parameters[f"gamma{l}"] = np.ones((layer_dims[l], 1))
        parameters[f"beta{l}"] = np.zeros((layer_dims[l], 1))
    parameters[f"W{L}"], parameters[f"b{L}"] = plain[f"W{L}"], plain[f"b{L}"]
    return parameters


def initialize_running(layer_dims):
    """Running statistics of every hidden layer: mean 0 and variance 1, like PyTorch's `BatchNorm1d`."""
    running = {}
    for l in range(1, len(layer_dims) - 1):
        running[f"mean{l}"] = np.zeros((layer_dims[l], 1))
        running[f"var{l}"] = np.ones((layer_dims[l], 1))
    return running


def num_layers(parameters):
    """The number L of weight matrices in `parameters`."""
    return sum(name.startswith("W") for name in parameters)


def forward(X, parameters, running=None, ops=batchnorm):
    """Forward pass. Returns `(AL, caches, stats)`.

    With `running=None` (training) each hidden layer normalizes with its mini-batch's statistics, and
    `stats` holds them (`"mean1", "var1", ...`) for `update_running_stats`. With `running` (inference)
    it normalizes with those, and `stats` is empty. `caches[l - 1] = (A_prev, Z_tilde, bn_cache)`.
    """
    L = num_layers(parameters)
    A, caches, stats = X, [], {}
    for l in range(1, L):
        Z = parameters[f"W{l}"] @ A
        gamma, beta = parameters[f"gamma{l}"], parameters[f"beta{l}"]
        if running is None:
            Z_tilde, bn_cache = ops.batchnorm_forward(Z, gamma, beta)
            stats[f"mean{l}"], stats[f"var{l}"] = Z.mean(axis=-1, keepdims=True), Z.var(axis=-1, keepdims=True)
        else:
            Z_tilde = ops.batchnorm_inference(Z, gamma, beta, running[f"mean{l}"], running[f"var{l}"])
            bn_cache = None
        caches.append((A, Z_tilde, bn_cache))
        A = np.maximum(Z_tilde, 0)
    caches.append((A, None, None))
    return network.sigmoid(parameters[f"W{L}"] @ A + parameters[f"b{L}"]), caches, stats


def backward(AL, Y, caches, parameters, ops=batchnorm):
    """Gradients of `network.compute_cost` with respect to every parameter (`"dW1", "dgamma1", ...`)."""
    L = len(caches)
    dZ = (AL - Y) / Y.shape[-1]
    A_prev = caches[L - 1][0]
    grads = {f"dW{L}": dZ @ np.swapaxes(A_prev, -1, -2), f"db{L}": dZ.sum(axis=-1, keepdims=True)}
    dA = np.swapaxes(parameters[f"W{L}"], -1, -2) @ dZ
    for l in range(L - 1, 0, -1):
        A_prev, Z_tilde, bn_cache = caches[l - 1]
        dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = ops.batchnorm_backward(dA * (Z_tilde > 0), bn_cache)
        grads[f"dW{l}"] = dZ @ np.swapaxes(A_prev, -1, -2)
        dA = np.swapaxes(parameters[f"W{l}"], -1, -2) @ dZ
    return grads


def predict(X, parameters, running):
    """Labels 0/1 of shape `(1, m)` at test time (running statistics)."""
    return (forward(X, parameters, running)[0] > 0.5).astype(int)


@dataclass
class TrainResult(network.TrainResult):
    """`network.TrainResult` plus the running statistics for test time."""

    running: dict = field(default_factory=dict)


def train(X, Y, layer_dims, update, num_epochs=100, mini_batch_size=64, seed=0, momentum=0.9, ops=batchnorm):
    """Train the batch-norm network like `network.train` (same `update(parameters, grads, t, epoch)`).

    After each step the running statistics take one EWA step towards the mini-batch's statistics.
    """
    result = TrainResult(initialize_parameters(layer_dims, seed), running=initialize_running(layer_dims))
    t = 0
    for epoch in range(num_epochs):
        epoch_cost = 0.0
        for X_batch, Y_batch in minibatch.random_mini_batches(X, Y, mini_batch_size, minibatch.epoch_seed(seed, epoch)):
            AL, caches, stats = forward(X_batch, result.parameters, ops=ops)
            cost = network.compute_cost(AL, Y_batch)
            grads = backward(AL, Y_batch, caches, result.parameters, ops=ops)
            t += 1
            result.parameters = update(result.parameters, grads, t, epoch)
            for l in range(1, len(layer_dims) - 1):
                result.running[f"mean{l}"], result.running[f"var{l}"] = ops.update_running_stats(
                    result.running[f"mean{l}"], result.running[f"var{l}"], stats[f"mean{l}"], stats[f"var{l}"], momentum)
            result.batch_costs.append(cost)
            epoch_cost += cost * Y_batch.shape[1]
        result.costs.append(epoch_cost / Y.shape[1])
    return result


def train_many(X, Y, layer_dims, update, seeds, num_epochs=100, mini_batch_size=64, momentum=0.9, ops=STACKED_BATCH_NORM):
    """Train `len(seeds)` networks side by side, network k exactly as `train(..., seed=seeds[k])` would.

    Returns `(costs, parameters, running)`: the mean training cost per epoch, shape `(num_epochs, K)`, and the
    final parameters and running statistics, stacked (network k is `W[k]`). `update(parameters, grads, t,
    epoch)` receives stacked arrays; `ops` is `STACKED_BATCH_NORM` or `STACKED_LAYER_NORM`.
    """
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("seeds is empty: give one seed per network to train")
    inits = [initialize_parameters(layer_dims, seed) for seed in seeds]
    parameters = {name: np.stack([p[name] for p in inits]) for name in inits[0]}
    running = {name: np.stack([value] * len(seeds)) for name, value in initialize_running(layer_dims).items()}
    costs, t = np.zeros((num_epochs, len(seeds))), 0
    for epoch in range(num_epochs):
        per_seed = {seed: minibatch.random_mini_batches(X, Y, mini_batch_size, minibatch.epoch_seed(seed, epoch))
                    for seed in set(seeds)}
        for j in range(len(per_seed[seeds[0]])):
            X_batch = np.stack([per_seed[seed][j][0] for seed in seeds])
            Y_batch = np.stack([per_seed[seed][j][1] for seed in seeds])
            AL, caches, stats = forward(X_batch, parameters, ops=ops)
            A = np.clip(AL, 1e-15, 1 - 1e-15)
            costs[epoch] -= (Y_batch * np.log(A) + (1 - Y_batch) * np.log(1 - A)).sum(axis=(1, 2))
            grads = backward(AL, Y_batch, caches, parameters, ops=ops)
            t += 1
            parameters = update(parameters, grads, t, epoch)
            for l in range(1, len(layer_dims) - 1):
                running[f"mean{l}"], running[f"var{l}"] = ops.update_running_stats(
                    running[f"mean{l}"], running[f"var{l}"], stats[f"mean{l}"], stats[f"var{l}"], momentum)
    return costs / Y.shape[1], parameters, running


def effective_rates(X, Y, layer_dims, learning_rate, weight_decays, seeds, num_epochs=20, mini_batch_size=64, layer=2):
    """Weight decay on scale-invariant weights (chapter 6): `learning_rate / |W_layer|^2` after every step.

    Trains, with `train_many`, one batch-norm network per (weight decay, seed), by gradient descent with L2 weight decay
    on the hidden layers' `W` (each followed by batch norm, so the layer's output does not depend on the scale of
    `W`): `W <- W - learning_rate * (dW + weight_decay * W)`; `gamma`, `beta` and the output layer without decay.
    Returns an array of shape `(len(weight_decays), steps, len(seeds))`.
    """
    if not 1 <= layer < len(layer_dims) - 1:
        raise ValueError(f"layer must be a hidden layer, 1 to {len(layer_dims) - 2}; got {layer}.")
    seeds = [int(seed) for seed in seeds]
    decay = np.repeat(np.asarray(weight_decays, dtype=float), len(seeds))[:, None, None]
    hidden = {f"W{l}" for l in range(1, len(layer_dims) - 1)}
    squared_norms = []

    def update(parameters, grads, t, epoch):
        stepped = {name: value - learning_rate * (grads[f"d{name}"] + (decay * value if name in hidden else 0.0))
                   for name, value in parameters.items()}
        squared_norms.append((stepped[f"W{layer}"] ** 2).sum(axis=(1, 2)))
        return stepped

    train_many(X, Y, layer_dims, update, seeds * len(weight_decays), num_epochs=num_epochs,
               mini_batch_size=mini_batch_size)
    rates = learning_rate / np.array(squared_norms)  # (steps, len(weight_decays) * len(seeds))
    return rates.reshape(len(rates), len(weight_decays), len(seeds)).transpose(1, 0, 2)
