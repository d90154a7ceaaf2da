import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from marquee.search import index

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Search index tasks. `marquee search rebuild` rewrites the whole index."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        # A bar redrawn in place on a terminal; one line per tenth otherwise (logs, CI).
        interactive = sys.stdout.isatty()
        last_tenth: dict[str, int] = {}

        def progress(kind: str, done: int, total: int) -> None:
            share = done / total if total else 1.0
            filled = int(share * BAR_WIDTH)
            line = f"{kind:<7} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,}/{total:,}"
            if interactive:
                self.stdout.write(f"\r{line}", ending="\n" if done >= total else "")
                self.stdout.flush()
            elif int(share * 10) != last_tenth.get(kind) or done >= total:
                last_tenth[kind] = int(share * 10)
                self.stdout.write(line)

        written = index.rebuild(progress)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {written:,} documents in {seconds:.1f} s")
        )
