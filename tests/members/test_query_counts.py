"""Member pages and the movie page's Reviews section run a fixed number of queries, however many
reviews, ratings, list items or diary entries there are; visitor and member counts are fixed."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from marquee.members.models import DiaryEntry, ListItem, MovieList, ReviewReport, WatchlistEntry
from marquee.reviews.models import Rating, Review
from tests.catalog.test_movie_page import build_movie
from tests.factories import make_member, make_movie
from tests.pages.test_query_counts import PAGES

pytestmark = pytest.mark.django_db

MOVIE = "/movies/miracle-in-cell-no-7-2013/"
VISITOR_MOVIE_PAGE = PAGES[MOVIE]  # the visitor count in tests/pages
# A member adds three: the session, the user, and their rating/review/watchlist state (one).
MEMBER_MOVIE_PAGE = VISITOR_MOVIE_PAGE + 3


def grow(size: int, member: User) -> None:
    """``size`` reviews and ratings on the movie by other members, and as many films on the
    member's watchlist, list and diary."""
    movie = build_movie(credits=3)
    others = User.objects.bulk_create(
        [User(username=f"crowd{n}", password="!") for n in range(size)]
    )
    Rating.objects.bulk_create(
        [Rating(movie=movie, member=other, score=1 + n % 10) for n, other in enumerate(others)]
    )
    Review.objects.bulk_create(
        [Review(movie=movie, author=other, body=f"Review {n}.") for n, other in enumerate(others)]
    )
    from marquee.reviews.models import refresh_movie_rating

    refresh_movie_rating(movie.pk)
    movie_list = MovieList.objects.create(owner=member, name="Mine", slug="mine")
    for n in range(min(size, 60)):
        film = make_movie()
        WatchlistEntry.objects.create(member=member, movie=film)
        ListItem.objects.create(movie_list=movie_list, movie=film, position=n + 1)
        DiaryEntry.objects.create(member=member, movie=film, watched_on="2024-01-01", rating=7)
    ReviewReport.objects.create(
        review=Review.objects.get(body="Review 0."), reporter=member, reason="spam"
    )


MEMBER_PAGES = {
    MOVIE: MEMBER_MOVIE_PAGE,
    MOVIE + "reviews/": 5,  # session, user, movie, count, page of reviews
    MOVIE + "reviews/?sort=helpful&page=2": 5,
    "/watchlist/": 4,
    "/diary/": 4,
    "/lists/": 3,
    "/members/member/lists/mine/": 4,
    "/members/member/": 6,
    "/moderation/": 6,
}


@pytest.mark.parametrize("size", [1, 500])
def test_the_movie_page_runs_the_same_queries_for_1_or_500_reviews(
    django_assert_num_queries: Callable[..., object], size: int
) -> None:
    member = make_member("member")
    grow(size, member)
    with django_assert_num_queries(VISITOR_MOVIE_PAGE):  # type: ignore[attr-defined]
        assert Client().get(MOVIE).status_code == 200
    client = Client()
    client.force_login(member)
    with django_assert_num_queries(MEMBER_MOVIE_PAGE):  # type: ignore[attr-defined]
        assert client.get(MOVIE).status_code == 200


@pytest.mark.parametrize("size", [1, 60])
@pytest.mark.parametrize(("path", "queries"), MEMBER_PAGES.items())
def test_member_pages_run_a_fixed_number_of_queries(
    django_assert_num_queries: Callable[..., object], size: int, path: str, queries: int
) -> None:
    member = make_member("member")
    member.groups.add(Group.objects.get(name="moderators"))
    grow(size, member)
    client = Client()
    client.force_login(member)
    with django_assert_num_queries(queries):  # type: ignore[attr-defined]
        assert client.get(path).status_code == 200
