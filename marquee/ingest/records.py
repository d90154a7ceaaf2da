"""Plain records every reader yields and every loader writes.

Readers know a source's own format; loaders know Marquee's models. The records between them are
the contract: a new source only needs a reader that yields these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class IngestError(Exception):
    """A record that cannot be read or written, with where it came from."""

    def __init__(self, reason: str, *, source: str = "", line: int | None = None) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        super().__init__(self.located())

    def located(self) -> str:
        where = self.source
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason}" if where else self.reason


@dataclass
class PersonRecord:
    key: str
    name: str
    original_name: str = ""
    birth_date: date | None = None
    death_date: date | None = None
    biography: str = ""
    imdb_id: str = ""
    tmdb_id: int | None = None
    wikidata_id: str = ""
    line: int | None = None
    # People from sources without ids (Wikipedia cast lists) are matched by their exact name,
    # and only when one person has it.
    match_by_name: bool = False
    # Marquee's own format only: the fields an editor holds (PersonEdit); None leaves them.
    edited: list[str] | None = None


@dataclass
class CastRecord:
    person: str
    character: str = ""


@dataclass
class CrewRecord:
    person: str
    department: str
    job: str


@dataclass
class ReleaseRecord:
    country: str
    date: date
    kind: str = "theatrical"


@dataclass
class BoxOfficeRecord:
    kind: str  # "gross" or "admissions"
    territory: str  # "" for worldwide
    amount: int
    currency: str = ""


@dataclass
class MilestoneRecord:
    kind: str
    value: int
    currency: str = ""
    territory: str = ""
    date: date | None = None
    day: int | None = None


@dataclass
class AlternateTitleRecord:
    title: str
    language: str = ""
    region: str = ""
    kind: str = "other"


@dataclass
class SourceRecord:
    """Where a movie's data came from, as ``MovieSource`` keeps it for attribution."""

    source: str
    url: str = ""
    licence: str = ""
    licence_url: str = ""
    fields: str = ""


@dataclass
class OfferRecord:
    provider: str
    region: str
    kind: str
    url: str
    price: str = ""  # a decimal as text, so that it round-trips exactly
    currency: str = ""


@dataclass
class ProviderRecord:
    name: str
    homepage: str = ""
    line: int | None = None


@dataclass
class BadRow:
    """A row a reader could not turn into a record: counted and reported, never fatal."""

    kind: str
    reason: str
    line: int | None = None


@dataclass
class SkippedRow:
    """A row left out on purpose (out of scope, such as an adult title): counted, not an error."""

    kind: str
    reason: str
    line: int | None = None


@dataclass
class MovieRecord:
    key: str
    title: str
    original_title: str = ""
    sort_title: str = ""
    year: int | None = None
    runtime: int | None = None
    genres: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    original_language: str = ""
    spoken_languages: list[str] = field(default_factory=list)
    release_dates: list[ReleaseRecord] = field(default_factory=list)
    certifications: list[tuple[str, str]] = field(default_factory=list)
    tagline: str = ""
    synopsis: str = ""
    plot: str = ""
    background: str = ""
    reception: str = ""
    budget: int | None = None
    budget_currency: str = ""
    box_office: list[BoxOfficeRecord] = field(default_factory=list)
    milestones: list[MilestoneRecord] = field(default_factory=list)
    imdb_id: str = ""
    tmdb_id: int | None = None
    wikidata_id: str = ""
    movielens_id: int | None = None
    alternate_titles: list[AlternateTitleRecord] = field(default_factory=list)
    cast: list[CastRecord] = field(default_factory=list)
    crew: list[CrewRecord] = field(default_factory=list)
    relations: list[tuple[str, str]] = field(default_factory=list)  # (kind, other movie key)
    line: int | None = None
    # The record's id within its source (a MovieLens movieId, a TMDB id, a Wikipedia page): the
    # key of its review-queue entry, and of its MovieSource row when the source has no id field.
    source_key: str = ""
    # (average on a scale of 10, votes) published by the record's source.
    external_rating: tuple[float, int] | None = None
    source_url: str = ""  # the record's page at its source, kept for attribution
    # Marquee's own format only; None when the file does not mention them (left as they are).
    sources: list[SourceRecord] | None = None
    external_ratings: list[tuple[str, float, int]] | None = None
    offers: list[OfferRecord] | None = None
    edited: list[str] | None = None  # the lists an editor holds (MovieEdit)
    # False for records that only add to films found by id (a credits file without years).
    create: bool = True
    tally: str = "movies"  # the report line the record counts under


Record = PersonRecord | MovieRecord | ProviderRecord | BadRow | SkippedRow
