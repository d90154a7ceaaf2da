"""Reader for Marquee's own interchange format (docs/data-format.md): JSON Lines, version 1.

Streams the file line by line and yields validated records. A line that breaks the rules is
yielded as a ``BadRow`` (counted and reported with its line, the rest of the file is read); a
file that is not this format at all (no header, another version) raises ``IngestError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from marquee.catalog import codes
from marquee.catalog.models import RelationKind, ReleaseKind, TitleKind
from marquee.ingest.files import read_lines
from marquee.ingest.loader import LISTS
from marquee.ingest.models import Source
from marquee.ingest.records import (
    AlternateTitleRecord,
    BadRow,
    BoxOfficeRecord,
    CastRecord,
    CrewRecord,
    IngestError,
    MilestoneRecord,
    MovieRecord,
    OfferRecord,
    PersonRecord,
    ProviderRecord,
    Record,
    ReleaseRecord,
    SourceRecord,
)
from marquee.people.models import Person
from marquee.watch.models import OfferKind

FORMAT = "marquee"
VERSIONS = {1}
GENRES = {
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction", "Thriller",
    "War", "Western",
}  # fmt: skip
# A slug as Django's SlugField accepts it (lowercase hyphenated words by convention), so any
# catalog an editor built can be exported and read back.
KEY = re.compile(r"^[-a-zA-Z0-9_]+$")
IMDB_TITLE = re.compile(r"^tt\d{7,10}$")
IMDB_NAME = re.compile(r"^nm\d{7,10}$")
WIKIDATA = re.compile(r"^Q\d+$")
MAX_TEXT = 50_000
# What an editor may hold: a film's lists (MovieEdit), a person's fields (PersonEdit).
EDITED_LISTS = frozenset((*LISTS, "offers"))
PERSON_FIELDS = frozenset(
    f.name for f in Person._meta.concrete_fields if f.editable and not f.primary_key
)
PRICE = re.compile(r"^\d{1,6}(?:\.\d{1,2})?$")


class RecordError(ValueError):
    """A rule broken inside one record; the reader adds file and line."""


def read(path: Path) -> Iterator[Record]:
    source = str(path)
    header_seen = False
    for number, line in read_lines(path):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            if not header_seen:
                raise IngestError(
                    f"not a Marquee file: {error.msg}", source=source, line=number
                ) from None
            yield BadRow("records", f"not valid JSON: {error.msg}", number)
            continue
        if not header_seen:
            if not isinstance(data, dict):
                raise IngestError("not a Marquee file: no header", source=source, line=number)
            try:
                check_header(data)
            except RecordError as error:
                raise IngestError(str(error), source=source, line=number) from None
            header_seen = True
            continue
        if not isinstance(data, dict):
            yield BadRow("records", "a line must hold a JSON object", number)
            continue
        try:
            yield parse_record(data, number)
        except RecordError as error:
            kind = {"person": "people", "movie": "movies", "provider": "providers"}
            yield BadRow(kind.get(str(data.get("type")), "records"), str(error), number)
    if not header_seen:
        raise IngestError("empty file: no header line", source=source)


def check_header(data: dict[str, Any]) -> None:
    if data.get("format") != FORMAT:
        raise RecordError('the first line must be the header {"format": "marquee", "version": 1}')
    if data.get("version") not in VERSIONS:
        raise RecordError(
            f"format version {data.get('version')!r} is not supported (this Marquee reads 1)"
        )


def parse_record(data: dict[str, Any], line: int) -> PersonRecord | MovieRecord | ProviderRecord:
    kind = data.get("type")
    if kind == "person":
        return parse_person(data, line)
    if kind == "movie":
        return parse_movie(data, line)
    if kind == "provider":
        return ProviderRecord(
            name=_text(data, "name", required=True, limit=100),
            homepage=_url(data, "homepage"),
            line=line,
        )
    raise RecordError(f'unknown record type {kind!r}; expected "person", "movie" or "provider"')


def parse_person(data: dict[str, Any], line: int) -> PersonRecord:
    ids = _object(data, "ids")
    birth, death = _date(data, "birth_date"), _date(data, "death_date")
    if birth and death and death < birth:
        raise RecordError("death_date is before birth_date")
    return PersonRecord(
        key=_key(data),
        name=_text(data, "name", required=True, limit=300),
        original_name=_text(data, "original_name", limit=300),
        birth_date=birth,
        death_date=death,
        biography=_text(data, "biography"),
        imdb_id=_pattern(ids, "imdb", IMDB_NAME, "an IMDb name id like nm0000001"),
        tmdb_id=_int(ids, "tmdb", low=1),
        wikidata_id=_pattern(ids, "wikidata", WIKIDATA, "a Wikidata id like Q42"),
        line=line,
        edited=_edited(data, PERSON_FIELDS),
    )


def parse_movie(data: dict[str, Any], line: int) -> MovieRecord:
    ids = _object(data, "ids")
    budget = _object(data, "budget")
    record = MovieRecord(
        key=_key(data),
        title=_text(data, "title", required=True, limit=500),
        original_title=_text(data, "original_title", limit=500),
        sort_title=_text(data, "sort_title", limit=500),
        year=_int(data, "year", low=1870, high=2100),
        runtime=_int(data, "runtime", low=1, high=6000),
        tagline=_text(data, "tagline", limit=300),
        synopsis=_text(data, "synopsis"),
        plot=_text(data, "plot"),
        background=_text(data, "background"),
        reception=_text(data, "reception"),
        imdb_id=_pattern(ids, "imdb", IMDB_TITLE, "an IMDb title id like tt0111161"),
        tmdb_id=_int(ids, "tmdb", low=1),
        wikidata_id=_pattern(ids, "wikidata", WIKIDATA, "a Wikidata id like Q42"),
        movielens_id=_int(ids, "movielens", low=1),
        line=line,
    )
    for genre in _strings(data, "genres"):
        if genre not in GENRES:
            raise RecordError(f"unknown genre {genre!r}; see docs/data-format.md for the list")
        record.genres.append(genre)
    record.keywords = [word.strip().lower() for word in _strings(data, "keywords") if word.strip()]
    record.countries = [_country(code, "countries") for code in _strings(data, "countries")]
    if code := _text(data, "original_language", limit=3):
        record.original_language = _language(code, "original_language")
    record.spoken_languages = [
        _language(code, "spoken_languages") for code in _strings(data, "spoken_languages")
    ]
    if budget:
        record.budget = _int(budget, "amount", low=0)
        record.budget_currency = _currency(budget, "budget")
    for item in _objects(data, "release_dates"):
        kind = _text(item, "kind") or ReleaseKind.THEATRICAL
        if kind not in ReleaseKind.values:
            raise RecordError(f"release_dates: unknown kind {kind!r}")
        when = _date(item, "date")
        if when is None:
            raise RecordError("release_dates: every entry needs a date")
        country = _country(_text(item, "country", required=True), "release_dates")
        record.release_dates.append(ReleaseRecord(country, when, kind))
    for item in _objects(data, "certifications"):
        country = _country(_text(item, "country", required=True), "certifications")
        record.certifications.append((country, _text(item, "rating", required=True, limit=20)))
    for item in _objects(data, "gross"):
        record.box_office.append(
            BoxOfficeRecord(
                kind="gross",
                territory=_territory(item),
                amount=_required_int(item, "amount", "gross"),
                currency=_currency(item, "gross"),
            )
        )
    for item in _objects(data, "admissions"):
        record.box_office.append(
            BoxOfficeRecord(
                kind="admissions",
                territory=_territory(item),
                amount=_required_int(item, "count", "admissions"),
            )
        )
    for item in _objects(data, "milestones"):
        kind = _text(item, "kind", required=True)
        if kind not in ("gross", "admissions"):
            raise RecordError(f"milestones: kind must be gross or admissions, not {kind!r}")
        record.milestones.append(
            MilestoneRecord(
                kind=kind,
                value=_required_int(item, "value", "milestones"),
                currency=_currency(item, "milestones") if kind == "gross" else "",
                territory=_territory(item),
                date=_date(item, "date"),
                day=_int(item, "day", low=1),
            )
        )
    for item in _objects(data, "alternate_titles"):
        kind = _text(item, "kind") or TitleKind.OTHER
        if kind not in TitleKind.values:
            raise RecordError(f"alternate_titles: unknown kind {kind!r}")
        language = _text(item, "language", limit=3)
        region = _text(item, "region", limit=2)
        record.alternate_titles.append(
            AlternateTitleRecord(
                title=_text(item, "title", required=True, limit=500),
                language=_language(language, "alternate_titles") if language else "",
                region=_country(region, "alternate_titles") if region else "",
                kind=kind,
            )
        )
    for item in _objects(data, "cast"):
        record.cast.append(
            CastRecord(person=_key(item, "person"), character=_text(item, "character", limit=500))
        )
    for item in _objects(data, "crew"):
        record.crew.append(
            CrewRecord(
                person=_key(item, "person"),
                department=_text(item, "department", required=True, limit=40),
                job=_text(item, "job", required=True, limit=100),
            )
        )
    for item in _objects(data, "relations"):
        kind = _text(item, "kind", required=True)
        if kind not in RelationKind.values:
            raise RecordError(f"relations: unknown kind {kind!r}")
        other = _key(item, "movie")
        if other == record.key:
            raise RecordError("relations: a movie cannot relate to itself")
        record.relations.append((kind, other))
    if "sources" in data:
        record.sources = [
            SourceRecord(
                source=_choice(item, "source", Source.values, "sources"),
                url=_url(item, "url"),
                licence=_text(item, "licence", limit=100),
                licence_url=_url(item, "licence_url"),
                fields=_text(item, "fields", limit=200),
            )
            for item in _objects(data, "sources")
        ]
    if "external_ratings" in data:
        record.external_ratings = []
        for item in _objects(data, "external_ratings"):
            average = item.get("average")
            if isinstance(average, bool) or not isinstance(average, int | float):
                raise RecordError("external_ratings: average must be a number")
            if not 0 <= average <= 10:
                raise RecordError(f"external_ratings: average={average} is out of range")
            source = _choice(item, "source", Source.values, "external_ratings")
            record.external_ratings.append(
                (source, float(average), _required_int(item, "votes", "external_ratings"))
            )
    if "offers" in data:
        record.offers = [_offer(item) for item in _objects(data, "offers")]
    record.edited = _edited(data, EDITED_LISTS)
    return record


def _edited(data: dict[str, Any], allowed: frozenset[str]) -> list[str] | None:
    """What an editor holds of the record: None when the file does not say (left as it is)."""
    if "edited" not in data:
        return None
    names = _strings(data, "edited")
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise RecordError(f"edited: unknown {', '.join(map(repr, unknown))}")
    return sorted(set(names))


def _offer(item: dict[str, Any]) -> OfferRecord:
    url = _url(item, "url")
    if not url:
        raise RecordError("offers: every offer needs a url")
    price = item.get("price")
    if price is not None and (not isinstance(price, str) or not PRICE.match(price)):
        raise RecordError('offers: price must be a decimal in a string, like "3.99"')
    currency = _text(item, "currency", limit=3)
    return OfferRecord(
        provider=_text(item, "provider", required=True, limit=100),
        region=_country(_text(item, "region", required=True, limit=2), "offers"),
        kind=_choice(item, "kind", OfferKind.values, "offers"),
        url=url,
        price=price or "",
        currency=_currency(item, "offers") if currency else "",
    )


def _choice(data: dict[str, Any], name: str, choices: list[str], where: str) -> str:
    value = _text(data, name, required=True, limit=40)
    if value not in choices:
        raise RecordError(f"{where}: unknown {name} {value!r}")
    return value


def _url(data: dict[str, Any], name: str) -> str:
    value = _text(data, name, limit=500)
    if value and not value.startswith(("https://", "http://")):
        raise RecordError(f"{name} must be an http(s) address")
    return value


# Field readers. Each accepts a missing field, null and "" as "unknown".


def _key(data: dict[str, Any], name: str = "key") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not KEY.match(value) or len(value) > 200:
        raise RecordError(f"{name} must be a lowercase slug like 'miracle-in-cell-no-7-2013'")
    return value


def _text(data: dict[str, Any], name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise RecordError(f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{name} must be text")
    value = value.strip()
    if len(value) > limit:
        raise RecordError(f"{name} is longer than {limit} characters")
    return value


def _int(data: dict[str, Any], name: str, *, low: int = 0, high: int | None = None) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{name} must be a whole number")
    if value < low or (high is not None and value > high):
        raise RecordError(f"{name}={value} is out of range")
    return value


def _required_int(data: dict[str, Any], name: str, where: str) -> int:
    value = _int(data, name, low=0)
    if value is None:
        raise RecordError(f"{where}: {name} is required")
    return value


def _date(data: dict[str, Any], name: str) -> date | None:
    text = _text(data, name, limit=10)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecordError(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None


def _pattern(data: dict[str, Any], name: str, pattern: re.Pattern[str], what: str) -> str:
    text = _text(data, name, limit=20)
    if text and not pattern.match(text):
        raise RecordError(f"ids.{name} {text!r} is not {what}")
    return text


def _object(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordError(f"{name} must be an object")
    return value


def _objects(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordError(f"{name} must be a list of objects")
    return value


def _strings(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RecordError(f"{name} must be a list of strings")
    return value


def _country(code: str, where: str) -> str:
    if not codes.is_country(code):
        raise RecordError(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 country code")
    return code.upper()


def _territory(data: dict[str, Any]) -> str:
    code = _text(data, "territory", limit=2)
    return _country(code, "territory") if code else ""


def _language(code: str, where: str) -> str:
    if not codes.is_language(code):
        raise RecordError(f"{where}: {code!r} is not an ISO 639 language code")
    return code.lower()


def _currency(data: dict[str, Any], where: str) -> str:
    code = _text(data, "currency", limit=3)
    if not codes.is_currency(code):
        raise RecordError(f"{where}: currency {code!r} is not an ISO 4217 code")
    return code.upper()
