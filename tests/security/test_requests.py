"""CSRF on every change, GET never changes anything, and authorization on the server."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from marquee.members.models import DiaryEntry, ListItem, MovieList, ReviewReport, WatchlistEntry
from marquee.reviews.models import HelpfulVote, Rating, Review
from tests.factories import make_member, make_movie, review

pytestmark = pytest.mark.django_db

MODELS = [
    Rating,
    Review,
    HelpfulVote,
    WatchlistEntry,
    MovieList,
    ListItem,
    DiaryEntry,
    ReviewReport,
]


def snapshot() -> dict[str, list[Any]]:
    """Every member-owned row, to compare before and after a request."""
    tables: dict[str, list[Any]] = {
        m.__name__: list(m._default_manager.order_by("pk").values()) for m in MODELS
    }
    tables["users"] = list(User.objects.order_by("pk").values_list("pk", "password", "last_login"))
    return tables


@pytest.fixture
def world() -> dict[str, Any]:
    author = make_member("author")
    other = make_member("other")
    movie = make_movie(title="Burning", slug="burning-2018", year=2018)
    their_review = review(movie, 8, "Ambiguous.", author=author)
    public = MovieList.objects.create(owner=author, name="Public", slug="public")
    private = MovieList.objects.create(owner=author, name="Secret", slug="secret", is_public=False)
    item = ListItem.objects.create(movie_list=public, movie=movie, position=1)
    entry = DiaryEntry.objects.create(member=author, movie=movie, watched_on="2024-01-02")
    return {
        "author": author,
        "other": other,
        "movie": movie,
        "review": their_review,
        "public": public,
        "private": private,
        "item": item,
        "entry": entry,
    }


def changes(w: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Every state-changing request a member can make, with valid data."""
    slug, r = w["movie"].slug, w["review"]
    return [
        (f"/movies/{slug}/rate/", {"score": "7"}),
        (f"/movies/{slug}/review/", {"title": "t", "body": "b", "rating": "6"}),
        (f"/movies/{slug}/review/delete/", {}),
        (f"/movies/{slug}/reviews/{r.pk}/helpful/", {}),
        (f"/movies/{slug}/reviews/{r.pk}/report/", {"reason": "spam"}),
        (f"/movies/{slug}/watchlist/", {"action": "add"}),
        (f"/movies/{slug}/add-to-list/", {"list": str(w["public"].pk)}),
        (f"/movies/{slug}/log/", {"watched_on": "2024-05-01", "rating": "8", "review": "x"}),
        ("/lists/new/", {"name": "New", "is_public": "on"}),
        (f"/lists/{w['public'].pk}/edit/", {"name": "Renamed"}),
        (f"/lists/{w['public'].pk}/items/{w['item'].pk}/", {"action": "remove"}),
        (f"/lists/{w['public'].pk}/delete/", {}),
        (f"/diary/{w['entry'].pk}/delete/", {}),
        ("/accounts/settings/", {"display_name": "New name", "language": "en"}),
        (f"/moderation/reviews/{r.pk}/hide/", {}),
        ("/accounts/logout/", {}),
    ]


def test_every_change_needs_a_csrf_token(world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    world["author"].groups.add(Group.objects.get(name="moderators"))
    client.force_login(world["author"])
    before = snapshot()
    for path, data in changes(world):
        response = client.post(path, data)
        assert response.status_code == 403, path
    assert snapshot() == before


def test_with_the_token_a_change_goes_through(world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["other"])
    page = client.get(world["movie"].get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/movies/{world['movie'].slug}/rate/", {"score": "4", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Rating.objects.get(member=world["other"]).score == 4


def test_get_never_changes_anything(world: dict[str, Any]) -> None:
    client = Client()
    world["author"].groups.add(Group.objects.get(name="moderators"))
    client.force_login(world["author"])
    before = snapshot()
    for path, data in changes(world):
        response = client.get(path, data)
        assert response.status_code in (200, 405), path
    assert snapshot() == before
    assert "_auth_user_id" in client.session


def test_only_the_author_edits_or_deletes_a_review(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["other"])
    slug = world["movie"].slug
    # "Edit" is always the member's own review: another's is never loaded into the form.
    form = client.get(f"/movies/{slug}/review/").content.decode()
    assert "Ambiguous." not in form
    assert client.post(f"/movies/{slug}/review/delete/").status_code == 404
    client.post(f"/movies/{slug}/review/", {"title": "Mine", "body": "Mine."})
    their = Review.objects.get(pk=world["review"].pk)
    assert (their.body, their.author) == ("Ambiguous.", world["author"])
    assert Review.objects.filter(movie=world["movie"]).count() == 2


def test_only_the_owner_changes_a_list(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["other"])
    public, item = world["public"], world["item"]
    assert client.get(f"/lists/{public.pk}/edit/").status_code == 404
    assert client.post(f"/lists/{public.pk}/edit/", {"name": "Mine now"}).status_code == 404
    assert client.post(f"/lists/{public.pk}/delete/").status_code == 404
    assert (
        client.post(f"/lists/{public.pk}/items/{item.pk}/", {"action": "remove"}).status_code == 404
    )
    response = client.post(f"/movies/{world['movie'].slug}/add-to-list/", {"list": public.pk})
    assert response.status_code == 302  # refused with a message: not one of their lists
    assert public.items.count() == 1
    public.refresh_from_db()
    assert public.name == "Public"


def test_a_private_list_is_a_404_to_everyone_else(world: dict[str, Any]) -> None:
    url = world["private"].get_absolute_url()
    assert Client().get(url).status_code == 404
    other = Client()
    other.force_login(world["other"])
    assert other.get(url).status_code == 404
    assert "Secret" not in other.get("/members/author/").content.decode()
    owner = Client()
    owner.force_login(world["author"])
    assert owner.get(url).status_code == 200
    assert Client().get(world["public"].get_absolute_url()).status_code == 200


def test_only_moderators_moderate(world: dict[str, Any]) -> None:
    r = world["review"]
    client = Client()
    assert client.get("/moderation/").status_code == 302  # to sign in
    client.force_login(world["other"])
    assert client.get("/moderation/").status_code == 404
    assert client.post(f"/moderation/reviews/{r.pk}/hide/").status_code == 404
    assert Review.objects.get(pk=r.pk).is_published
    world["other"].groups.add(Group.objects.get(name="moderators"))
    assert client.get("/moderation/").status_code == 200
    assert client.post(f"/moderation/reviews/{r.pk}/hide/").status_code == 302
    assert not Review.objects.get(pk=r.pk).is_published


def test_a_redirect_target_never_leaves_the_site(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["other"])
    r = world["review"]
    response = client.post(
        f"/movies/{r.movie.slug}/reviews/{r.pk}/helpful/", {"next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/movies/burning-2018/")


def test_member_pages_need_a_session(world: dict[str, Any]) -> None:
    for path in ("/watchlist/", "/diary/", "/lists/", "/accounts/settings/", "/accounts/export/"):
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=")
