"""`make dist`: the student package, a wheel holding what a student may have and nothing else.

It is built by pip from a fresh staging folder, so nothing of the repository that was not staged can slip in:
- `trainfaster/`, the library (the modules the exercises import, and theirs; `variants.py` without its comments,
  which reason about the answers), without the graded functions' references: each is replaced by a stub that raises,
  its lines removed from the file (the grading sandbox's copy, `boundary.withhold`, keeps them out of reach
  but present, which a package a student holds cannot do), except those the library's own code or the
  notebooks' given cells call (the demonstrations need them); and without the derive/predict answers (a module whose checks hold the answers
  and their explanations ships as checks that say the answer is checked when the notebook is graded); its
  `derivation_mistakes` and `mistakes_NN`, whose formulas hold the answers, ship as the values the visible
  tests use (`autograder.mistake_tables`);
- of `autograder/`, the modules the student's commands (`autograder.student`: `course-start`, `course-check`)
  import, found from their imports when it is built, and the kernel program the self-check starts;
- the exercise notebooks, released fresh from `solutions/`, as `autograder/notebooks/*.ipynb`.

`python -m autograder.package [--out dist]` builds it and prints its path, size and number of files.
"""

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import nbformat

from autograder import mistake_tables
from autograder.course import ROOT, SOLUTIONS, slugs
from autograder.boundary.restore import _meta, is_answer
from autograder.run.checker import split_hidden
from autograder.release import release
from autograder.start import torch_cpu_command

NAME = "trainfaster-course"
# What runs: the commands, and the kernel program validate starts (a program, so no import names it).
ENTRY_MODULES = ("autograder.student", "autograder.boundary.kernel.__main__")
LIBRARY = ROOT / "trainfaster"
STUB = ('def {name}(*args, **kwargs):\n    raise RuntimeError("trainfaster.{module}.{name} is not in the course package: '
        'the exercise asks you to write it")\n')
SCRIPTS = {"course-start": "autograder.student:start_entry", "course-check": "autograder.student:check_entry"}


def _module_file(name):
    """The source file of the dotted module `name` in the repository, or None."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path):
    """The `autograder` modules the source at `path` imports, anywhere in it (function bodies too)."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from package import module`
    return {name for name in found if name.split(".")[0] == "autograder" and _module_file(name)}


def shipped_modules(entries=ENTRY_MODULES):
    """The source files of `autograder` the student's commands need: the import closure of `entries`, with
    every package's `__init__.py` on the way."""
    todo, seen = [_module_file(name) for name in entries], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo += [_module_file(name) for name in _imported(path)]
        for parent in path.relative_to(ROOT).parents:
            if parent.parts:
                todo.append(ROOT / parent / "__init__.py")
    return sorted(path.relative_to(ROOT) for path in seen)


def answer_modules(library=LIBRARY):
    """`{module: [check functions]}`: library modules whose checks hold a derive/predict answer (their
    `check_prediction` calls carry the explanation of the right number)."""
    found = {}
    for path in sorted(library.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(call, ast.Call) and getattr(call.func, "id", None) == "check_prediction"
                    and any(keyword.arg == "explanation" for keyword in call.keywords) for call in ast.walk(node)):
                found.setdefault(path.stem, []).append(node.name)
    return found


def checked_when_graded(module, names):
    """The source shipped in place of an answer module: each check says it runs when graded."""
    lines = [f'"""`trainfaster.{module}` as the student package has it: the answers are not in it; your '
             'predictions and derivations\nare checked when the notebook is graded."""\n']
    for name in names:
        task = name.removeprefix("check_")
        lines.append(f"\n\ndef {name}(*args, **kwargs):\n"
                     f'    print("{task}: answered; it is checked when the notebook is graded (the course package '
                     'does not carry the answers).")\n')
    return "".join(lines)


def graded_functions():
    """The names of every assignment's graded functions (their code answer cells)."""
    names = set()
    for slug in slugs():
        notebook = nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4)
        names |= {_meta(cell)["grade_id"] for cell in notebook.cells if is_answer(cell) and cell.cell_type == "code"}
    return names


def _origins(tree):
    """`(modules, names)`: `{alias: module}` for the library modules a piece of code imports (`from trainfaster
    import minibatch as reference`), and `{alias: (module, name)}` for the functions it imports from them."""
    modules, names = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "trainfaster":
            modules |= {alias.asname or alias.name: alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("trainfaster."):
            names |= {alias.asname or alias.name: (node.module.split(".")[1], alias.name) for alias in node.names}
    return modules, names


def _references(node, modules, imported, module):
    """`{(module, name)}` a piece of code refers to: its own module's names, functions it imported from a
    library module, and attributes of a library module (`minibatch.random_mini_batches`)."""
    found = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.add(imported.get(inner.id, (module, inner.id)))
        elif isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name) and inner.value.id in modules:
            found.add((modules[inner.value.id], inner.attr))
    return found


