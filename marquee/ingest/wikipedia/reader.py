"""Reader for the Wikipedia movie data collection (American films by decade, one JSON array per
file: title, year, cast, genres, href, extract, thumbnail); JSON Lines with the same objects too.

A decade's file is a few megabytes, so an array file is parsed whole (``json.load``) rather than
streamed: that keeps the project free of a streaming JSON parser for files this size. Larger
collections can be given as JSON Lines, which are streamed line by line.

The films carry no ids shared with other sources: they are matched by their Wikipedia page
(seen on an earlier import) or by title and year when only one film fits. The extract is
Wikipedia's text under CC BY-SA 4.0; the loader keeps the page link and licence with it. The
thumbnails (mostly non-free posters) are not used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marquee.ingest.files import read_lines
from marquee.ingest.records import (
    BadRow,
    CastRecord,
    IngestError,
    MovieRecord,
    PersonRecord,
    Record,
)

PAGE = "https://en.wikipedia.org/wiki/"
# Wikipedia's genre words → Marquee's genres; the others (Biography, Independent, Short, Silent,
# Sports, Teen…) describe a film's form or audience rather than its story, and are left out.
GENRES = {
    "Action": "Action",
    "Adventure": "Adventure",
    "Animated": "Animation",
    "Comedy": "Comedy",
    "Crime": "Crime",
    "Dance": "Music",
    "Documentary": "Documentary",
    "Drama": "Drama",
    "Family": "Family",
    "Fantasy": "Fantasy",
    "Found Footage": "Horror",
    "Historical": "History",
    "Horror": "Horror",
    "Martial Arts": "Action",
    "Musical": "Music",
    "Mystery": "Mystery",
    "Noir": "Crime",
    "Romance": "Romance",
    "Satire": "Comedy",
    "Science Fiction": "Science Fiction",
    "Slasher": "Horror",
    "Spy": "Thriller",
    "Superhero": "Action",
    "Supernatural": "Horror",
    "Suspense": "Thriller",
    "Thriller": "Thriller",
    "War": "War",
    "Western": "Western",
}
LETTER = re.compile(r"[^\W\d_]")
MAX_SYNOPSIS = 50_000


def read(path: Path) -> Iterator[Record]:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        for line, text in read_lines(path):
            if text.strip():
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    yield BadRow("movies", f"not valid JSON: {error.msg}", line)
                    continue
                yield from film_records(data, line)
        return
    text = "\n".join(line for _, line in read_lines(path))
    try:
        films = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(
            f"not valid JSON: {error.msg}", source=str(path), line=error.lineno
        ) from None
    if not isinstance(films, list):
        raise IngestError("expected a JSON array of films", source=str(path), line=1)
    for number, data in enumerate(films, start=1):
        # Films in an array have no line of their own: report their position instead.
        yield from film_records(data, number)


def film_records(data: Any, position: int) -> Iterator[Record]:
    if not isinstance(data, dict):
        yield BadRow("movies", "a film must be a JSON object", position)
        return
    title = data.get("title")
    href = data.get("href")
    year = data.get("year")
    if not isinstance(title, str) or not title.strip():
        yield BadRow("movies", "film without a title", position)
        return
    if not isinstance(year, int) or isinstance(year, bool) or not 1870 <= year <= 2100:
        yield BadRow("movies", f"{title}: year {year!r} is not a year", position)
        return
    page = href.strip() if isinstance(href, str) else ""
    url = PAGE + page if page else ""
    extract = data.get("extract")
    genres: list[Any] = data["genres"] if isinstance(data.get("genres"), list) else []
    cast: list[Any] = data["cast"] if isinstance(data.get("cast"), list) else []
    names = list(dict.fromkeys(name.strip() for name in cast if _is_name(name)))
    people = [
        PersonRecord(key=f"name:{name}", name=name, match_by_name=True, line=position)
        for name in names
    ]
    yield from people
    yield MovieRecord(
        key=url or f"{title.strip()} ({year})",
        source_key=(page or f"{title.strip()} ({year})")[:200],
        source_url=url,
        title=title.strip()[:500],
        year=year,
        genres=sorted({GENRES[g] for g in genres if g in GENRES}),
        synopsis=extract.strip()[:MAX_SYNOPSIS] if isinstance(extract, str) else "",
        cast=[CastRecord(person=f"name:{name}") for name in names],
        line=position,
    )


def _is_name(value: object) -> bool:
    # The collection's cast lists hold some debris (")", "and", "Franny's Feet").
    return (
        isinstance(value, str)
        and 2 <= len(value.strip()) <= 300
        and LETTER.search(value) is not None
        and value.strip().lower() not in {"and", "with", "narrator", "voice"}
    )
