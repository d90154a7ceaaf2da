"""The index follows the catalog: editors' saves and deletes, imports, and a full rebuild."""

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from marquee.catalog.models import AlternateTitle, Movie
from marquee.search import engine
from marquee.search.models import Document, Kind, Term, TitleKey
from tests.factories import make_movie, make_person, review

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [hit.slug for hit in engine.find(engine.parse(query))]


def test_a_saved_movie_is_found_and_a_renamed_one_by_its_new_title() -> None:
    movie = make_movie(title="Harmony", slug="harmony")
    assert found("harmony") == ["harmony"]
    movie.title = "Symphony"
    movie.save()
    assert found("harmony") == []
    assert found("symphony") == ["harmony"]
    assert Document.objects.count() == 1


def test_an_alternate_title_is_found_as_soon_as_it_is_added_and_gone_when_removed() -> None:
    movie = make_movie(title="Miracle in Cell No. 7", slug="miracle")
    title = AlternateTitle.objects.create(movie=movie, title="7번방의 선물", language="ko")
    assert found("7번방의 선물") == ["miracle"]
    title.delete()
    assert found("7번방의 선물") == []


def test_deleted_movies_and_people_leave_the_index() -> None:
    movie = make_movie(title="Harmony")
    person = make_person(name="Ryu Seung-ryong")
    movie.delete()
    person.delete()
    assert found("harmony") == []
    assert found("seung") == []
    assert not Document.objects.exists()
    assert not TitleKey.objects.exists()


