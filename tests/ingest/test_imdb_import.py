"""The IMDb importer on small dumps in the real format, damage included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client

from marquee.catalog.models import AlternateTitle, Genre, Movie, MovieGenre, derive_sort_title
from marquee.ingest.imdb.parallel import Scratch
from marquee.ingest.imdb.reader import DEFAULT_TYPES, IMPORTED, SEEN, IdFlags, read_principals
from marquee.ingest.models import ExternalRating, MovieSource
from marquee.ingest.report import Report
from marquee.ingest.run import run_import
from marquee.people.models import Credit, Person
from tests.admin_forms import form_values, inline_row, post_change_form
from tests.factories import make_movie
from tests.ingest.imdb_files import (
    AKAS,
    BASICS,
    CREW,
    NAMES,
    PRINCIPALS,
    N,
    quirky_dump,
    write_dump,
)
from tests.schema import index_definitions

pytestmark = pytest.mark.django_db


def import_imdb(directory: Path, **options: Any) -> Report:
    namespace = Namespace(
        directory=directory,
        types=frozenset(options.get("types", DEFAULT_TYPES)),
        include_adult=options.get("include_adult", False),
    )
    return run_import("imdb", namespace, related=False)


def movies() -> list[tuple[Any, ...]]:
    return list(
        Movie.objects.order_by("imdb_id").values_list(
            "imdb_id", "title", "original_title", "slug", "year", "runtime", "popularity"
        )
    )


def credits() -> list[tuple[Any, ...]]:
    return list(
        Credit.objects.order_by("movie__imdb_id", "kind", "order", "job").values_list(
            "movie__imdb_id", "person__imdb_id", "kind", "character", "department", "job", "order"
        )
    )


def tally(report: Report, kind: str) -> tuple[int, int, int, int, dict[str, int]]:
    t = report.tallies[kind]
    return (t.read, t.created, t.updated, t.unchanged, dict(t.skipped))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row the importer writes, every field (timestamps included)."""
    models: list[type[Model]] = [
        Movie, Person, Credit, MovieGenre, Genre, AlternateTitle, ExternalRating, MovieSource
    ]  # fmt: skip
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
    }


