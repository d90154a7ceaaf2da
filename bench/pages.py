"""Server time of the busiest pages on a synthetic catalog of 100,000 movies, 300,000 people
and 1,500,000 credits, on SQLite by default.

    uv run python bench/pages.py                 # builds var/bench.sqlite3 once, then measures
    uv run python bench/pages.py --rebuild       # throws the synthetic catalog away first
    uv run python bench/pages.py --movies 1000000   # another scale, in its own file
    DATABASE_URL=postgres://… uv run python bench/pages.py

Prints p50/p95 per page in milliseconds, measured in-process with Django's test client, so the
figure is Marquee's own time (URL routing, queries, templates) without network or server. It never
fails: the targets are printed next to the figures for a person to judge.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MOVIES = 100_000
PEOPLE = 300_000
CREDITS_PER_MOVIE = 15  # 1.5 million in all
BATCH = 20_000
SAMPLES = 300
TARGETS_MS = {
    "movie page": 15,
    "movies list (filtered, deep page)": 25,
    "person page": 25,
    "year page (deep page)": 25,
    "country page (by popularity)": 25,
    "genre + language (newest)": 25,
    "movies list (page past the count)": 25,
    "filmography (busiest, paged)": 25,
}

WORDS = [
    "night",
    "day",
    "river",
    "city",
    "last",
    "first",
    "secret",
    "silent",
    "red",
    "blue",
    "iron",
    "glass",
    "house",
    "road",
    "winter",
    "summer",
    "king",
    "queen",
    "father",
    "daughter",
    "mother",
    "son",
    "prison",
    "miracle",
    "cell",
    "letter",
    "dream",
    "war",
    "peace",
    "ghost",
    "island",
    "storm",
    "heart",
    "shadow",
    "light",
    "garden",
    "train",
    "star",
    "moon",
    "sea",
    "mountain",
    "song",
    "dance",
    "return",
    "escape",
    "promise",
]
GENRES = [
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "Thriller",
    "War", "Western",
]  # fmt: skip
COUNTRIES = [
    "US",
    "GB",
    "FR",
    "DE",
    "IT",
    "ES",
    "JP",
    "KR",
    "IN",
    "CN",
    "BR",
    "MX",
    "TR",
    "IR",
    "SE",
    "DK",
    "PH",
    "ID",
    "NG",
    "EG",
]
LANGUAGES = [
    "en",
    "fr",
    "de",
    "it",
    "es",
    "ja",
    "ko",
    "hi",
    "zh",
    "pt",
    "tr",
    "fa",
    "sv",
    "da",
    "tl",
    "id",
    "ar",
]


def setup(database: str | None, movies: int = MOVIES) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marquee.settings")
    if database:
        os.environ["DATABASE_URL"] = database
    elif "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{database_file(movies)}"
    import django

    django.setup()


def database_file(movies: int) -> Path:
    """One SQLite file per scale, so a large catalog is built once and kept."""
    name = "bench.sqlite3" if movies == MOVIES else f"bench-{movies}.sqlite3"
    return ROOT / "var" / name


def build(
    rng: random.Random,
    movies: int = MOVIES,
    people: int = PEOPLE,
    credits_per_movie: int = CREDITS_PER_MOVIE,
) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from marquee.catalog import codes
    from marquee.catalog.models import Movie, copy_sort_keys

    call_command("migrate", verbosity=0)
    if Movie.objects.exists():
        print(f"Using the existing synthetic catalog ({Movie.objects.count():,} movies).")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO catalog_genre (name, slug) VALUES (%s, %s)",
            [(name, name.lower().replace(" ", "-")) for name in GENRES],
        )
        cursor.executemany(
            "INSERT INTO catalog_country (code, name) VALUES (%s, %s)",
            [(code, codes.country_name(code)) for code in COUNTRIES],
        )
        cursor.executemany(
            "INSERT INTO catalog_language (code, name) VALUES (%s, %s)",
            [(code, codes.language_name(code)) for code in LANGUAGES],
        )
        genre_ids = [row[0] for row in cursor.execute("SELECT id FROM catalog_genre").fetchall()]
        now = "2026-11-25 00:00:00"
        for start in range(0, movies, BATCH):
            rows = []
            for n in range(start, min(start + BATCH, movies)):
                title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title()
                year = rng.randint(1920, 2025)
                rated = rng.random() < 0.6
                rows.append((
                    title, "", title.lower(), f"movie-{n}", year, rng.randint(70, 180),
                    rng.choice(LANGUAGES), "", f"A synthetic film about {title.lower()}.", "", "", "",
                    "", "", "", "",
                    rng.uniform(2, 10) if rated else None, rng.randint(1, 5000) if rated else 0,
                    rng.paretovariate(1.5), False, now, now,
                ))  # fmt: skip
            cursor.executemany(
                "INSERT INTO catalog_movie (title, original_title, sort_title, slug, year, runtime,"
                " original_language_id, tagline, synopsis, plot, background, reception,"
                " budget_currency, imdb_id, wikidata_id, poster, rating_average, rating_count,"
                " popularity, is_featured, created_at, updated_at, rating_histogram, review_count)"
                " VALUES (" + ", ".join(["%s"] * 22) + ", '[]', 0)",
                rows,
            )
        movie_ids = [row[0] for row in cursor.execute("SELECT id FROM catalog_movie").fetchall()]
        cursor.executemany(
            "INSERT INTO catalog_moviegenre (movie_id, genre_id, sort_title, rating_count, popularity)"
            " VALUES (%s, %s, '', 0, 0)",
            [(m, g) for m in movie_ids for g in rng.sample(genre_ids, rng.randint(1, 3))],
        )
        cursor.executemany(
            "INSERT INTO catalog_moviecountry (movie_id, country_id, position, sort_title,"
            " rating_count, popularity) VALUES (%s, %s, %s, '', 0, 0)",
            [
                (m, c, i)
                for m in movie_ids
                for i, c in enumerate(rng.sample(COUNTRIES, rng.randint(1, 2)))
            ],
        )
        for start in range(0, people, BATCH):
            cursor.executemany(
                "INSERT INTO people_person (name, original_name, slug, biography, photo, imdb_id,"
                " wikidata_id, created_at, updated_at) VALUES (%s, '', %s, '', '', '', '', %s, %s)",
                [
                    (
                        f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}",
                        f"person-{n}",
                        now,
                        now,
                    )
                    for n in range(start, min(start + BATCH, people))
                ],
            )
        person_ids = [row[0] for row in cursor.execute("SELECT id FROM people_person").fetchall()]
        # A few people work a lot (long careers), most appear a handful of times.
        cumulative = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(person_ids))))
        credits = []
        for movie_id in movie_ids:
            chosen = set(rng.choices(person_ids, cum_weights=cumulative, k=credits_per_movie))
            for order, person_id in enumerate(chosen):
                if order < 3:
                    job = ("Director", "Screenplay", "Original Music Composer")[order]
                    credits.append((movie_id, person_id, "crew", "", "Directing", job, order))
                else:
                    credits.append(
                        (movie_id, person_id, "cast", f"Role {order}", "", "", order - 3)
                    )
            if len(credits) >= BATCH:
                cursor.executemany(
                    "INSERT INTO people_credit (movie_id, person_id, kind, character, department, job,"
                    ' "order", popularity) VALUES (%s, %s, %s, %s, %s, %s, %s, 0)',
                    credits,
                )
                credits = []
        cursor.executemany(
            "INSERT INTO people_credit (movie_id, person_id, kind, character, department, job,"
            ' "order", popularity) VALUES (%s, %s, %s, %s, %s, %s, %s, 0)',
            credits,
        )
    copy_sort_keys()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Built the synthetic catalog in {time.perf_counter() - started:.0f} s.")


def build_related() -> None:
    from marquee.related.models import RelatedMovie
    from marquee.related.rebuild import rebuild_related

    if RelatedMovie.objects.exists():
        return
    started = time.perf_counter()
    rows = rebuild_related()
    print(f"Related movies rebuilt: {rows:,} rows in {time.perf_counter() - started:.0f} s.")
    from django.db import connection

    if connection.vendor == "sqlite":
        # Fold the write-ahead log into the database, as a long-running site's checkpoints
        # would have done, so reads are measured on the settled file.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def measure(name: str, urls: list[str]) -> tuple[float, float, int]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in urls[:10]:  # warm caches and templates
        client.get(url)
    timings = []
    queries = 0
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(captured))
        reset_queries()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return statistics.median(timings), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="start from an empty database")
    parser.add_argument("--database", help="DATABASE_URL to use instead of var/bench.sqlite3")
    parser.add_argument(
        "--movies", type=int, default=MOVIES, help="catalog size; people are three times as many"
    )
    parser.add_argument(
        "--no-related",
        action="store_true",
        help="skip rebuilding related movies (hours at a million titles); movie pages then lack them",
    )
    args = parser.parse_args()
    movies, people_count = args.movies, 3 * args.movies
    if args.rebuild and not args.database:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_file(movies)}{suffix}").unlink(missing_ok=True)
    setup(args.database, movies)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    rng = random.Random(7)
    build(rng, movies, people_count)  # does nothing when the file holds a catalog already
    if not args.no_related:
        build_related()

    from django.db.models import Count

    from marquee.catalog.models import Genre
    from marquee.people.models import Person

    # The catalog may come from bench/search.py, which builds fewer people per movie.
    people_count = Person.objects.filter(slug__startswith="person-").count()

    slugs = [f"movie-{rng.randrange(movies)}" for _ in range(SAMPLES)]
    genres = list(Genre.objects.values_list("slug", flat=True))
    lists = [
        f"/movies/?genre={rng.choice(genres)}&year_from={rng.randint(1920, 1990)}"
        f"&sort={rng.choice(['year', 'rating', 'title', 'popularity'])}&page={rng.randint(20, 60)}"
        for _ in range(SAMPLES)
    ]
    # 5% of the person pages are the busiest careers (thousands of credits), so p95 sees them.
    busiest = list(
        Person.objects.annotate(n=Count("credits"))
        .order_by("-n")
        .values_list("slug", flat=True)[: SAMPLES // 20]
    )
    people = busiest + [
        f"person-{rng.randrange(people_count)}" for _ in range(SAMPLES - len(busiest))
    ]

    from django.db import connection

    print(f"\nDatabase: {connection.vendor}; {SAMPLES} requests per page; times in ms")
    print(f"{'page':38} {'p50':>7} {'p95':>7} {'target p95':>11} {'queries':>8}")
    countries = [code.lower() for code in COUNTRIES]
    years = [f"/years/{rng.randint(1925, 2020)}/?page={rng.randint(2, 30)}" for _ in range(SAMPLES)]
    by_country = [
        f"/countries/{rng.choice(countries)}/?sort=popularity&page={rng.randint(1, 100)}"
        for _ in range(SAMPLES)
    ]
    with_language = [
        f"/genres/{rng.choice(genres)}/?language={rng.choice(LANGUAGES)}&sort=year"
        f"&page={rng.randint(1, 5)}"
        for _ in range(SAMPLES)
    ]
    too_deep = [f"/movies/?page={rng.randint(1_000, 40_000)}" for _ in range(SAMPLES)]
    from django.utils.text import slugify

    from marquee.people.models import Credit

    def main_role(slug: str) -> str:
        kind, job = (
            Credit.objects.filter(person__slug=slug)
            .values_list("kind", "job")
            .annotate(n=Count("id"))
            .order_by("-n")[0][:2]
        )
        return "acting" if kind == "cast" else slugify(job)

    careers = [(slug, main_role(slug)) for slug in busiest[:5]]
    filmographies = []
    for _ in range(SAMPLES):
        slug, role = rng.choice(careers)
        filmographies.append(f"/people/{slug}/{role}/?page={rng.randint(1, 10)}")
    for name, urls in (
        ("movie page", [f"/movies/{slug}/" for slug in slugs]),
        ("movies list (filtered, deep page)", lists),
        ("person page", [f"/people/{slug}/" for slug in people]),
        ("year page (deep page)", years),
        ("country page (by popularity)", by_country),
        ("genre + language (newest)", with_language),
        ("movies list (page past the count)", too_deep),
        ("filmography (busiest, paged)", filmographies),
    ):
        p50, p95, queries = measure(name, urls)
        print(f"{name:38} {p50:7.1f} {p95:7.1f} {TARGETS_MS[name]:>11} {queries:>8}")


if __name__ == "__main__":
    main()
