from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marquee.catalog.models import Movie
from marquee.reviews.models import BODY_MAX, HelpfulVote, Rating, Review
from tests.factories import make_member, make_movie, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def movie() -> Movie:
    return make_movie(title="Memories of Murder", slug="memories-of-murder-2003", year=2003)


def signed_in(username: str = "writer") -> Client:
    client = Client()
    client.force_login(make_member(username))
    return client


def test_a_member_writes_a_review_with_a_rating(movie: Movie) -> None:
    client = signed_in()
    response = client.post(
        "/movies/memories-of-murder-2003/review/",
        {"title": "Rain", "body": "The *tunnel* scene.", "rating": "10"},
    )
    saved = Review.objects.get()
    assert response["Location"] == f"/movies/memories-of-murder-2003/reviews/{saved.pk}/"
    assert Rating.objects.get().score == 10
    movie.refresh_from_db()
    assert (movie.review_count, movie.rating_count) == (1, 1)
    html = client.get("/movies/memories-of-murder-2003/").content.decode()
    assert "<p>The <em>tunnel</em> scene.</p>" in html
    assert '<strong class="review-title">Rain</strong>' in html


def test_a_spoiler_review_sits_in_a_closed_disclosure(movie: Movie) -> None:
    review(movie, 7, "The killer is never caught.", contains_spoilers=True)
    html = Client().get("/movies/memories-of-murder-2003/").content.decode()
    start = html.index('<details class="spoiler review-spoiler">')
    disclosure = html[start : html.index("</details>", start)]
    assert "<summary>This review contains spoilers" in disclosure
    assert "The killer is never caught." in disclosure
    assert "open" not in disclosure.split(">")[0]


def test_editing_keeps_one_review_per_member(movie: Movie) -> None:
    client = signed_in()
    client.post("/movies/memories-of-murder-2003/review/", {"body": "First."})
    client.post("/movies/memories-of-murder-2003/review/", {"body": "Second thoughts."})
    assert list(Review.objects.values_list("body", flat=True)) == ["Second thoughts."]
    form = client.get("/movies/memories-of-murder-2003/review/").content.decode()
    assert "Second thoughts." in form and "Edit your review" in form


def test_deleting_a_review_keeps_the_rating(movie: Movie) -> None:
    client = signed_in()
    client.post("/movies/memories-of-murder-2003/review/", {"body": "Hm.", "rating": "6"})
    response = client.post("/movies/memories-of-murder-2003/review/delete/")
    assert response.status_code == 302
    assert not Review.objects.exists()
    movie.refresh_from_db()
    assert (movie.review_count, movie.rating_count) == (0, 1)


def test_length_limits_are_explained(movie: Movie) -> None:
    client = signed_in()
    response = client.post(
        "/movies/memories-of-murder-2003/review/",
        {"title": "t" * 201, "body": "b" * (BODY_MAX + 1)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep the title to 200 characters (it has 201)." in html
    assert f"Reviews can be up to 20,000 characters; this one has {BODY_MAX + 1:,}." in html
    assert not Review.objects.exists()


def test_an_empty_review_is_refused_with_a_reason(movie: Movie) -> None:
    response = signed_in().post("/movies/memories-of-murder-2003/review/", {"body": "   "})
    assert "Write something, or just rate the film instead." in response.content.decode()


def test_posting_is_rate_limited(settings) -> None:
    settings.REVIEWS_PER_HOUR = 2
    client = signed_in()
    films = [make_movie(slug=f"film-{n}") for n in range(3)]
    for film in films[:2]:
        client.post(f"/movies/{film.slug}/review/", {"body": "Fine."})
    response = client.post(f"/movies/{films[2].slug}/review/", {"body": "Fine."})
    assert "You have posted 2 reviews in the last hour" in response.content.decode()
    assert Review.objects.count() == 2
    Review.objects.update(created_at=timezone.now() - timedelta(hours=2))
    client.post(f"/movies/{films[2].slug}/review/", {"body": "Fine."})
    assert Review.objects.count() == 3


def test_one_helpful_vote_per_member_and_none_for_oneself(movie: Movie) -> None:
    theirs = review(movie, 8, "Useful.")
    url = f"/movies/memories-of-murder-2003/reviews/{theirs.pk}/helpful/"
    voter = signed_in("voter")
    voter.post(url)
    voter.post(url)
    author = Client()
    author.force_login(theirs.author)
    response = author.post(url, follow=True)
    assert "You cannot vote for your own review." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.helpful_count == 1
    assert HelpfulVote.objects.count() == 1


def test_reviews_sort_by_newest_or_most_helpful(movie: Movie) -> None:
    old = review(movie, 8, "Old but loved.")
    Review.objects.filter(pk=old.pk).update(
        helpful_count=5, created_at=timezone.now() - timedelta(days=3)
    )
    review(movie, 6, "Fresh.")
    newest = Client().get("/movies/memories-of-murder-2003/reviews/").content.decode()
    helpful = Client().get("/movies/memories-of-murder-2003/reviews/?sort=helpful").content
    assert newest.index("Fresh.") < newest.index("Old but loved.")
    assert helpful.decode().index("Old but loved.") < helpful.decode().index("Fresh.")
    # An unknown sort is corrected to the default, not an error.
    odd = Client().get("/movies/memories-of-murder-2003/reviews/?sort=%27;drop")
    assert odd.status_code == 200


def test_reviews_are_paginated(movie: Movie) -> None:
    for n in range(25):
        review(movie, None, f"Review number {n}.")
    first = Client().get("/movies/memories-of-murder-2003/reviews/").content.decode()
    second = Client().get("/movies/memories-of-murder-2003/reviews/?page=2").content.decode()
    assert first.count('class="review"') == 20
    assert second.count('class="review"') == 5
    assert "Page 2 of 2" in second
    assert Client().get("/movies/memories-of-murder-2003/reviews/?page=x").status_code == 200
    assert Client().get("/movies/memories-of-murder-2003/reviews/?page=99").status_code == 200


def test_a_members_reviews_are_on_their_profile(movie: Movie) -> None:
    member = make_member("critic")
    member.profile.is_public = True
    member.profile.save()
    review(movie, 9, "A masterpiece of rain.", author=member)
    html = Client().get("/members/critic/").content.decode()
    assert "A masterpiece of rain." in html
    assert "Memories of Murder" in html


def test_a_hidden_review_is_gone_for_others_but_seen_by_its_author(movie: Movie) -> None:
    hidden = review(movie, 9, "Buy followers here.", is_published=False)
    assert "Buy followers" not in Client().get(movie.get_absolute_url()).content.decode()
    url = f"/movies/memories-of-murder-2003/reviews/{hidden.pk}/"
    assert Client().get(url).status_code == 404
    author = Client()
    author.force_login(hidden.author)
    assert "Moderators have hidden this review" in author.get(url).content.decode()