def test_it_imports_the_quirky_dump(tmp_path: Path) -> None:
    report = import_imdb(quirky_dump(tmp_path))

    assert movies() == [
        ("tt0000101", "The Host", "Gwoemul", "the-host-2006", 2006, 120, 50.792),
        (
            "tt0000102",
            'Memories of "Murder"',
            "Salinui chueok",
            "memories-of-murder-2003",
            2003,
            131,
            53.222,
        ),
        # No Latin letters to make a slug of: the film is known by its IMDb id.
        ("tt0000103", "Сталкер", "Сталкер", "tt0000103", 1979, None, 0.0),
    ]
    genres = MovieGenre.objects.order_by("movie__imdb_id", "genre__name")
    assert [(g.movie.imdb_id, g.genre.name, g.year, g.popularity) for g in genres] == [
        ("tt0000101", "Drama", 2006, 50.792),
        ("tt0000101", "Horror", 2006, 50.792),
        ("tt0000101", "Science Fiction", 2006, 50.792),
        ("tt0000102", "Crime", 2003, 53.222),
        ("tt0000102", "Drama", 2003, 53.222),
        ("tt0000103", "Drama", 1979, 0.0),
    ]
    assert list(Person.objects.order_by("imdb_id").values_list("imdb_id", "name", "slug")) == [
        ("nm0000001", "Song Kang-ho", "song-kang-ho"),
        ("nm0000002", "Bae Doona", "bae-doona"),
        ("nm0000003", "Bong Joon Ho", "bong-joon-ho"),
        ("nm0000004", "Baek Chul-hyun", "baek-chul-hyun"),
        ("nm0000005", "Lee Byung-woo", "lee-byung-woo"),
        ("nm0000006", "Андрей Тарковский", "nm0000006"),
    ]
    assert credits() == [
        ("tt0000101", "nm0000001", "cast", "Park Gang-du", "", "", 1),
        ("tt0000101", "nm0000002", "cast", 'Park Nam-joo / Nam-joo "the archer"', "", "", 2),
        # title.crew adds Bong as a writer; it repeats him as director and Baek as writer.
        ("tt0000101", "nm0000003", "crew", "", "Writing", "Writer", 1),
        ("tt0000101", "nm0000003", "crew", "", "Directing", "Director", 3),
        ("tt0000101", "nm0000004", "crew", "", "Writing", "Screenplay", 4),
        ("tt0000102", "nm0000001", "cast", "Detective Park", "", "", 1),
        ("tt0000102", "nm0000003", "crew", "", "Directing", "Director", 2),
        ("tt0000102", "nm0000005", "crew", "", "Sound", "Original Music Composer", 3),
        ("tt0000103", "nm0000006", "cast", "Self", "", "", 1),
    ]
    assert set(Credit.objects.values_list("movie__year", "year")) == {
        (y, y) for y in (2006, 2003, 1979)
    }
    titles = AlternateTitle.objects.order_by("movie__imdb_id", "title")
    assert [(a.movie.imdb_id, a.title, a.language, a.region, a.kind) for a in titles] == [
        ("tt0000101", "The Monster", "en", "", "translated"),
        ("tt0000101", "괴물", "ko", "KR", "other"),
        ("tt0000102", "Memories of Murder", "", "GB", "working"),
    ]
    ratings = ExternalRating.objects.order_by("movie__imdb_id")
    assert [(r.movie.imdb_id, r.source, r.average, r.votes) for r in ratings] == [
        ("tt0000101", "imdb", 7.1, 120000),
        ("tt0000102", "imdb", 8.1, 210000),
    ]
    sources = MovieSource.objects.order_by("movie__imdb_id")
    assert [(s.movie.imdb_id, s.source, s.url) for s in sources] == [
        (f"tt000010{n}", "imdb", f"https://www.imdb.com/title/tt000010{n}/") for n in (1, 2, 3)
    ]

    assert tally(report, "movies") == (
        9,
        3,
        0,
        0,
        {"duplicate": 1, "other title type": 2, "adult": 1, "bad row": 2},
    )
    assert tally(report, "IMDb ratings") == (
        6,
        2,
        0,
        0,
        {"duplicate": 1, "title not imported": 1, "bad row": 1},
    )
    assert tally(report, "credits") == (
        13 + 5,  # title.crew: one credit per person listed
        9,
        0,
        0,
        {
            "duplicate": 1,
            "title not imported": 2,
            "bad row": 1,
            "title.crew entry already in title.principals": 3,
        },
    )
    assert tally(report, "people") == (
        9,
        6,
        0,
        0,
        {"duplicate": 1, "not credited on an imported title": 2},
    )
    assert tally(report, "alternate titles") == (
        8,
        3,
        0,
        0,
        {"duplicate": 1, "same as the title": 2, "title not imported": 1},
    )
    assert dict(report.dangling) == {
        "ratings of titles absent from title.basics": 1,
        "credits of titles absent from title.basics": 1,
        "credits of names absent from name.basics": 1,
        "alternate titles of titles absent from title.basics": 1,
    }
    basics, ratings_file, principals = (
        str(tmp_path / f"{name}.tsv.gz")
        for name in ("title.basics", "title.ratings", "title.principals")
    )
    assert [str(problem) for problem in report.problems] == [
        f"{basics}:9: not a number: '19x9'",
        f"{basics}:10: 5 fields, expected 9",
        f"{ratings_file}:7: not a number: 'eleven' '3'",
        f"{principals}:11: characters is not a JSON list: '[not json'",
    ]


def test_repeated_credit_rows_are_dropped_whatever_the_order_of_the_file(tmp_path: Path) -> None:
    """The reader drops a title's repeated ordering as it reads a file sorted by title (IMDb's
    are); in a file that is not, the loader finds the repeats it could not."""
    expected = import_imdb(quirky_dump(tmp_path / "sorted"))
    imported = credits()
    repeat = PRINCIPALS[5]  # tt0000101's ordering 1 again, right after its other rows
    assert repeat == PRINCIPALS[0]
    for name, rows in {
        # Past tt0000102's rows, after a row of a title out of scope: the file is not sorted.
        "unsorted": [*PRINCIPALS[:5], *PRINCIPALS[6:-1], repeat, PRINCIPALS[-1]],
        # The repeat first: the earlier line wins, which has the same values.
        "repeat first": [repeat, *PRINCIPALS[:5], *PRINCIPALS[6:]],
    }.items():
        Credit.objects.all().delete()
        report = import_imdb(quirky_dump(tmp_path / name, title_principals=rows))
        assert credits() == imported, name
        assert tally(report, "credits") == tally(expected, "credits"), name


