"""Writes records from any reader into the catalog, a chunk of records at a time.

The loader owns no transaction: callers wrap a whole import in one (``run_import``), so an
import stopped at any point leaves the catalog as it was.

For each record the loader
- finds the film or person it describes: by key (Marquee's own format), by external id (IMDb,
  TMDB, MovieLens), by a source page seen before, then by title and year only when exactly one
  film fits. Two or more fits go to the review queue (``PendingMatch``); an editor's choice
  there is applied by the next import.
- compares before writing, so that a second identical import writes nothing and reports every
  record unchanged.
- merges without letting sources fight: Marquee's own format states the whole record; any other
  source fills fields that are empty and keeps updating the fields it filled (listed in its
  ``MovieSource`` row), takes over fields a source ranked lower filled (``RANK``), and never
  overwrites what an editor wrote.
- counts a row it cannot use (a bad row, a duplicate) in the report and goes on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from marquee.catalog.models import (
    AlternateTitle,
    BoxOffice,
    Certification,
    Milestone,
    Movie,
    MovieAlias,
    MovieCountry,
    MovieEdit,
    MovieGenre,
    MovieRelation,
    ReleaseDate,
    copy_sort_keys,
    derive_sort_title,
    sort_keys,
)
from marquee.ingest.bulk import insert_objects, insert_rows
from marquee.ingest.holds import set_holds
from marquee.ingest.lookups import Lookups, keyword_slug
from marquee.ingest.models import ExternalRating, MovieSource, PendingMatch, Source
from marquee.ingest.people import PeopleLoader
from marquee.ingest.records import (
    BadRow,
    IngestError,
    MovieRecord,
    PersonRecord,
    ProviderRecord,
    Record,
    SkippedRow,
)
from marquee.ingest.report import Report
from marquee.ingest.slugs import choose_slug, movie_base_slug, movie_suffixes
from marquee.people.models import Credit, CreditKind
from marquee.watch.models import Offer, Provider

CREDIT_COLUMNS = (
    "movie_id", "person_id", "kind", "character", "department", "job", "order", "year",
    "popularity",
)  # fmt: skip
CHUNK = 500  # records resolved and written together: a few queries per chunk, bounded memory

SCALARS = (
    "title",
    "original_title",
    "sort_title",
    "year",
    "runtime",
    "original_language",
    "tagline",
    "synopsis",
    "plot",
    "background",
    "reception",
    "budget",
    "budget_currency",
)
IDS = ("imdb_id", "tmdb_id", "wikidata_id", "movielens_id")
LISTS = (
    "genres",
    "keywords",
    "countries",
    "spoken_languages",
    "release_dates",
    "certifications",
    "box_office",
    "milestones",
    "alternate_titles",
    "cast",
    "crew",
)
# Lists only Marquee's own format carries; None in a record means "leave them as they are".
OPTIONAL_LISTS = ("sources", "external_ratings", "offers")
COLUMN = {"original_language": "original_language_id"}
# What each source's terms ask to show beside the data it gave.
TERMS: dict[str, tuple[str, str]] = {
    Source.WIKIPEDIA: ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
}

# When two sources have a field, the one ranked higher wins it, whichever is imported first:
# IMDb's and TMDB's curated records over Wikipedia's lists, over MovieLens' user-made data.
RANK: dict[str, int] = {Source.IMDB: 4, Source.TMDB: 3, Source.WIKIPEDIA: 2, Source.MOVIELENS: 1}

T = TypeVar("T")
Row = tuple[Any, ...]


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def field_names(row: MovieSource | None) -> set[str]:
    """The fields a source filled, from its row (written as "original title, box office")."""
    if row is None or not row.fields:
        return set()
    return {name.replace(" ", "_") for name in row.fields.split(", ")}


def fields_text(names: set[str]) -> str:
    return ", ".join(n for n in SCALARS + LISTS if n in names).replace("_", " ")


def hand_to_editor(movie: Movie, names: Iterable[str]) -> None:
    """An editor changed these fields of ``movie``: no source keeps them up to date any more,
    since a field no source lists is an editor's. A sort title goes with its title."""
    changed = set(names)
    if "title" in changed:
        changed.add("sort_title")
    for row in MovieSource.objects.filter(movie=movie).exclude(fields=""):
        listed = field_names(row)
        if listed & changed:
            row.fields = fields_text(listed - changed)
            row.save(update_fields=["fields"])


def is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == ()


