"""Reader for TMDB data: the TMDB 5000 pair of CSV files (JSON inside some columns) and movie
objects from TMDB's API v3 saved one per line (``marquee fetch tmdb`` writes those).

Both become the same records. The credits file of TMDB 5000 has no years, so it only adds
cast and crew to films found by TMDB id (from its movies file, or earlier imports).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from marquee.catalog import codes
from marquee.catalog.models import ReleaseKind, TitleKind
from marquee.ingest.files import read_csv, read_lines
from marquee.ingest.records import (
    AlternateTitleRecord,
    BadRow,
    BoxOfficeRecord,
    CastRecord,
    CrewRecord,
    IngestError,
    MovieRecord,
    PersonRecord,
    Record,
    ReleaseRecord,
    SkippedRow,
)

MOVIES_HEADER = ["budget", "genres", "homepage", "id", "keywords", "original_language"]
CREDITS_HEADER = ["movie_id", "title", "cast", "crew"]
JSON_COLUMNS = ("genres", "keywords", "production_countries", "spoken_languages")
# TMDB's genres are Marquee's, but for two that describe a release, not a story.
GENRES = {
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "Thriller",
    "War", "Western",
}  # fmt: skip
RELEASE_TYPES = {
    1: ReleaseKind.PREMIERE,
    2: ReleaseKind.LIMITED,
    3: ReleaseKind.THEATRICAL,
    4: ReleaseKind.DIGITAL,
    5: ReleaseKind.PHYSICAL,
    6: ReleaseKind.TV,
}
THEATRICAL = 3


class RowError(ValueError):
    pass


@lru_cache(maxsize=1024)
def is_country(code: str) -> bool:
    return codes.is_country(code)


@lru_cache(maxsize=1024)
def is_language(code: str) -> bool:
    return code != "xx" and codes.is_language(code)  # "xx": TMDB's "no language"


def kind_of(path: Path) -> str:
    """ "movies", "credits" or "api", from the file's name or its first line."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "api"
    for _, line in read_lines(path, progress=False):
        columns = [c.strip().lstrip("\ufeff") for c in line.split(",")]
        if columns[: len(MOVIES_HEADER)] == MOVIES_HEADER:
            return "movies"
        if columns[: len(CREDITS_HEADER)] == CREDITS_HEADER:
            return "credits"
        break
    raise IngestError(
        "wrong header: expected TMDB 5000's tmdb_5000_movies.csv or tmdb_5000_credits.csv "
        "(or API objects in a .jsonl file)",
        source=str(path),
        line=1,
    )


def read(path: Path) -> Iterator[Record]:
    kind = kind_of(path)
    if kind == "movies":
        yield from read_movies_csv(path)
    elif kind == "credits":
        yield from read_credits_csv(path)
    else:
        yield from read_api_objects(path)


def read_movies_csv(path: Path) -> Iterator[Record]:
    header: list[str] = []
    for line, row in read_csv(path):
        if not header:
            header = [c.strip().lstrip("\ufeff") for c in row]
            continue
        if len(row) != len(header):
            yield BadRow("movies", f"{len(row)} columns, expected {len(header)}", line)
            continue
        data: dict[str, Any] = dict(zip(header, row, strict=True))
        try:
            for column in JSON_COLUMNS:
                data[column] = _json(data.get(column), column)
            data["keywords"] = {"keywords": data["keywords"]}
            yield from movie_records(data, line)
        except RowError as error:
            yield BadRow("movies", str(error), line)


def read_credits_csv(path: Path) -> Iterator[Record]:
    for line, row in read_csv(path, CREDITS_HEADER):
        if len(row) != len(CREDITS_HEADER):
            yield BadRow("credits", f"{len(row)} columns, expected 4", line)
            continue
        try:
            data = {
                "id": row[0],
                "title": row[1],
                "credits": {"cast": _json(row[2], "cast"), "crew": _json(row[3], "crew")},
            }
            people, record = credit_records(data, line)
        except RowError as error:
            yield BadRow("credits", str(error), line)
            continue
        record.create = False  # no year here: only films found by id get credits
        record.tally = "credits"
        yield from people
        yield record


