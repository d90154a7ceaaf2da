"""Inserting many rows fast, without the per-batch SQL building of ``bulk_create``: COPY on
PostgreSQL, one prepared INSERT run for each row (``executemany``) on SQLite. For rows whose ids
nobody needs back: ratings, genres and keywords of films, credits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> int:
    """Insert rows of values that are ready for the database, in the order of ``columns``."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    batch = list(rows)
    if not batch:
        return 0
    with connection.cursor() as cursor:
        # COPY cannot skip a conflicting row: those inserts keep to executemany.
        if connection.vendor == "postgresql" and not ignore_conflicts:
            copy_rows(cursor, f"COPY {table} ({names}) FROM STDIN", batch)
            return len(batch)
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from the model)
        if ignore_conflicts:
            sql += " ON CONFLICT DO NOTHING"  # SQLite ≥ 3.24 and PostgreSQL alike
        cursor.executemany(sql, batch)
    return len(batch)


# Inserting at least this many rows, and at least a quarter of what a table holds, rebuilds its
# scattered indexes afterwards instead of updating them row by row (SQLite).
DEFER_INDEXES_ROWS = 100_000


@contextmanager
def deferred_indexes(
    table: str, first_columns: set[str], rows: int, *, unique: frozenset[str] = frozenset()
) -> Iterator[None]:
    """On SQLite, drop the table's plain indexes that lead with one of ``first_columns``
    while ``rows`` new rows go in, then build them again: one sort instead of millions of
    inserts at random places (a person's credits, a title's place in the alphabet, a film's
    ratings). The drop is part of the import's transaction, so readers keep the indexes and a
    killed import loses nothing; an import that fails inside rolls the drop back with the rest.
    PostgreSQL would lock readers out of the table: it keeps them. Indexes the import itself
    looks rows up by are never named here.

    Unique indexes (made by CREATE UNIQUE INDEX) that lead with a column of ``unique`` go too,
    for a statement that looks nothing up by them: a row that breaks one then fails its
    rebuild, with the same IntegrityError, in the same transaction, as it would the insert."""
    if connection.vendor != "sqlite" or rows < DEFER_INDEXES_ROWS:
        yield
        return
    deferred = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        if rows * 4 >= cursor.fetchone()[0]:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                " AND sql IS NOT NULL",
                [table],
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f'PRAGMA index_info("{name}")')
                first = cursor.fetchone()[2]
                is_unique = sql.startswith("CREATE UNIQUE")
                if first in (unique if is_unique else first_columns):
                    deferred.append(sql)
                    cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for sql in deferred:
            cursor.execute(sql)


def copy_rows(cursor: Any, statement: str, rows: Iterable[Sequence[Any]]) -> None:
    """Send rows through PostgreSQL's COPY … FROM STDIN, on the psycopg cursor under Django's
    wrapper; its errors come out as Django's (an IntegrityError is still one)."""
    with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def insert_objects(objects: Sequence[models.Model]) -> int:
    """Insert unsaved model instances (of one model) without fetching their ids back.

    Values of plain fields (text, numbers, dates, foreign keys) go to the database as they are;
    only the others pass through Django's conversion, which is most of bulk_create's cost for
    a wide model.
    """
    if not objects:
        return 0
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    converters: list[Callable[[Any], Any]] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
        converters.append(converter(field))
    names = [f.attname for f in fields]
    return insert_rows(
        model,
        [str(f.column) for f in fields],
        (
            [convert(getattr(obj, name)) for name, convert in zip(names, converters, strict=True)]
            for obj in objects
        ),
    )


PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
    models.ForeignKey,
)


def converter(field: Any) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, (models.DateField, PLAIN)):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)
