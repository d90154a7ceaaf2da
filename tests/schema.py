"""What the database's schema holds, for tests of code that sets indexes aside and back."""

from django.db import connection


def index_definitions(table: str | None = None) -> dict[str, str]:
    """Index name → its definition, of one table or of all."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = COALESCE(%s, tbl_name)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                " AND tablename = COALESCE(%s, tablename)",
                [table],
            )
        return dict(cursor.fetchall())
