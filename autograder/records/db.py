"""The two ways the term's records open the gradebook: a transaction that writes (tables created first), and a
connection that reads (None while the table it needs does not exist yet). Each disposes of its engine."""

from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def writing(db_url, metadata):
    """One transaction on the gradebook at `db_url`, with `metadata`'s tables created if missing."""
    engine = sa.create_engine(db_url)
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def reading(db_url, table):
    """A connection to the gradebook at `db_url`, or None when it holds no `table` yet."""
    engine = sa.create_engine(db_url)
    try:
        if not sa.inspect(engine).has_table(table.name):
            yield None
            return
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
