"""Training the course's own small models in NumPy (the library) and in PyTorch on the CPU, one thread.

Both sides start from the same initial parameters, see the same mini-batches in the same order
(`np.random.default_rng(seed + epoch).permutation(m)`, cut into consecutive batches, as
`trainfaster.minibatch.random_mini_batches` does) and use the same update rule, so they must reach the
same cost: the benchmark checks it and refuses to report a comparison of two different computations.
Each entry is the best time per epoch (milliseconds; epochs per second is 1000 over it).
"""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from bench import best_times, entry
from bench.report import EPOCH_UNIT, PYTORCH
from trainfaster import network, optimizers
from trainfaster.data import make_moons

#: The largest relative difference allowed between the NumPy and the PyTorch final costs.
COST_RTOL = 1e-6


def _torch_batches(X_rows, Y_rows, batch_size, seed, epoch):
    """The mini-batches of `random_mini_batches(X, Y, batch_size, seed + epoch)`, as rows of tensors."""
    permutation = torch.from_numpy(np.random.default_rng(seed + epoch).permutation(X_rows.shape[0]))
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


class MoonsAdam:
    """The moons network (`network.MOONS_LAYERS`) trained with Adam, mini-batches of 64."""

    name = "moons network, Adam, 512 examples, batches of 64"
    learning_rate, batch_size, seed = 0.01, 64, 0

    def __init__(self):
        self.X, self.Y = make_moons(m=512, noise=0.2, seed=1)

    def numpy(self, num_epochs):
        """Train with the library: `network.train` and `optimizers.update_parameters_with_adam`."""
        state = {}

        def adam(parameters, grads, t, epoch):
            if not state:
                state["v"], state["s"] = optimizers.initialize_adam(parameters)
            parameters, state["v"], state["s"] = optimizers.update_parameters_with_adam(
                parameters, grads, state["v"], state["s"], t, self.learning_rate)
            return parameters

        return network.train(self.X, self.Y, network.MOONS_LAYERS, adam, num_epochs=num_epochs,
                             mini_batch_size=self.batch_size, seed=self.seed).costs

    def torch(self, num_epochs):
        """The same training written as one usually writes it in PyTorch; returns the cost of each epoch."""
        model = _torch_mlp(network.initialize_parameters(network.MOONS_LAYERS, self.seed))
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


def compare(model, num_epochs, repeat):
    """An entry for `model`: best milliseconds per epoch of NumPy against PyTorch, after checking the costs."""
    costs = {"numpy": model.numpy(num_epochs), "torch": model.torch(num_epochs)}
    np.testing.assert_allclose(
        costs["numpy"], costs["torch"], rtol=COST_RTOL,
        err_msg=f"{model.name}: NumPy and PyTorch reach different costs, so their times are not comparable")
    seconds = best_times({side: lambda side=side: getattr(model, side)(num_epochs) for side in costs}, repeat)
    return entry(model.name, 1e3 * seconds["numpy"] / num_epochs, 1e3 * seconds["torch"] / num_epochs,
                 PYTORCH, EPOCH_UNIT)


MODELS = [MoonsAdam]


def run(quick):
    """One entry per model; quick: a few epochs, two repeats."""
    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            return [compare(model(), num_epochs=5 if quick else 100, repeat=2 if quick else 5) for model in MODELS]
    finally:
        torch.set_num_threads(torch_threads)
