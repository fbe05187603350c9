"""The student package (`make dist`): built, installed fresh from its file, nothing instructor-only in it, and an
exercise got with `course-start`, filled in with the model answers, passes `course-check` from a plain shell in a
folder with no clone.

The fresh environment gets the wheel from its file with `pip install --no-deps`, and the wheel's declared
dependencies (and theirs) hard-linked from the course's own environment, the same files pip would unpack from
the registry, in seconds and without the network; `pip check` then proves that what the wheel declares is all
it needs. (`tests/test_student.py` builds the clone's `make lab` environment from the registry.)
"""

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

from autograder import mistake_tables
from autograder.package import (NAME, answer_modules, graded_functions, library_modules, needed_by_library,
                                needed_by_notebooks, shipped_modules, withheld_functions)
from notebook_cells import ROOT

pytestmark = pytest.mark.slow
SECRET = "grading-secret-7f3a9c51e2"  # set while building: it must not reach the package
# Graded functions the package keeps, as the library's own code calls them: `network.train` and `sweep` draw
# mini-batches with random_mini_batches; `softmax_network` trains with softmax and its cost ...
# The library's own experiments call these: network.train's shuffle, chapters 5-6's batched runs
# (`many_seeds`: gradient descent and the warmup), the speedrun's Adam baseline, the softmax network.
KEPT_BY_LIBRARY = {"minibatch": ["random_mini_batches", "update_parameters_with_gd"],
                   "optimizers": ["initialize_adam", "update_parameters_with_adam"], "schedules": ["linear_warmup"],
                   "softmax": ["cross_entropy_cost", "softmax"]}
# ... and as the notebooks' own cells use them (imported in a setup cell, called in a later one): exercise 5's
# search trains with momentum, exercise 7's network with Adam; later exercises' demonstrations train with
# mini-batch gradient descent. None is graded in the notebook that uses it.
KEPT_BY_NOTEBOOKS = {"minibatch": ["random_mini_batches", "update_parameters_with_gd"],
                     "optimizers": ["initialize_adam", "initialize_velocity", "update_parameters_with_adam",
                                    "update_parameters_with_momentum"]}
GRADER_ONLY = ["autograder/__main__.py", "autograder/release.py", "autograder/check.py", "autograder/package.py",
               "autograder/gradescope.py", "autograder/run/grade.py", "autograder/records/", "autograder/views/",
               "autograder/tasks/", "bench/", "solutions/", "tests/", "book/"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """`make dist`'s command, with a course secret in the environment: the wheel and the seconds it took."""
    out = tmp_path_factory.mktemp("dist")
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "autograder.package", "--out", str(out)], cwd=ROOT,
                         env={**os.environ, "COURSE_SECRET": SECRET}, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    print(run.stdout.strip(), f"(built in {time.monotonic() - start:.0f} s)")
    return next(out.glob("*.whl"))


@pytest.fixture(scope="module")
def files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_wheel_is_the_student_package(wheel, files):
    assert wheel.name.startswith(NAME.replace("-", "_") + "-") and wheel.name.endswith("-py3-none-any.whl")
    tops = {name.split("/")[0] for name in files}
    assert tops == {"trainfaster", "autograder", wheel.name.removesuffix("-py3-none-any.whl") + ".dist-info"}, tops
    slugs = sorted(path.stem for path in (ROOT / "solutions").glob("*.ipynb"))
    assert sorted(Path(n).stem for n in files if n.startswith("autograder/notebooks/")) == slugs
    assert sorted(n for n in files if n.startswith("trainfaster/")) == sorted(
        f"trainfaster/{name}.py" for name in ["__init__", *library_modules()])
    entry_points = next(text for name, text in files.items() if name.endswith("entry_points.txt")).decode()
    assert "course-start = autograder.student:start_entry" in entry_points
    assert "course-check = autograder.student:check_entry" in entry_points


def test_only_what_the_commands_import_of_the_grader(files):
    code = sorted(n for n in files if n.startswith("autograder/") and not n.startswith("autograder/notebooks/"))
    assert code == sorted(str(path) for path in shipped_modules())
    assert "autograder/validate.py" in code and "autograder/boundary/kernel/__main__.py" in code
    leaked = [n for n in files if n.startswith(tuple(GRADER_ONLY))]
    assert not leaked, leaked


