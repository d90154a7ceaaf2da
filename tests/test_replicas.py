"""The optional read-replica router: reads to replicas, writes and fresh reads to the primary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from marquee import replicas
from marquee.catalog.models import Movie
from marquee.replicas import RECENT_WRITE_COOKIE, ReplicaRouter, pin_reads_after_writes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def two_replicas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1", "replica2"])


def read_alias_during(request: HttpRequest) -> tuple[str, HttpResponse]:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(ReplicaRouter().db_for_read(Movie))
        return HttpResponse("ok")

    response = pin_reads_after_writes(view)(request)
    return seen[0], response


def test_without_replicas_everything_uses_the_primary() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Movie) == "default"
    assert router.db_for_write(Movie) == "default"


@pytest.mark.usefixtures("two_replicas")
def test_reads_go_to_a_replica_and_writes_to_the_primary() -> None:
    router = ReplicaRouter()
    assert {router.db_for_read(Movie) for _ in range(50)} == {"replica1", "replica2"}
    assert router.db_for_write(Movie) == "default"
    assert router.allow_migrate("default", "catalog")
    assert not router.allow_migrate("replica1", "catalog")


@pytest.mark.django_db
@pytest.mark.usefixtures("two_replicas")
def test_reads_inside_a_transaction_stay_on_the_primary() -> None:
    with transaction.atomic():
        assert ReplicaRouter().db_for_read(Movie) == "default"


@pytest.mark.usefixtures("two_replicas")
def test_a_changing_request_reads_the_primary_and_marks_the_visitor() -> None:
    alias, response = read_alias_during(RequestFactory().post("/movies/x/reviews/"))
    assert alias == "default"
    cookie = response.cookies[RECENT_WRITE_COOKIE]
    assert cookie["max-age"] == 5
    assert cookie["httponly"]


@pytest.mark.usefixtures("two_replicas")
def test_the_next_pages_after_a_change_read_the_primary() -> None:
    request = RequestFactory().get("/movies/x/")
    request.COOKIES[RECENT_WRITE_COOKIE] = "1"
    alias, response = read_alias_during(request)
    assert alias == "default"
    assert RECENT_WRITE_COOKIE not in response.cookies


@pytest.mark.usefixtures("two_replicas")
def test_plain_pages_read_a_replica_and_the_admin_the_primary() -> None:
    assert read_alias_during(RequestFactory().get("/movies/"))[0].startswith("replica")
    assert read_alias_during(RequestFactory().get("/admin/catalog/movie/"))[0] == "default"


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="marquee.settings", **env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []), "
        "'marquee.replicas.pin_reads_after_writes' in settings.MIDDLEWARE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_replicas_come_from_the_environment(tmp_path: Path) -> None:
    result = settings_with(
        MARQUEE_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://m:p@primary/marquee",
        DATABASE_REPLICA_URLS="postgres://m:p@replica-a/marquee, postgres://m:p@replica-b/marquee",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['default', 'replica1', 'replica2'] ['marquee.replicas.ReplicaRouter'] True"
    )


def test_a_replica_of_another_kind_of_database_is_refused(tmp_path: Path) -> None:
    result = settings_with(
        MARQUEE_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://m:p@primary/marquee",
        DATABASE_REPLICA_URLS="sqlite:///elsewhere.sqlite3",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS must name the same kind of database" in result.stderr


def test_no_replicas_no_router(tmp_path: Path) -> None:
    result = settings_with(MARQUEE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] [] False"
