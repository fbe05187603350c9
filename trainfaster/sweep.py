"""Train many copies of the course network at once, e.g. one per (learning rate, seed) of a sweep.

Explained in `book/03_momentum_rmsprop_adam.md` (the learning-rate sweep). Every parameter, gradient and
activation carries a leading axis of K networks, so one NumPy call serves them all. The optimizers of
`trainfaster.optimizers` work unchanged on such stacks, because they are elementwise: a learning rate of
shape `(K, 1, 1)` gives each network its own. Network k follows `network.train(..., seed=seeds[k])`
exactly: the same initialization and the same mini-batches.
"""

import numpy as np

from trainfaster import minibatch, network


def _forward(X, parameters):
    """The course network (ReLU hidden layers, sigmoid output) on stacked inputs `X` of shape (K, n_0, b)."""
    L = network.num_layers(parameters)
    A, caches = X, []
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        caches.append((A, Z))
        A = network.sigmoid(Z) if l == L else np.maximum(Z, 0)
    return A, caches


def _backward(AL, Y, caches, parameters):
    """`network.backward` for stacks: the gradients of each network's own mean cost."""
    dZ = (AL - Y) / Y.shape[-1]
    grads = {}
    for l in range(len(caches), 0, -1):
        A_prev = caches[l - 1][0]
        grads[f"dW{l}"] = dZ @ np.swapaxes(A_prev, -1, -2)
        grads[f"db{l}"] = dZ.sum(axis=-1, keepdims=True)
        if l > 1:
            dZ = (np.swapaxes(parameters[f"W{l}"], -1, -2) @ dZ) * (caches[l - 2][1] > 0)
    return grads


def train_many(X, Y, layer_dims, update, seeds, num_epochs=100, mini_batch_size=64):
    """Train `len(seeds)` networks side by side. Returns `(costs, parameters)`: the mean cost per epoch,
    shape `(num_epochs, K)`, and the final parameters, stacked (network k is `W[k]`).

    `update(parameters, grads, t, epoch) -> parameters` receives stacked arrays (a leading axis of K).
    Network k is initialized and shuffled as `network.train(X, Y, layer_dims, ..., seed=seeds[k])`.
    """
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("seeds is empty: give one seed per network to train")
    inits = [network.initialize_parameters(layer_dims, seed) for seed in seeds]
    parameters = {name: np.stack([p[name] for p in inits]) for name in inits[0]}
    costs, t = np.zeros((num_epochs, len(seeds))), 0
    for epoch in range(num_epochs):
        per_seed = {seed: minibatch.random_mini_batches(X, Y, mini_batch_size, minibatch.epoch_seed(seed, epoch)) for seed in set(seeds)}
        for j in range(len(per_seed[seeds[0]])):
            X_batch = np.stack([per_seed[seed][j][0] for seed in seeds])
            Y_batch = np.stack([per_seed[seed][j][1] for seed in seeds])
            AL, caches = _forward(X_batch, parameters)
            A = np.clip(AL, 1e-15, 1 - 1e-15)
            costs[epoch] -= (Y_batch * np.log(A) + (1 - Y_batch) * np.log(1 - A)).sum(axis=(1, 2))
            grads = _backward(AL, Y_batch, caches, parameters)
            t += 1
            parameters = update(parameters, grads, t, epoch)
    return costs / Y.shape[1], parameters