def _secret_regions(source):
    """The parts of a solution cell a student must not see: model answers and hidden tests."""
    parts = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
    hidden = source.split("### BEGIN HIDDEN TESTS", 1)
    return parts + hidden[1:]


def distinctive_lines():
    """Lines of the model answers, rubrics and hidden tests that appear nowhere a student may look (the
    notebooks' given parts, the library): each one found in the package is a leak."""
    secret, public = set(), set()
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            regions = _secret_regions(cell.source)
            rest = cell.source
            for region in regions:
                rest = rest.replace(region, "")
            secret |= {line.strip() for region in regions for line in region.splitlines()}
            public |= {line.strip() for line in rest.splitlines()}
    for path in (ROOT / "trainfaster").glob("*.py"):
        public |= {line.strip() for line in path.read_text().splitlines()}
    return {line for line in secret - public if len(line) >= 30}


def test_no_hidden_test_model_answer_rubric_or_secret(files):
    lines = distinctive_lines()
    assert len(lines) > 500  # the check has something to find
    text = {name: data.decode("utf-8", "replace") for name, data in files.items()}
    for name, content in text.items():
        assert SECRET not in content, name
        for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION", "Model answer"):
            # (validate's code names the markers: it splits a source notebook's hidden tests off)
            assert marker not in content or name.startswith("autograder/") and name.endswith(".py"), f"{name}: {marker}"
        if name.endswith(".ipynb"):  # what nbformat shows; the JSON escapes quotes
            content = "\n".join(cell.source for cell in nbformat.reads(content, as_version=4).cells)
        found = sorted(lines & {line.strip() for line in content.splitlines()})
        assert not found, f"{name} holds instructor-only lines, e.g. {found[:3]}"


def _bodies(source):
    """`{ast of a function's body without its docstring: name}` for every function in `source`."""
    bodies = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            bodies[ast.dump(ast.Module(body=body, type_ignores=[]))] = node.name
    return bodies


