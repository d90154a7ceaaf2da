"""Start-up refuses a misconfigured production site with a one-line reason."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def marquee(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL")
    }
    environment.update(
        MARQUEE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="marquee.settings", **env
    )
    return subprocess.run(
        [sys.executable, "-m", "marquee", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_local_install_needs_no_configuration(tmp_path: Path) -> None:
    result = marquee(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        (
            {"ALLOWED_HOSTS": "films.example.org"},
            "SECRET_KEY is not set and ALLOWED_HOSTS names a public host (films.example.org)",
        ),
        (
            {"ALLOWED_HOSTS": "films.example.org", "SECRET_KEY": "x" * 50, "DEBUG": "1"},
            "DEBUG is on while ALLOWED_HOSTS names a public host",
        ),
        (
            {"ALLOWED_HOSTS": "films.example.org", "SECRET_KEY": "short"},
            "SECRET_KEY is shorter than 32 characters",
        ),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not understood"),
    ],
)
def test_production_refuses_to_start_misconfigured(
    tmp_path: Path, env: dict[str, str], reason: str
) -> None:
    result = marquee(tmp_path, **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("marquee: configuration error: ")
    assert reason in lines[0]


def test_a_configured_production_site_starts(tmp_path: Path) -> None:
    result = marquee(tmp_path, ALLOWED_HOSTS="films.example.org", SECRET_KEY="k" * 50, DEBUG="0")
    assert result.returncode == 0, result.stderr


def test_database_url_may_name_any_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "elsewhere" / "films.sqlite3"
    result = marquee(tmp_path, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr
    assert database.parent.is_dir()
