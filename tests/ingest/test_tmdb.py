import csv
import json
from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from marquee.catalog.models import Movie, MovieEdit
from marquee.ingest.models import ExternalRating, MovieSource
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.tmdb import importer
from marquee.people.models import Credit, Person
from tests.admin_forms import form_values, post_change_form
from tests.conftest import SHARED_DATA
from tests.factories import make_movie

pytestmark = pytest.mark.django_db

HEADER = [
    "budget", "genres", "homepage", "id", "keywords", "original_language", "original_title",
    "overview", "popularity", "production_companies", "production_countries", "release_date",
    "revenue", "runtime", "spoken_languages", "status", "tagline", "title", "vote_average",
    "vote_count",
]  # fmt: skip


def movie_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "budget": 8_000_000,
        "genres": [{"id": 18, "name": "Drama"}, {"id": 10770, "name": "TV Movie"}],
        "homepage": "",
        "id": 1001,
        "keywords": [
            {"id": 1, "name": "Prison"},
            {"id": 2, "name": "father daughter relationship"},
        ],
        "original_language": "ko",
        "original_title": "7번방의 선물",
        "overview": "A father in prison.\nHis daughter outside.",  # a newline inside a field
        "popularity": 12.5,
        "production_companies": [],
        "production_countries": [{"iso_3166_1": "KR", "name": "South Korea"}],
        "release_date": "2013-01-23",
        "revenue": 0,  # unknown
        "runtime": 127,
        "spoken_languages": [{"iso_639_1": "ko", "name": "한국어"}],
        "status": "Released",
        "tagline": "",
        "title": "Miracle in Cell No. 7",
        "vote_average": 8.1,
        "vote_count": 900,
    }
    row.update(overrides)
    return row


def write_csv(path: Path, header: list[str], rows: list[dict[str, Any] | list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for row in rows:
            if isinstance(row, list):
                out.writerow(row)
            else:
                out.writerow(
                    json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], list) else row[c]
                    for c in header
                )
    return path


def credits_row(movie_id: int, title: str, cast: list[Any], crew: list[Any]) -> list[str]:
    return [str(movie_id), title, json.dumps(cast), json.dumps(crew)]


CAST = [
    {
        "cast_id": 1,
        "character": "Ye-seung",
        "credit_id": "a",
        "gender": 1,
        "id": 501,
        "name": "Kal So-won",
        "order": 1,
    },
    {
        "cast_id": 2,
        "character": "Lee Yong-gu",
        "credit_id": "b",
        "gender": 2,
        "id": 500,
        "name": "Ryu Seung-ryong",
        "order": 0,
    },
]
CREW = [
    {
        "credit_id": "c",
        "department": "Directing",
        "gender": 2,
        "id": 600,
        "job": "Director",
        "name": "Lee Hwan-kyung",
    },
    {
        "credit_id": "d",
        "department": "Directing",
        "gender": 2,
        "id": 600,
        "job": "Director",
        "name": "Lee Hwan-kyung",
    },
    {
        "credit_id": "e",
        "department": "Writing",
        "gender": 2,
        "id": 600,
        "job": "Screenplay",
        "name": "Lee Hwan-kyung",
    },
]


def run(*files: Path) -> Report:
    report = Report()
    importer.run(Namespace(files=list(files)), report)
    return report


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    movies = write_csv(
        tmp_path / "tmdb_5000_movies.csv",
        HEADER,
        [
            movie_row(),
            movie_row(id=1002, title="Untitled", original_language="xx", budget=0, revenue=5,
                      release_date="", runtime="", vote_count=0, genres="{broken"),
            movie_row(id=1003, title="Heat", original_title="Heat", original_language="en",
                      release_date="1995-12-15", revenue=187436818, budget=60000000,
                      production_countries=[{"iso_3166_1": "US", "name": "United States"}]),
        ],
    )  # fmt: skip
    credits = write_csv(
        tmp_path / "tmdb_5000_credits.csv",
        ["movie_id", "title", "cast", "crew"],
        [
            credits_row(1001, "Miracle in Cell No. 7", CAST, CREW),
            credits_row(4040, "Not in the movies file", CAST[:1], []),
        ],
    )
    return movies, credits


