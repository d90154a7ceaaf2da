from argparse import ArgumentParser, Namespace
from typing import Any

from django.core.management.base import BaseCommand

from marquee.ingest.run import run_import
from marquee.ingest.sources import IMPORTERS


class Command(BaseCommand):
    help = "Import a dataset into the catalog. Example: marquee import marquee catalog.jsonl"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        for importer in IMPORTERS.values():
            sub = sources.add_parser(importer.name, help=importer.help, description=importer.help)
            importer.add_arguments(sub)
            sub.add_argument(
                "--no-related",
                action="store_true",
                help="skip refreshing related movies afterwards (`marquee related refresh`)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        namespace = Namespace(**options)
        report = run_import(options["source"], namespace, related=not options["no_related"])
        self.stdout.write(report.table())
        self.stdout.write(self.style.SUCCESS("Import finished."))
