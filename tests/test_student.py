"""What a student and a fresh machine get: the start-up instructions, the Debian packages `make` installs, and
`make lab` in a clone (its plan first, `.venv-student` built fresh with PyTorch's CPU build, the exercises in
work/, `git status` clean after answers are saved), every exercise filled in passing `course-check` there."""

import os
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.start import notebook_cell, package_spec
from notebook_cells import ROOT
from test_validate import filled

NEED = ROOT / "tools" / "need-debian-packages"
COURSE_ONLY = {"nbgrader", "jupyter-book", "playwright", "psycopg", "pytest", "sphinx", "sqlalchemy", "nbval"}


# -- the instructions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("setting, spec", [("", "./trainfaster_course-0.3.1-py3-none-any.whl"),
                                           ('student-package = "trainfaster-course"', "trainfaster-course"),
                                           ('student-package = "https://example.org/t.whl"', "https://example.org/t.whl")])
def test_the_package_students_install(tmp_path, setting, spec):
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "trainfaster"\nversion = "0.3.1"\n\n[tool.course]\n{setting}\n')
    assert package_spec(tmp_path / "pyproject.toml") == spec


def test_the_notebook_cell_says_the_commands():
    cell = notebook_cell("03_momentum_rmsprop_adam", "trainfaster-course")
    for command in ('`pip install "trainfaster-course[lab]"`', '`%pip install "trainfaster-course"`',
                    "`course-start 03`", "`course-check 03_momentum_rmsprop_adam.ipynb`",
                    "`!course-check 03_momentum_rmsprop_adam.ipynb`", "`make lab`"):
        assert command in cell, command
    assert "torch" not in cell and "git+" not in cell and "python -m autograder" not in cell
    assert "`pip install torch==2.13.0+cpu --extra-index-url https://download.pytorch.org/whl/cpu`" in \
        notebook_cell("08_frameworks", "trainfaster-course")
    assert '"./trainfaster_course-' in notebook_cell("01_mini_batches")  # unpublished: the file handed out


def test_make_lab_plan_says_size_time_and_opt_out():
    run = subprocess.run([sys.executable, "-m", "autograder.start", "plan", "cpu"], capture_output=True, text=True)
    assert run.returncode == 0
    assert "torch==2.13.0+cpu" in run.stdout and "MB to download" in run.stdout and "GB on disk" in run.stdout
    assert "minutes" in run.stdout and "TORCH=cpu|pypi|none" in run.stdout and "work/" in run.stdout
    wrong = subprocess.run([sys.executable, "-m", "autograder.start", "plan", "cuda"], capture_output=True, text=True)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1


def test_a_fresh_release_says_how_to_start_and_check(tmp_path):
    """Released now (notebooks/ is regenerated at each merge; `make check` says when it is stale)."""
    from autograder.release import release

    for path in release(tmp_path):
        notebook = nbformat.read(path, as_version=4)
        start = notebook.cells[1]
        assert start.cell_type == "markdown" and "nbgrader" not in start.metadata, path.name
        assert start.source == notebook_cell(path.stem), path.name
        assert f"`course-check {path.name}`" in start.source
        tests = notebook.metadata["trainfaster"]["tests"]
        assert tests and all(grade_id.startswith("test_") for grade_id in tests), path.name


def test_docs_say_the_same_commands():
    """The README, the book's introduction and Binder install the student package and name its commands."""
    readme, intro = (ROOT / "README.md").read_text(), (ROOT / "intro.md").read_text()
    for text in (readme, intro):
        assert "course-start 03" in text and "course-check 03_momentum_rmsprop_adam.ipynb" in text
        assert "python -m autograder validate" not in text and "git+" not in text
    assert "make dist" in readme and "make lab" in readme and "TORCH=none" in readme
    binder = (ROOT / "binder" / "requirements.txt").read_text()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f"trainfaster-course[frameworks]=={version}" in binder and "torch==2.13.0+cpu" in binder
    assert "-e ." not in binder
    assert "course-start all" in (ROOT / "binder" / "postBuild").read_text()


