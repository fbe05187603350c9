"""`execute`: re-run solution notebooks in place, so the outputs nbval checks are fresh."""

import nbformat
from nbclient import NotebookClient

from autograder.course import SOLUTIONS, slugs


def execute(assignments=None, log=print):
    """Execute `solutions/<slug>.ipynb` top to bottom in a fresh kernel and save it with its outputs."""
    for slug in assignments or slugs():
        path = SOLUTIONS / f"{slug}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(SOLUTIONS)}}).execute()
        nbformat.write(notebook, path)
        log(f"executed solutions/{slug}.ipynb")
