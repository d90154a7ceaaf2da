"""A system check for SQLite builds too old for Marquee, run before ``migrate`` or the server.

Django 5.2 accepts SQLite 3.31, but Marquee needs more: full-text search uses FTS5 with the
trigram tokenizer (SQLite 3.34), and the IMDb importer's merges use UPDATE … FROM (3.33).
Without this check an operator on an older distribution would meet the first at ``migrate``,
as "no such tokenizer", and the second half-way through an import.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

MINIMUM = (3, 34, 0)


def fts5_trigram_works() -> bool:
    """Whether the SQLite library Python uses has FTS5 with the trigram tokenizer."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        probe.close()
    return True


@register()
def sqlite_is_recent_enough(**kwargs: Any) -> list[Error]:
    if not any(
        database["ENGINE"] == "django.db.backends.sqlite3"
        for database in settings.DATABASES.values()
    ):
        return []
    hint = (
        "Install a newer SQLite library (libsqlite3) for this Python, or run Marquee on "
        "PostgreSQL by setting DATABASE_URL."
    )
    if sqlite3.sqlite_version_info < MINIMUM:
        return [
            Error(
                f"SQLite {sqlite3.sqlite_version} is too old: Marquee needs "
                f"{'.'.join(map(str, MINIMUM))} or newer.",
                hint=hint,
                id="marquee.E001",
            )
        ]
    if not fts5_trigram_works():
        return [
            Error(
                f"This SQLite ({sqlite3.sqlite_version}) was built without full-text search "
                "(FTS5), which Marquee's search needs.",
                hint=hint,
                id="marquee.E002",
            )
        ]
    return []
