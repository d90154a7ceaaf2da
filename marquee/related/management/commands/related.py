import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from marquee.related.rebuild import rebuild_related


class Command(BaseCommand):
    help = "Related movies. `marquee related rebuild` recomputes them for the whole catalog."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = rebuild_related()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Related movies rebuilt: {rows} rows in {seconds:.1f} s")
        )
