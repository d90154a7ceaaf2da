from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from marquee.ingest.run import run_import
from marquee.ingest.sources import READERS


class Command(BaseCommand):
    help = "Import catalog files. Example: marquee import marquee catalog.jsonl"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", choices=sorted(READERS), help="the files' format")
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--no-related", action="store_true", help="skip rebuilding related movies afterwards"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = run_import(options["source"], options["files"], related=not options["no_related"])
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))