def test_new_films_credit_the_people_the_catalog_has_and_new_ones_get_new_ids(
    tmp_path: Path,
) -> None:
    """A dump of films all new to the catalog: their credits go in before name.basics is
    merged, with the ids their people have or will get."""
    import_imdb(quirky_dump(tmp_path / "first"))
    ids = dict(Person.objects.values_list("imdb_id", "pk"))
    later = write_dump(
        tmp_path / "later",
        gzipped=False,
        crlf=False,
        title_basics=[
            ["tt0000201", "movie", "Parasite", "Gisaengchung", "0", "2019", N, "132", "Drama"]
        ],
        title_principals=[
            ["tt0000201", "1", "nm0000001", "actor", N, '["Kim Ki-taek"]'],
            ["tt0000201", "2", "nm0000009", "actress", N, '["Yeon-kyo"]'],
            ["tt0000201", "3", "nm0000404", "actor", N, '["Ghost"]'],  # not in name.basics
            ["tt0000201", "4", "nm0000003", "director", N, N],
        ],
        title_crew=[["tt0000201", "nm0000003", "nm0000003"]],
        name_basics=[*NAMES[:3], ["nm0000009", "Cho Yeo-jeong", "1981", N, "actress", N]],
    )
    report = import_imdb(later)

    people = dict(Person.objects.values_list("imdb_id", "pk"))
    assert {imdb_id: people[imdb_id] for imdb_id in ids} == ids
    assert set(people) - set(ids) == {"nm0000009"}
    assert people["nm0000009"] > max(ids.values())
    assert [credit for credit in credits() if credit[0] == "tt0000201"] == [
        ("tt0000201", "nm0000001", "cast", "Kim Ki-taek", "", "", 1),
        ("tt0000201", "nm0000009", "cast", "Yeon-kyo", "", "", 2),
        ("tt0000201", "nm0000003", "crew", "", "Writing", "Writer", 0),
        ("tt0000201", "nm0000003", "crew", "", "Directing", "Director", 4),
    ]
    assert not Credit.objects.exclude(person__in=Person.objects.all()).exists()
    assert report.tallies["credits"].created == 4
    assert report.dangling["credits of names absent from name.basics"] == 1
    # The next person added by hand gets an id after the imported ones.
    assert Person.objects.create(name="Someone", slug="someone").pk > people["nm0000009"]


def test_the_principals_reader_says_whether_it_found_every_repeat(tmp_path: Path) -> None:
    titles, names = IdFlags(), IdFlags()
    for number in (101, 102, 103):
        titles.add(number, SEEN | IMPORTED)

    def read(rows: list[list[str]]) -> tuple[int, dict[str, int], bool]:
        directory = tmp_path / str(len(list(tmp_path.iterdir())))
        path = write_dump(directory, gzipped=False, crlf=False, title_principals=rows)
        report = Report()
        credits = read_principals(path / "title.principals.tsv", report, titles, names)
        count = 0
        while True:
            try:
                next(credits)
                count += 1
            except StopIteration as end:
                return count, dict(report.tallies["credits"].skipped), end.value

    sorted_rows = [
        ["tt0000101", "1", "nm0000001", "actor", N, N],
        ["tt0000998", "1", "nm0000001", "actor", N, N],  # absent from title.basics
        ["tt0000101", "1", "nm0000002", "actor", N, N],  # the same title still: a repeat
        ["tt0000102", "1", "nm0000001", "actor", N, N],
    ]
    assert read(sorted_rows) == (2, {"duplicate": 1}, True)
    unsorted = [sorted_rows[3], *sorted_rows[:3]]
    assert read(unsorted) == (2, {"duplicate": 1}, False)
    # tt0000101 again after tt0000102: a repeat the reader cannot see, left to the loader.
    split = [sorted_rows[0], sorted_rows[3], sorted_rows[2]]
    assert read(split) == (3, {}, False)


