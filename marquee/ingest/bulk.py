"""Inserting many rows fast: one prepared INSERT run for each row (``executemany``), without the
per-batch SQL building of ``bulk_create``. For rows whose ids nobody needs back: ratings,
genres and keywords of films, credits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"  # SQLite ≥ 3.24 and PostgreSQL alike
    batch = list(rows)
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    return len(batch)


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
