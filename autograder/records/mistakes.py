"""The named mistakes of each graded notebook (its failed test cells' messages), kept in the gradebook, so
`report` rebuilds the "most frequent mistakes" from the gradebook alone: after hand grading, after shards."""

import sqlalchemy as sa

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
    engine = sa.create_engine(db_url)
    try:
        METADATA.create_all(engine)
        with engine.begin() as connection:
            for (student, slug), messages in found.items():
                connection.execute(MISTAKES.delete().where(MISTAKES.c.student_id == student,
                                                           MISTAKES.c.assignment == slug))
                if messages:
                    connection.execute(MISTAKES.insert(), [
                        {"student_id": student, "assignment": slug, "grade_id": g, "message": m[:500]}
                        for g, m in dict.fromkeys(messages)])
    finally:
        engine.dispose()


def stored(db_url):
    """`[(student, slug, grade_id, message)]` of the whole gradebook."""
    engine = sa.create_engine(db_url)
    try:
        if not sa.inspect(engine).has_table(MISTAKES.name):
            return []
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(sa.select(
                MISTAKES.c.student_id, MISTAKES.c.assignment, MISTAKES.c.grade_id, MISTAKES.c.message))]
    finally:
        engine.dispose()
