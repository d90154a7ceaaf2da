from argparse import Namespace

from django.core.management.base import CommandError
from django.db import transaction

from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.sources import IMPORTERS
from marquee.related.rebuild import rebuild_related


def run_import(source: str, options: Namespace, *, related: bool = True) -> Report:
    """Run one importer in one transaction, so that an import stopped at any point (an error,
    Ctrl-C, SIGKILL) leaves the catalog as it was and running it again does the whole job.
    Then refresh what is derived from the catalog."""
    report = Report()
    try:
        with transaction.atomic():
            IMPORTERS[source].run(options, report)
    except IngestError as error:
        raise CommandError(f"{error.located()}\nNothing was imported.") from None
    if related and report.changed_anything():
        rebuild_related()
    return report
