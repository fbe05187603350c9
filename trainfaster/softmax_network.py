"""The course network with a softmax output for C classes (chapter 7).

Explained in `book/07_softmax_regression.md`. ReLU hidden layers as in `trainfaster.network`; the output
layer is `A_L = softmax(W_L A_{L-1} + b_L)` of shape `(C, m)` and the cost is the categorical
cross-entropy. Softmax with cross-entropy has the same output gradient `(A_L - Y) / m` as sigmoid with
binary cross-entropy, so `network.backward` computes the gradients unchanged.
"""

import numpy as np

from trainfaster import minibatch, network
from trainfaster.softmax import cross_entropy_cost, softmax


def forward(X, parameters):
    """Forward pass. Returns `AL` of shape `(C, m)` and the caches `network.backward` takes."""
    L = network.num_layers(parameters)
    A, caches = X, []
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        caches.append((A, Z))
        A = softmax(Z) if l == L else np.maximum(Z, 0)
    return A, caches


def predict(X, parameters):
    """The most probable class of each example, an integer array of shape `(m,)`."""
    return forward(X, parameters)[0].argmax(axis=0)


def train(X, Y, layer_dims, update, num_epochs=100, mini_batch_size=64, seed=0):
    """Train with mini-batches and any update rule, exactly like `network.train` but with C classes.

    `Y` is one-hot, shape `(C, m)`; `update(parameters, grads, t, epoch) -> parameters`.
    """
    result = network.TrainResult(network.initialize_parameters(layer_dims, seed))
    t = 0
    for epoch in range(num_epochs):
        epoch_cost = 0.0
        for X_batch, Y_batch in minibatch.random_mini_batches(X, Y, mini_batch_size, seed + epoch):
            AL, caches = forward(X_batch, result.parameters)
            cost = cross_entropy_cost(AL, Y_batch)
            grads = network.backward(AL, Y_batch, caches, result.parameters)
            t += 1
            result.parameters = update(result.parameters, grads, t, epoch)
            result.batch_costs.append(cost)
            epoch_cost += cost * Y_batch.shape[1]
        result.costs.append(epoch_cost / Y.shape[1])
    return result
