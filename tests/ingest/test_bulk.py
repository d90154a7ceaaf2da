import pytest
from django.db import IntegrityError, connection, transaction

from marquee.catalog.models import Movie
from marquee.ingest import bulk
from marquee.ingest.bulk import deferred_indexes, insert_rows
from marquee.ingest.models import CommunityRating, Source
from tests.factories import make_movie
from tests.schema import index_definitions

pytestmark = pytest.mark.django_db


def test_rows_go_in_as_given_and_a_conflict_is_django_s_integrity_error() -> None:
    # On PostgreSQL these rows go through COPY, which bypasses Django's cursor: its errors must
    # still be Django's, since the loader turns an IntegrityError into a located report.
    movie = make_movie(title="Heat", year=1995, slug="heat-1995")
    columns = ["source", "user_key", "movie_id", "rating", "rated_at"]
    rows = [(Source.MOVIELENS, user, movie.pk, user, None) for user in range(1, 6)]
    assert insert_rows(CommunityRating, columns, rows) == 5
    assert sorted(CommunityRating.objects.values_list("user_key", "rating")) == [
        (n, n) for n in range(1, 6)
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(CommunityRating, columns, rows[:1])
    # Conflicts may also be skipped on purpose.
    assert insert_rows(CommunityRating, columns, rows[:2], ignore_conflicts=True) == 2
    assert CommunityRating.objects.count() == 5


def test_a_bulk_load_sets_scattered_indexes_aside_and_builds_them_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk, "DEFER_INDEXES_ROWS", 10)
    table = CommunityRating._meta.db_table
    make_movie(title="Heat", year=1995, slug="heat-1995")  # one row the count finds
    before = index_definitions(table)
    names = set(before)
    assert "community_rating_movie" in names

    with deferred_indexes(table, {"movie_id"}, rows=9):  # too few to bother
        assert index_definitions(table) == before
    CommunityRating.objects.bulk_create(
        CommunityRating(source=Source.MOVIELENS, user_key=user, movie=Movie.objects.get(), rating=5)
        for user in range(1, 42)
    )
    with deferred_indexes(table, {"movie_id"}, rows=10):  # a quarter of the table: kept
        assert index_definitions(table) == before

    with deferred_indexes(table, {"movie_id"}, rows=11):
        during = set(index_definitions(table))
    if connection.vendor == "sqlite":
        # The (film, source) index goes; the unique (source, user, film) one, which the import
        # looks ratings up by, stays (SQLite names it after the table).
        assert during == names - {"community_rating_movie"}
        assert any(name.startswith("sqlite_autoindex") for name in during)
    else:  # PostgreSQL would lock readers out of the table until the commit
        assert during == names
    assert index_definitions(table) == before