@dataclass
class Change:
    """What loading one record does to its movie."""

    record: MovieRecord
    movie: Movie
    created: bool
    scalars: set[str] = field(default_factory=set)
    lists: dict[str, list[Row]] = field(default_factory=dict)
    owned: set[str] = field(default_factory=set)
    source_row: MovieSource | None = None
    source_changed: bool = False
    rating: ExternalRating | None = None
    rating_changed: bool = False
    others: dict[str, MovieSource] = field(default_factory=dict)  # field → its source's row
    released: list[MovieSource] = field(default_factory=list)  # other sources' fields taken

    def take(self, name: str) -> None:
        """This source now keeps ``name`` up to date; the source that had it lets it go."""
        self.owned.add(name)
        row = self.others.pop(name, None)
        if row is not None:
            row.fields = fields_text(field_names(row) - {name})
            if row not in self.released:
                self.released.append(row)

    @property
    def token(self) -> int:
        """Who holds an id: the film's id, or a negative number for a film not yet written."""
        return self.movie.pk or -id(self)

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.scalars or self.lists or self.source_changed or self.rating_changed
        )


class Loader:
    def __init__(self, report: Report | None = None, source: str = Source.MARQUEE) -> None:
        self.report = report or Report()
        self.source = source
        # Marquee's own format is the whole truth about a record; other sources add to it.
        self.authoritative = source == Source.MARQUEE
        self.lookups = Lookups()
        self.people = PeopleLoader(self.report, authoritative=self.authoritative)
        self.movies: dict[str, int] = {}  # record key → movie id, for relations
        self.seen: dict[tuple[str, str], str] = {}  # (tally, identity) → where first seen
        self.claimed: dict[int, str] = {}  # movie id → the record identity that loaded it
        self.relations: dict[int, tuple[list[tuple[str, str]], str, int | None]] = {}
        self.path = ""
        # Editors' decisions on queued matches, looked up only when there are any.
        self.has_decisions = (
            PendingMatch.objects.filter(source=source)
            .exclude(status=PendingMatch.Status.OPEN)
            .exists()
        )
        self.index: MovieIndex | None = None
        # People matched by name (Wikipedia's cast) wait for the film that credits them: a
        # person already credited on that film under the name is preferred (``load_movies``).
        self.held: list[PersonRecord] = []
        self.on_film: dict[int, dict[str, int]] = {}  # id(record) → person key → person id

    # Entry points

    def load(self, records: Iterable[Record], source: str) -> None:
        self.path = source
        for chunk in chunks(records, CHUNK):
            first = next((r.line for r in chunk if r.line is not None), None)
            try:
                with transaction.atomic():  # a savepoint, so an error names the chunk
                    self.load_chunk(chunk)
            except IntegrityError as error:
                raise IngestError(
                    f"records from this line on conflict with the catalog ({error})",
                    source=source,
                    line=first,
                ) from None

    def load_chunk(self, chunk: list[Record]) -> None:
        movies: list[MovieRecord] = []
        people: list[PersonRecord] = []
        for record in chunk:
            if isinstance(record, BadRow):
                self.report.read(record.kind)
                self.report.bad_row(record.kind, record.reason, source=self.path, line=record.line)
            elif isinstance(record, SkippedRow):
                self.report.read(record.kind)
                self.report.skip(record.kind, record.reason)
            elif isinstance(record, ProviderRecord):
                self.load_provider(record)
            elif isinstance(record, PersonRecord):
                people.append(record)
            else:
                movies.append(record)
        self.held.extend(p for p in people if p.match_by_name)
        self.people.load([p for p in people if not p.match_by_name], self.path)
        if movies:
            self.load_movies(movies)

    def finish(self) -> Report:
        """Resolve relations, which may point at movies later in the files."""
        held, self.held = self.held, []
        self.people.load(held, self.path)  # people of no film: none from the readers we have
        pending = list(self.relations.items())
        self.relations.clear()
        for part in chunks(pending, 5_000):
            self.finish_relations(dict(part))
        return self.report

    def finish_relations(
        self, relations: dict[int, tuple[list[tuple[str, str]], str, int | None]]
    ) -> None:
        current: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for movie_id, kind, other_id in MovieRelation.objects.filter(
            movie__in=list(relations)
        ).values_list("movie_id", "kind", "other_id"):
            current[movie_id].add((kind, other_id))
        unknown = {key for wanted, _, _ in relations.values() for _, key in wanted}
        unknown -= self.movies.keys()
        if unknown:
            self.movies.update(Movie.objects.filter(slug__in=unknown).values_list("slug", "pk"))
        for movie_id, (wanted, path, line) in relations.items():
            targets: set[tuple[str, int]] = set()
            for kind, key in wanted:
                self.report.read("relations")
                if key in self.movies:
                    targets.add((kind, self.movies[key]))
                else:
                    self.report.bad_row(
                        "relations", f"relation to unknown movie {key!r}", source=path, line=line
                    )
            for kind, other in current[movie_id] - targets:
                MovieRelation.objects.filter(movie_id=movie_id, kind=kind, other_id=other).delete()
            MovieRelation.objects.bulk_create(
                MovieRelation(movie_id=movie_id, kind=kind, other_id=other)
                for kind, other in sorted(targets - current[movie_id])
            )
            self.report.created("relations", len(targets - current[movie_id]))
            self.report.unchanged("relations", len(targets & current[movie_id]))

    # Providers (Marquee's own format)

    def load_provider(self, record: ProviderRecord) -> None:
        self.report.read("providers")
        provider = Provider.objects.filter(name=record.name).first()
        if provider is None:
            provider = Provider.objects.create(name=record.name, homepage=record.homepage)
            self.report.created("providers")
        elif provider.homepage != record.homepage:
            provider.homepage = record.homepage
            provider.save(update_fields=["homepage"])
            self.report.updated("providers")
        else:
            self.report.unchanged("providers")
        self.lookups.providers[record.name] = provider.pk

    # Movies

    def identity(self, record: MovieRecord) -> str:
        return record.key if self.authoritative else record.source_key or record.key

    def load_movies(self, records: list[MovieRecord]) -> None:
        fresh: list[MovieRecord] = []
        for record in records:
            self.report.read(record.tally)
            where = f"{self.path}:{record.line}" if record.line else self.path
            first = self.seen.setdefault((record.tally, self.identity(record)), where)
            if first != where:
                self.report.skip(record.tally, "duplicate")
            else:
                fresh.append(record)
        matches = self.resolve(fresh)
        self.load_named_people(fresh, matches)
        self.ensure_lookups(fresh)
        self.people.resolve_keys(
            ({c.person for r in fresh for c in r.cast} | {c.person for r in fresh for c in r.crew})
            - self.people.ids.keys()
        )

        existing = Movie.objects.in_bulk([pk for pk in matches.values() if pk])
        changes: list[Change] = []
        slugs = self.slug_chooser([r for r in fresh if matches.get(id(r)) is None])
        for record in fresh:
            if id(record) not in matches:
                continue  # queued for an editor, or a film this record may not create
            pk = matches[id(record)]
            if pk is None:
                movie = Movie(slug=slugs(record))
                changes.append(Change(record, movie, created=True))
            else:
                changes.append(Change(record, existing[pk], created=False))
        self.compare(changes)
        self.write(changes)
        for change in changes:
            record, movie = change.record, change.movie
            self.claimed[movie.pk] = self.identity(record)
            if self.authoritative:
                self.movies[record.key] = movie.pk
                self.relations[movie.pk] = (record.relations, self.path, record.line)
            if change.created:
                self.report.created(record.tally)
            elif change.changed:
                self.report.updated(record.tally)
            else:
                self.report.unchanged(record.tally)

    def load_named_people(self, records: list[MovieRecord], matches: dict[int, int | None]) -> None:
        """The people held for these films: on a film already in the catalog, a person it
        credits whose name folds to the same is that person; the others are found by a name
        only one person has, or created (``PeopleLoader``)."""
        held, self.held = self.held, []
        names = {p.key: p.name for p in held}
        casts = [
            (id(r), pk, [c.person for c in r.cast if c.person in names])
            for r in records
            if (pk := matches.get(id(r))) is not None
        ]
        self.on_film = self.people.credited_on_films(casts, names)
        for found in self.on_film.values():
            self.report.read("people", len(found))
            self.report.unchanged("people", len(found))
        needed = {
            c.person for r in records for c in r.cast if c.person not in self.on_film.get(id(r), {})
        }
        self.people.load([p for p in held if p.key in needed], self.path)
        # A film's people come before it: those of a film in the next chunk wait for it.
        credited = {c.person for r in records for c in r.cast}
        self.held = [p for p in held if p.key not in credited]

    def resolve(self, records: list[MovieRecord]) -> dict[int, int | None]:
        """Map id(record) to the film it describes, None to create one; records left out are
        queued for an editor or skipped (counted)."""
        lookup = MovieIndex(
            self.source,
            records,
            authoritative=self.authoritative,
            with_decisions=self.has_decisions,
        )
        self.index = lookup
        found: dict[int, int | None] = {}
        new_ids: dict[tuple[str, Any], str] = {}  # ids of films this chunk creates
        for record in records:
            pk, candidates = lookup.find(record)
            if pk is None and not candidates:
                ids = [(n, getattr(record, n)) for n in IDS if not is_empty(getattr(record, n))]
                twin = next((new_ids[i] for i in ids if i in new_ids), None)
                if twin is not None:
                    self.report.bad_row(
                        record.tally,
                        f"{record.title or record.key}: the same film as {twin!r}, "
                        "loaded earlier in this import",
                        source=self.path,
                        line=record.line,
                    )
                    continue
                for i in ids:
                    new_ids[i] = self.identity(record)
            if pk is None and len(candidates) > 1:
                self.queue(record, candidates)
                continue
            if pk is None and candidates:
                pk = candidates[0]
            if pk is None and not record.create:
                self.report.dangling_reference(f"{record.tally} for films not in the catalog")
                self.report.skip(record.tally, "film not in the catalog")
                continue
            if pk is not None and self.claimed.get(pk, self.identity(record)) != self.identity(
                record
            ):
                self.report.bad_row(
                    record.tally,
                    f"{record.title or record.key}: the same film as {self.claimed[pk]!r}, "
                    "loaded earlier in this import",
                    source=self.path,
                    line=record.line,
                )
                continue
            if pk is not None:
                self.claimed[pk] = self.identity(record)
            found[id(record)] = pk
        return found

    def queue(self, record: MovieRecord, candidates: list[int]) -> None:
        pending, _ = PendingMatch.objects.update_or_create(
            source=self.source,
            external_key=(record.source_key or record.key)[:200],
            defaults={
                "title": record.title[:500],
                "year": record.year,
                "detail": {
                    "file": self.path,
                    "line": record.line,
                    "imdb_id": record.imdb_id,
                    "tmdb_id": record.tmdb_id,
                    "movielens_id": record.movielens_id,
                    "url": record.source_url,
                },
            },
        )
        pending.candidates.set(candidates)
        self.report.queued += 1
        self.report.skip(record.tally, "waiting for an editor to choose the film")

    def ensure_lookups(self, records: list[MovieRecord]) -> None:
        self.lookups.ensure_genres(g for r in records for g in r.genres)
        self.lookups.ensure_keywords(k for r in records for k in r.keywords)
        self.lookups.ensure_countries(
            [c for r in records for c in r.countries]
            + [c for r in records for c, _ in r.certifications]
        )
        self.lookups.ensure_languages(
            [lang for r in records for lang in r.spoken_languages]
            + [r.original_language for r in records if r.original_language]
        )

    def slug_chooser(self, records: list[MovieRecord]) -> Callable[[MovieRecord], str]:
        candidates: dict[int, tuple[str, list[str]]] = {}
        for record in records:
            if self.authoritative:
                candidates[id(record)] = (record.key, [])
            else:
                ids = movie_suffixes(record.imdb_id, record.tmdb_id, record.movielens_id)
                candidates[id(record)] = (movie_base_slug(record.title, record.year, ids), ids)
        # Bases first; the suffixed forms only for the bases found taken (few, usually none).
        wanted = {base for base, _ in candidates.values()}
        taken = slugs_in_use(wanted)
        more = {f"{b}-{s}" for b, ids in candidates.values() if b in taken for s in ids}
        wanted |= more
        taken |= slugs_in_use(more)

        def is_taken(slug: str) -> bool:
            if slug in wanted:
                return slug in taken
            return (
                Movie.objects.filter(slug=slug).exists()
                or MovieAlias.objects.filter(slug=slug).exists()
            )

        def choose(record: MovieRecord) -> str:
            base, ids = candidates[id(record)]
            slug = base if self.authoritative else choose_slug(base, ids, is_taken)
            taken.add(slug)
            wanted.add(slug)
            return slug

        return choose

    # Comparing

    def wanted_scalar(self, record: MovieRecord, name: str) -> Any:
        value = getattr(record, name)
        if name == "sort_title" and self.authoritative:
            return value or derive_sort_title(record.title)
        if name == "original_language":
            return value or None
        return value

    def compare(self, changes: list[Change]) -> None:
        matched = [c.movie.pk for c in changes if not c.created]
        current = read_lists(matched, self.authoritative)
        source_rows: dict[int, dict[str, MovieSource]] = defaultdict(dict)
        edited: dict[int, set[str]] = {}
        if not self.authoritative:
            for row in MovieSource.objects.filter(movie__in=matched):
                source_rows[row.movie_id][row.source] = row
            # Lists an editor changed stay theirs, even emptied (an empty list is otherwise
            # anyone's to fill).
            edited = {e.movie_id: e.names() for e in MovieEdit.objects.filter(movie__in=matched)}
        ratings = {
            row.movie_id: row
            for row in ExternalRating.objects.filter(source=self.source, movie__in=matched)
        }
        held = self.ids_held_elsewhere(changes)
        old_titles = {c.movie.pk: c.movie.title for c in changes}
        for change in changes:
            record, movie = change.record, change.movie
            pk = movie.pk
            rows = source_rows.get(pk, {})
            own = rows.get(self.source)
            change.owned = field_names(own)
            # Fields another source filled: taken over only from a source ranked below this one.
            change.others = {
                name: row
                for row in rows.values()
                if row.source != self.source
                for name in field_names(row)
            }
            for name in SCALARS + IDS:
                value = self.wanted_scalar(record, name)
                column = COLUMN.get(name, name)
                now = getattr(movie, column)
                if value == now or (is_empty(value) and not self.authoritative):
                    continue
                if name in IDS and held.get((value, name), change.token) != change.token:
                    continue  # another film has this id
                if name in IDS and not self.authoritative and not is_empty(now):
                    continue
                if self.may_write(change, name, empty=is_empty(now)):
                    setattr(movie, column, value)
                    change.scalars.add(name)
                    if name not in IDS:
                        change.take(name)
            for name in LISTS + OPTIONAL_LISTS:
                wanted = self.wanted_rows(record, name)
                if wanted is None or (not wanted and not self.authoritative):
                    continue
                if name in edited.get(pk, ()):
                    continue
                now_rows = current[name].get(pk, []) if pk else []
                if wanted == now_rows:
                    continue
                if self.may_write(change, name, empty=not now_rows):
                    change.lists[name] = wanted
                    change.take(name)
            # A sort title derived from the title this source wrote is this source's too, so a
            # source ranked higher that takes the title over takes the sort title with it.
            if change.created and movie.sort_title == "":
                movie.sort_title = derive_sort_title(movie.title)
                change.take("sort_title")
            elif "title" in change.scalars and "sort_title" not in change.scalars:
                derived = derive_sort_title(movie.title)
                if movie.sort_title != derived and movie.sort_title == derive_sort_title(
                    old_titles[pk]
                ):
                    movie.sort_title = derived
                    change.scalars.add("sort_title")
                    change.take("sort_title")
            if not self.authoritative:
                self.compare_source(change, own)
                self.compare_rating(change, ratings.get(pk))

    def may_write(self, change: Change, name: str, *, empty: bool) -> bool:
        if change.created or self.authoritative or empty or name in change.owned:
            return True
        owner = change.others.get(name)
        return owner is not None and RANK.get(owner.source, 0) < RANK.get(self.source, 0)

    def ids_held_elsewhere(self, changes: list[Change]) -> dict[tuple[Any, str], int]:
        """Which film holds each external id these records carry. A record never takes an id
        another film holds; of two new films with one id, the first keeps it."""
        held: dict[tuple[Any, str], int] = {}
        assert self.index is not None  # resolve() ran for this chunk
        for name, found in self.index.by_id.items():
            for value, pk in found.items():
                held[(value, name)] = pk
        for change in changes:
            for name in IDS:
                value = getattr(change.record, name)
                if not is_empty(value):
                    held.setdefault((value, name), change.token)
        return held

    def compare_source(self, change: Change, own: MovieSource | None) -> None:
        record = change.record
        licence, licence_url = TERMS.get(self.source, ("", ""))
        fields = fields_text(change.owned)
        values = {
            "url": record.source_url,
            "licence": licence,
            "licence_url": licence_url,
            "fields": fields,
        }
        if own is None:
            change.source_row = MovieSource(source=self.source, **values)
            change.source_changed = True
        elif any(getattr(own, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(own, k, v)
            change.source_row = own
            change.source_changed = True

    def compare_rating(self, change: Change, now: ExternalRating | None) -> None:
        if change.record.external_rating is None:
            return
        average, votes = change.record.external_rating
        if now is None:
            change.rating = ExternalRating(source=self.source, average=average, votes=votes)
            change.rating_changed = True
        elif (now.average, now.votes) != (average, votes):
            now.average, now.votes = average, votes
            change.rating = now
            change.rating_changed = True

    def wanted_rows(self, record: MovieRecord, name: str) -> list[Row] | None:
        """A record's rows for one list, in the shape ``read_lists`` gives the catalog's."""
        if name == "genres":
            return sorted({(g,) for g in record.genres})
        if name == "keywords":
            return sorted({(keyword_slug(k),) for k in record.keywords} - {("",)})
        if name == "countries":
            return [(c,) for c in dict.fromkeys(record.countries)]
        if name == "spoken_languages":
            return sorted({(lang,) for lang in record.spoken_languages})
        if name == "release_dates":
            return sorted({(r.country, r.date, r.kind) for r in record.release_dates})
        if name == "certifications":
            return sorted(dict(record.certifications).items())
        if name == "box_office":
            return sorted({(b.kind, b.territory, b.amount, b.currency) for b in record.box_office})
        if name == "milestones":
            return sorted(
                {
                    (m.kind, m.value, m.currency, m.territory, m.date, m.day)
                    for m in record.milestones
                },
                key=repr,
            )
        if name == "alternate_titles":
            return sorted(
                {(t.title, t.language, t.region, t.kind) for t in record.alternate_titles}
            )
        if name == "cast":
            on_film, ids = self.on_film.get(id(record), {}), self.people.ids
            return [
                (on_film[c.person] if c.person in on_film else ids[c.person], c.character)
                for c in record.cast
                if c.person in on_film or self.people.known(c.person, self.path, record.line)
            ]
        if name == "crew":
            return [
                (self.people.ids[c.person], c.department, c.job)
                for c in record.crew
                if self.people.known(c.person, self.path, record.line)
            ]
        if name == "sources":
            if record.sources is None:
                return None
            return sorted(
                {(s.source, s.url, s.licence, s.licence_url, s.fields) for s in record.sources}
            )
        if name == "external_ratings":
            return None if record.external_ratings is None else sorted(set(record.external_ratings))
        if name == "offers":
            if record.offers is None:
                return None
            for offer in record.offers:
                if offer.provider not in self.lookups.providers:
                    self.lookups.provider(offer.provider)
            return sorted(
                {(o.provider, o.region, o.kind, o.url, o.price, o.currency) for o in record.offers}
            )
        raise ValueError(name)

    # Writing

    def write(self, changes: list[Change]) -> None:
        now = timezone.now()
        created = [c.movie for c in changes if c.created]
        if created:
            # Inserted as plain rows, then their ids read back by slug (unique): much faster
            # than bulk_create for a model this wide.
            insert_objects(created)
            ids = dict(
                Movie.objects.filter(slug__in=[m.slug for m in created]).values_list("slug", "pk")
            )
            for movie in created:
                movie.pk = ids[movie.slug]
                movie._state.adding = False
        updated = [c for c in changes if not c.created and c.scalars]
        if updated:
            columns = {COLUMN.get(n, n) for c in updated for n in c.scalars}
            for change in updated:
                change.movie.updated_at = now
            Movie.objects.bulk_update([c.movie for c in updated], [*sorted(columns), "updated_at"])
            copied = {"title", "sort_title", "year", "original_language"}
            keyed = [c.movie.pk for c in updated if c.scalars & copied]
            if keyed:
                copy_sort_keys(Movie.objects.filter(pk__in=keyed))
        touched = [c for c in changes if not c.created and (c.lists or c.source_changed)]
        if touched:
            Movie.objects.filter(pk__in=[c.movie.pk for c in touched]).update(updated_at=now)
        for name in LISTS + OPTIONAL_LISTS:
            rewrite = [c for c in changes if name in c.lists]
            if not rewrite:
                continue
            replaced = [c.movie.pk for c in rewrite if not c.created]
            model, table_columns, build = LIST_WRITERS[name]
            if replaced:
                rows = model.objects.filter(movie__in=replaced)
                if name in ("cast", "crew"):
                    rows = rows.filter(kind=name)
                rows.delete()
            insert_rows(
                model,
                table_columns,
                (
                    build(self, c.movie, position, values)
                    for c in rewrite
                    for position, values in enumerate(c.lists[name])
                ),
            )
        sources = [c.source_row for c in changes if c.source_changed and c.source_row]
        for change in changes:
            if change.source_row is not None:
                change.source_row.movie = change.movie
            if change.rating is not None:
                change.rating.movie = change.movie
                change.rating.updated_at = now
        MovieSource.objects.bulk_update(
            [row for row in sources if row.pk is not None],
            ["url", "licence", "licence_url", "fields"],
        )
        MovieSource.objects.bulk_update([row for c in changes for row in c.released], ["fields"])
        insert_rows(
            MovieSource,
            SOURCE_COLUMNS,
            (
                (r.movie.pk, r.source, r.url, r.licence, r.licence_url, r.fields)
                for r in sources
                if r.pk is None
            ),
        )
        ratings = [c.rating for c in changes if c.rating_changed and c.rating]
        ExternalRating.objects.bulk_update(
            [row for row in ratings if row.pk is not None], ["average", "votes", "updated_at"]
        )
        stamp = db_datetime(now)
        insert_rows(
            ExternalRating,
            RATING_COLUMNS,
            ((r.movie.pk, r.source, r.average, r.votes, stamp) for r in ratings if r.pk is None),
        )
        set_holds(
            MovieEdit,
            {c.movie.pk: c.record.edited for c in changes if c.record.edited is not None},
        )


def slugs_in_use(slugs: set[str]) -> set[str]:
    if not slugs:
        return set()
    taken = set(Movie.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return taken | set(MovieAlias.objects.filter(slug__in=slugs).values_list("slug", flat=True))


class MovieIndex:
    """The catalog's films that a chunk of records may describe, fetched in a few queries."""

    def __init__(
        self,
        source: str,
        records: list[MovieRecord],
        *,
        authoritative: bool,
        with_decisions: bool = True,
    ) -> None:
        self.source = source
        self.authoritative = authoritative
        self.by_slug: dict[str, int] = {}
        if authoritative:
            keys = [r.key for r in records]
            self.by_slug.update(
                MovieAlias.objects.filter(slug__in=keys).values_list("slug", "movie_id")
            )
            self.by_slug.update(Movie.objects.filter(slug__in=keys).values_list("slug", "pk"))
        self.by_id: dict[str, dict[Any, int]] = {}
        for name in IDS:
            values = {getattr(r, name) for r in records} - {None, ""}
            self.by_id[name] = (
                dict(Movie.objects.filter(**{f"{name}__in": values}).values_list(name, "pk"))
                if values
                else {}
            )
        self.by_url: dict[str, int] = {}
        urls = {r.source_url for r in records if r.source_url and self.by_ids(r) is None}
        if urls and not authoritative:
            self.by_url = dict(
                MovieSource.objects.filter(source=source, url__in=urls).values_list(
                    "url", "movie_id"
                )
            )
        self.decisions: dict[str, tuple[str, int | None]] = {}
        if with_decisions:
            self.decisions = {
                key: (status, chosen)
                for key, status, chosen in PendingMatch.objects.filter(
                    source=source, external_key__in={r.source_key or r.key for r in records}
                )
                .exclude(status=PendingMatch.Status.OPEN)
                .values_list("external_key", "status", "chosen")
            }
        unresolved = [r for r in records if r.create and r.year and self.by_ids(r) is None]
        self.by_title: dict[tuple[str, int | None], list[dict[str, Any]]] = defaultdict(list)
        sort_titles = {derive_sort_title(r.title) for r in unresolved}
        if sort_titles:
            # Only the same year matches. Without it, every "Hamlet" of the catalog would be
            # read back for each chunk that has one.
            found = list(
                Movie.objects.filter(
                    sort_title__in=sort_titles, year__in={r.year for r in unresolved}
                ).values("pk", "title", "year", "imdb_id", "tmdb_id", "movielens_id")
            )
            sourced = dict(
                MovieSource.objects.filter(
                    source=source, movie__in=[f["pk"] for f in found]
                ).values_list("movie_id", "url")
            )
            for row in found:
                film: dict[str, Any] = {**row, "url": sourced.get(row["pk"])}
                self.by_title[(film["title"].casefold(), film["year"])].append(film)

    def by_ids(self, record: MovieRecord) -> int | None:
        if self.authoritative and record.key in self.by_slug:
            return self.by_slug[record.key]
        for name in ("imdb_id", "tmdb_id", "movielens_id"):
            value = getattr(record, name)
            if value and value in self.by_id[name]:
                return self.by_id[name][value]
        if record.source_url and record.source_url in self.by_url:
            return self.by_url[record.source_url]
        return None

    def find(self, record: MovieRecord) -> tuple[int | None, list[int]]:
        """The film found by key or id; else None and the films that fit by title and year."""
        pk = self.by_ids(record)
        if pk is not None:
            return pk, []
        decision = self.decisions.get(record.source_key or record.key)
        if decision is not None:
            status, chosen = decision
            if status == PendingMatch.Status.MATCHED and chosen:
                return chosen, []
            return None, []  # the editor said: no film in the catalog is this one
        if not record.create or not record.year:
            return None, []
        fits = [
            film["pk"]
            for film in self.by_title.get((record.title.casefold(), record.year), [])
            if not self.conflicts(record, film)
        ]
        return None, fits

    def conflicts(self, record: MovieRecord, film: dict[str, Any]) -> bool:
        """A film with another id of the same kind is another film."""
        for name in ("imdb_id", "tmdb_id", "movielens_id"):
            mine, theirs = getattr(record, name), film[name]
            if mine and theirs and mine != theirs:
                return True
        return bool(film["url"]) and film["url"] != record.source_url


def read_lists(pks: list[int], authoritative: bool) -> dict[str, dict[int, list[Row]]]:
    """Every list field of these films as rows, in the order ``wanted_rows`` builds them."""
    lists: dict[str, dict[int, list[Row]]] = {
        name: defaultdict(list) for name in LISTS + OPTIONAL_LISTS
    }
    if not pks:
        return lists

    def gather(name: str, rows: Iterable[Row], *, ordered: bool = False) -> None:
        for pk, *values in rows:
            lists[name][pk].append(tuple(values))
        if not ordered:
            for pk in lists[name]:
                lists[name][pk].sort(key=repr if name == "milestones" else None)

    keywords = Movie.keywords.through.objects.filter(movie__in=pks)
    languages = Movie.spoken_languages.through.objects.filter(movie__in=pks)
    gather(
        "genres", MovieGenre.objects.filter(movie__in=pks).values_list("movie_id", "genre__name")
    )
    gather("keywords", keywords.values_list("movie_id", "keyword__slug"))
    gather(
        "countries",
        MovieCountry.objects.filter(movie__in=pks)
        .order_by("movie", "position")
        .values_list("movie_id", "country_id"),
        ordered=True,
    )
    gather("spoken_languages", languages.values_list("movie_id", "language_id"))
    gather(
        "release_dates",
        ReleaseDate.objects.filter(movie__in=pks).values_list(
            "movie_id", "country", "date", "kind"
        ),
    )
    gather(
        "certifications",
        Certification.objects.filter(movie__in=pks).values_list("movie_id", "country", "rating"),
    )
    gather(
        "box_office",
        BoxOffice.objects.filter(movie__in=pks).values_list(
            "movie_id", "kind", "territory", "amount", "currency"
        ),
    )
    gather(
        "milestones",
        Milestone.objects.filter(movie__in=pks).values_list(
            "movie_id", "kind", "value", "currency", "territory", "date", "day"
        ),
    )
    gather(
        "alternate_titles",
        AlternateTitle.objects.filter(movie__in=pks).values_list(
            "movie_id", "title", "language", "region", "kind"
        ),
    )
    credits = Credit.objects.filter(movie__in=pks).order_by("movie", "kind", "order", "id")
    gather(
        "cast",
        credits.filter(kind=CreditKind.CAST).values_list("movie_id", "person_id", "character"),
        ordered=True,
    )
    gather(
        "crew",
        credits.filter(kind=CreditKind.CREW).values_list(
            "movie_id", "person_id", "department", "job"
        ),
        ordered=True,
    )
    if authoritative:
        gather(
            "sources",
            MovieSource.objects.filter(movie__in=pks).values_list(
                "movie_id", "source", "url", "licence", "licence_url", "fields"
            ),
        )
        gather(
            "external_ratings",
            ExternalRating.objects.filter(movie__in=pks).values_list(
                "movie_id", "source", "average", "votes"
            ),
        )
        gather(
            "offers",
            Offer.objects.filter(movie__in=pks).values_list(
                "movie_id", "provider__name", "region", "kind", "url", "price", "currency"
            ),
        )
        for rows in lists["offers"].values():
            rows[:] = sorted((*r[:4], "" if r[4] is None else str(r[4]), r[5]) for r in rows)
    return lists


Builder = Callable[[Loader, Movie, int, Row], Row]
LISTING = (
    "movie_id",
    "year",
    "sort_title",
    "rating_average",
    "rating_count",
    "popularity",
    "original_language_id",
)
SOURCE_COLUMNS = ("movie_id", "source", "url", "licence", "licence_url", "fields")
RATING_COLUMNS = ("movie_id", "source", "average", "votes", "updated_at")


def listing(movie: Movie) -> Row:
    """A movie's id, sort keys and language, as a genre or country listing copies them."""
    keys = sort_keys(movie)
    return (movie.pk, *(keys[k] for k in LISTING[1:]))


def db_datetime(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


# Per list: the table, its columns, and how a row of ``wanted_rows`` becomes a row of values.
# Rows are written as plain values (``insert_rows``): no model instance per row.
LIST_WRITERS: dict[str, tuple[Any, tuple[str, ...], Builder]] = {
    "genres": (
        MovieGenre,
        (*LISTING, "genre_id"),
        lambda loader, movie, _, row: (*listing(movie), loader.lookups.genres[row[0]]),
    ),
    "keywords": (
        Movie.keywords.through,
        ("movie_id", "keyword_id"),
        lambda loader, movie, _, row: (movie.pk, loader.lookups.keywords[row[0]]),
    ),
    "countries": (
        MovieCountry,
        (*LISTING, "country_id", "position"),
        lambda loader, movie, position, row: (*listing(movie), row[0], position),
    ),
    "spoken_languages": (
        Movie.spoken_languages.through,
        ("movie_id", "language_id"),
        lambda loader, movie, _, row: (movie.pk, row[0]),
    ),
    "release_dates": (
        ReleaseDate,
        ("movie_id", "country", "date", "kind", "note"),
        lambda loader, movie, _, row: (movie.pk, row[0], row[1], row[2], ""),
    ),
    "certifications": (
        Certification,
        ("movie_id", "country", "rating"),
        lambda loader, movie, _, row: (movie.pk, *row),
    ),
    "box_office": (
        BoxOffice,
        ("movie_id", "kind", "territory", "amount", "currency"),
        lambda loader, movie, _, row: (movie.pk, *row),
    ),
    "milestones": (
        Milestone,
        ("movie_id", "kind", "value", "currency", "territory", "date", "day"),
        lambda loader, movie, _, row: (movie.pk, *row),
    ),
    "alternate_titles": (
        AlternateTitle,
        ("movie_id", "title", "language", "region", "kind"),
        lambda loader, movie, _, row: (movie.pk, *row),
    ),
    "cast": (
        Credit,
        CREDIT_COLUMNS,
        lambda loader, movie, position, row: (
            movie.pk,
            row[0],
            CreditKind.CAST,
            row[1],
            "",
            "",
            position,
            movie.year,
            movie.popularity,
        ),
    ),
    "crew": (
        Credit,
        CREDIT_COLUMNS,
        lambda loader, movie, position, row: (
            movie.pk,
            row[0],
            CreditKind.CREW,
            "",
            row[1],
            row[2],
            position,
            movie.year,
            movie.popularity,
        ),
    ),
    "sources": (MovieSource, SOURCE_COLUMNS, lambda loader, movie, _, row: (movie.pk, *row)),
    "external_ratings": (
        ExternalRating,
        RATING_COLUMNS,
        lambda loader, movie, _, row: (movie.pk, *row, db_datetime(timezone.now())),
    ),
    "offers": (
        Offer,
        ("movie_id", "provider_id", "region", "kind", "url", "price", "currency"),
        lambda loader, movie, _, row: (
            movie.pk,
            loader.lookups.providers[row[0]],
            row[1],
            row[2],
            row[3],
            row[4] or None,
            row[5],
        ),
    ),
}


Reader = Callable[[Path], Iterable[Record]]


def import_files(
    paths: list[Path], reader: Reader, report: Report | None = None, source: str = Source.MARQUEE
) -> Report:
    """Read and load files in one transaction: all of them land, or none does."""
    loader = Loader(report, source)
    with transaction.atomic():
        for path in paths:
            loader.load(reader(path), source=str(path))
        return loader.finish()
