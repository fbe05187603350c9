"""Plain data across the sandbox wall: JSON with tagged NumPy arrays, never pickle.

`encode` turns arguments and results into JSON-safe values; `decode` builds back only plain types (numbers,
strings, containers, NumPy arrays and scalars, `np.random.Generator`, torch tensors), so decoding what a
student's code sent can never run it. Callables become numbered handles (`Handles`) that the other side
calls back through; objects of any other type arrive as a stand-in named after their type.
"""

import base64
import builtins
import sys

import numpy as np

MAX_DEPTH = 40
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Unsupported:
    """Stands in for an object that cannot cross as data; its class is named after the original type."""

    def __init__(self, text):
        self._text = text

    def __repr__(self):
        return f"<{type(self).__name__}: {self._text}>"


_STAND_INS = {}


def stand_in_class(name):
    """A class named `name`, so checks say "x is a generator; expected a dict"."""
    name = str(name)[:60] or "object"
    if name not in _STAND_INS:
        _STAND_INS[name] = type(name, (Unsupported,), {})
    return _STAND_INS[name]


class Handles:
    """Callables sent to the other side, by number."""

    def __init__(self):
        self.table = []

    def add(self, function):
        self.table.append(function)
        return len(self.table) - 1


def exception_class(names):
    """An exception class named like the remote one (`names` is its MRO), deriving from the nearest built-in
    `Exception` subclass, so `except ValueError` still catches a student's ValueError."""
    base = next((getattr(builtins, n) for n in names if isinstance(getattr(builtins, n, None), type)
                 and issubclass(getattr(builtins, n), Exception)), Exception)
    name = str(names[0])[:60] if names else "Error"
    return base if name == base.__name__ else type(name, (base,), {})


def _array(a):
    a = np.asarray(a)  # (not ascontiguousarray: it makes 0-d arrays 1-d); tobytes() is C order
    return {"t": "nd", "dtype": a.dtype.str, "shape": list(a.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def encode(obj, handles=None, depth=0):
    """A JSON-safe description of `obj`; callables are registered in `handles` (if given)."""
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": type(obj).__name__, "repr": "nested too deeply"}
    if obj is None or isinstance(obj, (bool, str)) or type(obj) in (int, float):
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in "biufcSUmM":  # before float: np.float64 is one
        return {"t": "npscalar", "array": _array(np.asarray(obj))}
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "biufcSUmM":
        return _array(obj)
    if isinstance(obj, int) and not isinstance(obj, bool):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, complex):
        return {"t": "complex", "re": obj.real, "im": obj.imag}
    if isinstance(obj, (list, tuple, set, frozenset)):
        kind = type(obj).__name__ if type(obj) in (list, tuple, set, frozenset) else "list"
        return {"t": kind, "v": [encode(x, handles, depth + 1) for x in obj]}
    if isinstance(obj, dict):
        return {"t": "dict", "v": [[encode(k, handles, depth + 1), encode(v, handles, depth + 1)] for k, v in obj.items()]}
    if isinstance(obj, range):
        return {"t": "range", "v": [obj.start, obj.stop, obj.step]}
    if isinstance(obj, slice):
        return {"t": "slice", "v": [encode(obj.start), encode(obj.stop), encode(obj.step)]}
    if isinstance(obj, np.random.Generator) and type(obj.bit_generator).__name__ in BIT_GENERATORS:
        return {"t": "rng", "bitgen": type(obj.bit_generator).__name__, "state": encode(obj.bit_generator.state)}
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.Tensor):
        return {"t": "torch", "array": _array(obj.detach().cpu().numpy()), "requires_grad": bool(obj.requires_grad)}
    if handles is not None and callable(obj) and not isinstance(obj, type):
        return {"t": "fn", "id": handles.add(obj), "name": str(getattr(obj, "__name__", "function"))[:60]}
    try:
        text = repr(obj)[:200]
    except Exception:
        text = "unprintable"
    return {"t": "opaque", "type": type(obj).__name__, "repr": text}