def test_an_editor_saving_in_the_admin_updates_the_index(admin_client: Client) -> None:
    movie = make_movie(title="Harmony", slug="harmony", year=2010)
    url = f"/admin/catalog/movie/{movie.pk}/change/"
    html = admin_client.get(url).content.decode()
    # Every inline of the form, empty, except one new alternate title.
    data = dict.fromkeys(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL)_FORMS)"', html), "0")
    prefix = re.search(r'name="(\w*alternate\w*)-TOTAL_FORMS"', html)
    assert prefix, "no alternate titles inline"
    data |= {
        "title": "Harmony",
        "slug": "harmony",
        "year": "2010",
        "popularity": "0",
        f"{prefix[1]}-TOTAL_FORMS": "1",
        f"{prefix[1]}-0-title": "하모니",
        f"{prefix[1]}-0-kind": "original",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("하모니") == ["harmony"]


def test_an_import_refreshes_what_it_wrote(tmp_path: Path) -> None:
    path = tmp_path / "catalog.jsonl"
    records = [
        {"format": "marquee", "version": 1},
        {"type": "person", "key": "kim-ki-duk", "name": "Kim Ki-duk", "original_name": "김기덕"},
        {
            "type": "movie",
            "key": "spring-2003",
            "title": "Spring, Summer, Fall, Winter... and Spring",
            "original_title": "봄 여름 가을 겨울 그리고 봄",
            "year": 2003,
            "crew": [{"person": "kim-ki-duk", "department": "Directing", "job": "Director"}],
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    call_command("import", "marquee", str(path), "--no-related", stdout=io.StringIO())
    assert found("봄 여름") == ["spring-2003"]
    assert found("spring summer fall") == ["spring-2003"]
    assert found("김기덕") == ["kim-ki-duk"]
    assert Term.objects.filter(word="summer").exists()


def test_rebuild_rewrites_the_whole_index_and_reports_progress() -> None:
    make_movie(title="Harmony", slug="harmony")
    make_person(name="Kal So-won", slug="kal-so-won")
    Document.objects.all().delete()  # an index out of step with the catalog
    TitleKey.objects.all().delete()
    out = io.StringIO()
    call_command("search", "rebuild", stdout=out)
    assert found("harmony") == ["harmony"]
    assert found("kal so won") == ["kal-so-won"]
    text = out.getvalue()
    assert "movie   [##############################] 1/1" in text
    assert "person  [##############################] 1/1" in text
    assert "Search index rebuilt: 2 documents" in text


def test_rebuild_after_rebuild_gives_the_same_index() -> None:
    make_movie(title="Harmony", slug="harmony")
    call_command("search", "rebuild", stdout=io.StringIO())
    first = list(Document.objects.values_list("rank", "names", "aka", "extra").order_by("rank"))
    call_command("search", "rebuild", stdout=io.StringIO())
    again = list(Document.objects.values_list("rank", "names", "aka", "extra").order_by("rank"))
    assert first == again
    assert found("harmony") == ["harmony"]


def test_prominence_orders_the_index_and_follows_audience_figures() -> None:
    quiet = make_movie(title="Night Train", slug="quiet", popularity=0)
    loud = make_movie(title="Night Train", slug="loud", popularity=500)
    ranks = dict(Document.objects.values_list("object_id", "rank"))
    assert ranks[loud.pk] > ranks[quiet.pk]
    assert found("night train") == ["loud", "quiet"]
    Movie.objects.filter(pk=quiet.pk).update(popularity=5000)
    quiet.refresh_from_db()
    quiet.save()
    assert found("night train") == ["quiet", "loud"]


def test_reviews_lift_a_film_in_search() -> None:
    quiet = make_movie(title="Night Train", slug="quiet")
    make_movie(title="Night Train", slug="other", popularity=1)
    assert found("night train") == ["other", "quiet"]
    for rating in (8, 9, 10):
        review(quiet, rating)
    assert found("night train") == ["quiet", "other"]


def test_an_imdb_import_is_found_and_a_refresh_cut_short_is_caught_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marquee.search import index
    from tests.ingest.imdb_files import quirky_dump
    from tests.ingest.test_imdb_import import import_imdb

    dump = quirky_dump(tmp_path)
    # The process dies after the catalog committed, before the index was refreshed.
    with monkeypatch.context() as patched:
        patched.setattr(index, "refresh_changed_since", lambda since, progress: None)
        import_imdb(dump)
    assert Movie.objects.filter(imdb_id="tt0000101").exists()
    assert found("the host") == []

    report = import_imdb(dump)  # nothing changed in the catalog, and yet …
    assert not report.changed_anything()
    assert "the-host-2006" in found("the host")  # … the index caught up
    assert "the-host-2006" in found("gwoemul")


def index_rows() -> list[tuple[object, ...]]:
    documents = Document.objects.values_list(
        "kind", "object_id", "rank", "name", "subtitle", "names", "aka", "extra"
    ).order_by("rank")
    keys = TitleKey.objects.values_list("key", "rank").order_by("key", "rank")
    return [*documents, *keys, *Term.objects.values_list("word").order_by("word")]


def test_documents_built_in_a_fork_are_the_ones_built_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from marquee.search import index

    titles = [
        "Amélie",
        "Spider-Man 2",
        "Rocky II",
        "千と千尋の神隠し",
        "Léon",
        "The Host",
        "Oldboy",
    ]
    for number, title in enumerate(titles):
        movie = make_movie(title=title, slug=f"film-{number}", year=2000 + number)
        AlternateTitle.objects.create(movie=movie, title=f"{title} ({number})")
        make_person(name=f"Søren Ærø {number}", slug=f"person-{number}")
    index.refresh_movies(list(Movie.objects.values_list("pk", flat=True)))  # here, one batch
    here = index_rows()

    # Which processes build: each build writes its process id to a file.
    builders = tmp_path / "builders"
    for kind, build in list(index.BUILD.items()):

        def spy(rows: object, build: Any = build) -> index.Batch:
            with builders.open("a") as out:
                out.write(f"{os.getpid()}\n")
            return build(rows)

        monkeypatch.setitem(index.BUILD, kind, spy)
    # Three objects per batch, so the fork has batches in hand while earlier ones are written.
    monkeypatch.setattr(index, "BATCH", 3)
    monkeypatch.setattr(index, "PARALLEL_MIN", 1)
    Document.objects.all().delete()
    TitleKey.objects.all().delete()
    index.rebuild()
    assert index_rows() == here
    pids = builders.read_text().split()
    assert len(pids) == 6  # 7 films and 7 people, 3 at a time
    assert str(os.getpid()) not in pids, "the batches were built in a fork"
    assert found("amelie 0") == ["film-0"]
    assert found("soren aero 3") == ["person-3"]


def test_postgresql_walks_for_common_words_and_gathers_rare_ones_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marquee.search import backends

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's FTS5 hands matches back in rank order")
    for number in range(40):
        title = f"Harbour Lights {number}" if number % 4 else f"Harbour Quince {number}"
        make_movie(title=title, slug=f"harbour-{number}", popularity=number)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")

    def plan_and_hits(query: str) -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            hits = found(query)
        sql = next(q["sql"] for q in queries.captured_queries if "pg_stats" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        return plan, hits

    # Each condition has two arms behind a one-time filter; the plan says which never ran.
    skipped_walk = re.compile(r"One-Time Filter: \$\d+\n\s+->  [^\n]*never executed")
    skipped_gather = re.compile(r"One-Time Filter: \(NOT \$\d+\)\n\s+->  [^\n]*never executed")
    # In 40 documents every word is frequent; the share that counts as dense is set to match.
    monkeypatch.setattr(backends, "DENSE_SHARE", 0.5)
    # "harbour" is in every document: the rank index is walked, the gathering arm skipped.
    plan, walked = plan_and_hits("harbour")
    assert skipped_gather.search(plan) and not skipped_walk.search(plan), plan
    # "quince" is in a quarter of them: the matches are gathered (through GIN on a big table)
    # and sorted, the walk skipped.
    plan, gathered = plan_and_hits("quince harbour")
    assert skipped_walk.search(plan) and not skipped_gather.search(plan), plan
    # Whichever arm runs, the results are the same.
    monkeypatch.setattr(backends, "DENSE_SHARE", 2.0)  # nothing is common: always gather
    assert found("harbour") == walked
    monkeypatch.setattr(backends, "DENSE_SHARE", 0.0)  # everything is common: always walk
    assert found("quince harbour") == gathered
    assert walked[:3] == ["harbour-39", "harbour-38", "harbour-37"]
    assert set(gathered) == {f"harbour-{n}" for n in range(0, 40, 4)}


def test_a_killed_fork_stops_the_refresh_with_a_message_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import signal

    from marquee.search import index

    for number in range(4):
        make_movie(title=f"Harbour {number}", slug=f"harbour-{number}")
    parent = os.getpid()
    build = index.BUILD[Kind.MOVIE]

    def dies_in_the_fork(rows: object) -> index.Batch:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
        return build(rows)

    monkeypatch.setitem(index.BUILD, Kind.MOVIE, dies_in_the_fork)
    monkeypatch.setattr(index, "BATCH", 2)
    monkeypatch.setattr(index, "PARALLEL_MIN", 1)
    with pytest.raises(RuntimeError, match="marquee search rebuild"):
        index.refresh_movies(list(Movie.objects.values_list("pk", flat=True)))