def test_it_imports_the_tmdb_5000_pair(pair: tuple[Path, Path]) -> None:
    movies, credits = pair
    report = run(credits, movies)  # the credits file is read after the films whatever the order
    assert report.tally("movies").created == 2
    miracle = Movie.objects.get(tmdb_id=1001)
    assert (miracle.title, miracle.original_title, miracle.year, miracle.runtime) == (
        "Miracle in Cell No. 7",
        "7번방의 선물",
        2013,
        127,
    )
    assert miracle.synopsis == "A father in prison.\nHis daughter outside."
    assert (miracle.budget, miracle.budget_currency) == (8_000_000, "USD")
    assert not miracle.box_office.exists()  # revenue 0 is unknown, not zero
    assert list(miracle.genres.values_list("name", flat=True)) == ["Drama"]
    assert sorted(miracle.keywords.values_list("name", flat=True)) == [
        "father daughter relationship",
        "prison",
    ]
    assert miracle.original_language_id == "ko"
    assert list(miracle.countries.values_list("code", flat=True)) == ["KR"]
    rating = ExternalRating.objects.get(movie=miracle)
    assert (rating.source, rating.average, rating.votes) == ("tmdb", 8.1, 900)
    assert MovieSource.objects.get(movie=miracle).url == "https://www.themoviedb.org/movie/1001"
    heat = Movie.objects.get(tmdb_id=1003)
    assert list(heat.box_office.values_list("kind", "territory", "amount", "currency")) == [
        ("gross", "", 187436818, "USD")
    ]
    # Credits: in billing order, a doubled crew line once, people created with their ids.
    assert list(
        Credit.objects.filter(movie=miracle).values_list("kind", "person__name", "character", "job")
    ) == [
        ("cast", "Ryu Seung-ryong", "Lee Yong-gu", ""),
        ("cast", "Kal So-won", "Ye-seung", ""),
        ("crew", "Lee Hwan-kyung", "", "Director"),
        ("crew", "Lee Hwan-kyung", "", "Screenplay"),
    ]
    assert Person.objects.get(tmdb_id=500).slug == "ryu-seung-ryong"
    assert [str(p).split("/")[-1] for p in report.problems] == [
        "tmdb_5000_movies.csv:4: genres: not valid JSON "
        "(Expecting property name enclosed in double quotes)"
    ]
    assert report.dangling["credits for films not in the catalog"] == 1


