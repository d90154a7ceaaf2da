import sys
from argparse import Namespace

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from marquee.catalog.models import Movie
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.sources import IMPORTERS
from marquee.related.rebuild import rebuild_related
from marquee.search import index as search_index

# Above this many movies the full in-memory rebuild of related movies takes many minutes
# (137-164 s at 100,000 movies, docs/benchmarks.md) and its memory grows with the catalog: an
# import then leaves it to `marquee related rebuild`, run when convenient. Pages are served
# meanwhile, with the related movies they had.
RELATED_REBUILD_LIMIT = 100_000


def run_import(source: str, options: Namespace, *, related: bool = True) -> Report:
    """Run one importer in one transaction, so that an import stopped at any point (an error,
    Ctrl-C, SIGKILL) leaves the catalog as it was and running it again does the whole job.
    Then refresh what is derived from the catalog."""
    report = Report()
    started = timezone.now()
    try:
        # The search index is refreshed once at the end, not once per saved row.
        with search_index.paused(), transaction.atomic():
            IMPORTERS[source].run(options, report)
    except IngestError as error:
        raise CommandError(f"{error.located()}\nNothing was imported.") from None
    # Outside the transaction, so pages are served from the commit on; an import killed before
    # this line is indexed by the next one (the index keeps a mark of how far it got).
    search_index.refresh_after_import(started)
    if related and report.changed_anything():
        movies = Movie.objects.count()
        if movies > RELATED_REBUILD_LIMIT:
            sys.stderr.write(
                f"Related movies not rebuilt: with {movies:,} movies that takes many minutes."
                " Run `marquee related rebuild` when convenient.\n"
            )
        else:
            rebuild_related()
    return report