def read_api_objects(path: Path) -> Iterator[Record]:
    for line, text in read_lines(path):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield BadRow("movies", f"not valid JSON: {error.msg}", line)
            continue
        if not isinstance(data, dict):
            yield BadRow("movies", "a line must hold one TMDB movie object", line)
            continue
        if data.get("adult") is True:
            yield SkippedRow("movies", "adult title", line)
            continue
        try:
            yield from movie_records(data, line)
        except RowError as error:
            yield BadRow("movies", str(error), line)


def movie_records(data: dict[str, Any], line: int) -> Iterator[Record]:
    """A TMDB movie object (the API's, or a TMDB 5000 row decoded to the same shape) as the
    people in its credits followed by the movie."""
    people, record = credit_records(data, line)
    title = _str(data, "title", 500) or _str(data, "original_title", 500)
    if not title:
        raise RowError(f"movie {record.tmdb_id} has no title")
    record.title = title
    record.original_title = _str(data, "original_title", 500)
    released = _date(data.get("release_date"))
    record.year = released.year if released and 1870 <= released.year <= 2100 else None
    record.runtime = _positive(data.get("runtime"), "runtime", high=6000)
    record.tagline = _str(data, "tagline", 300)
    record.synopsis = _str(data, "overview", 50_000)
    record.budget = _positive(data.get("budget"), "budget")  # 0 means unknown
    record.budget_currency = "USD" if record.budget else ""
    revenue = _positive(data.get("revenue"), "revenue")
    if revenue:
        record.box_office = [BoxOfficeRecord("gross", "", revenue, "USD")]
    language = _str(data, "original_language", 3).lower()
    record.original_language = language if is_language(language) else ""
    record.genres = sorted({g["name"] for g in _list(data, "genres") if g.get("name") in GENRES})
    keywords = data.get("keywords") or {}
    record.keywords = sorted(
        {
            str(k["name"]).strip().lower()[:100]
            for k in (keywords.get("keywords") or [] if isinstance(keywords, dict) else [])
            if isinstance(k, dict) and str(k.get("name") or "").strip()
        }
    )
    record.countries = [
        c["iso_3166_1"].upper()
        for c in _list(data, "production_countries")
        if is_country(str(c.get("iso_3166_1", "")))
    ]
    record.spoken_languages = sorted(
        {
            str(s["iso_639_1"]).lower()
            for s in _list(data, "spoken_languages")
            if is_language(str(s.get("iso_639_1", "")).lower())
        }
    )
    external = data.get("external_ids") if isinstance(data.get("external_ids"), dict) else {}
    imdb = str(data.get("imdb_id") or (external or {}).get("imdb_id") or "")
    record.imdb_id = imdb if imdb.startswith("tt") and imdb[2:].isdigit() else ""
    wikidata = str((external or {}).get("wikidata_id") or "")
    record.wikidata_id = wikidata if wikidata.startswith("Q") and wikidata[1:].isdigit() else ""
    record.release_dates, record.certifications = _releases(data.get("release_dates"))
    record.alternate_titles = _alternate_titles(data.get("alternative_titles"), title)
    votes = _positive(data.get("vote_count"), "vote_count")
    if votes:
        try:
            average = round(float(data.get("vote_average") or 0), 2)
        except (TypeError, ValueError):
            raise RowError(f"vote_average {data.get('vote_average')!r} is not a number") from None
        if 0 <= average <= 10:
            record.external_rating = (average, votes)
    yield from people
    yield record


