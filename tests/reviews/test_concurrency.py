"""50 members rate and review one film at the same moment, through a real server: nothing is
lost, no request fails, and the film's stored figures match the rows.

On SQLite the server is `marquee serve` on a new database file (WAL, busy timeout, IMMEDIATE
transactions, as operators run it); on PostgreSQL it is pytest-django's live server, whose
request threads each hold their own connection.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.browser.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 50
SLUG = "concurrency-2024"

SETUP = f"""
import json
from django.contrib.auth.models import User
from django.test import Client
from marquee.catalog.models import Movie
Movie.objects.create(title="Concurrency", slug="{SLUG}", year=2024)
keys = []
for n in range({MEMBERS}):
    client = Client()
    client.force_login(User.objects.create_user(f"racer{{n}}", password=None))
    keys.append(client.cookies["sessionid"].value)
print(json.dumps(keys))
"""

FIGURES = f"""
import json
from marquee.catalog.models import Movie
from marquee.reviews.models import Rating, Review
movie = Movie.objects.get(slug="{SLUG}")
print(json.dumps({{
    "ratings": Rating.objects.filter(movie=movie).count(),
    "reviews": Review.objects.filter(movie=movie).count(),
    "scores": sorted(Rating.objects.filter(movie=movie).values_list("score", flat=True)),
    "rating_count": movie.rating_count,
    "rating_average": movie.rating_average,
    "histogram": movie.rating_histogram,
    "review_count": movie.review_count,
}}))
"""


@dataclass
class Site:
    url: str
    sessions: list[str]
    run: Any  # runs Python in the site's Django and returns its last line of output


def _subprocess_site(tmp_path: Path) -> Iterator[Site]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'marquee.sqlite3'}",
        "MARQUEE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "marquee.settings",
    }
    command = [sys.executable, "-m", "marquee"]

    def run(code: str) -> str:
        result = subprocess.run(
            [*command, "shell", "-c", code],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return result.stdout.strip().splitlines()[-1]

    subprocess.run([*command, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    sessions = json.loads(run(SETUP))
    port = free_port()
    server = subprocess.Popen([*command, "serve", "--port", str(port)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=1)  # noqa: S310 (our server)
                break
            except OSError:
                time.sleep(0.1)
        yield Site(url, sessions, run)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        live_server = request.getfixturevalue("live_server")  # uses transactional_db

        def run(code: str) -> str:
            import contextlib
            import io

            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(code, {})  # noqa: S102 (our own constant snippets)
            return out.getvalue().strip().splitlines()[-1]

        # By address, not "localhost": cookie jars do not match cookies on dotless host names.
        url = live_server.url.replace("localhost", "127.0.0.1")
        yield Site(url, json.loads(run(SETUP)), run)
        connection.close()
    else:
        yield from _subprocess_site(tmp_path)


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def member_writes(url: str, session: str, n: int) -> list[int]:
    """One member: load the film page, rate it, review it. Returns the HTTP statuses."""
    jar = http.cookiejar.CookieJar()
    host = urllib.parse.urlsplit(url).hostname or "127.0.0.1"
    jar.set_cookie(http.cookiejar.Cookie(
        0, "sessionid", session, None, False, host, False, False, "/", True,
        False, None, False, None, None, {},
    ))  # fmt: skip

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    # A redirect is the answer we check for, not a page to follow.
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(f"{url}/movies/{SLUG}/", timeout=60).read().decode()
    token = TOKEN.search(page)
    assert token, "the film page has no form for a signed-in member"
    statuses = []
    for path, data in (
        (f"/movies/{SLUG}/rate/", {"score": str(1 + n % 10)}),
        (f"/movies/{SLUG}/review/", {"title": f"Take {n}", "body": f"Review {n}."}),
    ):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}).encode()
        request = urllib.request.Request(url + path, data=body, headers={"Referer": url + "/"})  # noqa: S310
        try:
            statuses.append(opener.open(request, timeout=60).status)
        except urllib.error.HTTPError as answer:
            statuses.append(answer.code)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_fifty_members_rate_and_review_at_once(site: Site) -> None:
    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        results = list(pool.map(member_writes, [site.url] * MEMBERS, site.sessions, range(MEMBERS)))
    statuses = [status for pair in results for status in pair]
    assert statuses == [302] * (2 * MEMBERS)  # every write redirected after success
    figures = json.loads(site.run(FIGURES))
    expected_scores = sorted(1 + n % 10 for n in range(MEMBERS))
    assert figures == {
        "ratings": MEMBERS,
        "reviews": MEMBERS,
        "scores": expected_scores,
        "rating_count": MEMBERS,
        "rating_average": sum(expected_scores) / MEMBERS,
        "histogram": [MEMBERS // 10] * 10,
        "review_count": MEMBERS,
    }
