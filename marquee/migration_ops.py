"""Migration operations of our own, for what Django's would do slowly on a big catalog."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def drop_own_index(
    app_label: str, field: migrations.AlterField, column: str
) -> migrations.SeparateDatabaseAndState:
    """``field``, an AlterField to ``db_index=False``, applied to the migration state; in the
    database, only the drop of the column's own index. Django's AlterField would copy the
    whole table on SQLite to do that: minutes at millions of credits, for one DROP INDEX."""

    def own_indexes(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> tuple[str, list[str]]:
        table = apps.get_model(app_label, field.model_name)._meta.db_table
        with editor.connection.cursor() as cursor:
            constraints = editor.connection.introspection.get_constraints(cursor, table)
        names = [
            name
            for name, info in constraints.items()
            if info["index"]
            and not info["unique"]
            and not info["primary_key"]
            and info["columns"] == [column]
        ]
        return table, names

    def forwards(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> None:
        for name in own_indexes(apps, editor)[1]:
            editor.execute(f"DROP INDEX {editor.quote_name(name)}")

    def backwards(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> None:
        table, names = own_indexes(apps, editor)
        if not names:
            name = editor._create_index_name(table, [column])  # type: ignore[attr-defined]
            editor.execute(
                f"CREATE INDEX {editor.quote_name(name)}"
                f" ON {editor.quote_name(table)} ({editor.quote_name(column)})"
            )

    return migrations.SeparateDatabaseAndState(
        state_operations=[field],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )
