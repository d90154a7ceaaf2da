import pytest
from django.test import Client

from marquee.catalog.models import Movie
from marquee.reviews.models import Rating
from tests.factories import make_member, make_movie, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client: Client) -> Client:
    client.force_login(make_member("rater"))
    return client


def test_a_rating_updates_the_movies_figures(member_client: Client) -> None:
    movie = make_movie(slug="parasite-2019")
    rating(movie, 6)
    response = member_client.post("/movies/parasite-2019/rate/", {"score": "9"})
    assert response.status_code == 302
    movie.refresh_from_db()
    assert (movie.rating_count, movie.rating_average) == (2, 7.5)
    assert movie.rating_histogram == [0, 0, 0, 0, 0, 1, 0, 0, 1, 0]


def test_rating_again_changes_it_rather_than_adding_one(member_client: Client) -> None:
    movie = make_movie(slug="parasite-2019")
    member_client.post("/movies/parasite-2019/rate/", {"score": "9"})
    member_client.post("/movies/parasite-2019/rate/", {"score": "3"})
    movie.refresh_from_db()
    assert (movie.rating_count, movie.rating_average) == (1, 3.0)
    assert Rating.objects.get().score == 3


def test_an_empty_choice_removes_the_rating(member_client: Client) -> None:
    movie = make_movie(slug="parasite-2019")
    member_client.post("/movies/parasite-2019/rate/", {"score": "9"})
    member_client.post("/movies/parasite-2019/rate/", {"score": ""})
    movie.refresh_from_db()
    assert (movie.rating_count, movie.rating_average) == (0, None)


@pytest.mark.parametrize("bad", ["0", "11", "4.5", "abc", "-1"])
def test_a_rating_off_the_scale_changes_nothing(member_client: Client, bad: str) -> None:
    make_movie(slug="parasite-2019")
    member_client.post("/movies/parasite-2019/rate/", {"score": "8"})
    response = member_client.post("/movies/parasite-2019/rate/", {"score": bad}, follow=True)
    assert response.status_code == 200
    assert "Choose a rating from half a star to five stars." in response.content.decode()
    assert Rating.objects.get().score == 8


def test_with_htmx_the_answer_is_the_panel(member_client: Client) -> None:
    make_movie(slug="parasite-2019")
    response = member_client.post(
        "/movies/parasite-2019/rate/", {"score": "7"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div class="member-actions" id="member-actions">')
    assert '<span class="my-score" aria-label="You rated it 7 out of 10">★★★½</span>' in html


def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    make_movie(slug="parasite-2019")
    response = client.post("/movies/parasite-2019/rate/", {"score": "7"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Rating.objects.exists()


def test_the_movie_page_shows_members_ratings_labelled(member_client: Client) -> None:
    movie = make_movie(slug="parasite-2019")
    for score in (10, 10, 7):
        rating(movie, score)
    html = member_client.get("/movies/parasite-2019/").content.decode()
    assert "from 3 member ratings" in html
    assert "Members&#x27; rating" in html or "Members' rating" in html
    assert Movie.objects.top_rated().first() == movie
