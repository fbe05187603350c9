"""The named mistakes of each graded notebook (its failed test cells' messages), kept in the gradebook, so
`report` rebuilds the "most frequent mistakes" from the gradebook alone: after hand grading, after shards."""

import sqlalchemy as sa

from autograder.records import db

METADATA = sa.MetaData()
MISTAKES = sa.Table(
    "autograder_mistakes", METADATA,
    sa.Column("student_id", sa.String(255), nullable=False, index=True),
    sa.Column("assignment", sa.String(255), nullable=False),
    sa.Column("grade_id", sa.String(255), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
)


def store(db_url, found):
    """`found`: `{(student, slug): [(grade_id, message)]}` of this run; replaces what those rows held."""
    with db.writing(db_url, METADATA) as connection:
        for (student, slug), messages in found.items():
            connection.execute(MISTAKES.delete().where(MISTAKES.c.student_id == student,
                                                       MISTAKES.c.assignment == slug))
            if messages:
                connection.execute(MISTAKES.insert(), [
                    {"student_id": student, "assignment": slug, "grade_id": g, "message": m[:500]}
                    for g, m in dict.fromkeys(messages)])


def stored(db_url):
    """`[(student, slug, grade_id, message)]` of the whole gradebook."""
    with db.reading(db_url, MISTAKES) as connection:
        return [] if connection is None else [tuple(r) for r in connection.execute(sa.select(
            MISTAKES.c.student_id, MISTAKES.c.assignment, MISTAKES.c.grade_id, MISTAKES.c.message))]
