"""The Gradescope bundle for real: each assignment's own minimal requirements, and a run where bubblewrap cannot
start (as in a container that refuses user namespaces), in a fresh virtual environment holding only the
bundle's requirements, laid out as Gradescope's `/autograder`.

The fresh environment is built offline: a new venv whose site-packages holds exactly the distributions
`requirements-gradescope.txt` names, linked from the course environment: what `setup.sh`'s `pip install -r`
would install, and nothing else. Its Python is made readable to the kernel's own uid inside the run's mount
namespace (as Gradescope's /usr/bin/python3.11 is), without touching the machine's folders."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from test_grading import GD, PREDICT
from test_grading_term import SLUG, handed_in, make_course, model_mb, run

BASE = Path(sys.base_prefix)  # the Python the course environment was made from
BASE_PYTHON = BASE / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
PRIVATE = next((p for p in reversed(BASE.parents) if not p.stat().st_mode & 0o001), None)  # e.g. /root


def test_each_assignment_needs_only_its_own_requirements():
    from autograder.gradescope import requirements

    everything = [line for line in (Path(__file__).parents[1] / "requirements.txt").read_text().splitlines()
                  if "==" in line]
    first, torch = requirements("01_mini_batches")
    assert torch is None and not any(p.split("==")[0].lower() in {"torch", "sphinx", "playwright", "jupyter-book"}
                                     for p in first)
    assert len(first) < 0.7 * len(everything)
    frameworks, torch = requirements("08_frameworks")
    assert torch and torch.startswith("torch==") and torch in frameworks
    assert "nbgrader" in {p.split("==")[0] for p in first} and set(first) <= set(everything)


def fresh_venv(folder, pinned):
    """A venv whose site-packages holds only the distributions in `pinned` (lines NAME==VERSION)."""
    subprocess.run([BASE_PYTHON, "-m", "venv", "--without-pip", folder], check=True)
    [site] = folder.glob("lib/python3*/site-packages")
    for line in pinned:
        name, version = line.split("==")
        distribution = metadata.distribution(name)
        assert distribution.version == version, line
        root = Path(distribution.locate_file(""))
        for top in {Path(str(f)).parts[0] for f in distribution.files or []} - {".."}:
            if (root / top).exists() and not (site / top).exists():
                (site / top).symlink_to(root / top)
        for data in (Path(str(f)) for f in distribution.files or [] if str(f).startswith("../")):
            source = (root / data).resolve()  # data files pip puts under the prefix: share/jupyter/...
            target = folder / source.relative_to(Path(sys.prefix).resolve())
            if target.parts[len(folder.parts)] == "share" and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(source)
    return folder / "bin" / "python"


def reachable(path):
    """Let other uids pass through `path`'s private parents (pytest makes them 0700), as /autograder is."""
    for parent in [path, *path.parents]:
        if parent == Path("/tmp"):
            break
        os.chmod(parent, parent.stat().st_mode | 0o111)


@pytest.mark.skipif(os.geteuid() != 0 or not BASE_PYTHON.exists(), reason="Gradescope runs the autograder as root")
def test_without_bubblewrap_the_fallback_grades_in_a_fresh_environment(tmp_path):
    course = make_course(tmp_path / "course")
    built = run(course, "gradescope", SLUG, "--out", tmp_path / "autograder.zip")
    assert built.returncode == 0, built.stderr
    home = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        archive.extractall(home / "source")
    pinned = [line for line in (home / "source" / "course" / "requirements-gradescope.txt").read_text().splitlines()
              if "==" in line]
    python = fresh_venv(tmp_path / "venv", pinned)
    setup = (home / "source" / "setup.sh").read_text()
    assert "requirements-gradescope.txt" in setup and "torch" not in setup
    shutil.copy(home / "source" / "run_autograder", home / "run_autograder")
    os.chmod(home / "run_autograder", 0o755)
    reachable(home / "source" / "course")
    reachable(tmp_path / "venv")
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "AUTOGRADER_PYTHON": str(python),
           "AUTOGRADER_BWRAP": str(tmp_path / "no-bwrap"), "HOME": str(tmp_path)}  # bubblewrap unavailable

    def gradescope(text):
        shutil.rmtree(home / "submission", ignore_errors=True)
        shutil.rmtree(home / "results", ignore_errors=True)
        (home / "submission").mkdir()
        (home / "submission" / f"{SLUG}.ipynb").write_text(text)
        python_visible = ["--tmpfs", str(PRIVATE), "--ro-bind", str(BASE), str(BASE)] if PRIVATE else []
        done = subprocess.run(["bwrap", "--bind", "/", "/", "--dev-bind", "/dev", "/dev", *python_visible, "--bind",
                               home, "/autograder", "/autograder/run_autograder"], capture_output=True, text=True,
                              env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads((home / "results" / "results.json").read_text()), done.stdout

    results, log = gradescope(handed_in(course, GD, model_mb(), None, PREDICT))
    assert results["score"] == 7, (results, log[-3000:])
    assert results["extra_data"]["isolation"].startswith("graded without namespaces")
    assert "resource limits and a separate unprivileged user" in results["output"]
    peek = ("def update_parameters_with_gd(parameters, grads, learning_rate):\n"
            "    open('/autograder/source/course/solutions/01_mini_batches.ipynb').read()\n"
            "    return {k: v - learning_rate * grads['d' + k] for k, v in parameters.items()}\n")
    results, _ = gradescope(handed_in(course, peek, model_mb(), None, PREDICT))
    gd = next(t for t in results["tests"] if t["name"] == "test_update_parameters_with_gd")
    assert gd["score"] == 0 and "BEGIN HIDDEN" not in json.dumps(results)
    # besides the kernel's own guard, its uid could not have read them: solutions/ is root's alone
    assert (home / "source" / "course" / "solutions").stat().st_mode & 0o777 == 0o700
    assert sys.executable != str(python)