# -- Debian packages on a fresh machine, with fake apt-get and id -------------------------------------------
def fake_machine(tmp_path, uid=0, apt=True, apt_fails=False):
    """A PATH with a fake `id` (uid) and, if `apt`, a fake apt-get that logs its calls and installs by
    creating the probe file; returns the environment."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    if apt:
        install = "exit 1" if apt_fails else f': > {tmp_path}/installed-"$pkg"'
        (bin_dir / "apt-get").write_text(
            f'#!/bin/bash\necho "$@" >> {tmp_path}/apt.log\n'
            f'[ "$1" = install ] && for pkg in "${{@:4}}"; do {install}; done\nexit 0\n')
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    for tool in ("bash", "mktemp", "rm"):  # what the script itself runs, and nothing else of this machine
        (bin_dir / tool).symlink_to(shutil.which(tool))
    return {"PATH": str(bin_dir), "HOME": str(tmp_path)}


def need(tmp_path, env, *specs):
    return subprocess.run([str(NEED), "make test", *specs], env=env, capture_output=True, text=True)


def test_present_packages_need_nothing(tmp_path):
    env = fake_machine(tmp_path)
    (tmp_path / "chromium").touch()
    run = need(tmp_path, env, f"chromium={tmp_path}/chromium", "bash=bash")
    assert run.returncode == 0 and run.stderr == "" and not (tmp_path / "apt.log").exists()


def test_root_with_apt_installs_what_is_missing(tmp_path):
    env = fake_machine(tmp_path)
    run = need(tmp_path, env, f"chromium={tmp_path}/installed-chromium", "bubblewrap=bwrap",
               f"postgresql={tmp_path}/pg/*/bin/initdb")
    assert run.returncode == 0, run.stderr
    assert run.stderr == "make test needs Debian's chromium bubblewrap postgresql: installing (apt-get install " \
                         "chromium bubblewrap postgresql)\n"
    assert (tmp_path / "apt.log").read_text().splitlines() == [
        "update -qq", "install -y -qq chromium bubblewrap postgresql"]


@pytest.mark.parametrize("uid, apt", [(1000, True), (0, False)])
def test_without_root_or_apt_it_stops_at_once_with_one_line(tmp_path, uid, apt):
    env = fake_machine(tmp_path, uid=uid, apt=apt)
    run = need(tmp_path, env, "bubblewrap=bwrap", "bash=bash", f"postgresql={tmp_path}/pg/*/bin/initdb")
    assert run.returncode == 1 and not (tmp_path / "apt.log").exists()
    assert run.stderr == ("make test needs Debian's bubblewrap postgresql: as root, apt-get install bubblewrap "
                          "postgresql; then run it again\n")


def test_a_failed_install_stops_with_one_line(tmp_path):
    env = fake_machine(tmp_path, apt_fails=True)
    run = need(tmp_path, env, "bubblewrap=bwrap")
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1].startswith("make test: apt-get could not install bubblewrap (its output: ")
    assert run.stderr.splitlines()[-1].endswith("): install by hand, then run it again")


def test_make_targets_check_their_packages_first():
    dry = subprocess.run(["make", "-n", "test", "bench", "book"], cwd=ROOT, capture_output=True, text=True).stdout
    test_line = next(line for line in dry.splitlines() if '"make test"' in line)
    assert "chromium=/usr/bin/chromium" in test_line and "bubblewrap=bwrap" in test_line and "postgresql=" in test_line
    bench_line = next(line for line in dry.splitlines() if '"make bench"' in line)
    assert "bubblewrap=bwrap" in bench_line and "chromium" not in bench_line
    assert dry.count("need-debian-packages") == 2  # the book needs none
    assert (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"


# -- the student environment, built fresh -------------------------------------------------------------------
def clean_copy(destination):
    """The repository's files as a clone has them (tracked, and new ones not ignored)."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def test_make_lab_without_the_cpu_build_stops_with_one_line(tmp_path):
    """Where neither PyTorch's CPU index nor a configured wheelhouse has torch==VERSION+cpu, make lab stops at
    once with one line naming the two ways on, and leaves no half-built environment (never PyPI's CUDA build)."""
    clone = clean_copy(tmp_path)
    nowhere = "http://127.0.0.1:9/simple"  # no registry at all: nothing can be found
    env = {**{k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
           "PIP_CONFIG_FILE": os.devnull, "PIP_FIND_LINKS": "", "PIP_INDEX_URL": nowhere}
    run = subprocess.run(["make", "--no-print-directory", "student-venv", "TORCH=cpu", f"TORCH_CPU_INDEX={nowhere}"],
                         cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode != 0
    ours = [line for line in run.stderr.splitlines() if line.startswith("make lab:")]
    assert len(ours) == 1 and "torch==2.13.0+cpu" in ours[0] and "TORCH=none" in ours[0] and "TORCH=pypi" in ours[0]
    assert not (clone / ".venv-student").exists()


@pytest.fixture(scope="module")
def student_env(tmp_path_factory):
    """`make student-venv` (what `make lab` builds) in a clean copy: the copy and the seconds it took."""
    clone = clean_copy(tmp_path_factory.mktemp("clone"))
    start = time.monotonic()
    env = {**os.environ, "PIP_NO_COMPILE": "1"}  # no .pyc files: the same install, a good deal faster
    run = subprocess.run(["make", "student-venv"], cwd=clone, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    seconds = time.monotonic() - start
    print(f"student environment built in {seconds:.0f} s")
    return clone, seconds


def test_student_env_is_light(student_env):
    clone, _ = student_env
    listed = subprocess.run([clone / ".venv-student" / "bin" / "python", "-m", "pip", "list", "--format=freeze"],
                            capture_output=True, text=True, check=True).stdout
    names = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert not names & COURSE_ONLY, names & COURSE_ONLY
    assert {"trainfaster", "torch", "jupyterlab", "ipykernel", "vega-datasets", "scikit-learn"} <= names
    assert "torch==2.13.0+cpu" in listed.splitlines()  # PyTorch's CPU build, not PyPI's CUDA build
    assert (clone / ".venv-student" / "bin" / "course-start").exists()


def test_make_lab_prints_its_plan_copies_into_work_and_keeps_git_clean(student_env):
    clone, _ = student_env
    subprocess.run("git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm clone", shell=True,
                   cwd=clone, check=True, capture_output=True)
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    lab = ["make", "--no-print-directory", "lab", "LAB_OPTIONS=--version"]
    run = subprocess.run(lab, cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("make lab: the exercises in JupyterLab, in three steps:")
    assert "--notebook-dir=work" in run.stdout and "course-check" in run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("4.")  # JupyterLab's version, and no server left
    saved = clone / "work" / "03_momentum_rmsprop_adam.ipynb"
    saved.write_text(saved.read_text().replace("raise NotImplementedError()", "return None"))  # answers saved
    again = subprocess.run(lab, cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and f"kept {saved.relative_to(clone)}" in again.stdout, again.stdout + again.stderr
    assert "return None" in saved.read_text()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    assert status == "", status


def test_every_filled_exercise_passes_in_the_student_env(student_env, tmp_path):
    """Each exercise with its model answers, validated in the student environment: every visible test passes."""
    clone, _ = student_env
    python = clone / ".venv-student" / "bin" / "python"
    slugs = sorted(path.stem for path in (ROOT / "solutions").glob("*.ipynb"))
    assert len(slugs) == 9  # eight chapters' exercises and the capstone

    def check(slug):
        folder = tmp_path / slug
        folder.mkdir()
        nbformat.write(filled(slug), folder / f"{slug}.ipynb")
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{python.parent}:/usr/bin:/bin"
        run = subprocess.run([python.with_name("course-check"), f"{slug}.ipynb"], cwd=folder, env=env,
                             capture_output=True, text=True, timeout=600)
        return slug, run

    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(check, slugs))
    print(f"{len(slugs)} exercises validated in {time.monotonic() - start:.0f} s")
    failed = {slug: run.stdout + run.stderr for slug, run in runs if run.returncode != 0}
    assert not failed, failed
    for slug, run in runs:
        assert "course-check: every visible test passes" in run.stdout, slug
        assert "what would cost marks" not in run.stdout, f"{slug}:\n{run.stdout}"


# -- course-start, in-process --------------------------------------------------------------------------------
@pytest.fixture
def packaged(tmp_path, monkeypatch):
    """An installation carrying two exercises."""
    import autograder.student as student

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for slug in ("01_mini_batches", "03_momentum_rmsprop_adam"):
        (folder / f"{slug}.ipynb").write_text(f'{{"exercise": "{slug}"}}')
    monkeypatch.setattr(student, "PACKAGED", folder)
    return student


@pytest.mark.parametrize("name, slug", [("3", "03_momentum_rmsprop_adam"), ("03", "03_momentum_rmsprop_adam"),
                                        ("momentum", "03_momentum_rmsprop_adam"), ("01_MINI_BATCHES.ipynb", "01_mini_batches")])
def test_course_start_knows_an_exercise_by_number_or_name(packaged, name, slug):
    assert packaged.find(name, packaged.exercises()) == slug


@pytest.mark.parametrize("name", ["4", "0", "", "_", "../../etc/passwd", "/etc/passwd", "03_momentum_rmsprop_adam/../x"])
def test_course_start_refuses_anything_else_in_one_line(packaged, name):
    from autograder.course import UsageError

    with pytest.raises(UsageError, match=r"^no exercise .*: give its number \(01, 03\) or its name"):
        packaged.find(name, packaged.exercises())


def test_course_start_keeps_work_and_numbers_fresh_copies(packaged, tmp_path):
    work = tmp_path / "work"
    lines = []
    assert packaged.start(["all"], work, log=lines.append) == 0
    mine = work / "03_momentum_rmsprop_adam.ipynb"
    mine.write_text("my answers")
    assert packaged.start(["3"], work, log=lines.append) == 1 and mine.read_text() == "my answers"
    assert lines[-1] == (f"{mine} is there already: nothing copied, your work is kept. For a fresh copy beside it: "
                         "course-start 03 --new")
    assert packaged.start(["all"], work, keep=True, log=lines.append) == 0 and mine.read_text() == "my answers"
    assert packaged.start(["3"], work, copy=True, log=lines.append) == 0
    assert packaged.start(["3"], work, copy=True, log=lines.append) == 0
    assert sorted(p.name for p in work.iterdir()) == ["01_mini_batches.ipynb", "03_momentum_rmsprop_adam-2.ipynb",
                                                      "03_momentum_rmsprop_adam-3.ipynb", "03_momentum_rmsprop_adam.ipynb"]
    assert mine.read_text() == "my answers"