def _functions(library):
    """`{(module, name): what it refers to}` for every top-level function of the library."""
    functions = {}
    for path in sorted(library.glob("*.py")):
        tree = ast.parse(path.read_text())
        modules, imported = _origins(tree)
        for top in tree.body:
            if isinstance(top, ast.FunctionDef):
                functions[(path.stem, top.name)] = _references(top, modules, imported, path.stem)
    return functions


def needed_by_library(graded, library=LIBRARY):
    """`{module: names}`: graded functions the library's public code calls (`network.train` draws its
    mini-batches with `minibatch.random_mini_batches`), directly or through its private helpers, so the
    demonstrations need them. A call through a parameter (`ops.batchnorm_forward`) takes the caller's
    function, the student's, and needs none."""
    functions = _functions(library)
    todo = [key for key in functions if not key[1].startswith("_") and key[1] not in graded]
    seen, needed = set(todo), {}
    while todo:
        for reference in functions[todo.pop()]:
            if reference in functions and reference[1] in graded:
                needed.setdefault(reference[0], set()).add(reference[1])
            elif reference in functions and reference[1].startswith("_") and reference not in seen:
                seen.add(reference)
                todo.append(reference)
    return {module: sorted(names) for module, names in sorted(needed.items())}


def used_by_notebook(slug, graded):
    """`{(module, name)}`: graded functions the given and test cells of `slug` (their visible parts) use from the
    library."""
    trees = []
    for cell in nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4).cells:
        if cell.cell_type == "code" and not is_answer(cell):
            try:
                trees.append(ast.parse(split_hidden(cell.source)[0]))
            except SyntaxError:
                continue
    modules, imported = {}, {}  # a name imported in the setup cell is used in later cells
    for tree in trees:
        found_modules, found_names = _origins(tree)
        modules, imported = modules | found_modules, imported | found_names
    return {(module, name) for tree in trees for module, name in _references(tree, modules, imported, None)
            if module and name in graded}


def needed_by_notebooks(graded):
    """`{module: names}`: graded functions the released notebooks' own cells use from the library (a visible
    test that computes a wrong answer's value with the reference), so the self-check needs them."""
    needed = {}
    for slug in slugs():
        for module, name in used_by_notebook(slug, graded):
            needed.setdefault(module, set()).add(name)
    return {module: sorted(names) for module, names in sorted(needed.items())}


def withheld_functions(library=LIBRARY):
    """`{module: names}` the package leaves out: every graded function's reference the library defines, but
    those its own public code or the notebooks' own cells use; and the private helpers only they use (batch norm's `_normalize_backward`
    holds `batchnorm_backward`'s computation)."""
    graded = graded_functions()
    functions = _functions(library)
    needed = needed_by_library(graded, library)
    for module, names in needed_by_notebooks(graded).items():
        needed[module] = sorted({*needed.get(module, []), *names})
    removed = {key for key in functions if key[1] in graded and key[1] not in needed.get(key[0], ())}
    while True:
        users = {key: [user for user, refs in functions.items() if key in refs and user != key] for key in functions}
        more = {key for key, who in users.items() if key[1].startswith("_") and who and key not in removed
                and all(user in removed for user in who)}
        if not more:
            break
        removed |= more
    found = {}
    for module, name in sorted(removed):
        found.setdefault(module, []).append(name)
    return found


def without(source, module, names):
    """`source` with the functions `names` replaced by stubs that raise, every other line where it was."""
    lines = source.splitlines(keepends=True)
    for node in reversed(ast.parse(source).body):
        if isinstance(node, ast.FunctionDef) and node.name in names:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            stub = STUB.format(module=module, name=node.name).splitlines(keepends=True)
            lines[first - 1:node.end_lineno] = stub + ["\n"] * max(node.end_lineno - first + 1 - len(stub), 0)
    return "".join(lines)


def _library_imports(source):
    """The `trainfaster` modules `source` imports (notebook magics dropped)."""
    try:
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return set()
    modules, names = _origins(tree)
    plain = {alias.name.split(".")[1] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names if alias.name.startswith("trainfaster.")}  # `import trainfaster.data`
    return {*modules.values(), *(module for module, _ in names.values()), *plain}


def library_modules(library=LIBRARY):
    """The library modules the package ships: those the exercises' cells and the shipped `autograder` modules
    import, and what they import in turn. The book's own (`many_seeds`, `noisy_quadratic`, ...) stay in the
    repository: they hold answers (`many_seeds` runs successive halving) and no exercise needs them."""
    sources = [cell.source for slug in slugs() for cell in nbformat.read(SOLUTIONS / f"{slug}.ipynb", as_version=4).cells
               if cell.cell_type == "code"]
    sources += [(ROOT / path).read_text() for path in shipped_modules()]
    todo = set().union(*map(_library_imports, sources))
    found = set()
    while todo:
        module = todo.pop()
        if module not in found and (library / f"{module}.py").is_file():
            found.add(module)
            todo |= _library_imports((library / f"{module}.py").read_text())
    return sorted(found)


