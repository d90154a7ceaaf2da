"""Where an IMDb import's time goes: each statement of the loader over a threshold, with its time.

    DATABASE_URL=sqlite:///$PWD/var/imdb-steps.sqlite3 uv run marquee migrate
    DATABASE_URL=sqlite:///$PWD/var/imdb-steps.sqlite3 nice uv run python bench/imdb_statements.py var/imdb-bench-1
    DATABASE_URL=postgres://…/empty_db nice uv run python bench/imdb_statements.py var/imdb-bench-1

It runs ``ImdbLoader`` alone, as ``marquee import imdb`` does (on SQLite without per-row reference
checks, in one transaction), then rolls the transaction back: the database stays as it was, so
the same empty database serves every run. The search index refresh and the related movies, which
an import does after its commit, are left out. It prints the loader's own step lines, every
statement that took at least ``--over`` seconds, the time spent sending staged rows to the
database, and the total. A figure to read, never a pass or fail.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marquee.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from marquee.ingest import staging  # noqa: E402
from marquee.ingest.imdb.load import ImdbLoader  # noqa: E402
from marquee.ingest.report import Report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="IMDb files, e.g. from bench/gen_imdb.py")
    parser.add_argument("--over", type=float, default=0.3, help="seconds (default 0.3)")
    options = parser.parse_args()

    flushing = [0.0]
    flush = staging.Staging.flush

    def timed_flush(self: staging.Staging) -> None:
        started = time.monotonic()
        flush(self)
        flushing[0] += time.monotonic() - started

    staging.Staging.flush = timed_flush  # type: ignore[method-assign]

    def show_slow(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.monotonic() - started
            if took >= options.over and not many:
                sys.stderr.write(f"  [{took:6.2f} s] {' '.join(sql.split())[:150]}\n")

    started = time.monotonic()
    with (
        connection.execute_wrapper(show_slow),
        connection.constraint_checks_disabled(),
        transaction.atomic(),
    ):
        ImdbLoader(options.directory, Report()).run()
        total = time.monotonic() - started
        transaction.set_rollback(True)
    sys.stderr.write(
        f"loader: {total:.1f} s in all, {flushing[0]:.1f} s of it sending staged rows"
        f" ({connection.vendor})\n"
    )


if __name__ == "__main__":
    main()
