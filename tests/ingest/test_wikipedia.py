import json
from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from marquee.catalog.models import Movie
from marquee.ingest.models import MovieSource, PendingMatch
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.wikipedia import importer
from marquee.people.models import Credit, Person
from tests.conftest import SHARED_DATA
from tests.factories import make_movie

pytestmark = pytest.mark.django_db

FILMS: list[Any] = [
    {
        "title": "The Quiet Harbor",
        "year": 2011,
        "cast": ["Ann Example", "Bo Sample", ")", "Ann Example"],
        "genres": ["Drama", "Independent", "Animated"],
        "href": "The_Quiet_Harbor",
        "extract": "The Quiet Harbor is a 2011 film we made up for this test.",
        "thumbnail": "https://upload.wikimedia.org/x.jpg",
    },
    {"title": "Heat", "year": 1995, "cast": [], "genres": ["Crime"], "href": "Heat_(1995_film)",
     "extract": "Heat is a crime film."},
    {"title": "Twin", "year": 2001, "cast": [], "genres": [], "href": "Twin_(film)"},
    {"title": "", "year": 2001},
    {"title": "No Year", "year": "soon", "href": "No_Year"},
    {"title": "The Quiet Harbor", "year": 2011, "href": "The_Quiet_Harbor"},
]  # fmt: skip


