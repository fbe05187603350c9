"""How a student starts: the installs and the self-check, said once for `make lab`, the notebooks and the docs.

Standard library only: `make lab` runs it with the system Python, before any environment exists.
`python3 -m autograder.start` prints the lines `make lab` shows.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"


def repository_url(config=CONFIG):
    """`repository: url:` of the book's `_config.yml` ("" when unset): the course's public repository."""
    try:
        text = Path(config).read_text()
    except OSError:
        return ""
    block = re.search(r"^repository:[^\n]*\n((?:[ \t]+[^\n]*\n?)*)", text, re.M)
    url = re.search(r"^[ \t]+url:[ \t]*([^\s#]*)", block.group(1), re.M) if block else None
    return url.group(1).strip("\"'") if url else ""


def installs(url=None):
    """`[(where, command)]`: the one-line installs, for a clone, an environment you have, and Colab."""
    url = repository_url() if url is None else url
    lines = [("in a clone of the course repository", "make lab"),
             ("into an environment you already have, in the clone", 'pip install -e ".[student]"')]
    if url:
        lines += [("into an environment you already have, without a clone", f'pip install "trainfaster[student] @ git+{url}"'),
                  ("in Colab (first cell; Colab has Jupyter and PyTorch)", f'!pip install "trainfaster @ git+{url}"')]
    return lines


def check_command(notebook="NOTEBOOK.ipynb"):
    return f"python -m autograder validate {notebook}"


def notebook_cell(slug, url=None):
    """The markdown cell `release` puts after each student notebook's introduction."""
    url = repository_url() if url is None else url
    where = ("In a clone of the course repository, `make lab` sets up a light environment (`.venv-student`) and "
             "opens the exercises in JupyterLab. In a Python environment you already have, "
             '`pip install -e ".[student]"` in the clone installs the library, PyTorch and JupyterLab')
    if url:
        where += (f'; without a clone, `pip install "trainfaster[student] @ git+{url}"`. In Colab, run '
                  f'`!pip install "trainfaster @ git+{url}"` in a first cell')
    return (f"**How to start.** This notebook needs the course library `trainfaster`. {where}.\n\n"
            "**Check your work.** Run each test cell after the function above it. When you are done, save the "
            f"notebook and run `{check_command(slug + '.ipynb')}` in a terminal, in the notebook's folder (or "
            f"`!{check_command(slug + '.ipynb')}` in a cell): it runs the whole notebook in a fresh kernel, as "
            "grading does, lists every test PASSED or FAILED with what is wrong, and warns about what would cost "
            "marks, such as an edited test cell or a renamed function.")


def clone_url(root=ROOT):
    """The https URL this clone was made from ("" if none): a student's clone of the public repository."""
    import subprocess

    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root, capture_output=True, text=True,
                             timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return url.removesuffix(".git") if url.startswith("https://") else ""


def main():
    url = repository_url() or clone_url()
    print("Set up for the exercises, one line for each place:")
    for where, command in installs(url):
        print(f"  {where}:\n      {command}")
    if not url:
        print("  (with the course's public repository in _config.yml, repository: url:, this also lists the"
              " pip install from git and the line for Colab)")
    print(f"Check a notebook as grading will: {check_command()}")


if __name__ == "__main__":
    main()
