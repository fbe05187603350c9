"""Where the course's notebooks live, and nbgrader course directories built from them."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
CONFIG = Path(__file__).with_name("nbgrader_config.py")
COURSE_ID = "trainfaster"  # nbgrader's course id (PostgreSQL enforces the gradebook's course key)


class UsageError(Exception):
    """A mistake the user can fix; the CLI prints it as one line and exits with status 2."""


def slugs():
    """The assignments of the course: one per `solutions/<slug>.ipynb`, in chapter order."""
    return sorted(path.stem for path in SOLUTIONS.glob("*.ipynb"))


def _alembic_head():
    """The gradebook schema's version, read in-process (nbgrader starts the `alembic` program for it: seconds)."""
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


def make_course(root, db_url, assignments):
    """Make `root` an nbgrader course directory holding `assignments`' source notebooks; return its API.

    `root/nbgrader_config.py` loads the course configuration, so `nbgrader` commands also work there.
    Every assignment is generated once, which records its cells (hidden tests included) in the gradebook.
    """
    import nbgrader.api
    from nbgrader.apps import NbGraderAPI

    nbgrader.api.get_alembic_version = _alembic_head
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(CONFIG)!r})  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = {db_url!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
    )
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for slug in assignments:
        source = root / "source" / slug
        source.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOLUTIONS / f"{slug}.ipynb", source / f"{slug}.ipynb")
        result = api.generate_assignment(slug, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader could not generate {slug}: {result.get('error', result.get('log'))}")
    return api
