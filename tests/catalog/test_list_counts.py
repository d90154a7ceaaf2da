"""A list's count is taken along the sort's own index (``Browse.ids_to_count``): whatever the
sort, it must count exactly the films the pages show."""

import pytest
from django.test import Client

from marquee.catalog.browse import SORTS
from tests.factories import make_language, make_movie, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def dramas() -> None:
    make_language("ko", "Korean")
    for n in range(12):
        movie = make_movie(
            title=f"Drama {n}",
            year=1990 + n,
            genres=["Drama"],
            countries=["KR"],
            popularity=n % 5,
            original_language_id="ko" if n % 3 else None,
        )
        if n % 2:
            review(movie, 1 + n % 10)
    make_movie(title="Not a drama", year=2000, genres=["Horror"])


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize(
    "query",
    ["/genres/drama/?year_from=1995", "/countries/kr/?year_to=1997", "/movies/?year_from=1999"],
)
def test_the_count_matches_the_films_listed(
    client: Client, dramas: None, monkeypatch: pytest.MonkeyPatch, query: str, sort: str
) -> None:
    monkeypatch.setattr("marquee.catalog.browse.MOVIES_PER_PAGE", 100)
    response = client.get(f"{query}&sort={sort}")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.count == len(page.object_list) > 0


def test_a_language_filter_is_counted_too(client: Client, dramas: None) -> None:
    page = client.get("/movies/?language=ko&year_from=1995&sort=rating").context["page"]
    # Rated (odd n), Korean (n not a multiple of 3), from 1995 (n >= 5): 5, 7 and 11.
    assert page.count == len(page.object_list) == 3
