from pathlib import Path

from django.core.management.base import CommandError

from marquee.ingest.loader import Summary, import_files
from marquee.ingest.records import IngestError
from marquee.ingest.sources import READERS
from marquee.related.rebuild import rebuild_related


def run_import(source: str, files: list[Path], *, related: bool = True) -> Summary:
    """Import files of one source, then refresh related movies; errors become CommandError."""
    try:
        summary = import_files(files, READERS[source])
    except IngestError as error:
        raise CommandError(f"{error.located()}\nNothing was imported.") from None
    if related:
        rebuild_related()
    return summary
