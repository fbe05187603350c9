"""Training the course's own small models in NumPy (the library) and in PyTorch on the CPU, one thread.

Both sides start from the same initial parameters, see the same mini-batches in the same order
(`np.random.default_rng(epoch_seed(seed, epoch)).permutation(m)`, cut into consecutive batches, as
`trainfaster.minibatch.random_mini_batches` does) and use the same update rule, so they must reach the
same cost: the benchmark checks it and refuses to report a comparison of two different computations.
Each entry is the best time per epoch (milliseconds; epochs per second is 1000 over it).
"""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from bench import best_times, entry
from bench.report import EPOCH_UNIT, PYTORCH
from trainfaster import bn_network, network, optimizers, softmax
from trainfaster.data import load_digits, make_moons
from trainfaster.minibatch import epoch_seed

#: The largest relative difference allowed between the NumPy and the PyTorch final costs.
COST_RTOL = 1e-6


def _torch_batches(X_rows, Y_rows, batch_size, seed, epoch):
    """The mini-batches of `random_mini_batches(X, Y, batch_size, epoch_seed(seed, epoch))`, as rows of tensors."""
    permutation = torch.from_numpy(np.random.default_rng(epoch_seed(seed, epoch)).permutation(X_rows.shape[0]))
    return zip(X_rows[permutation].split(batch_size), Y_rows[permutation].split(batch_size))


def _torch_mlp(parameters):
    """`nn.Sequential` of Linear and ReLU layers holding copies of the NumPy `parameters` (last layer: logits)."""
    layers = []
    for l in range(1, network.num_layers(parameters) + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b.ravel()))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def adam_update(learning_rate):
    """An `update(parameters, grads, t, epoch)` for the library's training loops: the reference Adam."""
    state = {}

    def adam(parameters, grads, t, epoch):
        if not state:
            state["v"], state["s"] = optimizers.initialize_adam(parameters)
        parameters, state["v"], state["s"] = optimizers.update_parameters_with_adam(
            parameters, grads, state["v"], state["s"], t, learning_rate)
        return parameters

    return adam


class MoonsAdam:
    """The moons network (`network.MOONS_LAYERS`) trained with Adam, mini-batches of 64."""

    name = "moons network, Adam, 512 examples, batches of 64"
    learning_rate, batch_size, seed = 0.01, 64, 0

    def __init__(self):
        self.X, self.Y = make_moons(m=512, noise=0.2, seed=1)

    def numpy(self, num_epochs):
        """Train with the library: `network.train` and `optimizers.update_parameters_with_adam`."""
        adam = adam_update(self.learning_rate)
        return network.train(self.X, self.Y, network.MOONS_LAYERS, adam, num_epochs=num_epochs,
                             mini_batch_size=self.batch_size, seed=self.seed).costs

    def model(self):
        """The PyTorch network, starting from the same parameters as the NumPy one."""
        return _torch_mlp(network.initialize_parameters(network.MOONS_LAYERS, self.seed))

    def torch(self, num_epochs):
        """The same training written as one usually writes it in PyTorch; returns the cost of each epoch."""
        model = self.model()
        optimizer = torch.optim.Adam(model.parameters(), lr=self.learning_rate, betas=(0.9, 0.999), eps=1e-8)
        X_rows, Y_rows = torch.from_numpy(self.X.T.copy()), torch.from_numpy(self.Y.T.copy())
        costs = []
        for epoch in range(num_epochs):
            total = 0.0
            for X_batch, Y_batch in _torch_batches(X_rows, Y_rows, self.batch_size, self.seed, epoch):
                optimizer.zero_grad()
                cost = torch.nn.functional.binary_cross_entropy_with_logits(model(X_batch), Y_batch)
                cost.backward()
                optimizer.step()
                total += cost.item() * Y_batch.shape[0]
            costs.append(total / Y_rows.shape[0])
        return costs


