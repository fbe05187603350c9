"""What the grader's own trusted test code measured in each notebook (`AUTOGRADER_RECORD`, e.g. the speedrun's
steps to the target), kept in the gradebook so the leaderboard is rebuilt from it alone, after shards too."""

import sqlalchemy as sa

from autograder.records import db

METADATA = sa.MetaData()
MEASURED = sa.Table(
    "autograder_measured", METADATA,
    sa.Column("student_id", sa.String(255), nullable=False, index=True),
    sa.Column("assignment", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("value", sa.Float, nullable=True),
)


def store(db_url, found):
    """`found`: `{(student, slug): {name: number or None}}` of this run; replaces what those rows held."""
    with db.writing(db_url, METADATA) as connection:
        for (student, slug), values in found.items():
            connection.execute(MEASURED.delete().where(MEASURED.c.student_id == student,
                                                       MEASURED.c.assignment == slug))
            if values:
                connection.execute(MEASURED.insert(), [
                    {"student_id": student, "assignment": slug, "name": name[:255], "value": value}
                    for name, value in values.items()])


def stored(db_url, slug):
    """`{student: {name: number or None}}` of one assignment, from the whole gradebook."""
    found = {}
    with db.reading(db_url, MEASURED) as connection:
        for r in connection.execute(sa.select(MEASURED).where(MEASURED.c.assignment == slug)) if connection else ():
            found.setdefault(r.student_id, {})[r.name] = r.value
    return found
