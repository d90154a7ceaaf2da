"""Writes records from any reader into the catalog.

The loader owns no transaction: callers wrap a whole import in one (``import_files``), so a bad
record leaves the database as it was. Lookup tables (genres, countries, languages, keywords) are
cached for the run; a record's own rows (credits, release dates, titles…) are replaced whole, so
loading the same file twice gives the same catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from marquee.catalog import codes
from marquee.catalog.models import (
    AlternateTitle,
    BoxOffice,
    Certification,
    Country,
    Genre,
    Keyword,
    Language,
    Milestone,
    Movie,
    MovieCountry,
    MovieGenre,
    MovieRelation,
    ReleaseDate,
    sort_keys,
)
from marquee.ingest.records import IngestError, MovieRecord, PersonRecord
from marquee.ingest.report import Report
from marquee.people.models import Credit, CreditKind, Person


class Loader:
    def __init__(self, report: Report | None = None) -> None:
        self.report = report or Report()
        self._people: dict[str, int] = {}
        self._movies: dict[str, int] = {}
        self._genres: dict[str, Genre] = {}
        self._keywords: dict[str, Keyword] = {}
        self._countries: dict[str, Country] = {}
        self._languages: dict[str, Language] = {}
        self._pending_relations: list[tuple[int, str, str, str, int | None]] = []

    def load(self, records: Iterable[PersonRecord | MovieRecord], source: str) -> None:
        for record in records:
            try:
                with transaction.atomic():  # a savepoint, so the error names the record
                    if isinstance(record, PersonRecord):
                        self.load_person(record)
                    else:
                        self.load_movie(record, source)
            except IntegrityError as error:
                raise IngestError(
                    f"{record.key}: conflicts with the catalog ({error})",
                    source=source,
                    line=record.line,
                ) from None

    def finish(self) -> Report:
        """Resolve relations, which may point at movies later in the files."""
        for movie_id, kind, other_key, source, line in self._pending_relations:
            other_id = self._movie_id(other_key)
            if other_id is None:
                raise IngestError(
                    f"relation to unknown movie {other_key!r}", source=source, line=line
                )
            MovieRelation.objects.get_or_create(movie_id=movie_id, other_id=other_id, kind=kind)
            self.report.created("relations")
        self._pending_relations.clear()
        return self.report

    # People

    def load_person(self, record: PersonRecord) -> None:
        person, created = Person.objects.update_or_create(
            slug=record.key,
            defaults={
                "name": record.name,
                "original_name": record.original_name,
                "birth_date": record.birth_date,
                "death_date": record.death_date,
                "biography": record.biography,
                "imdb_id": record.imdb_id,
                "tmdb_id": record.tmdb_id,
                "wikidata_id": record.wikidata_id,
            },
        )
        self._people[record.key] = person.pk
        self.report.read("people")
        if created:
            self.report.created("people")
        else:
            self.report.updated("people")

    def _person_id(self, key: str, record: MovieRecord, source: str) -> int:
        if key not in self._people:
            found = Person.objects.filter(slug=key).values_list("pk", flat=True).first()
            if found is None:
                raise IngestError(
                    f"{record.key}: credit for unknown person {key!r} (define people before "
                    "the movies that use them)",
                    source=source,
                    line=record.line,
                )
            self._people[key] = found
        return self._people[key]

    # Movies

    def load_movie(self, record: MovieRecord, source: str) -> None:
        movie, created = Movie.objects.update_or_create(
            slug=record.key,
            defaults={
                "title": record.title,
                "original_title": record.original_title,
                "sort_title": record.sort_title,
                "year": record.year,
                "runtime": record.runtime,
                "original_language": self.language(record.original_language)
                if record.original_language
                else None,
                "tagline": record.tagline,
                "synopsis": record.synopsis,
                "plot": record.plot,
                "background": record.background,
                "reception": record.reception,
                "budget": record.budget,
                "budget_currency": record.budget_currency,
                "imdb_id": record.imdb_id,
                "tmdb_id": record.tmdb_id,
                "wikidata_id": record.wikidata_id,
                "movielens_id": record.movielens_id,
            },
        )
        self._movies[record.key] = movie.pk
        self.report.movie_ids.append(movie.pk)
        self.report.read("movies")
        if created:
            self.report.created("movies")
        else:
            self.report.updated("movies")
            self._clear_movie_rows(movie)

        keys = sort_keys(movie)
        MovieGenre.objects.bulk_create(
            MovieGenre(movie=movie, genre=self.genre(name), **keys)
            for name in dict.fromkeys(record.genres)
        )
        movie.keywords.set([self.keyword(name) for name in dict.fromkeys(record.keywords)])
        movie.spoken_languages.set([self.language(code) for code in record.spoken_languages])
        MovieCountry.objects.bulk_create(
            MovieCountry(movie=movie, country=self.country(code), position=position, **keys)
            for position, code in enumerate(dict.fromkeys(record.countries))
        )
        ReleaseDate.objects.bulk_create(
            ReleaseDate(movie=movie, country=r.country, date=r.date, kind=r.kind)
            for r in record.release_dates
        )
        Certification.objects.bulk_create(
            Certification(movie=movie, country=country, rating=rating)
            for country, rating in dict(record.certifications).items()
        )
        BoxOffice.objects.bulk_create(
            BoxOffice(
                movie=movie,
                kind=b.kind,
                territory=b.territory,
                amount=b.amount,
                currency=b.currency,
            )
            for b in record.box_office
        )
        Milestone.objects.bulk_create(
            Milestone(
                movie=movie,
                kind=m.kind,
                value=m.value,
                currency=m.currency,
                territory=m.territory,
                date=m.date,
                day=m.day,
            )
            for m in record.milestones
        )
        AlternateTitle.objects.bulk_create(
            AlternateTitle(
                movie=movie, title=t.title, language=t.language, region=t.region, kind=t.kind
            )
            for t in record.alternate_titles
        )
        credits = [
            Credit(
                movie=movie,
                person_id=self._person_id(c.person, record, source),
                kind=CreditKind.CAST,
                character=c.character,
                order=order,
                year=movie.year,
                popularity=movie.popularity,
            )
            for order, c in enumerate(record.cast)
        ]
        credits += [
            Credit(
                movie=movie,
                person_id=self._person_id(c.person, record, source),
                kind=CreditKind.CREW,
                department=c.department,
                job=c.job,
                order=order,
                year=movie.year,
                popularity=movie.popularity,
            )
            for order, c in enumerate(record.crew)
        ]
        Credit.objects.bulk_create(credits)
        for kind, other_key in record.relations:
            self._pending_relations.append((movie.pk, kind, other_key, source, record.line))

    def _clear_movie_rows(self, movie: Movie) -> None:
        for model in (
            MovieGenre,
            MovieCountry,
            ReleaseDate,
            Certification,
            BoxOffice,
            Milestone,
            AlternateTitle,
            Credit,
        ):
            model.objects.filter(movie=movie).delete()
        MovieRelation.objects.filter(movie=movie).delete()

    def _movie_id(self, key: str) -> int | None:
        if key not in self._movies:
            found = Movie.objects.filter(slug=key).values_list("pk", flat=True).first()
            if found is None:
                return None
            self._movies[key] = found
        return self._movies[key]

    # Lookup tables

    def genre(self, name: str) -> Genre:
        if name not in self._genres:
            self._genres[name], _ = Genre.objects.get_or_create(
                slug=slugify(name), defaults={"name": name}
            )
        return self._genres[name]

    def keyword(self, name: str) -> Keyword:
        if name not in self._keywords:
            self._keywords[name], _ = Keyword.objects.get_or_create(
                slug=slugify(name)[:100] or "keyword", defaults={"name": name}
            )
        return self._keywords[name]

    def country(self, code: str) -> Country:
        if code not in self._countries:
            self._countries[code], _ = Country.objects.get_or_create(
                code=code, defaults={"name": codes.country_name(code)}
            )
        return self._countries[code]

    def language(self, code: str) -> Language:
        if code not in self._languages:
            self._languages[code], _ = Language.objects.get_or_create(
                code=code, defaults={"name": codes.language_name(code)}
            )
        return self._languages[code]


Reader = Callable[[Path], Iterable[PersonRecord | MovieRecord]]


def import_files(paths: list[Path], reader: Reader, report: Report | None = None) -> Report:
    """Read and load files in one transaction: all of them land, or none does."""
    loader = Loader(report)
    with transaction.atomic():
        for path in paths:
            loader.load(reader(path), source=str(path))
        return loader.finish()