def credit_records(data: dict[str, Any], line: int) -> tuple[list[PersonRecord], MovieRecord]:
    tmdb_id = _positive(data.get("id"), "id")
    if not tmdb_id:
        raise RowError(f"id {data.get('id')!r} is not a TMDB id")
    record = MovieRecord(
        key=f"tmdb{tmdb_id}",
        source_key=str(tmdb_id),
        source_url=f"https://www.themoviedb.org/movie/{tmdb_id}",
        title=_str(data, "title", 500),
        tmdb_id=tmdb_id,
        line=line,
    )
    people: dict[str, PersonRecord] = {}
    credits = data.get("credits") if isinstance(data.get("credits"), dict) else {}
    cast = sorted(_list(credits or {}, "cast"), key=lambda c: _order(c.get("order")))
    for item in cast:
        if person := _person(item, line, people):
            record.cast.append(CastRecord(person, _str(item, "character", 500)))
    seen_jobs: set[tuple[str, str, str]] = set()
    for item in _list(credits or {}, "crew"):
        person = _person(item, line, people)
        job = (person or "", _str(item, "department", 40), _str(item, "job", 100))
        if person and job[1] and job[2] and job not in seen_jobs:
            seen_jobs.add(job)
            record.crew.append(CrewRecord(person, job[1], job[2]))
    return list(people.values()), record


def _person(item: dict[str, Any], line: int, people: dict[str, PersonRecord]) -> str | None:
    person_id = item.get("id")
    name = _str(item, "name", 300)
    if not isinstance(person_id, int) or person_id < 1 or not name:
        return None
    key = f"tmdb{person_id}"
    people.setdefault(key, PersonRecord(key=key, name=name, tmdb_id=person_id, line=line))
    return key


def _releases(
    value: object,
) -> tuple[list[ReleaseRecord], list[tuple[str, str]]]:
    dates: set[tuple[str, date, str]] = set()
    ratings: dict[str, str] = {}
    results = value.get("results") if isinstance(value, dict) else None
    for country in results if isinstance(results, list) else []:
        code = str(country.get("iso_3166_1") or "").upper() if isinstance(country, dict) else ""
        if not is_country(code):
            continue
        entries = country.get("release_dates") or []
        # The theatrical release's rating first: that is the one a country knows the film by.
        for entry in sorted(entries, key=lambda e: e.get("type") != THEATRICAL):
            kind = RELEASE_TYPES.get(entry.get("type"))
            when = _date(str(entry.get("release_date") or "")[:10])
            if kind and when:
                dates.add((code, when, kind))
            rating = str(entry.get("certification") or "").strip()[:20]
            if rating:
                ratings.setdefault(code, rating)
    return [ReleaseRecord(c, d, k) for c, d, k in sorted(dates)], sorted(ratings.items())


def _alternate_titles(value: object, title: str) -> list[AlternateTitleRecord]:
    titles = value.get("titles") if isinstance(value, dict) else None
    found: dict[tuple[str, str], AlternateTitleRecord] = {}
    for item in titles if isinstance(titles, list) else []:
        text = _str(item, "title", 500) if isinstance(item, dict) else ""
        region = str(item.get("iso_3166_1") or "").upper() if text else ""
        if not text or text == title:
            continue
        kind = TitleKind.WORKING if "working" in str(item.get("type") or "").lower() else None
        found.setdefault(
            (text, region),
            AlternateTitleRecord(
                title=text,
                region=region if is_country(region) else "",
                kind=kind or TitleKind.OTHER,
            ),
        )
    return list(found.values())


def _json(text: str | None, column: str) -> Any:
    if not text:
        return []
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RowError(f"{column}: not valid JSON ({error.msg})") from None


def _list(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise RowError(f"{name} must be a list")
    return [item for item in value if isinstance(item, dict)]


def _str(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _positive(value: object, name: str, high: int | None = None) -> int | None:
    """A positive whole number; 0 and empty mean unknown (TMDB writes 0 for both)."""
    if value is None or value == "":
        return None
    try:
        number = int(float(value)) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise RowError(f"{name} {value!r} is not a number") from None
    if number < 0 or (high is not None and number > high):
        raise RowError(f"{name}={number} is out of range")
    return number or None


def _order(value: object) -> int:
    return value if isinstance(value, int) else 1_000_000


def _date(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
