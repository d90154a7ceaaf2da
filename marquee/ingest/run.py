from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from marquee.ingest.loader import Summary, import_files
from marquee.ingest.records import IngestError
from marquee.ingest.sources import READERS
from marquee.related.rebuild import rebuild_related
from marquee.search import index as search_index


def run_import(source: str, files: list[Path], *, related: bool = True) -> Summary:
    """Import files of one source, then refresh related movies; errors become CommandError."""
    started = timezone.now()
    try:
        with search_index.paused():  # one refresh at the end, not one per saved row
            summary = import_files(files, READERS[source])
    except IngestError as error:
        raise CommandError(f"{error.located()}\nNothing was imported.") from None
    search_index.refresh_changed_since(started)
    if related:
        rebuild_related()
    return summary
