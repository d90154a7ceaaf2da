"""Search speed on a synthetic catalog of 1,000,000 movies, against the naive title search.

    nice uv run python bench/search.py                  # builds var/bench-1000000.sqlite3 once
    nice uv run python bench/search.py --movies 100000  # a smaller catalog, its own file
    DATABASE_URL=postgres://… uv run python bench/search.py

The catalog comes from bench/pages.py's generator (titles of one to four common words, so every
word matches tens of thousands of films: a hard case for a full-text index), plus the demo
catalog on top so the query mix has real titles in other scripts, and the search index rebuilt
by ``marquee search rebuild``'s code. It prints p50/p95 in milliseconds of

- the results page (/search/?q=…) over a mix of queries: titles, typos, missing accents,
  Hangul, kana, kanji, Devanagari, Cyrillic, prefixes, years, people, and common synthetic words;
- the suggestions fragment (/search/suggest/?q=…) for prefixes as they are typed;
- the naive baseline on the same queries, in the same run: the page's former queries,
  ``title__icontains`` on movies and ``name__icontains`` on people, 30 of each.

Measured in-process with Django's test client, like bench/pages.py. It never fails: the targets
are printed next to the figures for a person to judge.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402  (bench/pages.py: the synthetic catalog)

MOVIES = 1_000_000
PEOPLE_PER_MOVIE = 1  # people are only searched by name here; credits matter little
CREDITS_PER_MOVIE = 3
TARGETS_MS = {"search page": 30, "suggestions": 10}
SPEEDUP_TARGET = 20

REAL_QUERIES = [
    "7번방의 선물", "mircale in cell 7", "miracle 2013", "amelie", "le fabuleux destin",
    "Побег из Шоушенка", "зеленая миля", "千と千尋の神隠し", "神隠し", "トトロ", "दंगल",
    "shawshenk redemption", "forest gump", "intersteller", "parasite", "기생충", "ryu seung-ryong",
    "류승룡", "bong joon ho", "kurosava", "sandra huller", "papillon 1973", "12 angry men",
    "the host 2006", "escape alcatraz",
]  # fmt: skip
TYPED = ["mi", "mir", "mira", "mirac", "sha", "shaw", "par", "para", "par", "bong", "kuro",
         "기생", "トト", "ame", "amel", "nig", "nigh", "rive", "win", "summ"]  # fmt: skip


def synthetic_queries(rng: random.Random, count: int) -> list[str]:
    """Common words of the synthetic titles, some mistyped, some cut short, some with a year."""
    queries = []
    for _ in range(count):
        words = rng.sample(pages.WORDS, rng.randint(1, 3))
        roll = rng.random()
        if roll < 0.2 and len(words[0]) >= 5:
            w = words[0]
            i = rng.randrange(len(w) - 1)
            words[0] = w[:i] + w[i + 1] + w[i] + w[i + 2 :]  # two letters swapped
        elif roll < 0.4:
            words[-1] = words[-1][: max(2, len(words[-1]) - 2)]
        elif roll < 0.55:
            words.append(str(rng.randint(1930, 2020)))
        queries.append(" ".join(words))
    return queries


def build(rng: random.Random, movies: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from marquee.catalog.management.commands.demo import demo_files
    from marquee.catalog.models import Movie
    from marquee.ingest.run import run_import
    from marquee.search import index
    from marquee.search.models import Document

    call_command("migrate", verbosity=0)
    if not Movie.objects.filter(slug="movie-0").exists():
        pages.build(rng, movies, PEOPLE_PER_MOVIE * movies, CREDITS_PER_MOVIE)
    if not Movie.objects.filter(slug="parasite-2019").exists():
        run_import("marquee", argparse.Namespace(files=demo_files()), related=False)
    if Document.objects.count() < movies:
        started = time.perf_counter()
        last = [0.0]

        def progress(kind: str, done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 30 or done == total:
                last[0] = time.perf_counter()
                print(f"  indexing {kind}: {done:,}/{total:,}", flush=True)

        written = index.rebuild(progress)
        print(f"Indexed {written:,} documents in {time.perf_counter() - started:.0f} s.")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(run: Callable[[str], object], queries: list[str]) -> tuple[float, float]:
    for query in queries[:5]:  # warm caches and templates
        run(query)
    timings = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--movies", type=int, default=MOVIES)
    parser.add_argument("--database", help="DATABASE_URL instead of var/bench-<movies>.sqlite3")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--baseline-samples", type=int, default=40)
    args = parser.parse_args()
    pages.setup(args.database, args.movies)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    rng = random.Random(11)
    build(rng, args.movies)

    from django.db import connection
    from django.test import Client

    from marquee.catalog.models import Movie
    from marquee.people.models import Person

    client = Client()

    def page(query: str) -> None:
        assert client.get("/search/", {"q": query}).status_code == 200

    def suggest(query: str) -> None:
        assert client.get("/search/suggest/", {"q": query}).status_code == 200

    def naive(query: str) -> None:
        list(
            Movie.objects.filter(title__icontains=query).order_by(
                "-popularity", "sort_title", "year"
            )[:30]
        )
        list(Person.objects.filter(name__icontains=query).order_by("name")[:30])

    mix = [rng.choice(REAL_QUERIES) for _ in range(args.samples // 2)]
    mix += synthetic_queries(rng, args.samples - len(mix))
    rng.shuffle(mix)
    typed = [rng.choice(TYPED) for _ in range(args.samples)]
    movies = Movie.objects.count()
    print(f"\nDatabase: {connection.vendor}; {movies:,} movies, {Person.objects.count():,} people")
    # Other work on the machine slows every figure alike; the load average says how much.
    print("Load average before measuring: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"{'what':34} {'samples':>8} {'p50':>8} {'p95':>8} {'target p95':>11}")
    search_p50, search_p95 = timed(page, mix)
    print(
        f"{'search page (query mix)':34} {len(mix):>8} {search_p50:8.1f} {search_p95:8.1f} {30:>11}"
    )
    p50, p95 = timed(suggest, typed)
    print(f"{'suggestions (typed prefixes)':34} {len(typed):>8} {p50:8.1f} {p95:8.1f} {10:>11}")
    baseline_mix = mix[: args.baseline_samples]
    base_p50, base_p95 = timed(naive, baseline_mix)
    print(
        f"{'naive icontains (queries only)':34} {len(baseline_mix):>8} {base_p50:8.1f} {base_p95:8.1f}"
    )
    print("Load average after measuring: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(
        f"\nSearch page vs naive baseline: {base_p50 / search_p50:.0f}x at p50, "
        f"{base_p95 / search_p95:.0f}x at p95 (target at least {SPEEDUP_TARGET}x)."
    )


if __name__ == "__main__":
    main()
