import sqlite3
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from marquee.search import checks


def test_the_sqlite_of_this_machine_passes() -> None:
    assert checks.fts5_trigram_works()
    assert checks.sqlite_is_recent_enough() == []


def test_an_old_sqlite_stops_migrate_and_the_server_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(checks, "settings", SimpleNamespace(DATABASES={"default": SQLITE}))
    # Ubuntu 20.04's: Django 5.2 accepts it, Marquee's search and IMDb importer do not.
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    [error] = checks.sqlite_is_recent_enough()
    assert error.id == "marquee.E001"
    assert error.msg == "SQLite 3.31.1 is too old: Marquee needs 3.34.0 or newer."
    assert "PostgreSQL" in (error.hint or "")
    with pytest.raises(SystemCheckError, match=r"marquee\.E001"):
        call_command("check")


def test_a_sqlite_without_full_text_search_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "settings", SimpleNamespace(DATABASES={"default": SQLITE}))
    monkeypatch.setattr(checks, "fts5_trigram_works", lambda: False)
    assert [error.id for error in checks.sqlite_is_recent_enough()] == ["marquee.E002"]


def test_on_postgresql_the_sqlite_library_does_not_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    postgres = {"ENGINE": "django.db.backends.postgresql"}
    monkeypatch.setattr(checks, "settings", SimpleNamespace(DATABASES={"default": postgres}))
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 22, 0))
    assert checks.sqlite_is_recent_enough() == []


SQLITE = {"ENGINE": "django.db.backends.sqlite3"}
