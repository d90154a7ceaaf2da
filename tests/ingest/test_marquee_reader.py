import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from marquee.catalog.models import AlternateTitle, Movie, MovieRelation
from marquee.ingest.loader import import_files
from marquee.ingest.marquee.reader import read
from marquee.ingest.records import IngestError
from marquee.people.models import Credit, Person

pytestmark = pytest.mark.django_db

HEADER = {"format": "marquee", "version": 1}
PERSON = {
    "type": "person",
    "key": "ryu-seung-ryong",
    "name": "Ryu Seung-ryong",
    "original_name": "류승룡",
}
MOVIE: dict[str, Any] = {
    "type": "movie",
    "key": "miracle-in-cell-no-7-2013",
    "title": "Miracle in Cell No. 7",
    "original_title": "7번방의 선물",
    "year": 2013,
    "genres": ["Drama", "Comedy"],
    "countries": ["KR"],
    "original_language": "ko",
    "cast": [{"person": "ryu-seung-ryong", "character": "Lee Yong-gu"}],
    "alternate_titles": [
        {"title": "Chil-beon-bang-ui seon-mul", "language": "ko", "kind": "romanized"}
    ],
    "milestones": [{"kind": "admissions", "value": 10000000, "territory": "KR", "day": 32}],
}
REMAKE = {
    "type": "movie",
    "key": "miracle-in-cell-no-7-2019",
    "title": "Miracle in Cell No. 7",
    "year": 2019,
    "relations": [{"kind": "remake_of", "movie": "miracle-in-cell-no-7-2013"}],
}


def write(tmp_path: Path, *records: object, name: str = "catalog.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False) if not isinstance(r, str) else r for r in records
        )
        + "\n"
    )
    return path


def test_it_imports_people_movies_credits_and_relations(tmp_path: Path) -> None:
    # The remake comes first: relations may point forwards.
    path = write(tmp_path, HEADER, PERSON, REMAKE, MOVIE)
    report = import_files([path], read)
    created = [report.tally(kind).created for kind in ("movies", "people", "relations")]
    assert created == [2, 1, 1]
    movie = Movie.objects.get(slug="miracle-in-cell-no-7-2013")
    assert movie.original_title == "7번방의 선물"
    assert sorted(movie.genres.values_list("name", flat=True)) == ["Comedy", "Drama"]
    assert list(Credit.objects.values_list("person__name", "character", "order")) == [
        ("Ryu Seung-ryong", "Lee Yong-gu", 0)
    ]
    assert AlternateTitle.objects.get().kind == "romanized"
    assert MovieRelation.objects.get().other == movie
    assert movie.milestones.get().day == 32


def test_importing_twice_gives_the_same_catalog_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, PERSON, MOVIE, REMAKE)
    import_files([path], read)
    before = Movie.objects.values_list("slug", "updated_at").order_by("slug")
    first = list(before)
    report = import_files([path], read)
    movies, people = report.tally("movies"), report.tally("people")
    assert (movies.read, movies.unchanged, movies.updated, movies.created) == (2, 2, 0, 0)
    assert (people.unchanged, people.updated) == (1, 0)
    assert report.tally("relations").unchanged == 1
    assert not report.changed_anything()
    assert list(before) == first  # not even touched
    assert (Movie.objects.count(), Person.objects.count(), Credit.objects.count()) == (2, 1, 1)
    assert (MovieRelation.objects.count(), AlternateTitle.objects.count()) == (1, 1)


def test_a_newer_file_updates_what_changed_and_adds_what_is_new(tmp_path: Path) -> None:
    import_files([write(tmp_path, HEADER, PERSON, MOVIE)], read)
    newer = {**MOVIE, "runtime": 127, "cast": [], "genres": ["Drama"]}
    report = import_files([write(tmp_path, HEADER, PERSON, newer, REMAKE, name="v2.jsonl")], read)
    movies = report.tally("movies")
    assert (movies.created, movies.updated, movies.unchanged) == (1, 1, 0)
    movie = Movie.objects.get(slug="miracle-in-cell-no-7-2013")
    assert movie.runtime == 127
    assert list(movie.genres.values_list("name", flat=True)) == ["Drama"]
    assert not Credit.objects.exists()
    assert Movie.objects.count() == 2


