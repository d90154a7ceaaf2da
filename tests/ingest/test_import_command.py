"""The import commands as an operator runs them: in a process of their own, against a database
file, stopped by a broken file or by SIGKILL."""

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def marquee(db: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marquee", *args],
        cwd=ROOT,
        env=environment(db),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def environment(db: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1"}


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("db") / "template.sqlite3"
    assert marquee(db, "migrate", "-v0").returncode == 0
    return db


@pytest.fixture
def db(migrated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "marquee.sqlite3"
    copy.write_bytes(migrated.read_bytes())
    return copy


def movielens(folder: Path, movies: int, ratings: int, *, gzip_ratings: bool = False) -> Path:
    folder.mkdir()
    (folder / "movies.csv").write_text(
        "movieId,title,genres\n"
        + "".join(f"{i},Film {i} ({1950 + i % 70}),Drama|Comedy\n" for i in range(1, movies + 1))
    )
    (folder / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n" + "".join(f"{i},{i:07d},{i}\n" for i in range(1, movies + 1))
    )
    rows = "userId,movieId,rating,timestamp\n" + "".join(
        f"{1 + n // movies},{1 + n % movies},{1 + n % 9 / 2:.1f},{1_000_000_000 + n}\n"
        for n in range(ratings)
    )
    if gzip_ratings:
        (folder / "ratings.csv.gz").write_bytes(gzip.compress(rows.encode()))
    else:
        (folder / "ratings.csv").write_text(rows)
    return folder


def test_structural_errors_stop_with_one_line_exit_1_and_nothing_written(
    db: Path, tmp_path: Path
) -> None:
    # Films load first, then the ratings file turns out truncated: the films are rolled back.
    folder = movielens(tmp_path / "ml", movies=50, ratings=100_000, gzip_ratings=True)
    data = (folder / "ratings.csv.gz").read_bytes()
    (folder / "ratings.csv.gz").write_bytes(data[: len(data) // 2])
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,name\n1,x\n")
    jsonl = tmp_path / "catalog.jsonl"
    jsonl.write_text('{"format": "other"}\n')
    broken_json = tmp_path / "movies-1990s.json"
    broken_json.write_text('[{"title": "Heat", "year": 1995},\n{"title": ')
    binary = tmp_path / "movies.jsonl"
    binary.write_bytes(b'{"id": 1}\n\x00\x01\x02garbage\n')
    cases = [
        (["movielens", str(folder)], f"{folder}/ratings.csv.gz:", "truncated gzip file"),
        (["tmdb", str(wrong)], f"{wrong}:1:", "wrong header"),
        (["marquee", str(jsonl)], f"{jsonl}:1:", "the first line must be the header"),
        (["wikipedia", str(broken_json)], f"{broken_json}:2:", "not valid JSON"),
        (["tmdb", str(binary)], f"{binary}:2:", "binary data, not text"),
    ]
    for args, where, reason in cases:
        done = marquee(db, "import", *args)
        assert done.returncode == 1, done.stderr
        error = done.stderr.strip().splitlines()
        assert error[-2].startswith(f"CommandError: {where}") or error[-2].startswith(where)
        assert reason in error[-2]
        assert error[-1] == "Nothing was imported."
        assert count(db, "catalog_movie") == 0
        assert count(db, "ingest_communityrating") == 0


def test_an_import_killed_midway_leaves_the_catalog_and_a_rerun_finishes(
    db: Path, tmp_path: Path
) -> None:
    before = movielens(tmp_path / "before", movies=20, ratings=100)
    assert marquee(db, "import", "movielens", str(before)).returncode == 0
    catalog = (count(db, "catalog_movie"), count(db, "ingest_communityrating"))
    assert catalog == (20, 100)

    bigger = movielens(tmp_path / "bigger", movies=2_000, ratings=200_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "marquee", "import", "movielens", str(bigger)],
        cwd=ROOT,
        env=environment(db),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    # Kill it once the films are written (inside the import's transaction) and the ratings
    # are being read: the middle of the import.
    for line in process.stderr:
        if line.startswith("movies.csv:") and " rows in " in line:
            break
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert (count(db, "catalog_movie"), count(db, "ingest_communityrating")) == catalog

    done = marquee(db, "import", "movielens", str(bigger), "--no-related")
    assert done.returncode == 0, done.stderr
    assert count(db, "catalog_movie") == 2_000
    assert count(db, "ingest_communityrating") == 200_000
    assert count(db, "ingest_externalrating") == 2_000
    summary = done.stdout
    assert "movies" in summary and "1,980" in summary  # created; the first 20 were there


def test_the_command_prints_the_summary_table(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "films.jsonl"
    path.write_text(
        json.dumps({"title": "Heat", "year": 1995, "href": "Heat_(1995_film)"})
        + "\n"
        + json.dumps({"title": "", "year": 1995})
        + "\n"
    )
    done = marquee(db, "import", "wikipedia", str(path), "--no-related")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["read", "created", "updated", "unchanged", "skipped"]
    assert lines[1].split() == ["movies", "2", "1", "0", "0", "1"]
    assert f"  {path}:2: film without a title" in lines
