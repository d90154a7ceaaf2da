# SQL here is assembled from our own table and column names only; values always go as
# parameters or through COPY.
# ruff: noqa: S608
"""Temporary staging tables, filled in batches: COPY on PostgreSQL, executemany on SQLite.

Rows go to the database as they are read, so memory holds one batch whatever the file size; the
merge into the catalog then runs as a few set-based statements over these tables. They are
TEMP tables: private to this connection and gone with it, so a killed import leaves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from marquee.ingest.bulk import copy_rows

STAGE_BATCH_ROWS = 20_000  # rows held before they are sent; bounds memory


class Staging:
    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.columns: dict[str, tuple[str, ...]] = {}
        self.pending: dict[str, list[Sequence[Any]]] = {}
        self.pending_rows = 0

    def create(self, table: str, columns: dict[str, str]) -> None:
        """A new, empty temporary table with these columns (name → SQL type)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition})")
        self.columns[table] = tuple(columns)
        self.pending[table] = []

    def add(self, table: str, row: Sequence[Any]) -> None:
        """Queue a row with values for the table's first columns, in order."""
        self.pending[table].append(row)
        self.pending_rows += 1
        if self.pending_rows >= STAGE_BATCH_ROWS:
            self.flush()

    def add_many(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """``add`` for a batch of rows."""
        self.pending[table].extend(rows)
        self.pending_rows += len(rows)
        if self.pending_rows >= STAGE_BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for table, rows in self.pending.items():
                if not rows:
                    continue
                columns = self.columns[table][: len(rows[0])]
                names = ", ".join(columns)
                if self.postgres:
                    copy_rows(cursor, f"COPY {table} ({names}) FROM STDIN", rows)
                else:
                    marks = ", ".join("%s" for _ in columns)
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                rows.clear()
        self.pending_rows = 0

    def index(self, table: str, *columns: str, unique: bool = False) -> None:
        """Index a filled table (cheaper than keeping the index up to date while filling), and
        give the planner statistics: nothing else analyses temporary tables."""
        self.flush()
        name = f"{table}_{'_'.join(columns)}"
        unique_word = "UNIQUE " if unique else ""
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE {unique_word}INDEX {name} ON {table} ({', '.join(columns)})")
        self.analyze(table)

    def analyze(self, table: str) -> None:
        """Statistics for the planner, after filling a table or changing the columns that later
        statements filter on. Without them PostgreSQL takes a column it saw all zero for all
        zero still, and nests loops over a hundred thousand rows."""
        self.flush()  # rows still queued would be missing from the statistics
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")

    def drop_all(self) -> None:
        with connection.cursor() as cursor:
            for table in self.columns:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.columns.clear()
        self.pending.clear()
