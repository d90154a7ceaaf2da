"""Every member page renders in Chromium with the CSP in force and no console errors, for a
moderator with a review, a list, a diary entry and an import question; screenshots of each."""

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MIRACLE = "miracle-in-cell-no-7-2013"

SETUP = f"""
from django.contrib.auth.models import Group, User
from marquee.catalog.models import Movie
from marquee.members.models import (
    DiaryEntry, ImportQuestion, ListItem, MovieList, ReviewReport
)
from marquee.reviews.models import Review, rate, save_review
movie = Movie.objects.get(slug="{MIRACLE}")
mod = User.objects.create_user("page-moderator", "mod@example.org", "popcorn and subtitles")
mod.groups.add(Group.objects.get(name="moderators"))
mod.profile.display_name = "Page Moderator"
mod.profile.is_public = True
mod.profile.bio = "Watches everything twice."
mod.profile.save()
writer = User.objects.create_user("page-writer", "w@example.org", "popcorn and subtitles")
rate(writer, movie, 8)
review = save_review(
    Review(movie=movie, author=writer, title="Tears", body="A **weepie** done right.")
)
ReviewReport.objects.create(review=review, reporter=mod, reason="spoiler", note="Mentions the end")
rate(mod, movie, 10)
save_review(Review(movie=movie, author=mod, title="Mine", body="Short and *sweet*."))
movie_list = MovieList.objects.create(
    owner=mod, name="Korean tearjerkers", slug="korean-tearjerkers", notes="Bring tissues."
)
for n, film in enumerate(Movie.objects.order_by("-popularity")[:4], start=1):
    note = "Essential." if n == 1 else ""
    ListItem.objects.create(movie_list=movie_list, movie=film, position=n, notes=note)
DiaryEntry.objects.create(
    member=mod, movie=movie, watched_on="2024-05-01", rewatch=True, rating=10
)
question = ImportQuestion.objects.create(
    member=mod, kind="rating", name="Miracle in Cell No. 7", row={{"Rating": "5"}}
)
question.candidates.set(Movie.objects.filter(title="Miracle in Cell No. 7"))
print(review.pk)
"""


def test_every_member_page_renders(
    site: str, site_env: dict[str, str], browser: Browser, artifacts: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "marquee", "shell", "-c", SETUP],
        cwd=ROOT, env=site_env, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    review_pk = result.stdout.strip().splitlines()[-1]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    visitor_pages = {
        "login": "/accounts/login/",
        "password-reset": "/accounts/password/reset/",
        "password-reset-sent": "/accounts/password/reset/sent/",
    }
    for name, path in visitor_pages.items():
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        page.screenshot(path=str(artifacts / f"members-{name}.png"), full_page=True)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("page-moderator")
    page.get_by_label("Password").fill("popcorn and subtitles")
    page.get_by_role("button", name="Sign in").click()
    member_pages = {
        "movie-page": f"/movies/{MIRACLE}/",
        "reviews": f"/movies/{MIRACLE}/reviews/?sort=helpful",
        "review": f"/movies/{MIRACLE}/reviews/{review_pk}/",
        "review-edit": f"/movies/{MIRACLE}/review/",
        "review-delete": f"/movies/{MIRACLE}/review/delete/",
        "report": f"/movies/{MIRACLE}/reviews/{review_pk}/report/",
        "settings": "/accounts/settings/",
        "profile": "/members/page-moderator/",
        "lists": "/lists/",
        "list-new": "/lists/new/",
        "list": "/members/page-moderator/lists/korean-tearjerkers/",
        "add-to-list": f"/movies/{MIRACLE}/add-to-list/",
        "diary": "/diary/",
        "log": f"/movies/{MIRACLE}/log/",
        "moderation": "/moderation/",
        "export": "/accounts/export/",
        "import": "/accounts/import/",
    }
    for name, path in member_pages.items():
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert page.locator("img:not([alt])").count() == 0, path
        page.screenshot(path=str(artifacts / f"members-{name}.png"), full_page=True)
    assert errors == []
    # At 360 pixels the member pages do not scroll sideways.
    narrow = browser.new_context(viewport={"width": 360, "height": 740})
    small = narrow.new_page()
    small.goto(site + "/accounts/login/")
    small.get_by_label("Username").fill("page-moderator")
    small.get_by_label("Password").fill("popcorn and subtitles")
    small.get_by_role("button", name="Sign in").click()
    for path in (
        f"/movies/{MIRACLE}/",
        "/members/page-moderator/lists/korean-tearjerkers/",
        "/diary/",
    ):
        small.goto(site + path)
        overflow = small.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    small.goto(site + f"/movies/{MIRACLE}/")
    small.screenshot(path=str(artifacts / "members-movie-page-360.png"), full_page=True)
    narrow.close()
    context.close()
