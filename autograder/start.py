"""How a student starts: install the course package, `course-start` an exercise, `course-check` it. Said once
here for the notebooks' "How to start" cell (`release`), `make lab`'s plan and the docs' tests.

Standard library only: `make lab` runs it with the system Python, before any environment exists:
`python3 -m autograder.start plan cpu|pypi|none` prints its plan.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements.txt"
PACKAGE = "trainfaster-course"  # the student package's name (`autograder.package` builds it)
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# make lab's environment, measured on 2 shared cores (pip's report of the wheels; du; tests/test_student.py prints
# the build time): 115 packages, 1.6 GB with the CPU build (0.75 GB of it PyTorch's), built in 4.8 minutes, and
# in 9.6 while another install ran
LAB_DOWNLOAD_MB = {"cpu": 320, "pypi": 2850, "none": 120}
LAB_DISK_GB = {"cpu": 1.6, "pypi": 5, "none": 0.85}
LAB_MINUTES = {"cpu": "5 to 10", "pypi": "15 or more", "none": "3 to 6"}


def _pyproject(path=PYPROJECT):
    return tomllib.loads(Path(path).read_text())


def wheel_name(pyproject=PYPROJECT):
    """The file `make dist` writes: `trainfaster_course-VERSION-py3-none-any.whl`."""
    return f"{PACKAGE.replace('-', '_')}-{_pyproject(pyproject)['project']['version']}-py3-none-any.whl"


def package_spec(pyproject=PYPROJECT):
    """What students `pip install`: `[tool.course] student-package` of pyproject.toml once the package is
    published (its name on PyPI, or a URL); until then the wheel file the course hands out."""
    spec = _pyproject(pyproject).get("tool", {}).get("course", {}).get("student-package", "")
    return spec or f"./{wheel_name(pyproject)}"


def torch_version(requirements=REQUIREMENTS):
    match = re.search(r"^torch==(\S+)", Path(requirements).read_text(), re.M)
    return match.group(1) if match else ""


def torch_cpu_command():
    return f"pip install torch=={torch_version()}+cpu --extra-index-url {TORCH_CPU_INDEX}"


def start_command(slug):
    return f"course-start {slug.split('_', 1)[0]}"


def check_command(notebook="NOTEBOOK.ipynb"):
    return f"course-check {notebook}"


def install_command(spec=None, extra="[lab]", magic=""):
    return f'{magic}pip install "{spec or package_spec()}{extra}"'


def notebook_cell(slug, spec=None):
    """The markdown cell `release` puts after each student notebook's introduction."""
    spec = spec or package_spec()
    handed_out = spec.startswith("./")
    where = ("once, in a terminal, in the folder where you saved the package file your course hands out"
             if handed_out else "once, in a terminal")
    torch = (f" Exercise 8 also needs PyTorch; on Linux install its CPU build first: `{torch_cpu_command()}`, "
             f'then `{install_command(spec, "[frameworks,lab]")}`.' if slug.startswith("08") else "")
    return (f"**How to start.** Everything this notebook needs is in the course package: the library "
            f"`trainfaster`, the exercises and two commands. Install it {where}: "
            f"`{install_command(spec)}` (in Colab, a first cell: `{install_command(spec, '', '%')}`).{torch} Then "
            f"`{start_command(slug)}` copies this exercise into the current folder (never over a notebook that is "
            "there) and `jupyter lab` opens it. In a clone of the course repository, `make lab` does all of this.\n\n"
            "**Check your work.** Run each test cell after the function above it. When you are done, save the "
            f"notebook and run `{check_command(slug + '.ipynb')}` in a terminal, in the notebook's folder (or "
            f"`!{check_command(slug + '.ipynb')}` in a cell): it runs the whole notebook in a fresh kernel, as "
            "grading does, lists every test PASSED or FAILED with what is wrong, and warns about what would cost "
            "marks, such as an edited test cell or a renamed function.")


def plan(torch):
    """The lines `make lab` prints before it installs anything (`torch`: cpu, pypi or none)."""
    what = {"cpu": f"PyTorch's CPU build (torch=={torch_version()}+cpu, from {TORCH_CPU_INDEX})",
            "pypi": "PyPI's PyTorch (on Linux a CUDA build: 2.7 GB of downloads)",
            "none": "no PyTorch (exercises 1-7 need none; exercise 8 does)"}[torch]
    return [
        "make lab: the exercises in JupyterLab, in three steps:",
        f"  1. .venv-student, once: the library trainfaster, JupyterLab and {what};",
        f"     about {LAB_DOWNLOAD_MB[torch]} MB to download, {LAB_DISK_GB[torch]:g} GB on disk, {LAB_MINUTES[torch]} "
        "minutes (nothing for the book or for grading)",
        "  2. the exercises copied into work/ (git ignores it: your saved answers never touch the course's files;"
        " a notebook already there is kept)",
        "  3. JupyterLab opened on work/; check a notebook there with: course-check NOTEBOOK.ipynb",
        "  PyTorch: make lab TORCH=cpu|pypi|none (rm -rf .venv-student first to change it); without a clone: "
        f"pip install \"{package_spec()}[lab]\"",
    ]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["plan"] and len(argv) == 2 and argv[1] in LAB_MINUTES:
        print("\n".join(plan(argv[1])), flush=True)
    elif argv == ["no-cpu-torch"]:
        print(f"make lab: PyTorch's CPU build (torch=={torch_version()}+cpu) was not found: PyPI has none and "
              f"{TORCH_CPU_INDEX} did not answer; run make lab TORCH=none (no PyTorch: exercises 1-7 need none) "
              "or TORCH=pypi (PyPI's CUDA build, 2.7 GB)", file=sys.stderr)
    else:
        print("usage: python3 -m autograder.start plan cpu|pypi|none", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
