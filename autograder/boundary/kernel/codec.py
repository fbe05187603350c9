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


class Memo:
    """The objects of one call, by key, on one side of the wall: an object met twice in a call's arguments and
    results (one dict returned twice, a result that is an argument) crosses once and arrives as one object, so
    aliasing is what it was on the other side. Keys are numbered in the order objects are first sent: the
    reply to a call names the call's own objects by the keys they were sent with, and decoding a reply puts
    their new content into the originals (`sync`), so the caller keeps its objects and sees their changes.

    Objects whose identity is kept: dicts, lists, sets, NumPy arrays (an array that is a whole view of an
    array sent before arrives as a view of it), generators and torch tensors. Call `message` before each
    message is encoded or decoded."""

    def __init__(self):
        self.keys, self.objects, self.views = {}, {}, {}  # id -> key, key -> object (kept alive), array -> key
        self.described, self.next = set(), 0  # keys described in the current message; the next new key

    def message(self):
        self.described = set()
        return self

    def key(self, obj):
        """`(key, new)`: the key of `obj`, registered now if it has none."""
        key = self.keys.get(id(obj))
        if key is None:
            key = self.register(obj)
        return key, key not in self.described

    def register(self, obj, key=None):
        key = self.next if key is None else key
        self.next = max(self.next, key + 1)
        self.keys[id(obj)], self.objects[key] = key, obj
        if isinstance(obj, np.ndarray) and obj.size:
            self.views.setdefault(_layout(obj), key)
        return key


def _layout(a):
    return (a.__array_interface__["data"][0], a.shape, a.strides, a.dtype.str)


def _keeps_identity(obj):
    return isinstance(obj, (dict, list, set, np.ndarray, np.random.Generator)) or _is_tensor(obj)


