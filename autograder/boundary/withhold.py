"""The course library as a student's kernel sees it: every graded function's reference withheld, the rest of the
library (data, plotting, checks, networks) working as it is.

For each assignment, a copy of `trainfaster/` is made in which every top-level function named like one of the
assignment's graded functions (in any module: `optimizers` and `fast_optimizers` both) is replaced, at the end
of its module, by a stub that raises. So however it is reached (`from trainfaster.batchnorm import ...`, an
attribute of an already imported module such as `trainfaster.bn_network.batchnorm.batchnorm_forward`, a
computed import, the files) it raises. The library's own code keeps working: inside its functions, every use of
a withheld name (`softmax(Z)`, `ops.batchnorm_forward(...)`) goes through `_withheld.reference`, which turns a
stub into the private copy it stands for and leaves anything else (a student's own function passed as `ops`)
as it is. The private copies are held in a closure, not in any module's names: reaching them takes
introspection, which the integrity scan flags. The sandbox binds the copy where the library is; every line of
a module stays where it was (the stubs come after the last one). The test cells run outside the sandbox and
use the real library; the modules their wrong answers come from (`derivation_mistakes`, `mistakes_NN`, computed from
the answers) are withheld whole.
"""

import ast
import compileall
import shutil
from functools import lru_cache
from pathlib import Path

import nbformat

from autograder import mistake_tables
from autograder.course import ROOT, SOLUTIONS
from autograder.boundary.restore import _meta, is_answer

LIBRARY = ROOT / "trainfaster"
HELPER = '''"""Withheld while notebooks are graded: the stubs of the graded functions, and the library's way to its own."""


def _table():
    private = {}  # id(stub): (stub, the function it stands for)

    def stub(module, name, function):
        def withheld(*args, **kwargs):
            raise RuntimeError(f"trainfaster.{module}.{name} is withheld while notebooks are graded: the graded "
                               "answer must be your own code")

        withheld.__name__ = withheld.__qualname__ = name
        withheld.__module__ = f"trainfaster.{module}"
        private[id(withheld)] = (withheld, function)
        return withheld

    def reference(function):
        entry = private.get(id(function))
        return entry[1] if entry is not None and entry[0] is function else function

    return stub, reference


stub, reference = _table()
del _table
'''


MISTAKES_WITHHELD = '''"""Withheld while notebooks are graded: the tests' wrong answers, computed from the answers (the test
cells, which run outside the kernel, use the library's own)."""


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise RuntimeError(f"trainfaster.{module}.{{name}} is withheld while notebooks are graded: the graded answer "
                       "must be your own code")
'''


@lru_cache(maxsize=None)
def _tree(module):
    return ast.parse((LIBRARY / f"{module}.py").read_text())


@lru_cache(maxsize=None)
def graded_functions(slug):
    """The names of `slug`'s graded functions (its code answer cells)."""
    notebook = nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4)
    return frozenset(_meta(c)["grade_id"] for c in notebook.cells if is_answer(c) and c.cell_type == "code")


@lru_cache(maxsize=None)
def withheld(slug):
    """`{module: [function names]}` withheld from the kernels grading `slug`."""
    graded = graded_functions(slug)
    found = {}
    for path in sorted(LIBRARY.glob("*.py")):
        names = [n.name for n in _tree(path.stem).body if isinstance(n, ast.FunctionDef) and n.name in graded]
        if names:
            found[path.stem] = names
    return found


def _uses(module, names):
    """`[(line, column, text)]`: insertions that wrap each use of `names` inside the module's functions in
    `_withheld.reference(...)`. A use at import time (a default argument, a decorator) would keep the reference
    itself: refused, so the library is changed before it leaks."""
    edits = []
    for top in _tree(module).body:
        if not isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        arguments = getattr(top, "args", None)
        outside = [*top.decorator_list, *getattr(arguments, "defaults", []), *getattr(arguments, "kw_defaults", [])]
        if any(_named(node, names) for part in outside if part is not None for node in ast.walk(part)):
            raise ValueError(f"trainfaster/{module}.py uses a graded function at import time ({top.name}): "
                             "use it inside a function, so it can be withheld")
        for node in (node for stmt in top.body for node in ast.walk(stmt)):
            if _named(node, names):
                edits += [(node.lineno, node.col_offset, "_withheld.reference("),
                          (node.end_lineno, node.end_col_offset, ")")]
    return edits


def _named(node, names):
    """Whether `node` reads a withheld name: `name` or `something.name`."""
    return ((isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load))
            or (isinstance(node, ast.Attribute) and node.attr in names and isinstance(node.ctx, ast.Load)))


@lru_cache(maxsize=None)
def _source(module):
    return (LIBRARY / f"{module}.py").read_text()


def _rewritten(module, graded, own):
    """`module`'s source with every use of `graded` inside its functions going through `_withheld.reference`,
    and its own functions `own` replaced by stubs after its last line."""
    lines = _source(module).splitlines(keepends=True)
    edits = _uses(module, graded)
    for line, column, text in sorted(edits, key=lambda edit: edit[:2], reverse=True):  # offsets stay right
        raw = lines[line - 1].encode()  # (ast's columns count UTF-8 bytes)
        lines[line - 1] = (raw[:column] + text.encode() + raw[column:]).decode()
    if not edits and not own:
        return None
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.append("from trainfaster import _withheld  # noqa: E402 (withheld while notebooks are graded)\n")
    lines += [f"{name} = _withheld.stub({module!r}, {name!r}, {name})\n" for name in own]
    return "".join(lines)


def library_copy(slug, folder):
    """Write the library with `slug`'s references withheld into `folder/<slug>/trainfaster` (compiled); return it."""
    target = Path(folder) / slug / "trainfaster"
    shutil.copytree(LIBRARY, target, ignore=shutil.ignore_patterns("__pycache__"))
    graded, own = graded_functions(slug), withheld(slug)
    (target / "_withheld.py").write_text(HELPER)
    for path in sorted(LIBRARY.glob("*.py")):
        text = _rewritten(path.stem, graded, own.get(path.stem, []))
        if text is not None:
            (target / path.name).write_text(text)
    for module in mistake_tables.modules():  # the tests' wrong answers, computed from the answers
        (target / f"{module}.py").write_text(MISTAKES_WITHHELD.format(module=module))
    compileall.compile_dir(target, ddir=str(LIBRARY), quiet=1)  # tracebacks name the library as it is seen
    return target