def test_a_record_is_found_by_its_ids_and_keeps_its_slug(tmp_path: Path) -> None:
    import_files([write(tmp_path, HEADER, {**MOVIE, "cast": [], "ids": {"tmdb": 158445}})], read)
    renamed = {**MOVIE, "key": "miracle-2013", "cast": [], "ids": {"tmdb": 158445}}
    report = import_files([write(tmp_path, HEADER, renamed, name="other.jsonl")], read)
    assert report.tally("movies").unchanged == 1
    assert list(Movie.objects.values_list("slug", flat=True)) == ["miracle-in-cell-no-7-2013"]


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "not valid JSON"),
        ({"type": "film", "key": "x"}, "unknown record type 'film'"),
        ({**MOVIE, "key": "Bad Key"}, "key must be a lowercase slug"),
        ({**MOVIE, "year": "2013"}, "year must be a whole number"),
        ({**MOVIE, "year": 99999}, "year=99999 is out of range"),
        ({**MOVIE, "genres": ["Drama", "Kdrama"]}, "unknown genre 'Kdrama'"),
        ({**MOVIE, "countries": ["XX"]}, "'XX' is not an ISO 3166-1 alpha-2 country code"),
        ({**MOVIE, "original_language": "zz"}, "'zz' is not an ISO 639 language code"),
        ({**MOVIE, "title": ""}, "title is required"),
        ({**MOVIE, "ids": {"imdb": "12345"}}, "ids.imdb '12345' is not an IMDb title id"),
        (
            {**MOVIE, "gross": [{"amount": 5, "currency": "KRX"}]},
            "currency 'KRX' is not an ISO 4217 code",
        ),
        ({**MOVIE, "release_dates": [{"country": "KR", "date": "2013-02-30"}]}, "is not a date"),
        ({**MOVIE, "offers": [{"provider": "X", "region": "KR", "kind": "rent"}]}, "needs a url"),
    ],
)
def test_a_bad_line_is_reported_with_file_and_line_and_the_rest_is_kept(
    tmp_path: Path, bad_line: object, reason: str
) -> None:
    good = write(tmp_path, HEADER, PERSON, name="good.jsonl")
    remake = {**REMAKE, "relations": [{"kind": "remake_of", "movie": "after"}]}
    bad = write(tmp_path, HEADER, remake, bad_line, {**MOVIE, "key": "after"}, name="bad.jsonl")
    report = import_files([good, bad], read)
    assert [str(problem) for problem in report.problems] == [
        f"{bad}:3: {problem.reason}" for problem in report.problems
    ]
    assert len(report.problems) == 1
    assert reason in report.problems[0].reason
    assert report.problem_count == 1
    assert sorted(Movie.objects.values_list("slug", flat=True)) == [
        "after",
        "miracle-in-cell-no-7-2019",
    ]
    assert Person.objects.count() == 1


def test_a_credit_or_relation_to_an_unknown_record_is_left_out_and_reported(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        HEADER,
        {**MOVIE, "cast": [{"person": "nobody"}]},
        {**REMAKE, "relations": [{"kind": "remake_of", "movie": "missing-1999"}]},
    )
    report = import_files([path], read)
    assert [str(problem) for problem in report.problems] == [
        f"{path}:2: credit for unknown person 'nobody'",
        f"{path}:3: relation to unknown movie 'missing-1999'",
    ]
    assert Movie.objects.count() == 2
    assert not Credit.objects.exists()
    assert not MovieRelation.objects.exists()


def test_it_refuses_a_file_without_the_header(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r":1: the first line must be the header"):
        import_files([write(tmp_path, PERSON)], read)
    with pytest.raises(IngestError, match=r"format version 2 is not supported"):
        import_files([write(tmp_path, {"format": "marquee", "version": 2})], read)


def test_the_command_reports_bad_rows_in_its_summary(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, PERSON, {**MOVIE, "runtime": -5}, REMAKE)
    out = io.StringIO()
    call_command("import", "marquee", str(path), stdout=out)
    assert f"  {path}:3: runtime=-5 is out of range" in out.getvalue()
    assert "movies skipped, bad row: 1" in out.getvalue()
    assert Person.objects.count() == 1
    assert Movie.objects.count() == 1


def test_the_command_stops_at_a_wrong_header_and_keeps_nothing(tmp_path: Path) -> None:
    good = write(tmp_path, HEADER, PERSON, name="good.jsonl")
    wrong = write(tmp_path, {"format": "other"}, PERSON, name="wrong.jsonl")
    with pytest.raises(CommandError, match=r"wrong.jsonl:1: the first line must be the header"):
        call_command("import", "marquee", str(good), str(wrong))
    assert not Person.objects.exists()


def test_the_command_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot open"):
        call_command("import", "marquee", str(tmp_path / "absent.jsonl"))


def test_two_records_with_one_external_id_are_one_film(tmp_path: Path) -> None:
    first = {**MOVIE, "ids": {"imdb": "tt2281159"}}
    second = {**REMAKE, "relations": [], "ids": {"imdb": "tt2281159"}}
    path = write(tmp_path, HEADER, PERSON, first, second)
    report = import_files([path], read)
    assert [str(p) for p in report.problems] == [
        f"{path}:4: Miracle in Cell No. 7: the same film as 'miracle-in-cell-no-7-2013', "
        "loaded earlier in this import"
    ]
    assert Movie.objects.get().imdb_id == "tt2281159"