def without_comments(source):
    """`source` with its comments removed (the code and docstrings unchanged)."""
    import io
    import tokenize

    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines()
    alone = {token.start[0] for token in tokens if token.type == tokenize.COMMENT
             and not lines[token.start[0] - 1][:token.start[1]].strip()}  # a line that is only a comment
    kept = tokenize.untokenize([token for token in tokens if token.type != tokenize.COMMENT]).splitlines()
    return "\n".join(line.rstrip() for number, line in enumerate(kept, 1) if number not in alone) + "\n"


def stage_library(target):
    shipped = set(library_modules())
    shutil.copytree(LIBRARY, target, ignore=lambda folder, names: [
        name for name in names if name == "__pycache__" or name.endswith(".pyc")
        or (name.endswith(".py") and name != "__init__.py" and Path(name).stem not in shipped)])
    # the ranges' comments say which mistakes each range keeps apart from the answer, and so the answers
    (target / "variants.py").write_text(without_comments((LIBRARY / "variants.py").read_text()))
    for module, names in withheld_functions().items():
        path = target / f"{module}.py"
        if path.is_file():
            path.write_text(without(path.read_text(), module, names))
    for module, names in answer_modules().items():
        if module in shipped:
            (target / f"{module}.py").write_text(checked_when_graded(module, names))
    for module, source in mistake_tables.shipped_sources().items():
        if module in shipped:
            (target / f"{module}.py").write_text(source)


def metadata_toml(packages):
    """The staged package's pyproject.toml: the course's dependencies, extras and build backend."""
    course = tomllib.loads((ROOT / "pyproject.toml").read_text())
    source = course["project"]
    extras = {extra: source["optional-dependencies"][extra] for extra in ("frameworks", "lab")}
    toml_list = lambda items: "[" + ", ".join(f'"{item}"' for item in items) + "]"  # noqa: E731
    return "\n".join([
        '[build-system]', f'requires = {toml_list(course["build-system"]["requires"])}',
        'build-backend = "setuptools.build_meta"', '',
        '[project]', f'name = "{NAME}"', f'version = "{source["version"]}"',
        'description = "Training deep networks faster: the student package (the library, the exercises, '
        'course-start and course-check)."',
        'readme = "README.md"', f'requires-python = "{source["requires-python"]}"',
        f'license = {{ text = "{source["license"]["text"]}" }}',
        f'dependencies = {toml_list(source["dependencies"])}', '',
        '[project.optional-dependencies]', *(f'{extra} = {toml_list(specs)}' for extra, specs in extras.items()), '',
        '[project.scripts]', *(f'{script} = "{target}"' for script, target in SCRIPTS.items()), '',
        '[tool.setuptools]', f'packages = {toml_list(packages)}', 'include-package-data = false', '',
        '[tool.setuptools.package-data]', 'autograder = ["notebooks/*.ipynb"]', ''])


README = """\
# Training deep networks faster: the student package

The course library `trainfaster`, the eight exercise notebooks and two commands:

```bash
course-start 03                                # copy exercise 3 into the current folder (never over your work)
course-check 03_momentum_rmsprop_adam.ipynb    # check it as grading will; save the notebook first
```

`course-start --list` lists the exercises. The `lab` extra installs JupyterLab, the `frameworks` extra PyTorch
(exercise 8). On Linux, PyPI's PyTorch is a CUDA build of 2.7 GB: install the CPU build first,

```bash
{torch}
```
"""


def stage(folder):
    """Write the package's sources into `folder`, the notebooks released now from `solutions/` (without the
    course secret: `release`'s default)."""
    folder = Path(folder)
    stage_library(folder / "trainfaster")
    for relative in shipped_modules():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, folder / relative)
    release(folder / "autograder" / "notebooks")
    packages = sorted({"trainfaster"} | {str(p.parent).replace("/", ".") for p in shipped_modules()})
    (folder / "pyproject.toml").write_text(metadata_toml(packages))
    (folder / "README.md").write_text(README.format(torch=torch_cpu_command()))
    return folder


def build(out="dist"):
    """Build the wheel into `out`; return its path."""
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="student-package-") as tmp:
        staged = stage(Path(tmp) / "package")
        run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                              "--wheel-dir", tmp, str(staged)], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"pip could not build the student package:\n{run.stdout}{run.stderr}")
        wheel = next(Path(tmp).glob("*.whl"))
        target = out / wheel.name
        shutil.copyfile(wheel, target)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.package", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="dist", help="the folder the wheel is written to (default: dist)")
    args = parser.parse_args(argv)
    wheel = build(args.out)
    with zipfile.ZipFile(wheel) as archive:
        count = len(archive.namelist())
    print(f"{wheel}: {wheel.stat().st_size / 1e6:.2f} MB, {count} files")


if __name__ == "__main__":
    main()
