"""``marquee import movielens DIR``: links first, then films, tags as keywords, then ratings."""

from __future__ import annotations

from argparse import ArgumentParser, Namespace
from pathlib import Path

from marquee.catalog.models import Movie
from marquee.ingest.loader import Loader
from marquee.ingest.models import Source
from marquee.ingest.movielens import ratings
from marquee.ingest.movielens.reader import MIN_TAG_USERS, read_links, read_movies, read_tags
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        type=Path,
        help="an unpacked MovieLens dataset: movies.csv, links.csv, tags.csv, ratings.csv "
        "(each may be gzipped)",
    )
    parser.add_argument("--no-ratings", action="store_true", help="leave ratings.csv out")
    parser.add_argument("--no-tags", action="store_true", help="leave tags.csv out")
    parser.add_argument(
        "--min-tag-users",
        type=int,
        default=MIN_TAG_USERS,
        help="a tag becomes a keyword once this many users have used it (default: %(default)s)",
    )


def find(directory: Path, name: str, *, required: bool = False) -> Path | None:
    for candidate in (directory / name, directory / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    if required:
        raise IngestError(
            f"no {name} here: is this an unpacked MovieLens dataset?", source=str(directory)
        )
    return None


def run(options: Namespace, report: Report) -> None:
    directory: Path = options.directory
    movies_file = find(directory, "movies.csv", required=True)
    assert movies_file is not None
    links_file = find(directory, "links.csv")
    tags_file = None if options.no_tags else find(directory, "tags.csv")
    ratings_file = None if options.no_ratings else find(directory, "ratings.csv")
    links = read_links(links_file, report) if links_file else {}
    tags = read_tags(tags_file, report, options.min_tag_users) if tags_file else {}
    loader = Loader(report, Source.MOVIELENS)
    loader.load(read_movies(movies_file, links, tags), str(movies_file))
    loader.finish()
    del links, tags
    if ratings_file:
        films = dict(
            Movie.objects.filter(movielens_id__isnull=False).values_list("movielens_id", "pk")
        )
        ratings.load_ratings(ratings_file, films, report)  # type: ignore[arg-type]
        ratings.summarise(report)
