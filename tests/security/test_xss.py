"""Members' text is inert wherever it appears: review titles and bodies, list names and notes,
display names and bios, on every page that shows them."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from marquee.members.models import ListItem, MovieList, ReviewReport
from marquee.reviews.models import Review
from tests.factories import make_member, make_movie, review

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=//evil.example></iframe>",
    "<b onclick=alert(1)>unclosed <i",
    "</textarea><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "[x](JaVaScRiPt:alert(1))",
    "<details open ontoggle=alert(1)>",
]

FORBIDDEN_TAGS = {"iframe", "svg", "style", "object", "embed", "math", "base", "frame"}


class MarkupCheck(HTMLParser):
    """Collects whatever in a page could run script or load foreign content."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (
            values.get("type") == "application/ld+json"
            or (values.get("src") or "").startswith("/static/")
        ):
            self.problems.append(f"<script {values}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}={value}")
            url = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and url.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.problems.append(f"{tag} {name}={value}")


def assert_inert(html: str) -> None:
    check = MarkupCheck()
    check.feed(html)
    assert check.problems == []


def owner_with_everything(payload: str) -> tuple[User, str]:
    member = make_member("victim")
    member.profile.display_name = payload[:50]
    member.profile.bio = payload
    member.profile.is_public = True
    member.profile.save()
    movie = make_movie(title="Oldboy", slug="oldboy-2003", year=2003)
    review(movie, 8, f"Body {payload}", author=member, title=payload[:200])
    spoiler = make_movie(title="Mother", slug="mother-2009", year=2009)
    review(spoiler, 6, payload, author=member, title="Spoilers", contains_spoilers=True)
    movie_list = MovieList.objects.create(
        owner=member, name=payload[:100], slug="korean", notes=payload
    )
    ListItem.objects.create(movie_list=movie_list, movie=movie, position=1, notes=payload)
    return member, movie_list.get_absolute_url()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_member_text_is_inert_on_every_page(payload: str) -> None:
    member, list_url = owner_with_everything(payload)
    review_pk = Review.objects.get(movie__slug="oldboy-2003").pk
    visitor = Client()
    pages = [
        "/movies/oldboy-2003/",
        "/movies/mother-2009/",
        "/movies/oldboy-2003/reviews/",
        f"/movies/oldboy-2003/reviews/{review_pk}/",
        "/members/victim/",
        list_url,
    ]
    for path in pages:
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode())
    owner = Client()
    owner.force_login(member)
    for path in [*pages, "/accounts/settings/", "/lists/", "/movies/oldboy-2003/review/"]:
        response = owner.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode())
    moderator = make_member("mod")
    moderator.groups.add(Group.objects.get(name="moderators"))
    ReviewReport.objects.create(
        review_id=review_pk, reporter=moderator, reason="spam", note=payload[:500]
    )
    staff = Client()
    staff.force_login(moderator)
    assert_inert(staff.get("/moderation/").content.decode())


def test_script_in_a_title_shows_as_text() -> None:
    owner_with_everything("<script>alert('x')</script>")
    html = Client().get("/movies/oldboy-2003/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_safe_links_get_nofollow_ugc() -> None:
    member = make_member()
    member.date_joined = member.date_joined.replace(year=2020)
    member.save()
    movie = make_movie(slug="the-host-2006")
    review(movie, 8, "See [the essay](https://example.org/essay).", author=member)
    html = Client().get("/movies/the-host-2006/").content.decode()
    assert '<a href="https://example.org/essay" rel="nofollow ugc noopener">the essay</a>' in html


def test_links_from_new_accounts_are_not_clickable() -> None:
    member = make_member()  # joined just now
    movie = make_movie(slug="the-host-2006")
    review(movie, 8, "Buy [cheap pills](https://spam.example/pills) now", author=member)
    html = Client().get("/movies/the-host-2006/").content.decode()
    assert "cheap pills" in html
    assert "spam.example" not in html


def test_the_check_itself_catches_live_markup() -> None:
    for live in ("<img src=x onerror=alert(1)>", "<a href=' javascript:x'>", "<script>x</script>"):
        with pytest.raises(AssertionError):
            assert_inert(live)
    assert_inert("&lt;img src=x onerror=alert(1)&gt;")
