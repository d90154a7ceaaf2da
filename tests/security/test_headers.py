"""Headers that keep members safe: a script policy with no inline script, no framing, and
cookies marked Secure in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from tests.factories import make_member, make_movie

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def policy(response: HttpResponseBase) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.parametrize("path", ["/", "/movies/m-1/", "/accounts/login/", "/accounts/signup/"])
def test_every_page_has_a_policy_without_inline_script(client: Client, path: str) -> None:
    make_movie(slug="m-1")
    response = client.get(path)
    rules = policy(response)
    assert rules["script-src"] == ["'self'"]
    assert rules["default-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in rules.get(directive, [])
        assert "'unsafe-eval'" not in rules.get(directive, [])
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_carry_no_inline_script_or_style(client: Client) -> None:
    member = make_member()
    client.force_login(member)
    make_movie(slug="m-1")
    html = client.get("/movies/m-1/").content.decode()
    assert "<script>" not in html
    assert " style=" not in html and "<style" not in html
    # The only scripts: htmx from our static files, and JSON-LD data blocks.
    for tag in html.split("<script ")[1:]:
        assert tag.startswith(('src="/static/', 'type="application/ld+json"')), tag[:80]


def production_settings(tmp_path: Path) -> dict[str, object]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    environment.update(
        MARQUEE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="marquee.settings",
        ALLOWED_HOSTS="films.example.org",
        SECRET_KEY="x" * 50,
    )
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'X_FRAME_OPTIONS']}))"
    )
    result = subprocess.run(
        [sys.executable, "-m", "marquee", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_production_marks_cookies_secure(tmp_path: Path, settings, client: Client) -> None:
    production = production_settings(tmp_path)
    assert production == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
    }
    for key, value in production.items():
        setattr(settings, key, value)
    make_member("minji")
    response = client.post(
        "/accounts/login/", {"username": "minji", "password": "a-long-passphrase"}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"]