def test_no_graded_reference_but_those_the_library_calls(files):
    """No graded function's reference body is in the package, under any name, but those the library's code and
    the notebooks' cells use (a new one fails here: make the code take the student's function instead)."""
    graded = graded_functions()
    assert needed_by_library(graded) == KEPT_BY_LIBRARY
    assert needed_by_notebooks(graded) == KEPT_BY_NOTEBOOKS
    kept = {(module, name) for used in (KEPT_BY_LIBRARY, KEPT_BY_NOTEBOOKS) for module, names in used.items()
            for name in names}
    shipped = {}
    for name, data in files.items():
        if name.endswith(".py"):
            shipped.update({body: f"{name}:{function}" for body, function in _bodies(data.decode()).items()})
    leaked, checked = [], 0
    for path in sorted((ROOT / "trainfaster").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in graded:
                checked += 1
                body = next(b for b, n in _bodies(ast.unparse(node)).items() if n == node.name)
                where = shipped.get(body, "")
                as_kept = (Path(where.partition(":")[0]).stem, where.partition(":")[2]) in kept
                if body in shipped and (path.stem, node.name) not in kept and not as_kept:
                    # (initialize_rmsprop's body is initialize_velocity's, which exercise 5 needs: not a leak)
                    leaked.append(f"{path.stem}.{node.name} (as {where})")
    assert checked >= 40 and not leaked, leaked
    functions = {node.name: ast.unparse(node) for node in ast.parse(files["trainfaster/batchnorm.py"].decode()).body
                 if isinstance(node, ast.FunctionDef)}
    for helper in ("_normalize", "_normalize_backward"):  # its private helpers went with it
        assert "not in the course package" in functions[helper] and "np.sqrt" not in functions[helper]


def test_no_notebook_uses_the_reference_of_a_function_it_grades():
    """A reference a notebook's given cells use ships in the package, so it must not be one that very notebook asks
    the student to write (exercise 7's visible test once took the gradient it grades from the library)."""
    from autograder.boundary.restore import is_answer
    from autograder.package import used_by_notebook

    graded, found = graded_functions(), {}
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        written = {node.name for cell in nbformat.read(path, as_version=4).cells
                   if cell.cell_type == "code" and is_answer(cell)
                   for node in ast.parse(cell.source).body if isinstance(node, ast.FunctionDef)}
        used = {name for _, name in used_by_notebook(path.stem, graded)}
        if used & written:
            found[path.stem] = sorted(used & written)
    assert not found, found


# Statements of a withheld reference that the package may still hold elsewhere, and why.
SHARED_STATEMENTS = {
    "Z = parameters[f'W{l}'] @ A + parameters[f'b{l}']":
        "a layer of the course network (exercise 8's forward_torch), in network.forward, which every chapter trains with",
    "values, scores = (np.asarray(values, dtype=float), np.asarray(scores, dtype=float))":
        "zoom_range's arguments as arrays, the first line of any function of them",
}


def test_no_withheld_statement_ships_under_another_name(files):
    """No statement of a withheld reference or helper (20 syntax nodes or more) is in the package's code outside the
    functions it keeps: a reference rewritten under another name (bn_network's stacked copy of batchnorm_inference)
    leaks as surely as the function itself."""
    kept = {(module, name) for used in (KEPT_BY_LIBRARY, KEPT_BY_NOTEBOOKS) for module, names in used.items()
            for name in names}
    withheld = {(module, name) for module, names in withheld_functions().items() for name in names}
    statements = {}
    for path in sorted((ROOT / "trainfaster").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and (path.stem, node.name) in withheld:
                for statement in ast.walk(node):
                    if (isinstance(statement, ast.stmt) and not isinstance(statement, ast.FunctionDef)
                            and sum(1 for _ in ast.walk(statement)) >= 20
                            and ast.unparse(statement) not in SHARED_STATEMENTS):
                        statements.setdefault(ast.dump(statement), f"{path.stem}.{node.name}")
    assert len(statements) >= 80
    leaked = []
    for name, data in files.items():
        if name.endswith(".py"):
            trees = [ast.parse(data.decode())]
        elif name.endswith(".ipynb"):  # the released notebooks' cells (a visible test's helper could hold one)
            trees = [ast.parse("\n".join(line for line in cell.source.splitlines()
                                         if not line.lstrip().startswith(("%", "!"))))
                     for cell in nbformat.reads(data.decode(), as_version=4).cells if cell.cell_type == "code"]
        else:
            continue
        for tree in trees:
            for function in ast.walk(tree):
                if isinstance(function, ast.FunctionDef) and (Path(name).stem, function.name) not in kept:
                    leaked += [f"{name}:{function.name} has {statements[ast.dump(s)]}'s {ast.unparse(s)[:80]!r}"
                               for s in ast.walk(function) if isinstance(s, ast.stmt) and ast.dump(s) in statements]
    assert not leaked, leaked


def test_only_the_library_the_exercises_need_and_no_reasoning_about_answers(files):
    """The book's own modules stay in the repository (`many_seeds` runs successive halving, `noisy_quadratic`
    gives exercise 2's noise factor), and `variants.py` ships without the comments that say which mistake each
    range keeps apart from the answer."""
    import io
    import tokenize

    shipped = {Path(name).stem for name in files if name.startswith("trainfaster/") and name.endswith(".py")}
    assert shipped == {"__init__", *library_modules()}
    assert {"many_seeds", "noisy_quadratic", "sweep"} & shipped == set()
    assert {"minibatch", "optimizers", "variants", "checks", "derivation_mistakes"} <= shipped
    source = files["trainfaster/variants.py"].decode()
    assert not [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT]
    assert "# " in (ROOT / "trainfaster" / "variants.py").read_text()  # the repository's copy keeps them
    namespace = {}
    exec(compile(source, "variants.py", "exec"), namespace)
    from trainfaster.variants import RANGES

    assert namespace["RANGES"] == RANGES


def test_no_derive_or_predict_answer(files):
    """A module whose checks carry the answers and their explanations ships as checks that defer to grading."""
    modules = answer_modules()
    for module, functions in modules.items():
        shipped = files[f"trainfaster/{module}.py"].decode()
        source = (ROOT / "trainfaster" / f"{module}.py").read_text()
        explanations = re.findall(r'explanation="([^"]{30,})', source)
        assert explanations and not [e for e in explanations if e in shipped]
        assert all(f"def {function}(" in shipped for function in functions)



def test_answer_holding_helpers_ship_as_values_not_formulas(files):
    """`derivation_mistakes` and each `mistakes_NN` compute the usual wrong answers from formulas that hold the right
    one (the batch-norm graph walked with every arrow right is `batchnorm_backward`); the package has only the values
    the released notebooks' visible tests ask them for, and nothing for other inputs."""
    import importlib

    import numpy as np

    template = ast.parse(mistake_tables.SOURCE.format(module="m", table="[]"))
    helpers = {node.name: ast.dump(node) for node in template.body if isinstance(node, ast.FunctionDef)}

    def same(a, b):
        if isinstance(b, dict):
            return isinstance(a, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in b)
        if isinstance(b, (tuple, list)):
            return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if b is None or isinstance(b, str):
            return a == b
        return np.array_equal(a, b, equal_nan=True)

    assert "derivation_mistakes" in mistake_tables.modules()
    for module in mistake_tables.modules():
        shipped = files[f"trainfaster/{module}.py"].decode()
        functions = {node.name: node for node in ast.parse(shipped).body if isinstance(node, ast.FunctionDef)}
        public = mistake_tables.public_functions(module)
        assert [name for name in functions if not name.startswith("_")] == public, module
        for name in public:
            body = functions[name].body[1:] if ast.get_docstring(functions[name]) else functions[name].body
            assert len(body) == 1 and ast.unparse(body[0]) == f"return _lookup({name!r}, args, kwargs)", name
        assert {name: ast.dump(node) for name, node in functions.items() if name.startswith("_")} == helpers
        namespace = {}
        exec(compile(shipped, f"{module}.py", "exec"), namespace)
        calls, library = namespace["_CALLS"], importlib.import_module(f"trainfaster.{module}")
        assert {call[0] for call in calls} == set(public), f"{module}: a function no visible test calls"
        for name, args, kwargs, _ in calls:
            args, kwargs = namespace["_value"](args), namespace["_value"](kwargs)
            assert same(namespace[name](*args, **kwargs), getattr(library, name)(*args, **kwargs)), name
            moved = [a + 0.01 if isinstance(a, np.ndarray) else a for a in args]
            if len(moved) and any(isinstance(a, np.ndarray) for a in args):
                assert namespace[name](*moved, **kwargs) == {}, f"{name} answers inputs no visible test gives it"


# -- installed fresh, used from a plain shell --------------------------------------------------------------
def dependency_closure(requirements, extras=("frameworks",)):
    """The installed distributions `requirements` need with `extras` (PyTorch: exercise 8), and theirs."""
    todo, found = [Requirement(r) for r in requirements], {}
    while todo:
        requirement = todo.pop()
        if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in ("", *extras)):
            continue
        key = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if key in found:
            continue
        found[key] = importlib.metadata.distribution(requirement.name)
        todo += [Requirement(r) for r in found[key].requires or []]
    return list(found.values())


@pytest.fixture(scope="module")
def fresh_env(wheel, tmp_path_factory):
    """A new virtual environment holding the wheel (installed from its file) and its declared dependencies."""
    venv = tmp_path_factory.mktemp("student") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [line.split(":", 1)[1].strip() for line in archive.read(metadata).decode().splitlines()
                    if line.startswith("Requires-Dist:")]
    ours = Path(sysconfig.get_paths()["purelib"])
    for dist in dependency_closure(requires):
        for file in dist.files or []:
            source = Path(dist.locate_file(file))
            if source.is_file() and ours in source.parents:
                target = site / source.relative_to(ours)
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    os.link(source, target)
    run = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    check = subprocess.run([python, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    return venv


def shell(command, folder, venv):
    """`command` in bash, in `folder`, with the environment's bin/ on PATH and nothing of the course's."""
    env = {"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(folder), "LANG": "C.UTF-8"}
    return subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=900)


def test_installed_library_is_the_package(fresh_env, tmp_path):
    run = shell("python -c 'import trainfaster, autograder.validate; print(trainfaster.__file__)'; "
                "python -c 'import autograder.run.grade'", tmp_path, fresh_env)
    assert run.stdout.startswith(str(fresh_env)), run.stdout + run.stderr
    assert "No module named 'autograder.run.grade'" in run.stderr


def model_answers(path, slug):
    """Fill the notebook at `path` in place with the model answers of `solutions/<slug>.ipynb`."""
    answers = {c.metadata.nbgrader.grade_id: c.source for c in nbformat.read(ROOT / "solutions" / f"{slug}.ipynb",
                                                                            as_version=4).cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    nbformat.write(notebook, path)


def test_course_start_never_overwrites(fresh_env, tmp_path):
    first = shell("course-start 03", tmp_path, fresh_env)
    assert first.returncode == 0, first.stdout + first.stderr
    path = tmp_path / "03_momentum_rmsprop_adam.ipynb"
    path.write_text(path.read_text() + "\n")  # the student's work
    mine = path.read_bytes()
    again = shell("course-start 3", tmp_path, fresh_env)
    assert again.returncode == 1 and "is there already: nothing copied" in again.stdout
    assert path.read_bytes() == mine
    fresh = shell("course-start momentum --new", tmp_path, fresh_env)
    assert fresh.returncode == 0 and (tmp_path / "03_momentum_rmsprop_adam-2.ipynb").exists()
    assert path.read_bytes() == mine
    wrong = shell("course-start 42", tmp_path, fresh_env)
    assert wrong.returncode == 2 and wrong.stderr.startswith("course-start: no exercise '42'")
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_exercise_3_filled_in_passes_course_check(fresh_env, tmp_path):
    """The issue's walk: course-start 03, the model answers, course-check: every visible test passes."""
    start = shell("course-start 03", tmp_path, fresh_env)
    assert start.returncode == 0, start.stdout + start.stderr
    untouched = shell("course-check 03_momentum_rmsprop_adam.ipynb", tmp_path, fresh_env)
    assert untouched.returncode == 1 and "course-check: not yet" in untouched.stdout
    assert "FAILED  NotImplementedError: not written yet" in untouched.stdout and "PASSED" not in untouched.stdout
    model_answers(tmp_path / "03_momentum_rmsprop_adam.ipynb", "03_momentum_rmsprop_adam")
    check = shell("course-check 03_momentum_rmsprop_adam.ipynb", tmp_path, fresh_env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("course-check 03_momentum_rmsprop_adam.ipynb: a fresh kernel runs it")
    assert check.stdout.strip().splitlines()[-1] == "course-check: every visible test passes"
    assert "what would cost marks" not in check.stdout, check.stdout


def test_a_wrong_derivation_is_named_by_the_package_tables(fresh_env, tmp_path):
    """The package's `derivation_mistakes` holds values, not formulas, yet a student's wrong derivation is still
    named in the visible test, by course-check, from a folder with no clone."""
    slug = "07_softmax_regression"
    assert shell(f"course-start {slug[:2]}", tmp_path, fresh_env).returncode == 0
    path = tmp_path / f"{slug}.ipynb"
    model_answers(path, slug)
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "softmax_cross_entropy_grad")
    cell.source = "def softmax_cross_entropy_grad(A, Y):\n    return (Y - A) / A.shape[1]\n"
    nbformat.write(notebook, path)
    check = shell(f"course-check {slug}.ipynb", tmp_path, fresh_env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "has the wrong sign" in check.stdout, check.stdout[-3000:]


def test_every_exercise_runs_with_the_withheld_library(fresh_env, tmp_path):
    """Each released notebook, filled in, runs its given cells and demonstrations with the package's library
    (its graded references withheld), and its visible tests pass."""
    slugs = [p.stem for p in sorted((ROOT / "solutions").glob("*.ipynb"))]
    shell("course-start all", tmp_path, fresh_env)

    def check(slug):
        model_answers(tmp_path / f"{slug}.ipynb", slug)
        return slug, shell(f"course-check {slug}.ipynb", tmp_path, fresh_env)

    with ThreadPoolExecutor(2) as pool:
        runs = dict(pool.map(check, slugs))
    failed = {slug: run.stdout[-3000:] + run.stderr[-2000:] for slug, run in runs.items()
              if run.returncode != 0 or "what would cost marks" in run.stdout}
    assert not failed, failed