def test_it_imports_other_types_and_adult_titles_when_asked(tmp_path: Path) -> None:
    import_imdb(quirky_dump(tmp_path), types={"short", "movie"}, include_adult=True)
    assert [row[:2] for row in movies()] == [
        ("tt0000101", "The Host"),
        ("tt0000102", 'Memories of "Murder"'),
        ("tt0000105", "A Short"),
        ("tt0000106", "Adult Film"),
    ]


def test_the_same_dump_twice_changes_nothing(tmp_path: Path) -> None:
    dump = quirky_dump(tmp_path)
    import_imdb(dump)
    before = snapshot()
    report = import_imdb(dump)
    assert snapshot() == before
    for kind in ("movies", "IMDb ratings", "credits", "people", "alternate titles"):
        t = report.tallies[kind]
        assert (t.created, t.updated, t.removed) == (0, 0, 0), kind
    assert report.tallies["movies"].unchanged == 3
    assert report.tallies["credits"].unchanged == 9
    # Counted by a DELETE for known films; on the first import, from what the insert left out.
    assert report.dangling["credits of names absent from name.basics"] == 1
    assert not report.changed_anything()


def test_a_newer_dump_updates_adds_and_removes_without_duplicates(tmp_path: Path) -> None:
    import_imdb(quirky_dump(tmp_path / "old"))
    slugs = dict(Movie.objects.values_list("imdb_id", "slug"))

    basics = [row[:] for row in BASICS]
    basics[0][2] = "The Host (Gwoemul)"  # retitled
    basics[0][8] = "Drama,Horror"  # no longer science fiction
    basics[1][7] = "132"  # recut
    basics.append(["tt0000109", "movie", "The Host", "The Host", "0", "2006", N, "95", "Drama"])
    ratings = [["tt0000102", "8.2", "250000"]]  # new votes; tt0000101 unrated now
    principals = [row[:] for row in PRINCIPALS if row[2] != "nm0000005"]  # composer dropped
    principals[0][5] = '["Gang-du"]'  # character renamed
    principals.append(["tt0000109", "1", "nm0000009", "actress", N, '["Yeon-hee"]'])
    names = [*NAMES, ["nm0000009", "Bae Doona", "1979", N, "actress", N]]  # a namesake
    akas = [row for row in AKAS if row[2] != "The Monster"]
    report = import_imdb(
        quirky_dump(
            tmp_path / "new",
            title_basics=basics,
            title_ratings=ratings,
            title_principals=principals,
            title_crew=CREW,
            name_basics=names,
            title_akas=akas,
        )
    )

    assert movies() == [
        # Renamed and rated no more: slug kept, popularity as it was.
        ("tt0000101", "The Host (Gwoemul)", "Gwoemul", "the-host-2006", 2006, 120, 50.792),
        (
            "tt0000102",
            'Memories of "Murder"',
            "Salinui chueok",
            "memories-of-murder-2003",
            2003,
            132,
            53.979,
        ),
        ("tt0000103", "Сталкер", "Сталкер", "tt0000103", 1979, None, 0.0),
        # Another film named "The Host" (2006): the IMDb id keeps the two URLs apart.
        ("tt0000109", "The Host", "The Host", "the-host-2006-tt0000109", 2006, 95, 0.0),
    ]
    assert slugs.items() <= dict(Movie.objects.values_list("imdb_id", "slug")).items()
    assert Person.objects.get(imdb_id="nm0000009").slug == "bae-doona-nm0000009"
    assert credits() == [
        ("tt0000101", "nm0000001", "cast", "Gang-du", "", "", 1),
        ("tt0000101", "nm0000002", "cast", 'Park Nam-joo / Nam-joo "the archer"', "", "", 2),
        ("tt0000101", "nm0000003", "crew", "", "Writing", "Writer", 1),
        ("tt0000101", "nm0000003", "crew", "", "Directing", "Director", 3),
        ("tt0000101", "nm0000004", "crew", "", "Writing", "Screenplay", 4),
        ("tt0000102", "nm0000001", "cast", "Detective Park", "", "", 1),
        ("tt0000102", "nm0000003", "crew", "", "Directing", "Director", 2),
        ("tt0000103", "nm0000006", "cast", "Self", "", "", 1),
        ("tt0000109", "nm0000009", "cast", "Yeon-hee", "", "", 1),
    ]
    # Copies of the sort keys follow the film.
    assert set(Credit.objects.filter(movie__imdb_id="tt0000102").values_list("popularity")) == {
        (53.979,)
    }
    assert set(MovieGenre.objects.filter(movie__imdb_id="tt0000102").values_list("popularity")) == {
        (53.979,)
    }
    assert list(
        ExternalRating.objects.order_by("movie__imdb_id").values_list("movie__imdb_id", "votes")
    ) == [("tt0000102", 250000)]
    assert not AlternateTitle.objects.filter(title="The Monster").exists()
    assert set(
        MovieGenre.objects.filter(movie__imdb_id="tt0000101").values_list("genre__name", flat=True)
    ) == {"Drama", "Horror"}

    t = report.tallies
    assert (t["movies"].created, t["movies"].updated, t["movies"].unchanged) == (1, 2, 1)
    assert (t["credits"].created, t["credits"].updated, t["credits"].removed) == (1, 1, 1)
    assert (t["IMDb ratings"].updated, t["IMDb ratings"].removed) == (1, 1)
    assert (t["people"].created, t["alternate titles"].removed) == (1, 1)