def _array(a):
    a = np.asarray(a)  # (not ascontiguousarray: it makes 0-d arrays 1-d); tobytes() is C order
    return {"t": "nd", "dtype": a.dtype.str, "shape": list(a.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def encode(obj, handles=None, memo=None, depth=0):
    """A JSON-safe description of `obj`; callables are registered in `handles` (if given); `memo` (a `Memo`)
    keeps identity across the messages of one call (within `obj` alone without it)."""
    memo = Memo() if memo is None else memo
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": type(obj).__name__, "repr": "nested too deeply"}
    if obj is None or isinstance(obj, (bool, str)) or type(obj) in (int, float):
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in "biufcSUmM":  # before float: np.float64 is one
        return {"t": "npscalar", "array": _array(np.asarray(obj))}
    if _keeps_identity(obj) and not (isinstance(obj, np.ndarray) and obj.dtype.kind not in "biufcSUmM"):
        view_of = memo.views.get(_layout(obj)) if isinstance(obj, np.ndarray) and obj.size else None
        key, new = memo.key(obj)
        if not new:
            return {"t": "ref", "k": key}
        memo.described.add(key)
        if view_of is not None and view_of != key and view_of in memo.described:
            return {"t": "view", "of": view_of, "k": key}
        return {**_describe(obj, handles, memo, depth), "k": key}
    if isinstance(obj, int) and not isinstance(obj, bool):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if isinstance(obj, complex):
        return {"t": "complex", "re": obj.real, "im": obj.imag}
    if isinstance(obj, (list, tuple, set, frozenset)):
        kind = type(obj).__name__ if type(obj) in (tuple, frozenset) else "list"
        return {"t": kind, "v": [encode(x, handles, memo, depth + 1) for x in obj]}
    if isinstance(obj, range):
        return {"t": "range", "v": [obj.start, obj.stop, obj.step]}
    if isinstance(obj, slice):
        return {"t": "slice", "v": [encode(obj.start), encode(obj.stop), encode(obj.step)]}
    if handles is not None and callable(obj) and not isinstance(obj, type):
        return {"t": "fn", "id": handles.add(obj), "name": str(getattr(obj, "__name__", "function"))[:60]}
    try:
        text = repr(obj)[:200]
    except Exception:
        text = "unprintable"
    return {"t": "opaque", "type": type(obj).__name__, "repr": text}


def _describe(obj, handles, memo, depth):
    """The content of an object whose identity is kept (its key is added by `encode`)."""
    if isinstance(obj, np.ndarray):
        return _array(obj)
    if isinstance(obj, (list, set)):
        kind = type(obj).__name__ if type(obj) in (list, set) else "list"
        return {"t": kind, "v": [encode(x, handles, memo, depth + 1) for x in obj]}
    if isinstance(obj, dict):
        return {"t": "dict", "v": [[encode(k, handles, memo, depth + 1), encode(v, handles, memo, depth + 1)]
                                   for k, v in obj.items()]}
    if isinstance(obj, np.random.Generator):
        if type(obj.bit_generator).__name__ not in BIT_GENERATORS:
            return {"t": "opaque", "type": type(obj).__name__, "repr": "a generator of an unknown kind"}
        return {"t": "rng", "bitgen": type(obj.bit_generator).__name__, "state": encode(obj.bit_generator.state)}
    return {"t": "torch", "array": _array(obj.detach().cpu().numpy()), "requires_grad": bool(obj.requires_grad)}


def _decode_array(d):
    dtype = np.dtype(str(d["dtype"]))
    if dtype.kind not in "biufcSUmM":
        raise ValueError(f"refused dtype {dtype}")
    shape = tuple(int(n) for n in d["shape"])
    data = base64.b64decode(d["b64"])
    if len(data) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise ValueError("array bytes do not match its shape")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def decode(data, make_callable=None, memo=None, depth=0):
    """The value `encode` described; `make_callable(id, name)` builds the stand-in of a remote callable; `memo`:
    the call's `Memo` (a reply's description of an object this side sent updates that object and returns it)."""
    memo = Memo() if memo is None else memo
    if depth > MAX_DEPTH + 2:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):  # only tagged containers are produced; a bare list is still plain data
        return [decode(x, make_callable, memo, depth + 1) for x in data]
    tag = data.get("t")
    value = data.get("v")
    if tag == "ref":
        key = int(data["k"])
        if key not in memo.objects:
            raise ValueError("a reference to an object not sent")
        return memo.objects[key]
    if "k" in data:
        return _decode_kept(data, make_callable, memo, depth)
    if tag == "npscalar":
        return _decode_array(data["array"])[()]
    if tag == "complex":
        return complex(float(data["re"]), float(data["im"]))
    if tag in ("list", "tuple", "set", "frozenset"):
        items = [decode(x, make_callable, memo, depth + 1) for x in value]
        return getattr(builtins, tag)(items)
    if tag == "range":
        return range(*(int(x) for x in value))
    if tag == "slice":
        return slice(*(decode(x) for x in value))
    if tag == "fn" and make_callable is not None:
        return make_callable(int(data["id"]), str(data.get("name", "function")))
    if tag in ("fn", "opaque"):
        return stand_in_class(data.get("type", "function"))(str(data.get("repr", ""))[:200])
    if tag in ("nd", "dict", "rng", "torch"):  # from an encoder without keys: plain data still
        return _decode_kept({**data, "k": None}, make_callable, memo, depth)
    raise ValueError(f"unknown tag {tag!r}")


def _decode_kept(data, make_callable, memo, depth):
    """An object with a key: new (registered under it), or one this side sent (updated in place, returned)."""
    tag, key = data.get("t"), data["k"]
    if key is not None:
        key = int(key)
        if key in memo.described or key < 0:
            raise ValueError("an object described twice")
        memo.described.add(key)
    original = memo.objects.get(key) if key is not None else None
    if tag == "view":
        of = memo.objects.get(int(data["of"]))
        if not isinstance(of, np.ndarray):
            raise ValueError("a view of something that is not an array")
        fresh = of.view()
    elif tag in ("list", "set", "dict"):
        fresh = {"list": list, "set": set, "dict": dict}[tag]()
        if key is not None and original is None:
            memo.register(fresh, key)  # before its items: they may refer to it
        items = data["v"]
        if tag == "dict":
            fresh.update((decode(k, make_callable, memo, depth + 1), decode(v, make_callable, memo, depth + 1))
                         for k, v in items)
        else:
            (fresh.extend if tag == "list" else fresh.update)(decode(x, make_callable, memo, depth + 1) for x in items)
        if original is None:
            return fresh
    elif tag == "nd":
        fresh = _decode_array(data)
    elif tag == "rng":
        if data["bitgen"] not in BIT_GENERATORS:
            raise ValueError("unknown bit generator")
        bit_generator = getattr(np.random, data["bitgen"])()
        bit_generator.state = decode(data["state"])
        fresh = np.random.Generator(bit_generator)
    elif tag == "torch":
        import torch

        fresh = torch.from_numpy(_decode_array(data["array"])).requires_grad_(bool(data["requires_grad"]))
    elif tag == "opaque":
        return stand_in_class(data.get("type", "object"))(str(data.get("repr", ""))[:200])
    else:
        raise ValueError(f"unknown tag {tag!r}")
    if original is not None and isinstance(original, type(fresh)):
        sync(original, fresh)
        return original
    if key is not None and original is None:
        memo.register(fresh, key)
    return fresh


def sync(original, updated):
    """Copy `updated` into the mutable `original` in place (after a call that may have changed its arguments)."""
    if original is updated:
        return
    try:
        if isinstance(original, np.ndarray) and isinstance(updated, np.ndarray):
            if original.shape == updated.shape and original.flags.writeable:
                np.copyto(original, updated, casting="unsafe")
        elif isinstance(original, dict) and isinstance(updated, dict):
            for key in list(original):
                if key not in updated:
                    del original[key]
            for key, value in updated.items():
                if key in original and _mutable(original[key]) and original[key] is not value:
                    sync(original[key], value)
                else:
                    original[key] = value
        elif isinstance(original, list) and isinstance(updated, list):
            original[:] = updated
        elif isinstance(original, set) and isinstance(updated, set):
            original.clear()
            original.update(updated)
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
