"""``marquee import tmdb FILE…``: TMDB 5000 CSV files and API objects in JSON Lines."""

from __future__ import annotations

from argparse import ArgumentParser, Namespace
from pathlib import Path

from marquee.ingest.loader import Loader
from marquee.ingest.models import Source
from marquee.ingest.report import Report
from marquee.ingest.tmdb.reader import kind_of, read

# Films before the credits that only add to films found by id.
ORDER = {"movies": 0, "api": 1, "credits": 2}


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="tmdb_5000_movies.csv, tmdb_5000_credits.csv and/or API movie objects (.jsonl), "
        "each may be gzipped",
    )


def run(options: Namespace, report: Report) -> None:
    files = sorted(options.files, key=lambda path: ORDER[kind_of(path)])
    loader = Loader(report, Source.TMDB)
    for path in files:
        loader.load(read(path), str(path))
    loader.finish()
