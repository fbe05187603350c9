"""The student package's `trainfaster.derivation_mistakes`: the visible tests' wrong derivations as values.

The library computes each usual wrong derivation of chapters 6 and 7 (batch norm's, layer norm's and RMSNorm's
backward pass, the softmax's Jacobian and gradient) from a formula, and those formulas hold the right one: the
batch-norm graph walked with every arrow right is `batchnorm_backward`. The package a student installs must not
carry them. It carries instead, for each call the released notebooks' visible tests make, the values that call
returns, found by running the solutions' visible tests once when the package is built; any other input gets no named
mistake (the visible test still fails a wrong answer, and grading, which has the whole library, names the mistake).
"""

import ast
import json
import tempfile
from pathlib import Path

import nbformat
import numpy as np

from autograder.boundary.restore import is_test
from autograder.course import ROOT, SOLUTIONS, slugs
from autograder.run.checker import split_hidden

MODULE = "derivation_mistakes"
RECORD = '''
import json as _json, numpy as _np, trainfaster.{module} as _module

def _plain(value):
    if isinstance(value, dict):
        return {{str(k): _plain(v) for k, v in value.items()}}
    if isinstance(value, _np.ndarray):
        return {{"array": value.astype(float).tolist(), "shape": list(value.shape)}}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (_np.floating, _np.integer)):
        return value.item()
    return value

_calls = []

def _recorded(name, function):
    def call(*args, **kwargs):
        result = function(*args, **kwargs)
        _calls.append([name, _plain(list(args)), _plain(kwargs), _plain(result)])
        return result
    return call

for _name in {names!r}:
    setattr(_module, _name, _recorded(_name, getattr(_module, _name)))
'''
SAVE = "with open({path!r}, 'w') as _file:\n    _json.dump(_calls, _file)\n"
SOURCE = '''"""`trainfaster.{module}` as the student package has it: not the formulas (they hold the derivations the
exercises ask for), but what each function returns for the inputs the exercises' visible tests give it. Other
inputs get no named mistake; grading names it."""

import json

import numpy as np

_CALLS = json.loads({table!r})


def _value(plain):
    if isinstance(plain, dict) and set(plain) == {{"array", "shape"}}:
        return np.array(plain["array"], dtype=float).reshape(plain["shape"])
    if isinstance(plain, dict):
        return {{key: _value(item) for key, item in plain.items()}}
    if isinstance(plain, list):
        return [_value(item) for item in plain]
    return plain


def _same(given, recorded):
    if isinstance(recorded, np.ndarray):
        given = np.asarray(given, dtype=float)
        return given.shape == recorded.shape and bool(np.allclose(given, recorded, rtol=1e-9, atol=1e-12))
    if isinstance(recorded, list):
        return isinstance(given, (list, tuple)) and len(given) == len(recorded) and all(
            _same(g, r) for g, r in zip(given, recorded))
    if isinstance(recorded, dict):
        return isinstance(given, dict) and set(given) == set(recorded) and all(
            _same(given[key], recorded[key]) for key in recorded)
    return given == recorded


def _lookup(name, args, kwargs):
    for called, recorded_args, recorded_kwargs, result in _CALLS:
        if called == name and _same(list(args), _value(recorded_args)) and _same(kwargs, _value(recorded_kwargs)):
            return _value(result)
    return {{}}
'''
FUNCTION = '''

def {name}(*args, **kwargs):
    """The named wrong answers for a visible test's inputs; {{}} for other inputs."""
    return _lookup({name!r}, args, kwargs)
'''


def public_functions(library=ROOT / "trainfaster"):
    """The names of the module's public functions, in their order."""
    tree = ast.parse((library / f"{MODULE}.py").read_text())
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]


def users():
    """The exercises whose test cells use the module."""
    return [slug for slug in slugs() if MODULE in (SOLUTIONS / f"{slug}.ipynb").read_text()]


def record(names):
    """Every call of the module's functions the visible tests of the solutions make: `[name, args, kwargs, result]`,
    arrays as `{"array", "shape"}`. The solutions run with their hidden tests removed, as a student's copy has them."""
    from nbclient import NotebookClient

    calls = []
    with tempfile.TemporaryDirectory(prefix="mistake-tables-") as tmp:
        for slug in users():
            notebook = nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4)
            for cell in notebook.cells:
                if cell.cell_type == "code" and is_test(cell):
                    cell.source = split_hidden(cell.source)[0]
            saved = Path(tmp) / f"{slug}.json"
            notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD.format(module=MODULE, names=names)))
            notebook.cells.append(nbformat.v4.new_code_cell(SAVE.format(path=str(saved))))
            NotebookClient(notebook, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(SOLUTIONS)}}).execute()
            calls += json.loads(saved.read_text())
    return calls


def shipped_source(library=ROOT / "trainfaster"):
    """The module's source as the package ships it: the recorded calls and a lookup per public function."""
    names = public_functions(library)
    table = json.dumps(record(names), separators=(",", ":"))
    return SOURCE.format(module=MODULE, table=table) + "".join(FUNCTION.format(name=name) for name in names)
