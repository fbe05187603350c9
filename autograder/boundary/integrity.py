"""The integrity report: submissions an instructor should look at, with the line that raised the flag.

Flags come from reading the student's own cells and from what the kernel saw at run time. Which cells are
the student's is decided from the source notebook, never from the submission's metadata (a cell marked
"locked" by its author is scanned like any other): every code cell is scanned but those `restore` replaces
with the source's. A flag is a reason to look, not a verdict: grades never depend on it.
"""

import ast
import re
from functools import lru_cache

from autograder import mistake_tables
from autograder.course import ROOT
from autograder.boundary.restore import _meta, given_cells, is_answer

IMPORTS_REFERENCE = "imports the reference implementation"
REACHES_INTERNALS = "reaches into functions' internals"
INTROSPECTION = {"__globals__", "__code__", "__closure__", "__wrapped__", "f_globals", "f_back", "gi_frame",
                 "_withheld"}  # the way to the library's private copies of the graded functions (`withhold`)
PATCHES = "patches a module"
READS_OUTSIDE = "reads files outside its folder"
CHANGED_TESTS = "changed a test cell"
COMPUTED_IMPORT = "imports a module by a computed name"
LOADERS = ("import_module", "__import__", "spec_from_file_location", "SourceFileLoader", "SourcelessFileLoader",
           "run_path", "run_module", "find_spec", "reload")
PATH_LITERAL = re.compile(r"^(~|\.\.)?/[\w.-]+(/[\w.-]*)*$|(^|/)\.\./")
PROTECTED = {"numpy", "trainfaster", "builtins", "torch", "math", "copy"}  # patching these can fool a check


@lru_cache(maxsize=None)
def reference_modules(graded_functions):
    """The `trainfaster` modules that define a graded function: importing them is looking at the answer."""
    modules = set()
    for path in (ROOT / "trainfaster").glob("*.py"):
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.FunctionDef) and n.name in graded_functions for n in tree.body):
            modules.add(f"trainfaster.{path.stem}")
    # and those the tests' wrong answers come from: they are computed from the answers
    return frozenset(modules | {f"trainfaster.{module}" for module in mistake_tables.modules()})


def _constant(node):
    """The string an expression always evaluates to (constants joined by + or an f-string), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _constant(node.left), _constant(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.FormattedValue) and node.format_spec is None and node.conversion == -1:
        return _constant(node.value)
    if isinstance(node, ast.JoinedStr):
        parts = [_constant(v) for v in node.values]
        return None if None in parts else "".join(parts)
    return None


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def scan(source, graded_functions, setup_names):
    """`[(flag, detail)]` for one cell of the student's code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    references = reference_modules(frozenset(graded_functions))
    modules = set(setup_names["modules"])  # local names bound to protected modules
    flags = []

    def flag(kind, node):
        line = source.splitlines()[node.lineno - 1].strip() if getattr(node, "lineno", 0) else ""
        flags.append((kind, line[:160]))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            full = [node.module or ""] if isinstance(node, ast.ImportFrom) else names
            full += [f"{node.module}.{n}" for n in names] if isinstance(node, ast.ImportFrom) else []
            if any(name in references for name in full):
                flag(IMPORTS_REFERENCE, node)
            if any("_withheld" in name for name in full):
                flag(REACHES_INTERNALS, node)
            if isinstance(node, ast.Import):
                modules.update((a.asname or a.name).split(".")[0] for a in node.names
                               if a.name.split(".")[0] in PROTECTED)
            elif (node.module or "").split(".")[0] in PROTECTED:
                modules.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            dotted = ast.unparse(node)
            if any(dotted.endswith(r) or dotted.startswith(r) for r in references):
                flag(IMPORTS_REFERENCE, node)
            elif node.attr in graded_functions:
                flag(IMPORTS_REFERENCE, node)  # e.g. trainfaster.bn_network.batchnorm.batchnorm_forward
            elif node.attr in INTROSPECTION:
                flag(REACHES_INTERNALS, node)
        elif isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if called in ("setattr", "delattr") and node.args and _root_name(node.args[0]) in modules:
                flag(PATCHES, node)
            elif called.split(".")[-1] in LOADERS and node.args:
                name = _constant(node.args[0])
                if name is None:
                    flag(COMPUTED_IMPORT, node)
                elif name in references or any(name.endswith(f"/{r.split('.')[-1]}.py") for r in references):
                    flag(IMPORTS_REFERENCE, node)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                sys_modules = isinstance(target, ast.Subscript) and ast.unparse(target.value) == "sys.modules"
                if sys_modules or isinstance(target, (ast.Attribute, ast.Subscript)) and _root_name(target) in modules:
                    flag(PATCHES, node)
                elif isinstance(target, ast.Name) and target.id in setup_names["helpers"]:
                    flag(PATCHES, node)
        elif isinstance(node, ast.FunctionDef) and node.name in setup_names["helpers"]:
            flag(PATCHES, node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and PATH_LITERAL.search(node.value):
            flag(READS_OUTSIDE, node)
        text = _constant(node) if isinstance(node, (ast.Constant, ast.BinOp, ast.JoinedStr)) else None
        if text in references or text in ("__import__", "import_module"):  # e.g. getattr(builtins, "__imp" + "ort__")
            flag(IMPORTS_REFERENCE if text in references else COMPUTED_IMPORT, node)
    return flags


def setup_names(source_notebook):
    """What the locked setup cells import, and the given and locked code cells define: module names and the
    helpers a student must not redefine."""
    modules, helpers = set(), set()
    for cell in given_cells(source_notebook):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        helpers.update(n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)))
    for cell in source_notebook.cells:
        if cell.cell_type != "code" or not _meta(cell).get("locked") or _meta(cell).get("grade"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):  # e.g. exercise 8's locked optimizer_steps
                helpers.add(node.name)
            elif isinstance(node, ast.Import):
                modules.update((a.asname or a.name).split(".")[0] for a in node.names
                               if a.name.split(".")[0] in PROTECTED)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "trainfaster":
                helpers.update(a.asname or a.name for a in node.names)
                modules.update(a.asname or a.name for a in node.names)
    return {"modules": modules | {"builtins", "trainfaster", "numpy", "np"}, "helpers": helpers}


def report(student_notebook, source_notebook, suspicious_paths, changes):
    """Every flag of one submission: `[(flag, detail)]`, without repeats."""
    graded = {_meta(c)["grade_id"] for c in source_notebook.cells if _meta(c).get("solution")}
    replaced = {_meta(c)["grade_id"] for c in source_notebook.cells if _meta(c).get("grade_id") and not is_answer(c)}
    given = {cell.source.strip() for cell in given_cells(source_notebook)}
    names = setup_names(source_notebook)
    flags = []
    for cell in student_notebook.cells:
        if cell.get("cell_type") == "code" and _meta(cell).get("grade_id") not in replaced \
                and str(cell.get("source", "")).strip() not in given:
            flags += scan(cell.get("source", ""), graded, names)
    flags += [(READS_OUTSIDE, f"opened {path}") for path in suspicious_paths]
    flags += [(CHANGED_TESTS, change) for change in changes]
    return list(dict.fromkeys((flag, _printable(detail)) for flag, detail in flags))


def _printable(text):
    """A detail fit for every gradebook (PostgreSQL refuses NUL) and one CSV line: control characters dropped."""
    return "".join(c if c.isprintable() else " " for c in str(text))[:300]


def write(path, rows):
    """integrity.csv: student_id, assignment, flag, detail."""
    from autograder.records import csvsafe

    csvsafe.write(path, ["student_id", "assignment", "flag", "detail"], sorted(rows))