class DigitsSoftmax:
    """Softmax regression on the 8x8 digits: full-batch gradient descent, one step per epoch."""

    name = "softmax regression, digits (1348 examples), full-batch gradient descent"
    learning_rate, seed = 0.5, 0

    def __init__(self):
        X_train, labels, _, _ = load_digits(seed=self.seed)
        self.X, self.labels = X_train, labels
        self.Y = softmax.one_hot(labels, 10)
        rng = np.random.default_rng(self.seed)
        self.W0, self.b0 = 0.01 * rng.standard_normal((10, X_train.shape[0])), np.zeros((10, 1))

    def numpy(self, num_epochs):
        """Train with the library's `softmax.softmax_regression_step`; the cost before each step."""
        W, b, costs = self.W0, self.b0, []
        for _ in range(num_epochs):
            W, b, cost = softmax.softmax_regression_step(W, b, self.X, self.Y, self.learning_rate)
            costs.append(cost)
        return costs

    def torch(self, num_epochs):
        """`nn.Linear`, `F.cross_entropy` and `torch.optim.SGD`; the cost before each step."""
        model = torch.nn.Linear(self.W0.shape[1], self.W0.shape[0], dtype=torch.float64)
        with torch.no_grad():
            model.weight.copy_(torch.from_numpy(self.W0))
            model.bias.copy_(torch.from_numpy(self.b0.ravel()))
        optimizer = torch.optim.SGD(model.parameters(), lr=self.learning_rate)
        X_rows, labels = torch.from_numpy(self.X.T.copy()), torch.from_numpy(self.labels)
        costs = []
        for _ in range(num_epochs):
            optimizer.zero_grad()
            cost = torch.nn.functional.cross_entropy(model(X_rows), labels)
            cost.backward()
            optimizer.step()
            costs.append(cost.item())
        return costs


class MoonsBatchNormAdam(MoonsAdam):
    """The moons network with batch normalization in its hidden layers (`trainfaster.bn_network`), Adam."""

    name = "batch-norm network (moons), Adam, 512 examples, batches of 64"

    def numpy(self, num_epochs):
        """Train with the library: `bn_network.train` and `optimizers.update_parameters_with_adam`."""
        adam = adam_update(self.learning_rate)
        return bn_network.train(self.X, self.Y, network.MOONS_LAYERS, adam, num_epochs=num_epochs,
                                mini_batch_size=self.batch_size, seed=self.seed).costs

    def model(self):
        """Linear (no bias), BatchNorm1d, ReLU per hidden layer, then Linear: the NumPy network's parameters."""
        parameters = bn_network.initialize_parameters(network.MOONS_LAYERS, self.seed)
        L = bn_network.num_layers(parameters)
        layers = []
        for l in range(1, L + 1):
            W = parameters[f"W{l}"]
            linear = torch.nn.Linear(W.shape[1], W.shape[0], bias=l == L, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W))
                if l == L:
                    linear.bias.copy_(torch.from_numpy(parameters[f"b{l}"].ravel()))
            layers.append(linear)
            if l < L:  # gamma = 1, beta = 0 at the start, as in bn_network; PyTorch momentum 0.1 = ours 0.9
                layers += [torch.nn.BatchNorm1d(W.shape[0], eps=1e-5, momentum=0.1, dtype=torch.float64),
                           torch.nn.ReLU()]
        return torch.nn.Sequential(*layers)


def compare(model, num_epochs, repeat):
    """An entry for `model`: best milliseconds per epoch of NumPy against PyTorch, after checking the costs."""
    costs = {"numpy": model.numpy(num_epochs), "torch": model.torch(num_epochs)}
    np.testing.assert_allclose(
        costs["numpy"], costs["torch"], rtol=COST_RTOL,
        err_msg=f"{model.name}: NumPy and PyTorch reach different costs, so their times are not comparable")
    seconds = best_times({side: lambda side=side: getattr(model, side)(num_epochs) for side in costs}, repeat)
    return entry(model.name, 1e3 * seconds["numpy"] / num_epochs, 1e3 * seconds["torch"] / num_epochs,
                 PYTORCH, EPOCH_UNIT)


MODELS = [MoonsAdam, DigitsSoftmax, MoonsBatchNormAdam]


def run(quick):
    """One entry per model; quick: a few epochs, two repeats."""
    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            return [compare(model(), num_epochs=5 if quick else 100, repeat=2 if quick else 5) for model in MODELS]
    finally:
        torch.set_num_threads(torch_threads)
