import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from marquee.ingest.files import step_progress
from marquee.related.rebuild import rebuild_related, refresh_related


class Command(BaseCommand):
    help = (
        "Related movies. `marquee related rebuild` recomputes them for the whole catalog;"
        " `marquee related refresh` only for the movies whose credits, genres, themes or"
        " relations changed since, and their neighbours (what imports run)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["action"] == "rebuild":
            rows = rebuild_related(step_progress("related movies", "films"))
            seconds = time.perf_counter() - started
            message = f"Related movies rebuilt: {rows} rows in {seconds:.1f} s"
        else:
            done = refresh_related(step_progress("related movies", "films"))
            seconds = time.perf_counter() - started
            message = (
                f"Related movies refreshed: {done.movies} movies rescored,"
                f" {done.rows} rows written in {seconds:.1f} s"
            )
        self.stdout.write(self.style.SUCCESS(message))
