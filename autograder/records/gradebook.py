"""The gradebook: nbgrader's own (SQLite in OUT by default, or PostgreSQL with --db-url), plus one table,
`autograder_results`, with each notebook's score and the reason it was not graded. Many machines grading
shards of one class write into one PostgreSQL gradebook; `export` writes the merged grades from it (`final`)."""

import datetime
import warnings
from contextlib import contextmanager

import sqlalchemy as sa

METADATA = sa.MetaData()
RESULTS = sa.Table(
    "autograder_results", METADATA,
    sa.Column("student_id", sa.String(255), primary_key=True),
    sa.Column("assignment", sa.String(255), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("graded_at", sa.DateTime, nullable=False),
)
FLAGS = sa.Table(  # the integrity report's flags, kept with the results so a regrade replaces only its own
    "autograder_flags", METADATA,
    sa.Column("student_id", sa.String(255), nullable=False, index=True),
    sa.Column("assignment", sa.String(255), nullable=False),
    sa.Column("flag", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)
COLUMNS = ["student_id", "assignment", "score", "max_score", "reason", "notes"]
SETUP_LOCK = 0x7472_6169  # PostgreSQL advisory lock held while a machine sets up the shared course


def normalize_url(url):
    """`postgresql://...` means PostgreSQL through psycopg 3 (the driver requirements.txt pins)."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


@contextmanager
def setup_lock(db_url):
    """Held while the course's assignments are written, so shards starting together do not collide."""
    engine = sa.create_engine(db_url)
    try:
        if engine.dialect.name != "postgresql":
            yield
            return
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK})
    finally:
        engine.dispose()


class Book:
    """nbgrader's `Gradebook` and the results table, open for one grading run."""

    def __init__(self, db_url):
        from nbgrader.api import Gradebook

        from autograder.course import COURSE_ID

        warnings.filterwarnings("ignore", category=sa.exc.SAWarning)  # nbgrader's own session noise
        self.db_url = db_url
        self.nbgrader = Gradebook(db_url, COURSE_ID)
        self.engine = sa.create_engine(db_url)
        METADATA.create_all(self.engine)

    def close(self):
        self.nbgrader.close()
        self.engine.dispose()

    def max_score(self, slug):
        return self.nbgrader.find_assignment(slug).max_score

    def hand_graded_points(self, slug):
        """The points of the assignment's written answers, graded by hand (`manual.manual_cells`)."""
        from autograder.records.manual import manual_cells

        manual = {grade_id for assignment, grade_id in manual_cells(self.nbgrader) if assignment == slug}
        notebook = self.nbgrader.find_notebook(slug, slug)
        return float(sum(cell.max_score for cell in notebook.grade_cells if cell.name in manual))

    def save_graded(self, slug, student, notebook):
        """Record a graded notebook with nbgrader's own `SaveAutoGrades`; return nbgrader's score."""
        from nbgrader.preprocessors import SaveAutoGrades

        self._submission(slug, student)
        saver = SaveAutoGrades()
        saver.notebook_id, saver.assignment_id, saver.student_id = slug, slug, student
        saver.gradebook = self.nbgrader
        for index, cell in enumerate(notebook.cells):
            saver.preprocess_cell(cell, {}, index)
        return self.nbgrader.find_submission(slug, student).score

    def save_missing(self, slug, student):
        """A notebook that could not be graded: every grade 0, as nbgrader does for a missing file."""
        for grade in self._submission(slug, student).grades:
            grade.auto_score, grade.needs_manual_grade = 0, False
        self.nbgrader.db.commit()

    def _submission(self, slug, student):
        self.nbgrader.update_or_create_student(student)
        self.nbgrader.update_or_create_submission(slug, student)
        return self.nbgrader.find_submission_notebook(slug, slug, student)

    def record(self, row, flags=()):
        """Store a row and its integrity flags `[(flag, detail)]`, replacing what an earlier grading stored."""
        values = {c: getattr(row, c) for c in COLUMNS}
        with self.engine.begin() as connection:
            for table in (RESULTS, FLAGS):
                connection.execute(table.delete().where(table.c.student_id == row.student_id,
                                                        table.c.assignment == row.assignment))
            connection.execute(RESULTS.insert().values(graded_at=datetime.datetime.now(datetime.timezone.utc),
                                                       **values))
            if flags:
                connection.execute(FLAGS.insert(), [{"student_id": row.student_id, "assignment": row.assignment,
                                                     "flag": flag, "detail": detail} for flag, detail in flags])

    def graded_before(self, pairs):
        """Those of the `(student_id, assignment)` pairs the gradebook already holds a result for."""
        with self.engine.connect() as connection:
            held = {tuple(r) for r in connection.execute(sa.select(RESULTS.c.student_id, RESULTS.c.assignment))}
        return sorted(held & set(pairs))

    def flags(self, keep=lambda student_id: True):
        """Every integrity flag held (of the students `keep` accepts): `(student_id, assignment, flag, detail)`."""
        return [r for r in stored_flags(self.engine) if keep(r[0])]


def stored_flags(where):
    """Every integrity flag in the gradebook (`where`: its URL or an engine)."""
    engine = sa.create_engine(where) if isinstance(where, str) else where
    try:
        if not sa.inspect(engine).has_table(FLAGS.name):
            return []
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(
                sa.select(FLAGS.c.student_id, FLAGS.c.assignment, FLAGS.c.flag, FLAGS.c.detail))]
    finally:
        if isinstance(where, str):
            engine.dispose()

