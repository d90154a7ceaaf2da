"""Inserting many rows fast: one prepared INSERT run for each row (``executemany``), without the
per-batch SQL building of ``bulk_create``. For rows whose ids nobody needs back: ratings,
genres and keywords of films, credits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows of values that are ready for the database, in the order of ``columns``."""
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    batch = list(rows)
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(sql, batch)
    return len(batch)


def insert_objects(objects: Sequence[models.Model]) -> int:
    """Insert unsaved model instances (of one model) without fetching their ids back."""
    if not objects:
        return 0
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                field.pre_save(obj, add=True)
    return insert_rows(
        model,
        [str(f.column) for f in fields],
        (
            [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            for obj in objects
        ),
    )
