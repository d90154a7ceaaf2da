"""Times `marquee import` on the real public datasets in ../shared/data: MovieLens small, TMDB 5000
(movies file and the three-row credits head) and the whole Wikipedia movie data collection.

Each import runs as an operator would run it (its own process, related movies refreshed after),
on a new SQLite database, and is reported with wall time, CPU time and peak RSS. A second run of
the same import on the same database shows what an unchanged re-import costs.

    uv run python bench/import_sources.py [--data ../shared/data] [--only movielens,tmdb,wikipedia]

``--movielens DIR`` times a MovieLens release of any size instead (``bench/gen_movielens.py`` writes
one); ``--database-url postgres://…/NAME`` runs on PostgreSQL, in a database NAME that the script
drops and creates again before each import.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def imports(data: Path) -> dict[str, list[str]]:
    tmdb = data / "tmdb-5000"
    return {
        "movielens": ["movielens", str(data / "movielens-small")],
        "tmdb": [
            "tmdb",
            str(tmdb / "tmdb_5000_movies.csv"),
            str(tmdb / "tmdb_5000_credits.head3.csv"),
        ],
        "wikipedia": [
            "wikipedia",
            *sorted(str(p) for p in (data / "wikipedia-movies").glob("movies-*.json")),
        ],
    }


def run(url: str, args: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds, peak RSS in MiB and the summary the command printed."""
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "marquee", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"marquee {' '.join(args[:1])} failed:\n{output}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", default="movielens,tmdb,wikipedia")
    parser.add_argument("--movielens", type=Path, help="time this MovieLens directory only")
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and create")
    options = parser.parse_args()
    chosen = options.only.split(",")
    sources = imports(options.data)
    if options.movielens:
        sources, chosen = {"movielens": ["movielens", str(options.movielens)]}, ["movielens"]
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "marquee", "migrate", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{template}"},
            check=True,
        )
        print(f"{'import':<12} {'run':<10} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13}")
        for name, args in sources.items():
            if name not in chosen:
                continue
            if options.database_url:
                url = options.database_url
                recreate(url)
            else:
                db = Path(folder) / f"{name}.sqlite3"
                shutil.copy(template, db)
                url = f"sqlite:///{db}"
            for label in ("first", "unchanged"):
                wall, cpu, rss, output = run(url, ["import", *args])
                print(f"{name:<12} {label:<10} {wall:>8.1f} {cpu:>8.1f} {rss:>13}", flush=True)
            print("\n".join("    " + line for line in output.splitlines()[:8]))


def recreate(url: str) -> None:
    """An empty PostgreSQL database at ``url``, migrated."""
    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "-m", "marquee", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )


if __name__ == "__main__":
    main()
