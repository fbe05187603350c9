"""Train many copies of the course network at once, e.g. one per (learning rate, seed) of a sweep.

Explained in `book/03_momentum_rmsprop_adam.md` (the learning-rate sweep). Every parameter, gradient and
activation carries a leading axis of K networks, so one NumPy call serves them all. The optimizers of
`trainfaster.optimizers` work unchanged on such stacks, because they are elementwise: a learning rate of
shape `(K, 1, 1)` gives each network its own. Network k follows `network.train(..., seed=seeds[k])`
exactly: the same initialization and the same mini-batches.
"""

import numpy as np

from trainfaster import minibatch, network, optimizers


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
    m = X.shape[1]
    unique, which = np.unique(seeds, return_inverse=True)
    costs, t = np.zeros((num_epochs, len(seeds))), 0
    for epoch in range(num_epochs):
        # The permutation `random_mini_batches` draws for each seed, gathered for all networks at once.
        orders = np.array([np.random.default_rng(minibatch.epoch_seed(seed, epoch)).permutation(m)
                           for seed in unique])[which]
        X_epoch, Y_epoch = np.moveaxis(X[:, orders], 1, 0), np.moveaxis(Y[:, orders], 1, 0)  # (K, n, m)
        for start in range(0, m, mini_batch_size):
            X_batch, Y_batch = X_epoch[..., start:start + mini_batch_size], Y_epoch[..., start:start + mini_batch_size]
            AL, caches = _forward(X_batch, parameters)
            A = np.clip(AL, 1e-15, 1 - 1e-15)
            costs[epoch] -= (Y_batch * np.log(A) + (1 - Y_batch) * np.log(1 - A)).sum(axis=(1, 2))
            grads = _backward(AL, Y_batch, caches, parameters)
            t += 1
            parameters = update(parameters, grads, t, epoch)
    return costs / m, parameters


class Optimizer:
    """One of the course's optimizers with its state, callable as `update(parameters, grads, t, epoch)`.

    `kind` is "gradient descent", "momentum", "Nesterov", "RMSProp" or "Adam"; `learning_rate` is a number
    or an array of shape (K, 1, 1), one rate per network of a stack (`train_many`); `schedule(rate, t, epoch)`,
    if given, turns it into the rate of step `t` (from 1) in `epoch` (from 0).
    """

    KINDS = ("gradient descent", "momentum", "Nesterov", "RMSProp", "Adam")

    def __init__(self, kind, learning_rate, beta=0.9, beta2=0.999, schedule=None):
        if kind not in self.KINDS:
            raise ValueError(f"unknown optimizer {kind!r}: choose one of {', '.join(self.KINDS)}")
        self.kind, self.learning_rate, self.beta, self.beta2, self.state = kind, learning_rate, beta, beta2, None
        self.schedule = schedule

    def __call__(self, parameters, grads, t, epoch=0):
        rate = self.learning_rate if self.schedule is None else self.schedule(self.learning_rate, t, epoch)
        if self.kind == "gradient descent":
            return minibatch.update_parameters_with_gd(parameters, grads, rate)
        if self.kind in ("momentum", "Nesterov"):
            step = (optimizers.update_parameters_with_momentum if self.kind == "momentum"
                    else optimizers.update_parameters_with_nesterov)
            if self.state is None:
                self.state = optimizers.initialize_velocity(parameters)
            parameters, self.state = step(parameters, grads, self.state, self.beta, rate)
        elif self.kind == "RMSProp":
            if self.state is None:
                self.state = optimizers.initialize_rmsprop(parameters)
            parameters, self.state = optimizers.update_parameters_with_rmsprop(parameters, grads, self.state,
                                                                               self.beta2, rate)
        else:
            if self.state is None:
                self.state = optimizers.initialize_adam(parameters)
            parameters, v, s = optimizers.update_parameters_with_adam(parameters, grads, *self.state, t, rate,
                                                                      self.beta, self.beta2)
            self.state = (v, s)
        return parameters


def rate_sweep(X, Y, kind, rates, seeds, num_epochs=150, mini_batch_size=64, layer_dims=network.MOONS_LAYERS,
               **settings):
    """Train `kind` at every learning rate of `rates` with every seed of `seeds`, all as one stack.

    Returns the mean cost per epoch, shape `(num_epochs, len(rates), len(seeds))`. `settings` go to
    `Optimizer` (`beta`, `beta2`, `schedule`).
    """
    rates, seeds = np.asarray(rates, dtype=float), list(seeds)
    stacked = np.repeat(rates, len(seeds)).reshape(-1, 1, 1)  # each rate once per seed
    costs, _ = train_many(X, Y, layer_dims, Optimizer(kind, stacked, **settings), seeds * len(rates),
                          num_epochs=num_epochs, mini_batch_size=mini_batch_size)
    return costs.reshape(num_epochs, len(rates), len(seeds))


def epochs_to(costs, target):
    """The first epoch (from 0) whose mean cost is below `target`, along the first axis; `inf` if none."""
    below = np.asarray(costs) < target
    return np.where(below.any(axis=0), below.argmax(axis=0), np.inf)


def evaluate(X, Y, parameters):
    """The cost on all of `(X, Y)` of each network of a stack (`train_many`'s parameters): shape `(K,)`.

    A network whose output is not finite (it diverged) gets `inf`.
    """
    K = next(iter(parameters.values())).shape[0]
    AL, _ = _forward(np.broadcast_to(X, (K, *X.shape)), parameters)
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    with np.errstate(invalid="ignore"):
        costs = -(Y * np.log(A) + (1 - Y) * np.log(1 - A)).mean(axis=(1, 2))
    return np.where(np.isfinite(costs), costs, np.inf)