def _decode_array(d):
    dtype = np.dtype(str(d["dtype"]))
    if dtype.kind not in "biufcSUmM":
        raise ValueError(f"refused dtype {dtype}")
    shape = tuple(int(n) for n in d["shape"])
    data = base64.b64decode(d["b64"])
    if len(data) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise ValueError("array bytes do not match its shape")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def decode(data, make_callable=None, depth=0):
    """The value `encode` described; `make_callable(id, name)` builds the stand-in of a remote callable."""
    if depth > MAX_DEPTH + 2:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):  # only tagged containers are produced; a bare list is still plain data
        return [decode(x, make_callable, depth + 1) for x in data]
    tag = data.get("t")
    value = data.get("v")
    if tag == "nd":
        return _decode_array(data)
    if tag == "npscalar":
        return _decode_array(data["array"])[()]
    if tag == "complex":
        return complex(float(data["re"]), float(data["im"]))
    if tag in ("list", "tuple", "set", "frozenset"):
        items = [decode(x, make_callable, depth + 1) for x in value]
        return getattr(builtins, tag)(items)
    if tag == "dict":
        return {decode(k, make_callable, depth + 1): decode(v, make_callable, depth + 1) for k, v in value}
    if tag == "range":
        return range(*(int(x) for x in value))
    if tag == "slice":
        return slice(*(decode(x) for x in value))
    if tag == "rng":
        if data["bitgen"] not in BIT_GENERATORS:
            raise ValueError("unknown bit generator")
        bit_generator = getattr(np.random, data["bitgen"])()
        bit_generator.state = decode(data["state"])
        return np.random.Generator(bit_generator)
    if tag == "torch":
        import torch

        return torch.from_numpy(_decode_array(data["array"])).requires_grad_(bool(data["requires_grad"]))
    if tag == "fn" and make_callable is not None:
        return make_callable(int(data["id"]), str(data.get("name", "function")))
    if tag in ("fn", "opaque"):
        return stand_in_class(data.get("type", "function"))(str(data.get("repr", ""))[:200])
    raise ValueError(f"unknown tag {tag!r}")


def sync(original, updated):
    """Copy `updated` into the mutable `original` in place (after a call that may have changed its arguments)."""
    try:
        if isinstance(original, np.ndarray) and isinstance(updated, np.ndarray):
            if original.shape == updated.shape and original.flags.writeable:
                np.copyto(original, updated, casting="unsafe")
        elif isinstance(original, dict) and isinstance(updated, dict):
            for key in list(original):
                if key not in updated:
                    del original[key]
            for key, value in updated.items():
                if key in original and _mutable(original[key]):
                    sync(original[key], value)
                else:
                    original[key] = value
        elif isinstance(original, list) and isinstance(updated, list):
            original[:] = updated
        elif isinstance(original, np.random.Generator) and isinstance(updated, np.random.Generator):
            if type(original.bit_generator) is type(updated.bit_generator):
                original.bit_generator.state = updated.bit_generator.state
        elif (_is_tensor(original) and _is_tensor(updated) and original.shape == updated.shape
              and not original.requires_grad):  # a tensor autograd tracks is never written in place
            import torch

            with torch.no_grad():
                original.copy_(updated)
    except Exception:  # a value that cannot be copied back keeps its old content
        pass


def _mutable(x):
    return isinstance(x, (np.ndarray, dict, list, np.random.Generator)) or _is_tensor(x)


def _is_tensor(x):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def grad_leaves(obj, depth=0):
    """The tensors that require a gradient in `obj` (lists, tuples, dicts searched in order): the inputs
    through which a gradient flows back across the wall. Both sides find them in the same order."""
    if depth > MAX_DEPTH:
        return []
    if _is_tensor(obj):
        return [obj] if obj.requires_grad else []
    if isinstance(obj, (list, tuple)):
        return [leaf for item in obj for leaf in grad_leaves(item, depth + 1)]
    if isinstance(obj, dict):
        return [leaf for item in obj.values() for leaf in grad_leaves(item, depth + 1)]
    return []
