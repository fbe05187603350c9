"""The student package's answer-holding test helpers: the visible tests' wrong answers as values, not formulas.

The exercises' visible tests name a student's mistake by comparing the answer with the usual wrong answers, and
the library computes those from formulas that hold the right one: the batch-norm graph walked with every arrow
right is `batchnorm_backward`, Muon's step with the right Nesterov term is `update_parameters_with_muon`. Those
helpers live in the library's `derivation_mistakes` and `mistakes_NN` modules (one per exercise), never in a
notebook, and the package a student installs must not carry their formulas. It carries instead, for each call the
released notebooks' visible tests make, the value that call returns, found by running the solutions' visible tests
once when the package is built; any other input gets no named mistake (`{}`: the visible test still fails a wrong
answer, and grading, which has the whole library, names the mistake).
"""

import ast
import json
import tempfile
from pathlib import Path

import nbformat

from autograder.boundary.restore import is_test
from autograder.course import ROOT, SOLUTIONS, slugs
from autograder.run.checker import split_hidden

LIBRARY = ROOT / "trainfaster"
RECORD = '''
import importlib as _importlib, json as _json, numpy as _np

def _plain(value):
    if isinstance(value, dict):
        return {{"dict": [[_plain(k), _plain(v)] for k, v in value.items()]}}
    if isinstance(value, _np.ndarray):
        return {{"array": value.astype(float).tolist(), "shape": list(value.shape)}}
    if isinstance(value, tuple):
        return {{"tuple": [_plain(item) for item in value]}}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (_np.floating, _np.integer, _np.bool_)):
        return value.item()
    return value

_calls = []

def _recorded(module, name, function):
    def call(*args, **kwargs):
        result = function(*args, **kwargs)
        _calls.append([module, name, _plain(list(args)), _plain(kwargs), _plain(result)])
        return result
    return call

for _module, _names in {functions!r}.items():
    _loaded = _importlib.import_module("trainfaster." + _module)
    for _name in _names:
        setattr(_loaded, _name, _recorded(_module, _name, getattr(_loaded, _name)))
'''
SAVE = "with open({path!r}, 'w') as _file:\n    _json.dump(_calls, _file)\n"
SOURCE = '''"""`trainfaster.{module}` as the student package has it: not the formulas (they hold the answers the exercises
ask for), but what each function returns for the inputs the exercises' visible tests give it. Other inputs get no
named mistake; grading names it."""

import json

import numpy as np

_CALLS = json.loads({table!r})


def _value(plain):
    if isinstance(plain, dict) and set(plain) == {{"array", "shape"}}:
        return np.array(plain["array"], dtype=float).reshape(plain["shape"])
    if isinstance(plain, dict) and set(plain) == {{"tuple"}}:
        return tuple(_value(item) for item in plain["tuple"])
    if isinstance(plain, dict) and set(plain) == {{"dict"}}:
        return {{_value(key): _value(item) for key, item in plain["dict"]}}
    if isinstance(plain, list):
        return [_value(item) for item in plain]
    return plain


def _same(given, recorded):
    if isinstance(recorded, np.ndarray):
        try:
            given = np.asarray(given, dtype=float)
        except (TypeError, ValueError):
            return False
        return given.shape == recorded.shape and bool(np.allclose(given, recorded, rtol=1e-9, atol=1e-12,
                                                                  equal_nan=True))
    if isinstance(recorded, (list, tuple)):
        return isinstance(given, (list, tuple)) and len(given) == len(recorded) and all(
            _same(g, r) for g, r in zip(given, recorded))
    if isinstance(recorded, dict):
        return isinstance(given, dict) and set(given) == set(recorded) and all(
            _same(given[key], recorded[key]) for key in recorded)
    if (isinstance(recorded, (int, float)) and not isinstance(recorded, bool)
            and isinstance(given, (int, float, np.number)) and not isinstance(given, (bool, np.bool_))):
        return bool(np.isclose(float(given), recorded, rtol=1e-9, atol=1e-12, equal_nan=True))
    return type(given) is type(recorded) and given == recorded


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


def modules(library=LIBRARY):
    """The library modules whose functions hold answers and ship as values."""
    return ["derivation_mistakes", *sorted(path.stem for path in library.glob("mistakes_*.py"))]


def public_functions(module, library=LIBRARY):
    """The names of the module's public functions, in their order."""
    tree = ast.parse((library / f"{module}.py").read_text())
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]


def users(names):
    """The exercises whose test cells use one of the modules `names`."""
    return [slug for slug in slugs() if any(name in (SOLUTIONS / f"{slug}.ipynb").read_text() for name in names)]


def record(functions):
    """Every call of the functions `{module: [names]}` the visible tests of the solutions make:
    `[module, name, args, kwargs, result]`, encoded for JSON. The solutions run with their hidden tests removed, as
    a student's copy has them."""
    from nbclient import NotebookClient

    calls = []
    with tempfile.TemporaryDirectory(prefix="mistake-tables-") as tmp:
        for slug in users(functions):
            notebook = nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4)
            for cell in notebook.cells:
                if cell.cell_type == "code" and is_test(cell):
                    cell.source = split_hidden(cell.source)[0]
            saved = Path(tmp) / f"{slug}.json"
            notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD.format(functions=functions)))
            notebook.cells.append(nbformat.v4.new_code_cell(SAVE.format(path=str(saved))))
            NotebookClient(notebook, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(SOLUTIONS)}}).execute()
            calls += json.loads(saved.read_text())
    return calls


def shipped_sources(library=LIBRARY):
    """`{module: source as the package ships it}`: the recorded calls and a lookup per public function."""
    functions = {module: public_functions(module, library) for module in modules(library)}
    calls = record(functions)
    sources = {}
    for module, names in functions.items():
        table = json.dumps([call[1:] for call in calls if call[0] == module], separators=(",", ":"))
        sources[module] = (SOURCE.format(module=module, table=table)
                           + "".join(FUNCTION.format(name=name) for name in names))
    return sources
