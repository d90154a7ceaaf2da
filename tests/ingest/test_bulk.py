import pytest
from django.db import IntegrityError, transaction

from marquee.ingest.bulk import insert_rows
from marquee.ingest.models import CommunityRating, Source
from tests.factories import make_movie

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
