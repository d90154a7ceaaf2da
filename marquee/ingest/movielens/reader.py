"""Reader for the MovieLens datasets of GroupLens (ml-latest-small, ml-25m, ml-32m layouts).

``links.csv`` gives each MovieLens film its IMDb and TMDB ids, so films already in the catalog
are found by id before any is created; ``movies.csv`` gives the rest (title, year, genres);
``tags.csv`` becomes keywords. Ratings are loaded apart, in bulk (``ratings.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from marquee.catalog.models import TitleKind
from marquee.ingest.files import read_csv
from marquee.ingest.records import AlternateTitleRecord, BadRow, MovieRecord, Record
from marquee.ingest.report import Report

MOVIES_HEADER = ["movieId", "title", "genres"]
LINKS_HEADER = ["movieId", "imdbId", "tmdbId"]
TAGS_HEADER = ["userId", "movieId", "tag", "timestamp"]
RATINGS_HEADER = ["userId", "movieId", "rating", "timestamp"]

# MovieLens genre → Marquee genre. IMAX is a screen format and "(no genres listed)" says
# nothing, so both are left out, as is any genre a newer release may add.
GENRES = {
    "Action": "Action",
    "Adventure": "Adventure",
    "Animation": "Animation",
    "Children": "Family",
    "Comedy": "Comedy",
    "Crime": "Crime",
    "Documentary": "Documentary",
    "Drama": "Drama",
    "Fantasy": "Fantasy",
    "Film-Noir": "Crime",
    "Horror": "Horror",
    "Musical": "Music",
    "Mystery": "Mystery",
    "Romance": "Romance",
    "Sci-Fi": "Science Fiction",
    "Thriller": "Thriller",
    "War": "War",
    "Western": "Western",
}
# Trailing articles as MovieLens writes them ("Matrix, The", "Cité des enfants perdus, La").
ARTICLES = {
    "The", "A", "An", "La", "Le", "Les", "L'", "Il", "El", "Los", "Las", "Lo", "Gli", "I",
    "Die", "Der", "Das", "Den", "Det", "De", "Het", "Un", "Une", "Uno", "Una", "Ein", "Eine",
    "O", "Os", "As",
}  # fmt: skip
YEAR = re.compile(r"\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)\s*$")
TRAILING_PARENS = re.compile(r"\s*\(([^()]+)\)\s*$")
AKA = re.compile(r"^(?:a\.k\.a\.|aka)\s+", re.IGNORECASE)
SPACES = re.compile(r"\s+")
TAG_LENGTH = 100
MIN_TAG_USERS = 2


def front_article(title: str) -> str:
    """'Matrix, The' → 'The Matrix'; "Homme qui aimait les femmes, L'" → "L'Homme qui…"."""
    head, sep, article = title.rpartition(", ")
    if sep and article in ARTICLES and head:
        return f"{article}{head}" if article.endswith("'") else f"{article} {head}"
    return title


def parse_title(text: str) -> tuple[str, int | None, list[str]]:
    """A MovieLens title: (title, year, alternate titles).

    'City of Lost Children, The (Cité des enfants perdus, La) (1995)' gives
    ('The City of Lost Children', 1995, ['La Cité des enfants perdus']).
    """
    text = text.strip()
    year = None
    if match := YEAR.search(text):
        year = int(match.group(1))
        text = text[: match.start()]
    alternates: list[str] = []
    # Peel alternate titles off the end, but never the whole title: "(500) Days of Summer".
    while (match := TRAILING_PARENS.search(text)) and match.start() > 0:
        alternates.insert(0, front_article(AKA.sub("", match.group(1).strip())))
        text = text[: match.start()]
    return front_article(text.strip()), year, [a for a in alternates if a]


def imdb_id(text: str) -> str:
    digits = text.strip()
    if not digits.isdigit():
        raise ValueError(f"imdbId {text!r} is not a number")
    return f"tt{int(digits):07d}"


def read_links(path: Path, report: Report) -> dict[int, tuple[str, int | None]]:
    """movieId → (IMDb id, TMDB id). Some rows have no TMDB id; that is fine."""
    links: dict[int, tuple[str, int | None]] = {}
    for line, row in read_csv(path, LINKS_HEADER):
        report.read("links")
        try:
            movie_id = int(row[0])
            tmdb = int(row[2]) if len(row) > 2 and row[2].strip() else None
            links[movie_id] = (imdb_id(row[1]) if row[1].strip() else "", tmdb or None)
        except (ValueError, IndexError) as error:
            report.bad_row("links", f"{error}", source=str(path), line=line)
    return links


def normalise_tag(tag: str) -> str:
    return SPACES.sub(" ", tag).strip().casefold()[:TAG_LENGTH].strip()


def read_tags(path: Path, report: Report, min_users: int = MIN_TAG_USERS) -> dict[int, list[str]]:
    """movieId → keywords. A tag becomes a keyword only once ``min_users`` different users
    have used it (on any film): one person's notes ("in netflix queue", "seen 2019") stay out,
    the shared vocabulary ("dystopia", "twist ending") comes in. Two passes, so only the
    tags that qualify are ever held per film."""
    users: dict[str, set[int]] = defaultdict(set)
    for line, row in read_csv(path, TAGS_HEADER):
        try:
            users[normalise_tag(row[2])].add(int(row[0]))
        except (ValueError, IndexError):
            report.bad_row("tags", f"not a tag row: {row!r}"[:200], source=str(path), line=line)
    shared = {tag for tag, who in users.items() if tag and len(who) >= min_users}
    users.clear()
    tags: dict[int, set[str]] = defaultdict(set)
    for _, row in read_csv(path, TAGS_HEADER, progress=False):
        if len(row) < 3 or not row[1].strip().isdigit():
            continue  # counted in the first pass
        report.read("tags")
        tag = normalise_tag(row[2])
        if tag in shared:
            tags[int(row[1])].add(tag)
        else:
            report.skip("tags", f"used by fewer than {min_users} users")
    return {movie: sorted(found) for movie, found in tags.items()}


def read_movies(
    path: Path, links: dict[int, tuple[str, int | None]], tags: dict[int, list[str]]
) -> Iterator[Record]:
    for line, row in read_csv(path, MOVIES_HEADER):
        if len(row) != 3 or not row[0].strip().isdigit():
            yield BadRow("movies", f"expected movieId,title,genres, found {row!r}"[:200], line)
            continue
        movie_id = int(row[0])
        title, year, alternates = parse_title(row[1])
        if not title:
            yield BadRow("movies", f"movie {movie_id} has no title", line)
            continue
        imdb, tmdb = links.get(movie_id, ("", None))
        yield MovieRecord(
            key=f"ml{movie_id}",
            source_key=str(movie_id),
            source_url=f"https://movielens.org/movies/{movie_id}",
            title=title,
            year=year if year and 1870 <= year <= 2100 else None,
            genres=sorted({GENRES[g] for g in row[2].split("|") if g in GENRES}),
            keywords=tags.get(movie_id, []),
            alternate_titles=[
                AlternateTitleRecord(title=alt[:500], kind=TitleKind.OTHER)
                for alt in dict.fromkeys(alternates)
                if alt != title
            ],
            imdb_id=imdb,
            tmdb_id=tmdb,
            movielens_id=movie_id,
            line=line,
        )
