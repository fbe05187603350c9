"""The course library as a student's kernel sees it: the reference implementations of the graded functions
withheld, the rest of the library (data, plotting, checks, networks) as it is.

For each assignment, a copy of `trainfaster/` is made in which every top-level function named like one of the
assignment's graded functions (in any module: `optimizers` and `fast_optimizers` both) is replaced by one
that raises. The sandbox binds the copy where the library is, so no import, computed or not, and no reading
of the files reaches the reference. One exception keeps the notebooks working: a function the library's own
code uses, in a module the notebook imports (directly or through other modules), stays (e.g. `network.train`
draws its mini-batches with `minibatch.random_mini_batches`); importing it is still flagged in the integrity
report. The test cells run outside the sandbox and use the real library.
"""

import ast
import compileall
import shutil
from functools import lru_cache
from pathlib import Path

import nbformat

from autograder.course import ROOT, SOLUTIONS
from autograder.boundary.restore import _meta, is_answer, is_test

LIBRARY = ROOT / "trainfaster"
STUB = ('def {name}(*args, **kwargs):\n    raise RuntimeError("trainfaster.{module}.{name} is withheld while '
        'notebooks are graded: the graded answer must be your own code")\n')


@lru_cache(maxsize=None)
def _tree(module):
    return ast.parse((LIBRARY / f"{module}.py").read_text())


def _imports(tree):
    """The `trainfaster` modules a piece of code imports."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("trainfaster.")}
        elif isinstance(node, ast.ImportFrom) and node.module == "trainfaster":
            found |= {a.name for a in node.names if (LIBRARY / f"{a.name}.py").exists()}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("trainfaster."):
            found.add(node.module.split(".")[1])
    return found


def _closure(modules):
    todo, seen = list(modules), set()
    while todo:
        module = todo.pop()
        if module not in seen and (LIBRARY / f"{module}.py").exists():
            seen.add(module)
            todo += _imports(_tree(module))
    return seen


def _used_elsewhere(module, name):
    """Whether `module`'s code uses `name` outside a function of that name."""
    for node in _tree(module).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            continue
        for inner in ast.walk(node):
            if getattr(inner, "id", None) == name or getattr(inner, "attr", None) == name:
                return True
    return False


@lru_cache(maxsize=None)
def withheld(slug):
    """`{module: [function names]}` withheld from the kernels grading `slug`."""
    notebook = nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4)
    graded = {_meta(c)["grade_id"] for c in notebook.cells if is_answer(c) and c.cell_type == "code"}
    imported = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and not is_test(cell):
            try:
                imported |= _imports(ast.parse(cell.source))
            except SyntaxError:
                continue
    needed = _closure(imported)
    found = {}
    for path in sorted(LIBRARY.glob("*.py")):
        names = [n.name for n in _tree(path.stem).body if isinstance(n, ast.FunctionDef) and n.name in graded]
        names = [n for n in names if not any(_used_elsewhere(m, n) for m in needed)]
        if names:
            found[path.stem] = names
    return found


def _without(module, names):
    """`module`'s source with the functions `names` replaced by stubs, every other line where it was."""
    lines = (LIBRARY / f"{module}.py").read_text().splitlines(keepends=True)
    for node in reversed(_tree(module).body):
        if isinstance(node, ast.FunctionDef) and node.name in names:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            stub = STUB.format(module=module, name=node.name).splitlines(keepends=True)
            lines[first - 1:node.end_lineno] = stub + ["\n"] * max(node.end_lineno - first + 1 - len(stub), 0)
    return "".join(lines)


def library_copy(slug, folder):
    """Write the library with `slug`'s references withheld into `folder/trainfaster` (compiled); return it."""
    target = Path(folder) / slug / "trainfaster"
    shutil.copytree(LIBRARY, target, ignore=shutil.ignore_patterns("__pycache__"))
    for module, names in withheld(slug).items():
        (target / f"{module}.py").write_text(_without(module, names))
    compileall.compile_dir(target, ddir=str(LIBRARY), quiet=1)  # tracebacks name the library as it is seen
    return target
