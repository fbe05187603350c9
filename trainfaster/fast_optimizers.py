"""Chapter 3's optimizers again, written for speed: in place, blockwise, bit for bit the same results.

Explained in `speed.md` ("How fast is it?"). `trainfaster.optimizers` is the readable reference: every
intermediate result there (`beta1 * v`, `dW**2`, `sqrt(s_hat)`, ...) is a new array as large as the
parameters, written to memory and read back. The functions here take the same arguments, do the same
arithmetic in the same order (so they return bit-for-bit the same numbers) but:

- update `parameters` and the state `v`, `s` in place (the course contract allows it; `grads` is never
  modified) and return those same dicts;
- work through each array in blocks of `BLOCK` numbers, so the intermediate results live in a small scratch
  buffer that stays in the CPU cache, and each array crosses the memory bus once per step.

Every array updated in place must be a writeable, C-contiguous float64 NumPy array, as
`trainfaster.network.initialize_parameters` and the `initialize_*` functions make them.
"""

import numpy as np

#: Numbers per block: 65536 float64 are 512 KiB per array, so the (at most six) arrays of a block stay in
#: the CPU's cache while a dozen operations run over them, and the fixed cost of each NumPy call is paid
#: rarely. Measured for 10^7 parameters: 8192 took 10-40% longer than 65536 (Adam, RMSProp, momentum).
BLOCK = 65536


def _flat(array, what):
    """A 1-D view of `array` (no copy), after checking it can be updated in place."""
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError(f"{what} must be a float64 NumPy array to be updated in place, got "
                        f"{type(array).__name__} of dtype {getattr(array, 'dtype', None)}")
    if not (array.flags.c_contiguous and array.flags.writeable):
        raise ValueError(f"{what} must be writeable and C-contiguous to be updated in place: "
                         "pass np.ascontiguousarray(...) of it")
    return array.reshape(-1)


def _arrays(parameters, grads, *states):
    """For each parameter: the flat parameter, its flat gradient (read only) and its flat state arrays."""
    for name, value in parameters.items():
        key = "d" + name
        if key not in grads or np.shape(grads[key]) != np.shape(value):
            raise ValueError(f"grads[{key!r}] must exist and have the shape {np.shape(value)} of "
                             f"parameters[{name!r}]")
        gradient = np.ascontiguousarray(grads[key], dtype=np.float64).reshape(-1)
        yield (_flat(value, f"parameters[{name!r}]"), gradient,
               *(_flat(state[key], f"state[{key!r}]") for state in states))


def _blocks(size):
    """Slices cutting `range(size)` into consecutive blocks of at most `BLOCK` numbers."""
    return [slice(start, min(start + BLOCK, size)) for start in range(0, size, BLOCK)]


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """In place: `v = beta * v + (1 - beta) * dW`; `W = W - learning_rate * v`. Returns `(parameters, v)`."""
    for W, dW, vW in _arrays(parameters, grads, v):
        scratch = np.empty(min(W.size, BLOCK))
        for block in _blocks(W.size):
            w, g, m, u = W[block], dW[block], vW[block], scratch[: block.stop - block.start]
            m *= beta
            np.multiply(g, 1 - beta, out=u)
            m += u
            np.multiply(m, learning_rate, out=u)
            w -= u
    return parameters, v


def update_parameters_with_rmsprop(parameters, grads, s, beta2, learning_rate, epsilon=1e-8):
    """In place: `s = beta2 * s + (1 - beta2) * dW**2`; `W = W - learning_rate * dW / (sqrt(s) + epsilon)`."""
    for W, dW, sW in _arrays(parameters, grads, s):
        scratch = np.empty((2, min(W.size, BLOCK)))
        for block in _blocks(W.size):
            size = block.stop - block.start
            w, g, q, u, step = W[block], dW[block], sW[block], scratch[0, :size], scratch[1, :size]
            np.multiply(g, g, out=u)
            u *= 1 - beta2
            q *= beta2
            q += u
            np.sqrt(q, out=u)
            u += epsilon
            np.multiply(g, learning_rate, out=step)
            step /= u
            w -= step
    return parameters, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """In place: one Adam step at step count `t` (from 1), with bias correction. Returns `(parameters, v, s)`.

    The same formulas as `trainfaster.optimizers.update_parameters_with_adam`, in the same order.
    """
    correction1, correction2 = 1 - beta1**t, 1 - beta2**t
    for W, dW, vW, sW in _arrays(parameters, grads, v, s):
        scratch = np.empty((2, min(W.size, BLOCK)))
        for block in _blocks(W.size):
            size = block.stop - block.start
            w, g, m, q = W[block], dW[block], vW[block], sW[block]
            u, step = scratch[0, :size], scratch[1, :size]
            m *= beta1  # v = beta1 * v + (1 - beta1) * dW
            np.multiply(g, 1 - beta1, out=u)
            m += u
            np.multiply(g, g, out=u)  # s = beta2 * s + (1 - beta2) * dW**2
            u *= 1 - beta2
            q *= beta2
            q += u
            np.divide(m, correction1, out=step)  # step = learning_rate * v_hat / (sqrt(s_hat) + epsilon)
            step *= learning_rate
            np.divide(q, correction2, out=u)
            np.sqrt(u, out=u)
            u += epsilon
            step /= u
            w -= step
    return parameters, v, s
