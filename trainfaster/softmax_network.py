"""The course network with a softmax output for C classes (chapter 7).

Explained in `book/07_softmax_regression.md`. ReLU hidden layers as in `trainfaster.network`; the output
layer is `A_L = softmax(W_L A_{L-1} + b_L)` of shape `(C, m)` and the cost is the categorical
cross-entropy. Softmax with cross-entropy has the same output gradient `(A_L - Y) / m` as sigmoid with
binary cross-entropy, so `network.backward` computes the gradients unchanged.
"""

from trainfaster import network
from trainfaster.softmax import cross_entropy_cost, softmax


def forward(X, parameters):
    """Forward pass. Returns `AL` of shape `(C, m)` and the caches `network.backward` takes."""
    return network.forward(X, parameters, output=softmax)


def predict(X, parameters):
    """The most probable class of each example, an integer array of shape `(m,)`."""
    return forward(X, parameters)[0].argmax(axis=0)


def train(X, Y, layer_dims, update, num_epochs=100, mini_batch_size=64, seed=0):
    """`network.train` with a softmax output and the categorical cross-entropy; `Y` is one-hot, `(C, m)`."""
    return network.train(X, Y, layer_dims, update, num_epochs=num_epochs, mini_batch_size=mini_batch_size,
                         seed=seed, forward_pass=forward, cost_function=cross_entropy_cost)