def test_a_film_from_another_source_is_matched_by_imdb_id(tmp_path: Path) -> None:
    film = make_movie(title="Host, The", year=2006, slug="the-host", imdb_id="tt0000101")
    MovieSource.objects.create(movie=film, source="tmdb")
    editor = Person.objects.create(name="Ko A-sung", slug="ko-a-sung")
    Credit.objects.create(movie=film, person=editor, kind="cast", character="Hyun-seo", order=0)
    # An unrelated film already has the slug the other new film would get.
    make_movie(title="Memories of Murder", year=2003, slug="memories-of-murder-2003")

    report = import_imdb(quirky_dump(tmp_path))

    film.refresh_from_db()
    # The title was not IMDb's to change (no source lists it): only the empty runtime is filled.
    assert (film.slug, film.title, film.runtime) == ("the-host", "Host, The", 120)
    assert Movie.objects.filter(imdb_id="tt0000101").count() == 1
    assert report.tallies["movies"].updated == 1
    # Another source contributed: IMDb adds its credits and removes none.
    assert Credit.objects.filter(movie=film).count() == 6
    assert Movie.objects.get(imdb_id="tt0000102").slug == "memories-of-murder-2003-tt0000102"

    import_imdb(quirky_dump(tmp_path / "again", title_principals=PRINCIPALS[2:]))
    assert Credit.objects.filter(movie=film, person=editor).exists()


def test_missing_optional_files_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.ingest.imdb_files import write_dump

    report = import_imdb(write_dump(tmp_path, gzipped=False, crlf=True, title_basics=BASICS))
    assert report.tallies["movies"].created == 3
    assert "title.akas: not in" in capsys.readouterr().err
    assert Credit.objects.count() == 0


def test_indexes_set_aside_for_a_bulk_load_come_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marquee.ingest import bulk

    monkeypatch.setattr(bulk, "DEFER_INDEXES_ROWS", 1)  # as if the dump were large
    before = index_definitions()
    import_imdb(quirky_dump(tmp_path))
    assert index_definitions() == before
    assert [row[0] for row in movies()] == ["tt0000101", "tt0000102", "tt0000103"]
    assert Credit.objects.filter(person__imdb_id="nm0000003").count() == 3


def test_imports_refresh_related_movies_for_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from marquee.ingest import run
    from marquee.related import rebuild
    from marquee.related.models import RelatedMovie

    options = Namespace(directory=quirky_dump(tmp_path), types=frozenset(DEFAULT_TYPES))
    options.include_adult = False
    run_import("imdb", options)
    first = list(RelatedMovie.objects.values_list("pk", "movie", "related", "reason"))
    assert first
    # The steps after the commit show their progress as files do (here, not a terminal: the
    # closing line of each).
    shown = capsys.readouterr().err
    assert "search index, movie: 3 documents in" in shown
    assert "search index, person: 6 documents in" in shown
    assert "related movies, scored: 3 films in" in shown

    # As in a big catalog, where only what changed is rescored.
    monkeypatch.setattr(rebuild, "REFRESH_MIN", 0)
    refreshed = []
    refresh = rebuild.refresh_related
    monkeypatch.setattr(run, "refresh_related", lambda progress: refreshed.append(refresh()))
    Movie.objects.filter(imdb_id="tt0000101").update(title="Changed")  # so the rerun changes it
    run_import("imdb", options)
    assert refreshed[0].movies == 0  # a title is not what related movies are scored from
    assert list(RelatedMovie.objects.values_list("pk", "movie", "related", "reason")) == first


