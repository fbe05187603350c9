"""`release`: the student notebooks, generated from `solutions/` by nbgrader."""

import shutil
import tempfile
from pathlib import Path

from autograder.course import NOTEBOOKS, make_course, slugs


def release(destination=NOTEBOOKS, assignments=None):
    """Write the student version of every assignment to `destination/<slug>.ipynb`; return the paths."""
    assignments = assignments or slugs()
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        make_course(tmp, f"sqlite:///{tmp}/gradebook.db", assignments)
        for slug in assignments:
            target = destination / f"{slug}.ipynb"
            shutil.copyfile(Path(tmp) / "release" / slug / f"{slug}.ipynb", target)
            written.append(target)
    return written
