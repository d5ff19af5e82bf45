"""Writing many rows fast: COPY on PostgreSQL, one prepared statement on SQLite.

The ORM's bulk_create builds an object per row, which costs more than the import's
whole parse; these take plain tuples in ``columns`` order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert tuples into ``model``'s table; dates as ISO strings, None as NULL.

    A value the database refuses raises Django's DataError or IntegrityError, on both
    databases, so that callers need not know which one they write to.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY goes to psycopg's own cursor, past Django's translation of its errors.
            # Identifiers come from the model, never from input.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