def test_imdb_keeps_the_fields_it_filled_up_to_date_and_no_others(tmp_path: Path) -> None:
    import_imdb(quirky_dump(tmp_path / "first"))
    created = Movie.objects.get(imdb_id="tt0000101")
    assert "title" in MovieSource.objects.get(movie=created, source="imdb").fields
    # An editor's own film that IMDb also lists: its words stay the editor's.
    Movie.objects.filter(imdb_id="tt0000102").delete()
    edited = make_movie(title="Salinui chueok", year=2003, slug="edited", imdb_id="tt0000102")

    retitled = [
        [row[0], row[1], "The Host (2006 film)", *row[3:]] if row[0] == "tt0000101" else row
        for row in BASICS
    ]
    import_imdb(quirky_dump(tmp_path / "second", title_basics=retitled))
    created.refresh_from_db()
    edited.refresh_from_db()
    assert created.title == "The Host (2006 film)"  # IMDb's own field, updated
    assert edited.title == "Salinui chueok"  # the editor's, kept
    # What IMDb filled because it was empty is IMDb's to keep up to date, as with any source.
    assert MovieSource.objects.get(movie=edited, source="imdb").fields == "original title, runtime"


@pytest.mark.django_db(transaction=True)
def test_an_import_in_its_own_transaction_restores_sqlite_checkpoints_and_checks(
    tmp_path: Path,
) -> None:
    """The commit of an import does not checkpoint SQLite's log (pages read it from there);
    the connection must get its automatic checkpoints back afterwards, or the log would grow
    with every later write. Likewise its reference checks, which the import runs without."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no write-ahead log to checkpoint here")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint = 500")
    report = import_imdb(quirky_dump(tmp_path))
    assert report.tally("movies").created > 0
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 500
        # References were not checked while the import wrote (run_import): every one it wrote
        # holds, and the connection checks them again.
        cursor.execute("PRAGMA foreign_key_check")
        assert cursor.fetchall() == []
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_what_an_editor_changes_in_the_admin_survives_a_newer_dump(
    tmp_path: Path, admin_client: Client
) -> None:
    import_imdb(quirky_dump(tmp_path / "first"))
    film = Movie.objects.get(imdb_id="tt0000101")
    person = Person.objects.get(imdb_id="nm0000003")
    other = Person.objects.get(imdb_id="nm0000002")
    for url, changes in [
        (f"/admin/catalog/movie/{film.pk}/change/", {"title": "The Host (editor's cut)"}),
        (f"/admin/people/person/{person.pk}/change/", {"name": "Bong Joon-ho"}),
    ]:
        response = post_change_form(admin_client, url, **changes)
        assert response.status_code == 302, response.content.decode()[:2000]

    renamed = [
        [row[0], row[1], "The Host (2006 film)", *row[3:]] if row[0] == "tt0000101" else row
        for row in BASICS
    ]
    names = [
        [row[0], f"{row[1]} (IMDb)", *row[2:]] if row[0] in ("nm0000002", "nm0000003") else row
        for row in NAMES
    ]
    import_imdb(quirky_dump(tmp_path / "second", title_basics=renamed, name_basics=names))
    film.refresh_from_db()
    person.refresh_from_db()
    other.refresh_from_db()
    assert film.title == "The Host (editor's cut)"
    assert film.sort_title != derive_sort_title("The Host (2006 film)")
    assert person.name == "Bong Joon-ho"
    assert other.name == "Bae Doona (IMDb)"  # no editor touched her: IMDb keeps her name current
    # Fields the editor left alone are still IMDb's to update.
    fields = MovieSource.objects.get(movie=film, source="imdb").fields.split(", ")
    assert fields == ["original title", "year", "runtime"]


def test_lists_an_editor_changed_in_the_admin_stay_theirs(
    tmp_path: Path, admin_client: Client
) -> None:
    from marquee.catalog.models import MovieEdit

    import_imdb(quirky_dump(tmp_path / "first"))
    film = Movie.objects.get(imdb_id="tt0000101")
    url = f"/admin/catalog/movie/{film.pk}/change/"
    page = form_values(admin_client, url)
    bae_doona = Person.objects.get(imdb_id="nm0000002").pk
    horror = Genre.objects.get(name="Horror").pk
    deleted = {
        f"{inline_row(page, 'person', bae_doona)}DELETE": "on",
        f"{inline_row(page, 'genre', horror)}DELETE": "on",
        f"{inline_row(page, 'title', 'The Monster')}DELETE": "on",
    }
    response = post_change_form(admin_client, url, **deleted)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MovieEdit.objects.get(movie=film).lists == "alternate_titles, cast, genres"

    # The newer dump still has all three, and adds a cast member to both films.
    principals = [
        *PRINCIPALS,
        ["tt0000101", "6", "nm0000005", "actor", N, '["Newcomer"]'],
        ["tt0000102", "5", "nm0000004", "actor", N, '["Newcomer"]'],
    ]
    import_imdb(quirky_dump(tmp_path / "second", title_principals=principals))
    cast = Credit.objects.filter(kind="cast")
    assert not cast.filter(movie=film, person__imdb_id__in=["nm0000002", "nm0000005"]).exists()
    assert cast.filter(movie__imdb_id="tt0000102", person__imdb_id="nm0000004").exists()
    assert not MovieGenre.objects.filter(movie=film, genre=horror).exists()
    assert not AlternateTitle.objects.filter(movie=film, title="The Monster").exists()
    # The crew list was not the editor's: IMDb still keeps it.
    Credit.objects.filter(movie=film, kind="crew").delete()
    import_imdb(quirky_dump(tmp_path / "second"))
    assert Credit.objects.filter(movie=film, kind="crew").exists()


class _RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_rows_read_through_scratch_files_make_the_same_catalog(tmp_path: Path) -> None:
    """An import in its own transaction on SQLite has its workers write their rows to files of
    their own, which it attaches (parallel.Scratch); inside another transaction they come
    through the pipe. Both make the same catalog and report, and the files leave nothing
    behind: no attached database after the commit, no file on disk."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL workers always send their rows through the pipe")
    dump = quirky_dump(tmp_path)
    attached: list[str] = []
    attach = Scratch.attach

    def recording_attach(scratch: Scratch) -> None:
        attached.append(scratch.alias)
        attach(scratch)

    def comparable() -> dict[str, list[dict[str, Any]]]:
        return {
            model: [{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]
            for model, rows in snapshot().items()
        }

    with patch.object(Scratch, "attach", recording_attach):
        try:
            with transaction.atomic():
                piped = import_imdb(dump)
                through_pipe = comparable()
                raise _RolledBack
        except _RolledBack:
            pass
        assert attached == []
        assert not Movie.objects.exists()

        report = import_imdb(dump)

    assert len(attached) == 5  # title.ratings, .principals, .crew, .akas, name.basics
    assert comparable() == through_pipe
    assert report == piped
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        assert [name for _, name, _ in cursor.fetchall() if name not in ("main", "temp")] == []
    assert not Scratch.directory().exists()


@pytest.mark.django_db(transaction=True)
def test_the_next_import_removes_the_scratch_files_a_killed_one_left(tmp_path: Path) -> None:
    """Files of workers whose import was killed before attaching them stay on disk: the next
    import removes those of processes that are gone, and leaves a running import's alone."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL imports use no scratch files")
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()
    killed, running = Scratch.directory(ended.pid), Scratch.directory(os.getppid())
    for directory in (killed, running):
        directory.mkdir(exist_ok=True)
        (directory / "imdb_scratch_0.sqlite3").write_bytes(b"rows of an import")
    try:
        import_imdb(quirky_dump(tmp_path))
        assert not killed.exists()
        assert (running / "imdb_scratch_0.sqlite3").exists()
    finally:
        shutil.rmtree(killed, ignore_errors=True)
        shutil.rmtree(running, ignore_errors=True)
