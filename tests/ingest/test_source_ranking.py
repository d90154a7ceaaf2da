"""Sources ranked IMDb > TMDB > Wikipedia > MovieLens: whichever order the imports run in, the
film ends with the higher-ranked source's words and that source owns them; an editor's field
survives every import. IMDb has its own set-based loader, so it is checked against the
generic one here."""

from __future__ import annotations

import json
from argparse import Namespace
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest

from marquee.catalog.models import Movie
from marquee.ingest.imdb.reader import DEFAULT_TYPES
from marquee.ingest.loader import field_names, fields_text
from marquee.ingest.models import MovieSource
from marquee.ingest.movielens import importer as movielens
from marquee.ingest.report import Report
from marquee.ingest.run import run_import
from marquee.ingest.tmdb import importer as tmdb
from tests.ingest.imdb_files import quirky_dump

pytestmark = pytest.mark.django_db

IMDB_ID = "tt0000101"  # The Host (2006), 120 minutes, in the quirky dump
SCALARS = ("title", "original_title", "sort_title", "year", "runtime")
TMDB_OBJECT = {
    "id": 1001,
    "imdb_id": IMDB_ID,
    "title": "The Monster",
    "original_title": "Gwoemul (TMDB)",
    "release_date": "2007-07-27",
    "runtime": 119,
    "overview": "A creature rises from the Han river.",
}
ML_MOVIES = 'movieId,title,genres\n1,"Monster Host, The (2005)",Drama\n'
ML_LINKS = "movieId,imdbId,tmdbId\n1,0000101,1001\n"


def import_imdb(folder: Path) -> None:
    options = Namespace(
        directory=quirky_dump(folder), types=frozenset(DEFAULT_TYPES), include_adult=False
    )
    run_import("imdb", options, related=False)


def import_tmdb(folder: Path) -> None:
    folder.mkdir()
    path = folder / "movies.jsonl"
    path.write_text(json.dumps(TMDB_OBJECT) + "\n", encoding="utf-8")
    tmdb.run(Namespace(files=[path]), Report())


def import_movielens(folder: Path) -> None:
    folder.mkdir()
    (folder / "movies.csv").write_text(ML_MOVIES, encoding="utf-8")
    (folder / "links.csv").write_text(ML_LINKS, encoding="utf-8")
    options = Namespace(directory=folder, no_ratings=True, no_tags=True, min_tag_users=2)
    movielens.run(options, Report())


IMPORTS = {"imdb": import_imdb, "tmdb": import_tmdb, "movielens": import_movielens}


def edit_as_editor(movie: Movie, name: str, value: Any) -> None:
    """What the admin does: the editor's value, listed under no source."""
    Movie.objects.filter(pk=movie.pk).update(**{name: value})
    for row in MovieSource.objects.filter(movie=movie):
        row.fields = fields_text(field_names(row) - {name})
        row.save(update_fields=["fields"])


def owners(movie: Movie) -> dict[str, str]:
    """Which source owns each of the film fields the three sources share."""
    owned: dict[str, str] = {}
    for row in MovieSource.objects.filter(movie=movie):
        for name in field_names(row) & set(SCALARS):
            assert name not in owned, f"{name} owned by {owned[name]} and {row.source}"
            owned[name] = row.source
    return owned


@pytest.mark.parametrize("order", list(permutations(IMPORTS)), ids="-".join)
def test_the_higher_ranked_source_wins_whatever_the_order(
    tmp_path: Path, order: tuple[str, ...]
) -> None:
    IMPORTS[order[0]](tmp_path / order[0])
    movie = Movie.objects.get(imdb_id=IMDB_ID)
    # Between the imports an editor corrects the original title: no source may change it now.
    edit_as_editor(movie, "original_title", "괴물")
    for name in order[1:]:
        IMPORTS[name](tmp_path / name)

    movie.refresh_from_db()
    assert Movie.objects.count() == 3  # the quirky dump's three films, The Host found once
    assert [getattr(movie, name) for name in SCALARS] == ["The Host", "괴물", "host", 2006, 120]
    assert owners(movie) == {
        "title": "imdb",
        "sort_title": "imdb",
        "year": "imdb",
        "runtime": "imdb",
    }
    # TMDB keeps what only it gave.
    assert movie.synopsis == TMDB_OBJECT["overview"]
    assert "synopsis" in field_names(MovieSource.objects.get(movie=movie, source="tmdb"))


def test_imdb_takes_over_a_lower_source_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    import_movielens(tmp_path / "movielens")
    movie = Movie.objects.get(imdb_id=IMDB_ID)
    assert (movie.title, movie.year) == ("The Monster Host", 2005)
    assert owners(movie) == {"title": "movielens", "sort_title": "movielens", "year": "movielens"}

    import_imdb(tmp_path / "imdb")
    movie.refresh_from_db()
    assert (movie.title, movie.original_title, movie.year, movie.runtime) == (
        "The Host",
        "Gwoemul",
        2006,
        120,
    )
    # What IMDb wrote is IMDb's now; MovieLens keeps the genres IMDb does not rank.
    ml = MovieSource.objects.get(movie=movie, source="movielens")
    assert (ml.fields, MovieSource.objects.get(movie=movie, source="imdb").fields) == (
        "genres",
        "title, original title, sort title, year, runtime",
    )
    rows = list(MovieSource.objects.order_by("pk").values())
    import_imdb(tmp_path / "again")
    assert list(MovieSource.objects.order_by("pk").values()) == rows
