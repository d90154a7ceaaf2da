"""``marquee import imdb`` as an operator runs it: a separate process on a real database file (or
PostgreSQL database), stopped by broken files or by SIGKILL, and run again."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from marquee.ingest.imdb.parallel import Scratch
from tests.conftest import ROOT
from tests.ingest.imdb_files import quirky_dump

POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
TABLES = ("catalog_movie", "people_person", "people_credit", "catalog_alternatetitle")


def scratch_files() -> Iterator[Path]:
    """Files of IMDb reading workers (parallel.Scratch) on disk, any process's."""
    return Path(tempfile.gettempdir()).glob(f"{Scratch.DIRECTORY}*/*")


class Database:
    """A migrated database the subprocesses share, and a way to count its rows."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}

    def marquee(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "marquee", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def start_import(self, directory: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "marquee", "import", "imdb", str(directory), "--no-related"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def counts(self) -> dict[str, int]:
        queries = {table: f"SELECT COUNT(*) FROM {table}" for table in TABLES}  # noqa: S608
        if POSTGRES:
            import psycopg

            with psycopg.connect(self.url) as pg:
                return {t: _first(pg.execute(q).fetchone()) for t, q in queries.items()}
        connection = sqlite3.connect(urlsplit(self.url).path)
        try:
            return {t: _first(connection.execute(q).fetchone()) for t, q in queries.items()}
        finally:
            connection.close()


def _first(row: tuple[int, ...] | None) -> int:
    assert row is not None
    return row[0]


def _postgres_admin(url: str, *statements: str) -> None:
    import psycopg

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.fixture(scope="module")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrated once per module: migrations take seconds, copies take milliseconds."""
    if POSTGRES:
        base = os.environ["DATABASE_URL"]
        name = urlsplit(base).path.lstrip("/") + "_cli_template"
        url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
        _postgres_admin(url, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        Database(url).marquee("migrate", "-v0")
        yield url
        _postgres_admin(url, f"DROP DATABASE IF EXISTS {name}")
    else:
        path = tmp_path_factory.mktemp("cli") / "template.sqlite3"
        Database(f"sqlite:///{path}").marquee("migrate", "-v0")
        yield f"sqlite:///{path}"


@pytest.fixture
def database(template_database: str, tmp_path: Path) -> Iterator[Database]:
    if POSTGRES:
        template = urlsplit(template_database).path.lstrip("/")
        name = template.replace("_template", "_run")
        _postgres_admin(
            template_database,
            f"DROP DATABASE IF EXISTS {name}",
            f"CREATE DATABASE {name} TEMPLATE {template}",
        )
        yield Database(urlunsplit(urlsplit(template_database)._replace(path=f"/{name}")))
        _postgres_admin(template_database, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        path = tmp_path / "marquee.sqlite3"
        shutil.copy(urlsplit(template_database).path, path)
        yield Database(f"sqlite:///{path}")


def test_it_imports_and_reports(database: Database, tmp_path: Path) -> None:
    result = database.marquee("import", "imdb", str(quirky_dump(tmp_path)), "--no-related")
    assert "Import finished." in result.stdout
    assert "movies skipped, other title type: 2" in result.stdout
    assert "title.principals.tsv.gz:11: characters is not a JSON list" in result.stdout
    assert database.counts() == {
        "catalog_movie": 3,
        "people_person": 6,
        "people_credit": 9,
        "catalog_alternatetitle": 3,
    }


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _rename_akas_key(path: Path) -> None:
    # The classic mistake: title.akas keyed by "tconst" like the other files.
    text = gzip.decompress(path.read_bytes()).decode()
    path.write_bytes(gzip.compress(text.replace("titleId", "tconst", 1).encode()))


def _garbage(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\nnm0000042\t\x00\x01\x02\xff\xfe binary\n")


@pytest.mark.parametrize(
    ("file", "damage", "error"),
    [
        ("title.principals.tsv.gz", _truncate, ":{line}: truncated gzip file"),
        ("title.akas.tsv.gz", _rename_akas_key, ":1: not an IMDb title.akas file"),
        ("name.basics.tsv", _garbage, ":{line}: not UTF-8 text"),
    ],
)
def test_a_broken_file_stops_the_import_and_changes_nothing(
    database: Database, tmp_path: Path, file: str, damage: object, error: str
) -> None:
    database.marquee("import", "imdb", str(quirky_dump(tmp_path / "first")), "--no-related")
    before = database.counts()

    # A newer dump that would add a film, with one file broken.
    dump = quirky_dump(tmp_path / "broken", title_basics=_more_titles(200))
    if file == "title.principals.tsv.gz":
        (dump / file).write_bytes(
            gzip.compress(
                "\n".join(
                    ["tconst\tordering\tnconst\tcategory\tjob\tcharacters"]
                    + [f'tt{n:07d}\t1\tnm0000001\tactor\t\\N\t["Role {n}"]' for n in range(9000)]
                ).encode()
            )
        )
    assert callable(damage)
    damage(dump / file)
    scratch_before = set(scratch_files())

    result = database.marquee("import", "imdb", str(dump), "--no-related", check=False)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    first_line = next(line for line in lines if line.startswith("CommandError:"))
    assert lines[-2:] == [first_line, "Nothing was imported."]
    assert first_line.startswith(f"CommandError: {dump / file}:")
    line = first_line.split(f"{dump / file}:")[1].split(":")[0]
    assert line.isdigit() and int(line) >= 1
    assert error.format(line=line) in first_line
    assert database.counts() == before
    # The workers' scratch files (SQLite) went with the failed import.
    assert set(scratch_files()) <= scratch_before


def _more_titles(count: int) -> list[list[str]]:
    from tests.ingest.imdb_files import BASICS

    extra = [
        [f"tt{n:07d}", "movie", f"Film {n}", f"Film {n}", "0", "2001", "\\N", "90", "Drama"]
        for n in range(1000, 1000 + count)
    ]
    return BASICS + extra


@pytest.fixture(scope="module")
def synthetic_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 6,000 films, 25,000 people, 50,000 credits: a few seconds of importing."""
    directory = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_imdb.py"), str(directory), "--scale", "0.02"],
        check=True,
        capture_output=True,
    )
    return directory


def _films_in(directory: Path) -> set[str]:
    """The ids of the films in scope, read straight from title.basics (less bad years)."""
    seen, films = set(), set()
    with gzip.open(directory / "title.basics.tsv.gz", "rt", encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            fields = line.rstrip("\r\n").split("\t")
            in_scope = fields[1] in ("movie", "tvMovie") and fields[4] == "0"
            if in_scope and fields[0] not in seen and fields[5].replace("\\N", "1").isdigit():
                films.add(fields[0])
            seen.add(fields[0])
    return films


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started that are still running (Linux's /proc; none elsewhere)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children += [int(child) for child in task.read_text().split()]
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits


def test_a_killed_import_leaves_the_catalog_served_and_the_rerun_finishes(
    database: Database, tmp_path: Path, synthetic_dump: Path
) -> None:
    quirky = quirky_dump(tmp_path)
    database.marquee("import", "imdb", str(quirky), "--no-related")
    before = database.counts()

    process = database.start_import(synthetic_dump)
    assert process.stderr is not None
    log = []
    try:
        # Kill it once the films are written (inside its transaction) and it reads credits.
        for line in process.stderr:
            log.append(line)
            if line.startswith("imdb: merged movies"):
                break
        else:
            pytest.fail(f"the import ended early: {''.join(log)}")
        # Meanwhile the catalog is served as it was.
        assert database.counts() == before
        # Killed while one of its reading processes runs (title.principals, or name.basics',
        # which waits for the credit files to be read): /proc is polled until one is seen.
        workers: list[int] = []
        deadline = time.monotonic() + 10
        while Path("/proc").is_dir() and time.monotonic() < deadline:
            assert process.poll() is None, "the import finished before it could be killed"
            workers = [pid for pid in _children(process.pid) if _alive(pid)]
            if workers:
                break
            time.sleep(0.002)  # leaves the cores to the import
        assert workers or not Path("/proc").is_dir()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    # Its reading processes go with it: one left behind would keep the killed session's
    # database connection, and on PostgreSQL its locks, so the rerun would wait for ever.
    deadline = time.monotonic() + 10
    while [pid for pid in workers if _alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]

    assert database.counts() == before

    result = database.marquee("import", "imdb", str(synthetic_dump), "--no-related")
    assert "Import finished." in result.stdout
    after = database.counts()
    # The synthetic ids overlap the first dump's: those films are updated, not duplicated.
    assert after["catalog_movie"] == len(_films_in(quirky) | _films_in(synthetic_dump))
    assert after["people_credit"] > before["people_credit"] + 40_000
    assert after["people_person"] > before["people_person"] + 20_000

    again = database.marquee("import", "imdb", str(synthetic_dump), "--no-related")
    assert database.counts() == after
    movies_row = next(line for line in again.stdout.splitlines() if line.startswith("movies "))
    _, created, updated, unchanged, _ = movies_row.split()[1:]
    assert (created, updated) == ("0", "0")
    assert unchanged.replace(",", "") == f"{len(_films_in(synthetic_dump))}"
