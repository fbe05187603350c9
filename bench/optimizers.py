"""One optimizer step (Adam, RMSProp, momentum) of the course's NumPy code against torch.optim, one thread.

For 1e5, 1e6 and 1e7 float64 parameters (one weight matrix and its gradient), the best time of one step of

- readable: `trainfaster.optimizers`, the reference (a new array for every intermediate result);
- in place: `trainfaster.fast_optimizers` (same arithmetic, in place, blockwise);
- `torch.optim` with `foreach=True`, and with `fused=True` where torch has it (Adam and SGD);
- the memory-traffic limit: the time to read and write once the arrays the step must touch (parameters,
  gradient, state) at the measured copy bandwidth: the bytes read and written per second by the faster of
  two copies of an array of the same size, `np.copyto(y, x)` and rewriting it in place (`x *= 1.0`).

Times are the best CPU time of the process over several rounds (`bench.best_times`), with one thread.
"""

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from bench import best_times, entry
from bench.report import IN_PLACE, LIMIT, READABLE, SIZES, STEP_UNIT, optimizer_name
from trainfaster import fast_optimizers, optimizers

LEARNING_RATE, BETA1, BETA2 = 0.001, 0.9, 0.999


def _adam(module):
    """`make(parameters, grads) -> step`: `step()` takes one Adam step with `module`'s function."""
    def make(parameters, grads):
        v, s = optimizers.initialize_adam(parameters)
        state = {"parameters": parameters, "v": v, "s": s, "t": 0}

        def step():
            state["t"] += 1
            state["parameters"], state["v"], state["s"] = module.update_parameters_with_adam(
                state["parameters"], grads, state["v"], state["s"], state["t"], LEARNING_RATE, BETA1, BETA2)
        return step
    return make


def _rmsprop(module):
    """`make(parameters, grads) -> step`: `step()` takes one RMSProp step with `module`'s function."""
    def make(parameters, grads):
        state = {"parameters": parameters, "s": optimizers.initialize_rmsprop(parameters)}

        def step():
            state["parameters"], state["s"] = module.update_parameters_with_rmsprop(
                state["parameters"], grads, state["s"], BETA2, LEARNING_RATE)
        return step
    return make


def _momentum(module):
    """`make(parameters, grads) -> step`: `step()` takes one momentum step with `module`'s function."""
    def make(parameters, grads):
        state = {"parameters": parameters, "v": optimizers.initialize_velocity(parameters)}

        def step():
            state["parameters"], state["v"] = module.update_parameters_with_momentum(
                state["parameters"], grads, state["v"], BETA1, LEARNING_RATE)
        return step
    return make


def _torch(factory, **options):
    """`make(parameters, grads) -> step`: the `step` of `factory([W1], **options)`, a torch.optim optimizer."""
    def make(parameters, grads):
        weight = torch.nn.Parameter(torch.from_numpy(parameters["W1"]))
        weight.grad = torch.from_numpy(grads["dW1"].copy())
        optimizer = factory([weight], **options)
        optimizer.step()  # creates the state, as the first step of a training run does
        return optimizer.step
    return make


#: For each optimizer: the arrays one step must read or write once, and the implementations to time.
OPTIMIZERS = {
    "Adam": (7, {  # reads W, dW, v, s; writes W, v, s
        READABLE: _adam(optimizers),
        IN_PLACE: _adam(fast_optimizers),
        "torch.optim.Adam(foreach=True)": _torch(torch.optim.Adam, lr=LEARNING_RATE, betas=(BETA1, BETA2), foreach=True),
        "torch.optim.Adam(fused=True)": _torch(torch.optim.Adam, lr=LEARNING_RATE, betas=(BETA1, BETA2), fused=True),
    }),
    "RMSProp": (5, {  # reads W, dW, s; writes W, s
        READABLE: _rmsprop(optimizers),
        IN_PLACE: _rmsprop(fast_optimizers),
        "torch.optim.RMSprop(foreach=True)": _torch(torch.optim.RMSprop, lr=LEARNING_RATE, alpha=BETA2, foreach=True),
    }),
    "momentum": (5, {  # reads W, dW, v; writes W, v (torch: SGD with dampening = momentum)
        READABLE: _momentum(optimizers),
        IN_PLACE: _momentum(fast_optimizers),
        "torch.optim.SGD(momentum, foreach=True)": _torch(torch.optim.SGD, lr=LEARNING_RATE, momentum=BETA1, dampening=BETA1, foreach=True),
        "torch.optim.SGD(momentum, fused=True)": _torch(torch.optim.SGD, lr=LEARNING_RATE, momentum=BETA1, dampening=BETA1, fused=True),
    }),
}


def _repeats(n, quick):
    """(repeat, number) for best_times: about the same total work at every size."""
    if quick:
        return 2, 2
    return {10**5: (7, 30), 10**6: (7, 4), 10**7: (5, 1)}[n]


def _measure(optimizer, n, quick, rng):
    """Best milliseconds per step of every implementation of `optimizer`, and the memory-traffic limit."""
    arrays, implementations = OPTIMIZERS[optimizer]
    shape = (n // 1000, 1000)
    start, grads = rng.standard_normal(shape), {"dW1": rng.standard_normal(shape)}
    steps = {label: make({"W1": start.copy()}, grads) for label, make in implementations.items()}
    source, target = rng.standard_normal(n), np.zeros(n)
    steps["copy"] = lambda: np.copyto(target, source)
    steps["copy in place"] = lambda: np.multiply(source, 1.0, out=source)
    repeat, number = _repeats(n, quick)
    seconds = best_times(steps, repeat, number)
    milliseconds = {label: 1e3 * value for label, value in seconds.items()}
    # A copy reads n numbers and writes n: the step moves `arrays` such arrays, so it takes arrays / 2 copies.
    copy = min(milliseconds.pop("copy"), milliseconds.pop("copy in place"))
    milliseconds[LIMIT] = arrays / 2 * copy
    return milliseconds


def run(quick):
    """Entries for every optimizer and size: readable and in place against each torch variant and the limit."""
    rng = np.random.default_rng(0)
    sizes = {"1e5": SIZES["1e5"]} if quick else SIZES
    results = []
    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            for optimizer in OPTIMIZERS:
                for size, n in sizes.items():
                    ms = _measure(optimizer, n, quick, rng)
                    baselines = [label for label in ms if label not in (READABLE, IN_PLACE)]
                    for variant in (READABLE, IN_PLACE):
                        for baseline in baselines:
                            results.append(entry(optimizer_name(optimizer, size, variant), ms[variant], ms[baseline],
                                                 baseline, STEP_UNIT))
    finally:
        torch.set_num_threads(torch_threads)
    return results
