"""The L-layer network used across the course: ReLU hidden layers and a sigmoid output.

Notation (see the book's notation page): `X` is `(n_x, m)`, one example per column; `Y` is `(1, m)`;
`parameters` holds `"W1", "b1", ..., "WL", "bL"` and `grads` holds `"dW1", "db1", ...` with the same shapes.
"""

from dataclasses import dataclass, field

import numpy as np

from trainfaster import minibatch

#: The network the chapters train on the moons data: 2 inputs, two hidden layers, one output.
MOONS_LAYERS = (2, 16, 8, 1)


def initialize_parameters(layer_dims, seed=0):
    """He initialization: `W_l ~ N(0, 2 / n_{l-1})`, `b_l = 0`, for `layer_dims = (n_0, n_1, ..., n_L)`."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        fan_in = layer_dims[l - 1]
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], fan_in)) * np.sqrt(2.0 / fan_in)
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def num_layers(parameters):
    """The number L of layers (weight matrices) in `parameters`."""
    return len(parameters) // 2


def sigmoid(Z):
    """`1 / (1 + exp(-Z))`, computed without overflow for large negative `Z`."""
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))


def forward(X, parameters, output=sigmoid):
    """Forward pass. Returns `AL` of shape `(n_L, m)` and the caches `backward` needs.

    Hidden layers use ReLU; the output layer uses `output` (the sigmoid, or chapter 7's softmax).
    """
    L = num_layers(parameters)
    A = X
    caches = []
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        caches.append((A, Z))
        A = output(Z) if l == L else np.maximum(Z, 0)
    return A, caches


def compute_cost(AL, Y):
    """Mean binary cross-entropy `-(1/m) * sum(Y log AL + (1 - Y) log(1 - AL))`, as a float.

    `AL` is clipped to `[1e-15, 1 - 1e-15]` so that a saturated sigmoid gives a large, finite cost.
    """
    m = Y.shape[1]
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    return float(-(Y * np.log(A) + (1 - Y) * np.log(1 - A)).sum() / m)


def backward(AL, Y, caches, parameters):
    """Gradients of `compute_cost` with respect to every parameter: `{"dW1", "db1", ...}`."""
    L = len(caches)
    m = Y.shape[1]
    grads = {}
    dZ = (AL - Y) / m  # sigmoid and cross-entropy together: dJ/dZ_L = (A_L - Y) / m
    for l in range(L, 0, -1):
        A_prev, _ = caches[l - 1]
        grads[f"dW{l}"] = dZ @ A_prev.T
        grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            dZ = (parameters[f"W{l}"].T @ dZ) * (caches[l - 2][1] > 0)
    return grads


def predict(X, parameters):
    """Labels 0/1 of shape `(1, m)`: 1 where the network's output exceeds 0.5."""
    AL, _ = forward(X, parameters)
    return (AL > 0.5).astype(int)


def accuracy(X, Y, parameters):
    """The fraction of examples whose predicted label equals `Y`."""
    return float((predict(X, parameters) == Y).mean())


@dataclass
class TrainResult:
    """What `train` returns: the final parameters and the cost history."""

    parameters: dict
    costs: list = field(default_factory=list)  # one per epoch: the mean cost over that epoch's mini-batches
    batch_costs: list = field(default_factory=list)  # one per iteration (mini-batch step)


def train(X, Y, layer_dims, update, num_epochs=100, mini_batch_size=64, seed=0, make_batches=None,
          forward_pass=forward, cost_function=compute_cost):
    """Train the network with mini-batch gradient descent and any update rule.

    `update(parameters, grads, t, epoch) -> parameters` is called once per mini-batch, with `t` the step
    count from 1 and `epoch` the epoch from 0, so a student's optimizer plugs in through a small closure.
    `make_batches(X, Y, mini_batch_size, seed)` defaults to the reference `random_mini_batches`; epoch `e`
    shuffles with seed `minibatch.epoch_seed(seed, e)` and initialization uses `seed` itself: independent
    streams of one seed, so a run is reproducible and its data order is independent of its initial weights.
    `forward_pass` and `cost_function` swap the output layer and its cost (chapter 7's softmax network);
    `backward` serves both, as their output gradient is the same `(A_L - Y) / m`.
    """
    make_batches = make_batches or minibatch.random_mini_batches
    result = TrainResult(initialize_parameters(layer_dims, seed))
    t = 0
    for epoch in range(num_epochs):
        epoch_cost = 0.0
        for X_batch, Y_batch in make_batches(X, Y, mini_batch_size, minibatch.epoch_seed(seed, epoch)):
            AL, caches = forward_pass(X_batch, result.parameters)
            cost = cost_function(AL, Y_batch)
            grads = backward(AL, Y_batch, caches, result.parameters)
            t += 1
            result.parameters = update(result.parameters, grads, t, epoch)
            result.batch_costs.append(cost)
            epoch_cost += cost * Y_batch.shape[1]
        result.costs.append(epoch_cost / Y.shape[1])
    return result
