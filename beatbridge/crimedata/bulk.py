"""Writing many rows fast: binary COPY on PostgreSQL, one prepared statement on SQLite.

The ORM's bulk_create builds an object per row, which costs more than the import's
whole parse; these take plain tuples in ``columns`` order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model

# SQLite's page cache for each row an import writes: an incident with its index entries
# takes about 330 bytes of the database file, and its index entries land on pages of the
# indexes already there, which the cache must hold too.
_CACHE_BYTES_PER_ROW = 1024
# Never more than this, however big the file.
_MAX_CACHE_KIB = 1 << 20


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert tuples into ``model``'s table, in the Python types its fields take (dates
    as ``datetime.date``), None as NULL.

    A value the database refuses raises Django's DataError or IntegrityError, on both
    databases, so that callers need not know which one they write to.
    """
    fields = [model._meta.get_field(column) for column in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY sends numbers and dates as they are stored: psycopg formats no
            # text and the server parses none (200,000 incident rows into a table without
            # indexes took 0.7 s against text COPY's 1.05 s). It needs each column's type:
            # "varchar(48)" names the type "varchar".
            types = [field.db_type(connection).split("(", 1)[0] for field in fields]
            # COPY goes to psycopg's own cursor, past Django's translation of its errors.
            # Identifiers come from the model, never from input.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy,
            ):
                copy.set_types(types)
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


@contextmanager
def cache_room(rows: int) -> Iterator[None]:
    """On SQLite, a page cache big enough to keep ``rows`` new rows and their index pages
    until the transaction writing them commits; the connection's own cache again after.

    SQLite cannot keep a transaction's changed pages in a cache too small for them: it
    writes them out and reads them back, which made inserting a million incidents three
    times slower (54 s against 18 s). The cache is memory that SQLite takes as pages are
    used and releases when the size is set again; what a commit makes durable, and
    how, is the same.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (own,) = cursor.fetchone()
    # Negative sizes are KiB, positive ones pages (of 4 KiB by default).
    wanted = min(rows * _CACHE_BYTES_PER_ROW // 1024, _MAX_CACHE_KIB)
    if wanted <= (-own if own < 0 else own * 4):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA cache_size = -{int(wanted)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(own)}")