def write(tmp_path: Path, films: list[Any], name: str = "movies-2010s.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(films, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def run(*files: Path) -> Report:
    report = Report()
    importer.run(Namespace(files=list(files)), report)
    return report


def test_it_imports_films_with_cast_genres_and_an_attributed_synopsis(tmp_path: Path) -> None:
    make_movie(title="Twin", year=2001, slug="twin-2001")
    make_movie(title="Twin", year=2001, slug="twin-2001-b")
    report = run(write(tmp_path, FILMS))
    harbor = Movie.objects.get(title="The Quiet Harbor")
    assert (harbor.year, harbor.slug) == (2011, "the-quiet-harbor-2011")
    assert harbor.synopsis.startswith("The Quiet Harbor is a 2011 film")
    assert sorted(harbor.genres.values_list("name", flat=True)) == ["Animation", "Drama"]
    assert list(Credit.objects.filter(movie=harbor).values_list("person__name", flat=True)) == [
        "Ann Example",
        "Bo Sample",
    ]
    source = MovieSource.objects.get(movie=harbor)
    assert (source.source, source.url, source.licence) == (
        "wikipedia",
        "https://en.wikipedia.org/wiki/The_Quiet_Harbor",
        "CC BY-SA 4.0",
    )
    assert source.licence_url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "synopsis" in source.fields
    html = Client().get(harbor.get_absolute_url()).content.decode()
    assert 'href="https://en.wikipedia.org/wiki/The_Quiet_Harbor"' in html
    assert "CC BY-SA 4.0" in html
    # Two films called Twin (2001) already: an editor chooses.
    assert report.queued == 1
    assert PendingMatch.objects.get().external_key == "Twin_(film)"
    assert [str(p).split("/")[-1] for p in report.problems] == [
        "movies-2010s.json:4: film without a title",
        "movies-2010s.json:5: No Year: year 'soon' is not a year",
    ]
    assert report.tally("movies").skipped["duplicate"] == 1


def test_it_fills_in_a_film_matched_by_title_and_year_without_overwriting(
    tmp_path: Path,
) -> None:
    heat = make_movie(title="Heat", year=1995, slug="heat", tmdb_id=949, synopsis="Ours.")
    report = run(write(tmp_path, FILMS))
    heat.refresh_from_db()
    assert heat.synopsis == "Ours."
    assert list(heat.genres.values_list("name", flat=True)) == ["Crime"]
    assert MovieSource.objects.get(movie=heat).fields == "genres"
    assert report.tally("movies").updated == 1
    assert Movie.objects.filter(title="Heat").count() == 1


def test_the_same_files_twice_change_nothing_and_people_are_found_by_name(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, FILMS)
    run(path)
    report = run(path)
    assert not report.changed_anything()
    assert report.tally("movies").unchanged == 3
    assert report.tally("people").unchanged == 2
    assert Person.objects.count() == 2

    # A newer collection: a changed extract, a new film whose cast includes a known person.
    newer = [
        {**FILMS[0], "extract": "Rewritten."},
        {"title": "Harbor Lights", "year": 2014, "cast": ["Bo Sample"], "href": "Harbor_Lights"},
    ]
    report = run(write(tmp_path, newer, "movies-newer.json"))
    assert (report.tally("movies").created, report.tally("movies").updated) == (1, 1)
    assert Movie.objects.get(title="The Quiet Harbor").synopsis == "Rewritten."
    assert Person.objects.count() == 2
    assert Person.objects.get(name="Bo Sample").credits.count() == 2


# Four records: the second film's first person comes in the chunk of the first film.
@pytest.mark.parametrize("chunk", [500, 4], ids=["one chunk", "a film's people split off"])
def test_cast_is_matched_first_among_the_people_the_film_already_credits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from marquee.ingest import loader

    monkeypatch.setattr(loader, "CHUNK", chunk)
    run(write(tmp_path, FILMS))
    harbor = Movie.objects.get(title="The Quiet Harbor")
    ann = Person.objects.get(name="Ann Example")
    # Another person of the same name arrives from another source, on another film.
    namesake = Person.objects.create(name="Ann Example", slug="ann-example-2", imdb_id="nm0000009")

    newer = [
        # Two people are called Ann Example and this film credits neither: none is guessed.
        {"title": "Harbor Lights", "year": 2014, "cast": ["Ann Example", "Bo Sample"],
         "href": "Harbor_Lights"},
        # Ann is written otherwise, but the film credits one Ann Example: that is her. Cy is new.
        {**FILMS[0], "cast": ["ann  EXAMPLE", "Bo Sample", "Cy New"]},
    ]  # fmt: skip
    report = run(write(tmp_path, newer, "movies-newer.json"))

    assert list(
        Credit.objects.filter(movie=harbor).order_by("order").values_list("person", flat=True)
    ) == [ann.pk, Person.objects.get(name="Bo Sample").pk, Person.objects.get(name="Cy New").pk]
    lights = Movie.objects.get(title="Harbor Lights")
    assert list(Credit.objects.filter(movie=lights).values_list("person__name", flat=True)) == [
        "Bo Sample"
    ]
    assert report.tally("credits").skipped["person's name is shared by several people"] == 1
    assert sorted(Person.objects.values_list("name", flat=True)) == [
        "Ann Example",
        "Ann Example",
        "Bo Sample",
        "Cy New",
    ]
    assert not Credit.objects.filter(person=namesake).exists()


def test_json_lines_are_read_too_and_broken_json_stops(tmp_path: Path) -> None:
    lines = tmp_path / "films.jsonl"
    lines.write_text(json.dumps(FILMS[1]) + "\n{oops\n")
    report = run(lines)
    assert Movie.objects.get().title == "Heat"
    assert report.problem_count == 1
    broken = tmp_path / "movies-1990s.json"
    broken.write_text('[{"title": "Heat", "year": 1995},\n{"title": ')
    with pytest.raises(IngestError, match=r"movies-1990s.json:2: not valid JSON"):
        run(broken)


@pytest.mark.skipif(
    not (SHARED_DATA / "wikipedia-movies").is_dir(),
    reason=f"the Wikipedia movie data is not in {SHARED_DATA}",
)
def test_the_real_wikipedia_decade_files_import_cleanly() -> None:
    folder = SHARED_DATA / "wikipedia-movies"
    report = run(folder / "movies-1900s.json", folder / "movies-1950s.json")
    movies = report.tally("movies")
    films = len(json.loads((folder / "movies-1900s.json").read_text())) + len(
        json.loads((folder / "movies-1950s.json").read_text())
    )
    assert movies.read == films
    assert movies.created + sum(movies.skipped.values()) == films
    assert report.problem_count == 0
    assert Movie.objects.count() == movies.created
    assert MovieSource.objects.filter(source="wikipedia").count() == movies.created
    # Every Wikipedia text keeps its page (the films without a page have no text either).
    with_text = MovieSource.objects.filter(fields__contains="synopsis")
    assert with_text.count() == Movie.objects.exclude(synopsis="").count() > 1_000
    assert not with_text.exclude(url__startswith="https://en.wikipedia.org/wiki/").exists()


@pytest.mark.parametrize("wikipedia_first", [True, False])
def test_a_higher_ranked_source_wins_a_field_whichever_comes_first(
    tmp_path: Path, wikipedia_first: bool
) -> None:
    from marquee.ingest.tmdb import importer as tmdb
    from tests.ingest.test_tmdb import CAST, HEADER, credits_row, movie_row, write_csv

    heat = {**FILMS[1], "cast": ["Al Example"]}
    films = write(tmp_path, [heat])
    movies = write_csv(
        tmp_path / "tmdb_5000_movies.csv",
        HEADER,
        [movie_row(id=949, title="Heat", original_title="Heat", original_language="en",
                   release_date="1995-12-15", overview="A thief and a detective.")],
    )  # fmt: skip
    credits = write_csv(
        tmp_path / "credits.csv",
        ["movie_id", "title", "cast", "crew"],
        [credits_row(949, "Heat", CAST, [])],
    )

    def from_tmdb() -> Report:
        report = Report()
        tmdb.run(Namespace(files=[movies, credits]), report)
        return report

    steps = [lambda: run(films), from_tmdb]
    for step in steps if wikipedia_first else steps[::-1]:
        assert step().changed_anything()
    for step in steps:  # and again: nothing moves any more
        assert not step().changed_anything()

    movie = Movie.objects.get()
    assert movie.synopsis == "A thief and a detective."
    assert list(movie.genres.values_list("name", flat=True)) == ["Drama"]
    assert list(movie.credits.values_list("person__name", flat=True)) == [
        "Ryu Seung-ryong",
        "Kal So-won",
    ]
    sources = dict(MovieSource.objects.values_list("source", "fields"))
    assert "synopsis" in sources["tmdb"] and "cast" in sources["tmdb"]
    assert "synopsis" not in sources["wikipedia"] and "cast" not in sources["wikipedia"]
