"""The in-place optimizers give bit-for-bit the readable references' results, and never touch `grads`."""

import numpy as np
import pytest

from trainfaster import fast_optimizers, optimizers
from trainfaster.network import initialize_parameters

LAYERS = (5, 40, 3, 1)  # W1 holds 200 numbers: several blocks when BLOCK is small


def _copy(tree):
    return {key: value.copy() for key, value in tree.items()}


def _random_grads(parameters, rng):
    return {"d" + name: rng.standard_normal(value.shape) for name, value in parameters.items()}


def _steps(module, name, num_steps, seed=0):
    """Run `num_steps` steps of optimizer `name` from `module`; return the parameters and state of each step."""
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(LAYERS, seed=1)
    v, s = optimizers.initialize_adam(parameters)
    history = []
    for t in range(1, num_steps + 1):
        grads = _random_grads(parameters, rng)
        if name == "adam":
            parameters, v, s = module.update_parameters_with_adam(parameters, grads, v, s, t, 0.01, 0.9, 0.99, 1e-8)
        elif name == "rmsprop":
            parameters, s = module.update_parameters_with_rmsprop(parameters, grads, s, 0.9, 0.01, 1e-7)
        else:
            parameters, v = module.update_parameters_with_momentum(parameters, grads, v, 0.8, 0.05)
        history.append((_copy(parameters), _copy(v), _copy(s)))
    return history


@pytest.mark.parametrize("name", ["adam", "rmsprop", "momentum"])
@pytest.mark.parametrize("block", [7, 64, fast_optimizers.BLOCK])
def test_bit_for_bit_equal_to_the_readable_version(name, block, monkeypatch):
    monkeypatch.setattr(fast_optimizers, "BLOCK", block)  # 7 and 64 do not divide 200: ragged last block
    readable, fast = _steps(optimizers, name, 5), _steps(fast_optimizers, name, 5)
    for t, (expected, got) in enumerate(zip(readable, fast), 1):
        for which, expected_tree, got_tree in zip(("parameters", "v", "s"), expected, got):
            for key in expected_tree:
                np.testing.assert_array_equal(got_tree[key], expected_tree[key], err_msg=f"step {t}: {which}[{key}]")


def test_updates_in_place_and_leaves_grads_alone():
    rng = np.random.default_rng(3)
    parameters = initialize_parameters(LAYERS, seed=0)
    grads = _random_grads(parameters, rng)
    grads_before = _copy(grads)
    v, s = optimizers.initialize_adam(parameters)
    W1 = parameters["W1"]
    returned = fast_optimizers.update_parameters_with_adam(parameters, grads, v, s, 1)
    assert returned[0] is parameters and returned[1] is v and returned[2] is s
    assert returned[0]["W1"] is W1
    for key in grads:
        np.testing.assert_array_equal(grads[key], grads_before[key], err_msg=f"grads[{key}] was modified")


def test_accepts_grads_that_are_views_or_lists():
    parameters = {"W1": np.zeros((2, 3))}
    grads = {"dW1": np.ones((3, 2)).T}  # not C-contiguous: only read, so it is fine
    fast_optimizers.update_parameters_with_momentum(parameters, grads, {"dW1": np.zeros((2, 3))}, 0.5, 1.0)
    np.testing.assert_array_equal(parameters["W1"], np.full((2, 3), -0.5))


def test_refuses_arrays_it_cannot_update_in_place():
    grads = {"dW1": np.ones((3, 2))}
    with pytest.raises(ValueError, match=r"parameters\['W1'\] must be writeable and C-contiguous"):
        fast_optimizers.update_parameters_with_momentum({"W1": np.zeros((2, 3)).T}, grads, {"dW1": np.zeros((3, 2))},
                                                        0.9, 0.1)
    with pytest.raises(TypeError, match=r"parameters\['W1'\] must be a float64 NumPy array"):
        fast_optimizers.update_parameters_with_momentum({"W1": np.zeros((3, 2), dtype=int)}, grads,
                                                        {"dW1": np.zeros((3, 2))}, 0.9, 0.1)
    with pytest.raises(TypeError, match=r"state\['dW1'\] must be a float64 NumPy array"):
        fast_optimizers.update_parameters_with_rmsprop({"W1": np.zeros((3, 2))}, grads, {"dW1": [[0.0] * 2] * 3},
                                                       0.9, 0.1)
    with pytest.raises(ValueError, match=r"grads\['dW1'\] must exist and have the shape \(2, 2\)"):
        fast_optimizers.update_parameters_with_adam({"W1": np.zeros((2, 2))}, grads, {"dW1": np.zeros((2, 2))},
                                                    {"dW1": np.zeros((2, 2))}, 1)
