"""What a student and a fresh machine get: the start-up instructions, the Debian packages `make` installs, and
the student environment (`pip install ".[student]"`, built fresh) running all eight exercises filled in."""

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.start import clone_url, installs, notebook_cell, repository_url
from notebook_cells import ROOT
from test_validate import filled

NEED = ROOT / "tools" / "need-debian-packages"
COURSE_ONLY = {"nbgrader", "jupyter-book", "playwright", "psycopg", "pytest", "sphinx", "sqlalchemy", "nbval"}


# -- the instructions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("config, url", [
    ("repository:\n  url: https://github.com/org/course  # the one setting\n  branch: main\n", "https://github.com/org/course"),
    ('repository:\n  url: ""                      # <- empty\n  branch: main\n', ""),
    ("launch_buttons:\n  url: https://wrong.example\nrepository:\n  branch: main\n", ""),
    ("title: x\n", ""),
])
def test_repository_url_from_config(tmp_path, config, url):
    (tmp_path / "_config.yml").write_text(config)
    assert repository_url(tmp_path / "_config.yml") == url


@pytest.mark.parametrize("origin, url", [("https://github.com/org/course.git", "https://github.com/org/course"),
                                         ("/work/main", ""), (None, "")])
def test_clone_url_is_the_public_origin(tmp_path, origin, url):
    subprocess.run(["git", "init", "-q", tmp_path], check=True)
    if origin:
        subprocess.run(["git", "remote", "add", "origin", origin], cwd=tmp_path, check=True)
    assert clone_url(tmp_path) == url


def test_instructions_name_the_repository_only_when_there_is_one():
    assert [command for _, command in installs("")] == ["make lab", 'pip install -e ".[student]"']
    with_url = [command for _, command in installs("https://github.com/org/course")]
    assert 'pip install "trainfaster[student] @ git+https://github.com/org/course"' in with_url
    assert '!pip install "trainfaster @ git+https://github.com/org/course"' in with_url
    cell = notebook_cell("01_mini_batches", "")
    assert "`make lab`" in cell and "`python -m autograder validate 01_mini_batches.ipynb`" in cell
    assert "git+" not in cell and "git+https://github.com/org/course" in notebook_cell("01_mini_batches", "https://github.com/org/course")


def test_every_exercise_says_how_to_start_and_validate():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        start = notebook.cells[1]
        assert start.cell_type == "markdown" and "nbgrader" not in start.metadata, path.name
        assert start.source == notebook_cell(path.stem), f"{path.name}: run python -m autograder release"
        tests = notebook.metadata["trainfaster"]["tests"]
        assert tests and all(grade_id.startswith("test_") for grade_id in tests), path.name


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


def test_make_lab_prints_the_installs_and_starts_jupyterlab(student_env):
    clone, _ = student_env
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    run = subprocess.run(["make", "--no-print-directory", "lab", "LAB_OPTIONS=--version"], cwd=clone, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'pip install -e ".[student]"' in run.stdout and "python -m autograder validate" in run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("4.")  # JupyterLab's version, and no server left


def test_all_eight_filled_exercises_pass_in_the_student_env(student_env, tmp_path):
    """Each exercise with its model answers, validated in the student environment: every visible test passes."""
    clone, _ = student_env
    python = clone / ".venv-student" / "bin" / "python"
    slugs = sorted(path.stem for path in (ROOT / "solutions").glob("*.ipynb"))
    assert len(slugs) == 8

    def check(slug):
        folder = tmp_path / slug
        folder.mkdir()
        nbformat.write(filled(slug), folder / f"{slug}.ipynb")
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{python.parent}:/usr/bin:/bin"
        run = subprocess.run([python, "-m", "autograder", "validate", f"{slug}.ipynb"], cwd=folder, env=env,
                             capture_output=True, text=True, timeout=600)
        return slug, run

    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(check, slugs))
    print(f"eight exercises validated in {time.monotonic() - start:.0f} s")
    failed = {slug: run.stdout + run.stderr for slug, run in runs if run.returncode != 0}
    assert not failed, failed
    for slug, run in runs:
        assert "validate: every visible test passes" in run.stdout, slug
        assert "what would cost marks" not in run.stdout, f"{slug}:\n{run.stdout}"
