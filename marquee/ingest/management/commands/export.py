import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from marquee.ingest.marquee.writer import export


class Command(BaseCommand):
    help = "Write the whole catalog in Marquee's own format. Example: marquee export catalog.jsonl"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="where to write; - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["file"]
        # One snapshot of the catalog, even while an import is running.
        with transaction.atomic():
            if target == "-":
                export(sys.stdout)
                return
            path = Path(target)
            partial = path.with_name(f".{path.name}.partial")
            try:
                with partial.open("w", encoding="utf-8", newline="\n") as out:
                    counts = export(out)
            except OSError as error:
                raise CommandError(f"{target}: {error.strerror}") from None
            os.replace(partial, path)  # never a half-written file under the real name
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {counts['movies']:,} movies, {counts['people']:,} people and "
                f"{counts['providers']:,} providers to {path}."
            )
        )
