import sys
import time
from argparse import Namespace
from contextlib import nullcontext

from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from marquee.ingest.files import step_progress
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.sources import IMPORTERS
from marquee.related.rebuild import refresh_related
from marquee.search import index as search_index

# Imports taking longer than this say when their catalog was committed and how long SQLite's
# checkpoint then took: the two moments an operator may wonder about.
TIMED_IMPORT_SECONDS = 5.0


def run_import(source: str, options: Namespace, *, related: bool = True) -> Report:
    """Run one importer in one transaction, so that an import stopped at any point (an error,
    Ctrl-C, SIGKILL) leaves the catalog as it was and running it again does the whole job.
    Then refresh what is derived from the catalog."""
    report = Report()
    written_from = timezone.now()  # what the search index must take in afterwards
    started = time.monotonic()
    committed: list[float] = []
    # On SQLite (WAL), the commit of a big import would otherwise go on to copy the whole
    # write-ahead log into the database before returning: a gigabyte at full IMDb scale. Pages
    # read the new catalog from the log as soon as the commit is done, so the copy waits until
    # then, and runs as its own step. (Only around a transaction of our own: inside another,
    # as in tests, there is nothing to checkpoint yet.)
    checkpoint = connection.vendor == "sqlite" and not connection.in_atomic_block
    if checkpoint:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            autocheckpoint = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        importer = IMPORTERS[source]
        # The search index is refreshed once at the end, not once per saved row. SQLite checks
        # each reference as it is written, a look-up in the parent table: at full IMDb scale
        # that was 10 s of the 17 s it took to insert the credits, whose ids the IMDb importer
        # has just joined from those tables. So it runs without; tests, which run inside a
        # transaction where the pragma cannot change, keep the checks, and one checks the
        # references after an import of its own.
        unchecked = (
            connection.constraint_checks_disabled()
            if importer.writes_checked_references
            else nullcontext()
        )
        with search_index.paused(), unchecked, transaction.atomic():
            # The first thing done after the commit: the moment pages show the new catalog.
            transaction.on_commit(lambda: committed.append(time.monotonic()))
            importer.run(options, report)
    except IngestError as error:
        raise CommandError(f"{error.located()}\nNothing was imported.") from None
    finally:
        if checkpoint:
            _checkpoint(autocheckpoint, started, committed)
    # Outside the transaction, so pages are served from the commit on; an import killed before
    # this line is indexed by the next one (the index keeps a mark of how far it got).
    search_index.refresh_after_import(written_from, step_progress("search index", "documents"))
    if related and report.changed_anything():
        # Pages are served meanwhile, with the related movies they had.
        refresh_related(step_progress("related movies", "films"))
    return report


def _checkpoint(autocheckpoint: int, started: float, committed: list[float]) -> None:
    checkpoint_started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")
    except DatabaseError:
        return  # a broken connection: the import's own error says more, and is shown
    if committed and committed[0] - started >= TIMED_IMPORT_SECONDS:
        sys.stderr.write(
            f"Committed {committed[0] - started:.1f} s after the import started: pages show the"
            " new catalog from then. SQLite's checkpoint took"
            f" {time.monotonic() - checkpoint_started:.1f} s more.\n"
        )