def test_the_same_files_twice_change_nothing_and_a_newer_file_updates(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    movies, credits = pair
    run(movies, credits)
    report = run(movies, credits)
    assert not report.changed_anything()
    assert (report.tally("movies").unchanged, report.tally("credits").unchanged) == (2, 1)
    assert report.tally("people").unchanged == 3

    newer = write_csv(
        tmp_path / "newer.csv",
        HEADER,
        [movie_row(vote_count=950, runtime=128), movie_row(id=1004, title="New")],
    )
    report = run(newer)
    assert (report.tally("movies").created, report.tally("movies").updated) == (1, 1)
    miracle = Movie.objects.get(tmdb_id=1001)
    assert miracle.runtime == 128
    assert ExternalRating.objects.get(movie=miracle).votes == 950
    assert Movie.objects.count() == 3
    assert Credit.objects.filter(movie=miracle).count() == 4  # not given: kept


def test_it_never_overwrites_what_an_editor_wrote(pair: tuple[Path, Path]) -> None:
    mine = make_movie(title="Miracle in Cell No. 7", year=2013, tmdb_id=1001, runtime=125)
    run(pair[0])
    mine.refresh_from_db()
    assert mine.runtime == 125  # the editor's
    assert mine.synopsis.startswith("A father")  # was empty: filled in
    assert "synopsis" in MovieSource.objects.get(movie=mine).fields
    assert "runtime" not in MovieSource.objects.get(movie=mine).fields


def test_a_list_an_editor_emptied_in_the_admin_stays_empty(
    pair: tuple[Path, Path], admin_client: Client
) -> None:
    run(*pair)
    film = Movie.objects.get(tmdb_id=1001)
    url = f"/admin/catalog/movie/{film.pk}/change/"
    page = form_values(admin_client, url)
    genres = film.genres.count()
    rows = {name.removesuffix("genre") for name in page if name.endswith("-genre")}
    rows.discard("moviegenre_set-__prefix__-")  # the empty row the page copies to add one
    assert len(rows) == genres > 0
    response = post_change_form(admin_client, url, **{f"{row}DELETE": "on" for row in rows})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not film.genres.exists()

    run(*pair)  # an empty list is anyone's to fill, but not this one
    assert not film.genres.exists()
    assert Credit.objects.filter(movie=film).exists()
    MovieEdit.objects.filter(movie=film).delete()  # handed back
    run(*pair)
    assert film.genres.count() == genres


API_OBJECT = {
    "id": 1001,
    "imdb_id": "tt2281159",
    "title": "Miracle in Cell No. 7",
    "original_title": "7번방의 선물",
    "original_language": "ko",
    "release_date": "2013-01-23",
    "runtime": 127,
    "overview": "A father in prison.",
    "tagline": "",
    "budget": 0,
    "revenue": 0,
    "vote_average": 8.1,
    "vote_count": 900,
    "genres": [{"id": 18, "name": "Drama"}, {"id": 35, "name": "Comedy"}],
    "production_countries": [{"iso_3166_1": "KR", "name": "South Korea"}],
    "spoken_languages": [{"iso_639_1": "ko", "english_name": "Korean", "name": "한국어/조선말"}],
    "credits": {"cast": CAST, "crew": CREW},
    "keywords": {"keywords": [{"id": 1, "name": "prison"}]},
    "release_dates": {
        "results": [
            {
                "iso_3166_1": "KR",
                "release_dates": [
                    {"certification": "", "release_date": "2012-12-20T00:00:00.000Z", "type": 1},
                    {"certification": "15", "release_date": "2013-01-23T00:00:00.000Z", "type": 3},
                ],
            },
            {"iso_3166_1": "ZZ", "release_dates": [{"type": 3, "release_date": "2013-01-01"}]},
        ]
    },
    "alternative_titles": {
        "titles": [
            {"iso_3166_1": "KR", "title": "Chil-beon-bang-ui seon-mul", "type": ""},
            {"iso_3166_1": "US", "title": "Miracle in Cell No. 7", "type": ""},
        ]
    },
    "external_ids": {"imdb_id": "tt2281159", "wikidata_id": "Q12583539"},
}


def test_it_imports_api_objects_saved_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "movies.jsonl"
    adult = {**API_OBJECT, "id": 1002, "adult": True}
    path.write_text(
        json.dumps(API_OBJECT, ensure_ascii=False) + "\n{broken\n\n" + json.dumps(adult) + "\n",
        encoding="utf-8",
    )
    report = run(path)
    movie = Movie.objects.get()
    assert (movie.imdb_id, movie.wikidata_id, movie.tmdb_id) == ("tt2281159", "Q12583539", 1001)
    assert list(movie.release_dates.values_list("country", "date", "kind")) == [
        ("KR", __import__("datetime").date(2012, 12, 20), "premiere"),
        ("KR", __import__("datetime").date(2013, 1, 23), "theatrical"),
    ]
    assert list(movie.certifications.values_list("country", "rating")) == [("KR", "15")]
    assert list(movie.alternate_titles.values_list("title", "region")) == [
        ("Chil-beon-bang-ui seon-mul", "KR")
    ]
    assert movie.credits.count() == 4
    assert [str(p).split("/")[-1] for p in report.problems] == [
        "movies.jsonl:2: not valid JSON: Expecting property name enclosed in double quotes"
    ]
    assert report.tally("movies").skipped["adult title"] == 1
    assert not run(path).changed_anything()


def test_a_file_that_is_not_tmdb_stops_on_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "movies.csv"
    path.write_text("movieId,title,genres\n1,Heat (1995),Action\n")
    with pytest.raises(IngestError, match=r"movies.csv:1: wrong header"):
        run(path)


@pytest.mark.skipif(
    not (SHARED_DATA / "tmdb-5000").is_dir(),
    reason=f"the TMDB 5000 dataset is not in {SHARED_DATA}",
)
def test_the_real_tmdb_5000_files_import_cleanly() -> None:
    folder = SHARED_DATA / "tmdb-5000"
    report = run(folder / "tmdb_5000_movies.csv", folder / "tmdb_5000_credits.head3.csv")
    assert report.tally("movies").created == 4_803
    assert report.problem_count == 0
    assert report.tally("credits").updated == 3
    avatar = Movie.objects.get(tmdb_id=19995)
    assert (avatar.title, avatar.year, avatar.budget) == ("Avatar", 2009, 237_000_000)
    assert avatar.credits.filter(kind="cast").first().person.name == "Sam Worthington"  # type: ignore[union-attr]
    assert ExternalRating.objects.get(movie=avatar).votes == 11_800
    assert Movie.objects.filter(budget__isnull=True).count() == 1_037
