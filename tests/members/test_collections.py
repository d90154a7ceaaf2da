"""Watchlist, lists and diary."""

import pytest
from django.test import Client

from marquee.catalog.models import Movie
from marquee.members.models import DiaryEntry, ListItem, MovieList, WatchlistEntry
from marquee.reviews.models import Rating, Review
from tests.factories import make_member, make_movie

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client: Client) -> Client:
    client.force_login(make_member("keeper"))
    return client


@pytest.fixture
def movie() -> Movie:
    return make_movie(title="Poetry", slug="poetry-2010", year=2010)


def test_add_and_remove_from_the_watchlist(member_client: Client, movie: Movie) -> None:
    member_client.post("/movies/poetry-2010/watchlist/", {"action": "add"})
    member_client.post("/movies/poetry-2010/watchlist/", {"action": "add"})  # no duplicate
    assert WatchlistEntry.objects.count() == 1
    assert "Poetry" in member_client.get("/watchlist/").content.decode()
    member_client.post("/movies/poetry-2010/watchlist/", {"action": "remove"})
    assert not WatchlistEntry.objects.exists()
    html = member_client.get("/watchlist/").content.decode()
    assert "Your watchlist is empty." in html


def test_the_watchlist_button_answers_htmx_with_the_panel(
    member_client: Client, movie: Movie
) -> None:
    response = member_client.post(
        "/movies/poetry-2010/watchlist/", {"action": "add"}, headers={"HX-Request": "true"}
    )
    assert "✓ On your watchlist" in response.content.decode()


def test_an_unknown_watchlist_action_changes_nothing(member_client: Client, movie: Movie) -> None:
    response = member_client.post("/movies/poetry-2010/watchlist/", {"action": "flip"})
    assert response.status_code == 302
    assert not WatchlistEntry.objects.exists()


def test_a_list_is_ordered_with_notes_and_shareable(member_client: Client) -> None:
    films = [make_movie(title=f"Film {n}", slug=f"film-{n}") for n in range(3)]
    member_client.post(
        "/lists/new/", {"name": "Rainy days", "notes": "For *rain*.", "is_public": "on"}
    )
    movie_list = MovieList.objects.get()
    assert movie_list.get_absolute_url() == "/members/keeper/lists/rainy-days/"
    for film in films:
        member_client.post(f"/movies/{film.slug}/add-to-list/", {"list": movie_list.pk})
    items = list(movie_list.items.order_by("position"))
    assert [i.movie.slug for i in items] == ["film-0", "film-1", "film-2"]
    url = f"/lists/{movie_list.pk}/items/{items[2].pk}/"
    member_client.post(url, {"action": "up"})
    member_client.post(url, {"action": "notes", "notes": "Best in the rain."})
    order = list(movie_list.items.order_by("position").values_list("movie__slug", flat=True))
    assert order == ["film-0", "film-2", "film-1"]
    html = Client().get(movie_list.get_absolute_url()).content.decode()
    assert html.index("Film 2") < html.index("Film 1")
    assert "Best in the rain." in html
    member_client.post(f"/lists/{movie_list.pk}/items/{items[0].pk}/", {"action": "remove"})
    assert list(movie_list.items.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_two_lists_with_one_name_get_different_addresses(member_client: Client) -> None:
    member_client.post("/lists/new/", {"name": "Best"})
    member_client.post("/lists/new/", {"name": "Best"})
    assert sorted(MovieList.objects.values_list("slug", flat=True)) == ["best", "best-2"]


def test_a_private_list_stays_off_the_public_profile(member_client: Client) -> None:
    member_client.post("/lists/new/", {"name": "Guilty pleasures"})
    movie_list = MovieList.objects.get()
    assert not movie_list.is_public
    assert Client().get(movie_list.get_absolute_url()).status_code == 404


def test_the_diary_logs_a_viewing_with_rating_and_review(
    member_client: Client, movie: Movie
) -> None:
    response = member_client.post(
        "/movies/poetry-2010/log/",
        {"watched_on": "2024-03-09", "rewatch": "on", "rating": "8", "review": "Quiet and sharp."},
    )
    assert response["Location"] == "/diary/"
    entry = DiaryEntry.objects.get()
    assert (str(entry.watched_on), entry.rewatch, entry.rating) == ("2024-03-09", True, 8)
    assert entry.review is not None and entry.review.body == "Quiet and sharp."
    assert Rating.objects.get().score == 8
    html = member_client.get("/diary/").content.decode()
    assert "9 Mar 2024" in html and "Rewatch" in html and "★★★★" in html


def test_a_bad_diary_date_is_explained(member_client: Client, movie: Movie) -> None:
    response = member_client.post("/movies/poetry-2010/log/", {"watched_on": "2024-13-45"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_deleting_a_diary_entry_keeps_rating_and_review(
    member_client: Client, movie: Movie
) -> None:
    member_client.post(
        "/movies/poetry-2010/log/", {"watched_on": "2024-03-09", "rating": "6", "review": "Ok."}
    )
    member_client.post(f"/diary/{DiaryEntry.objects.get().pk}/delete/")
    assert not DiaryEntry.objects.exists()
    assert Rating.objects.exists() and Review.objects.exists()
    assert ListItem.objects.count() == 0
