"""The sources ``marquee import`` knows. Each importer is one entry here: its name, its own
command-line arguments, and a function that reads the files into the catalog, filling a Report.

An importer raises IngestError for a file it cannot read at all (truncated, wrong header); bad
rows inside a readable file go to the report and the import goes on.
"""

from __future__ import annotations

from argparse import ArgumentParser, Namespace
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from marquee.ingest.loader import import_files
from marquee.ingest.marquee import reader as marquee_reader
from marquee.ingest.movielens import importer as movielens
from marquee.ingest.report import Report
from marquee.ingest.tmdb import importer as tmdb
from marquee.ingest.wikipedia import importer as wikipedia


@dataclass(frozen=True)
class Importer:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[Namespace, Report], None]


def _marquee_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, help="JSON Lines files (docs/data-format.md)"
    )


def _marquee_run(options: Namespace, report: Report) -> None:
    import_files(options.files, marquee_reader.read, report)


IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in [
        Importer("marquee", "Marquee's own JSON Lines format", _marquee_arguments, _marquee_run),
        Importer(
            "movielens",
            "a MovieLens dataset (ml-latest-small, ml-25m, ml-32m): films, tags, ratings",
            movielens.add_arguments,
            movielens.run,
        ),
        Importer(
            "tmdb",
            "TMDB: the TMDB 5000 CSV pair, or API movie objects in JSON Lines",
            tmdb.add_arguments,
            tmdb.run,
        ),
        Importer(
            "wikipedia",
            "the Wikipedia movie data collection (JSON arrays or JSON Lines)",
            wikipedia.add_arguments,
            wikipedia.run,
        ),
    ]
}
