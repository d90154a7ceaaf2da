"""Every page runs a fixed number of queries: the same on a small catalog and on a larger one.

The numbers are exact on purpose: a change that adds a query to a page shows up here.
"""

from collections.abc import Callable

import pytest
from django.test import Client

from tests.catalog.test_movie_page import build_movie
from tests.factories import cast, crew, make_movie, make_person

pytestmark = pytest.mark.django_db

PAGES = {
    "/movies/miracle-in-cell-no-7-2013/": 17,  # 16, plus the latest reviews when there are some
    "/movies/miracle-in-cell-no-7-2013/cast/": 2,
    "/movies/": 7,
    "/movies/?genre=drama&country=kr&year_from=2000&sort=rating": 8,  # no count for a pair
    "/genres/drama/?sort=year&page=2": 7,
    "/countries/kr/": 7,
    "/years/2013/": 7,
    "/people/lee-hwan-kyung/": 5,
    "/people/lee-hwan-kyung/director/": 5,
    "/people/": 3,
    "/": 8,
    # Typo vocabulary, candidates, the page's films, their genres, their countries.
    "/search/?q=miracle": 5,
    "/search/?q=mircale+in+cell+7&genre=drama&decade=2010": 5,
    "/search/?q=miracle&kind=person": 4,  # people listed: no film cards to load
    "/search/suggest/?q=mirac": 2,  # typo vocabulary, candidates
}


def grow(size: int) -> None:
    """Add movies, people and credits around the Miracle page."""
    director = make_person(name="Lee Hwan-kyung", slug="lee-hwan-kyung")
    for n in range(size):
        movie = make_movie(title=f"Film {n}", year=2013, genres=["Drama"], countries=["KR"])
        crew(movie, director)
        for order in range(5):
            cast(movie, make_person(), order=order)


@pytest.mark.parametrize("size", [1, 40])
@pytest.mark.parametrize(("path", "queries"), PAGES.items())
def test_the_page_runs_a_fixed_number_of_queries(
    client: Client,
    django_assert_num_queries: Callable[..., object],
    size: int,
    path: str,
    queries: int,
) -> None:
    build_movie(credits=3 * size)
    grow(size)
    with django_assert_num_queries(queries):  # type: ignore[attr-defined]
        assert client.get(path).status_code == 200
