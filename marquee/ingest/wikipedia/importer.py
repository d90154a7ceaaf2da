"""``marquee import wikipedia FILE…``: the Wikipedia movie data collection."""

from __future__ import annotations

from argparse import ArgumentParser, Namespace
from pathlib import Path

from marquee.ingest.loader import Loader
from marquee.ingest.models import Source
from marquee.ingest.report import Report
from marquee.ingest.wikipedia.reader import read


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="movies-1990s.json … (JSON arrays), or the same objects as JSON Lines (.jsonl)",
    )


def run(options: Namespace, report: Report) -> None:
    loader = Loader(report, Source.WIKIPEDIA)
    for path in sorted(options.files):
        if path.name == "genres.json":
            continue  # the collection's list of genre names, not films
        loader.load(read(path), str(path))
    loader.finish()
