"""The sources ``marquee import`` knows. Each importer is one entry here: its name, its own
command-line arguments, and a function that reads the files into the catalog, filling a Report.

An importer raises IngestError for a file it cannot read at all (truncated, wrong header); bad
rows inside a readable file go to the report and the import goes on.
"""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError, Namespace
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from marquee.ingest.imdb import reader as imdb_reader
from marquee.ingest.imdb.load import ImdbLoader
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
    # Whether every reference the importer writes is an id it has just read from the parent
    # table in the same transaction, so the database need not check each (run_import).
    writes_checked_references: bool = False


def _marquee_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, help="JSON Lines files (docs/data-format.md)"
    )


def _marquee_run(options: Namespace, report: Report) -> None:
    import_files(options.files, marquee_reader.read, report)


def _title_types(value: str) -> frozenset[str]:
    types = frozenset(name.strip() for name in value.split(",") if name.strip())
    unknown = sorted(types - set(imdb_reader.TITLE_TYPES))
    if unknown or not types:
        raise ArgumentTypeError(
            f"unknown title type {', '.join(unknown) or value!r};"
            f" IMDb's are {', '.join(imdb_reader.TITLE_TYPES)}"
        )
    return types


def _imdb_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "directory", type=Path, help="folder with IMDb's .tsv.gz (or unpacked .tsv) files"
    )
    parser.add_argument(
        "--types",
        type=_title_types,
        default=frozenset(imdb_reader.DEFAULT_TYPES),
        help="comma-separated IMDb title types to import (default: movie,tvMovie)",
    )
    parser.add_argument(
        "--include-adult", action="store_true", help="import adult titles too (left out by default)"
    )


def _imdb_run(options: Namespace, report: Report) -> None:
    ImdbLoader(
        options.directory, report, types=options.types, include_adult=options.include_adult
    ).run()


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
        Importer(
            "imdb",
            "IMDb's non-commercial TSV datasets",
            _imdb_arguments,
            _imdb_run,
            writes_checked_references=True,  # joined from the catalog's tables, set-based
        ),
    ]
}
