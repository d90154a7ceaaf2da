"""A synthetic MovieLens release in the ml-25m layout, for benchmarks: movies.csv, links.csv,
ratings.csv and tags.csv at a chosen number of ratings.

    uv run python bench/gen_movielens.py var/ml-synthetic --ratings 5000000

The proportions follow ml-25m (25,000,095 ratings of 62,423 films by 162,541 users, 1,093,360
tags): one film per 400 ratings, one user per 154, one tag per 23. Ratings are sorted by user and,
within a user, by film, as GroupLens writes them; a few films are far more rated than the rest.
Titles have MovieLens's quirks: trailing articles ("Matrix, The"), an alternate title in
parentheses, quotes around titles with commas, the year at the end (missing on a few). Seeded,
so the same size always gives the same files. Rows are written as they are made: memory stays
small whatever the size.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from pathlib import Path

RATINGS_PER_FILM = 400
RATINGS_PER_USER = 154
RATINGS_PER_TAG = 23
WRITE_BATCH = 10_000  # lines joined per write
GENRES = [
    "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi",
    "Thriller", "War", "Western",
]  # fmt: skip
WORDS = [
    "night", "day", "river", "city", "last", "first", "house", "blood", "summer", "winter",
    "love", "war", "ghost", "road", "king", "mother", "father", "secret", "island", "story",
    "dream", "star", "heart", "lady", "man", "return", "garden", "silent", "dark", "golden",
]  # fmt: skip
FOREIGN = [
    "étoile", "cœur", "señor", "größe", "søster", "ночь", "город", "夜", "城市", "밤", "도시", "よる",
    "まち",
]  # fmt: skip
ARTICLES = ["The", "A", "La", "Le", "Die", "El"]
TAGS = [
    "dystopia", "twist ending", "based on a book", "atmospheric", "funny", "time travel",
    "visually appealing", "dark comedy", "classic", "quirky", "sci-fi", "thought-provoking",
    "great soundtrack", "slow", "surreal",
]  # fmt: skip


def title(rng: random.Random, film: int) -> str:
    words = rng.sample(WORDS, rng.randint(1, 4))
    text = " ".join(words).title() + ("" if film % 7 else f" {film % 100}")
    if rng.random() < 0.15:
        text = f"{text}, {rng.choice(ARTICLES)}"  # MovieLens puts the article last
    if rng.random() < 0.1:
        text += f" ({' '.join(rng.sample(FOREIGN, 2))})"
    if rng.random() < 0.98:
        text += f" ({rng.randint(1915, 2023)})"
    return f'"{text}"' if "," in text else text


def csv_field(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def movies(rng: random.Random, films: int) -> Iterator[str]:
    yield "movieId,title,genres"
    for film in range(1, films + 1):
        genres = "|".join(sorted(rng.sample(GENRES, rng.randint(1, 3))))
        yield f"{film},{title(rng, film)},{genres if film % 50 else '(no genres listed)'}"


def links(rng: random.Random, films: int) -> Iterator[str]:
    yield "movieId,imdbId,tmdbId"
    for film in range(1, films + 1):
        tmdb = "" if film % 200 == 0 else str(100_000 + film)  # a few have no TMDB id
        yield f"{film},{1_000_000 + film:07d},{tmdb}"


def popular_film(rng: random.Random, films: int) -> int:
    """A film id, the low ids far more often: a few films have most of the ratings."""
    return int(films * rng.random() ** 3) + 1


def ratings(rng: random.Random, total: int, films: int) -> Iterator[str]:
    yield "userId,movieId,rating,timestamp"
    written, user = 0, 0
    while written < total:
        user += 1
        # Users rate from 20 films to many hundreds; the mean is near RATINGS_PER_USER.
        wanted = min(int(20 + rng.expovariate(1 / (RATINGS_PER_USER - 20))), total - written)
        rated = sorted({popular_film(rng, films) for _ in range(wanted)})
        start = rng.randint(820_000_000, 1_690_000_000)  # 1995 to 2023
        for film in rated:
            stars = min(10, max(1, round(rng.gauss(7, 2))))
            yield f"{user},{film},{stars / 2:.1f},{start + rng.randint(0, 90_000_000)}"
        written += len(rated)


def tags(rng: random.Random, count: int, films: int, users: int) -> Iterator[str]:
    yield "userId,movieId,tag,timestamp"
    for user in sorted(rng.randint(1, users) for _ in range(count)):
        tag = rng.choice(TAGS) if rng.random() < 0.8 else f"note {rng.randint(1, 10**6)}"
        film = popular_film(rng, films)
        yield f"{user},{film},{csv_field(tag)},{rng.randint(1_137_000_000, 1_690_000_000)}"


def write(path: Path, lines: Iterator[str]) -> int:
    count = -1  # the header is no row
    with path.open("w", encoding="utf-8", newline="") as out:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) >= WRITE_BATCH:
                out.write("\n".join(batch) + "\n")
                count += len(batch)
                batch.clear()
        out.write("\n".join(batch) + "\n" if batch else "")
        count += len(batch)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=25)
    options = parser.parse_args()
    total: int = options.ratings
    films = max(100, total // RATINGS_PER_FILM)
    users = max(1, total // RATINGS_PER_USER)
    options.directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = random.Random(options.seed)
    for name, lines in (
        ("movies", movies(rng, films)),
        ("links", links(rng, films)),
        ("ratings", ratings(rng, total, films)),
        ("tags", tags(rng, max(10, total // RATINGS_PER_TAG), films, users)),
    ):
        rows = write(options.directory / f"{name}.csv", lines)
        print(f"{name}.csv: {rows:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
