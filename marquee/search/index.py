"""Keeps the search index in step with the catalog.

``refresh_movies(ids)`` and ``refresh_people(ids)`` rewrite the documents of those objects (and
drop the documents of ids that no longer exist); ``rebuild()`` rewrites everything. Admin edits
reach here through ``marquee.search.signals``; imports call ``refresh_changed_since()`` once at
the end instead, with the signals paused while they write.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from marquee.catalog.models import AlternateTitle, Movie, MovieRelation
from marquee.people.models import Credit, Person
from marquee.search.backends import backend
from marquee.search.models import Document, IndexMark, Kind, Term, TitleKey
from marquee.search.text import extra_words, is_term, normalize, without_article

BATCH = 2_000  # objects per round of queries when rebuilding; bounds memory
MAX_KEY_LENGTH = 200
# The prominence bucket is the high part of a document's rank: 1024 steps of 1/64.
PROMINENCE_STEPS = 64
MAX_BUCKET = 1023
KIND_BIT = {Kind.MOVIE: 0, Kind.PERSON: 1}

_paused: ContextVar[bool] = ContextVar("search_index_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """Saves inside this block do not refresh the index; the caller refreshes afterwards."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def is_paused() -> bool:
    return _paused.get()


def rank_of(kind: str, object_id: int, prominence: float) -> int:
    bucket = min(MAX_BUCKET, max(0, int(prominence * PROMINENCE_STEPS)))
    return (bucket << 41) | (KIND_BIT[Kind(kind)] << 40) | object_id


DOCUMENT_COLUMNS = (
    "kind", "object_id", "rank", "name", "subtitle", "slug", "year", "prominence", "names", "aka",
    "extra",
)  # fmt: skip


@dataclass
class Batch:
    """Rows for the index tables, written with plain ``executemany``: at a million titles the
    ORM's per-object work would cost more than the database's."""

    documents: list[tuple[str | int | float | None, ...]] = field(default_factory=list)
    keys: list[tuple[str, int]] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)
    ranks: list[int] = field(default_factory=list)

    def add(
        self,
        kind: str,
        object_id: int,
        *,
        name: str,
        subtitle: str,
        slug: str,
        year: int | None,
        prominence: float,
        titles: Sequence[str],
        other_titles: Sequence[str],
    ) -> None:
        names = list(dict.fromkeys(t for t in map(normalize, titles) if t))
        aka = [t for t in dict.fromkeys(map(normalize, other_titles)) if t and t not in names]
        every_title = (*titles, *other_titles)
        extra = list(dict.fromkeys(w for title in every_title for w in extra_words(title)))
        if year:
            extra.append(str(year))
        rank = rank_of(kind, object_id, prominence)
        self.ranks.append(rank)
        self.documents.append(
            (
                str(kind),
                object_id,
                rank,
                name[:500],
                subtitle[:500],
                slug,
                year,
                prominence,
                "\n".join(names),
                "\n".join(aka),
                " ".join(extra),
            )
        )
        keys = {
            key[:MAX_KEY_LENGTH]
            for title in (*names, *aka)
            for key in (title, without_article(title))
        }
        self.keys += [(key, rank) for key in sorted(keys)]
        for text in (*names, *aka, *extra):
            self.terms.update(word for word in text.split() if is_term(word))

    def save(self) -> None:
        if not self.documents:
            return
        marks = ", ".join(["%s"] * len(DOCUMENT_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_document ({', '.join(DOCUMENT_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                self.documents,
            )
            cursor.executemany("INSERT INTO search_titlekey (key, rank) VALUES (%s, %s)", self.keys)
            cursor.executemany(
                "INSERT INTO search_term (word) VALUES (%s) ON CONFLICT DO NOTHING",
                [(word,) for word in sorted(self.terms)],
            )
        backend().after_insert(self.ranks)


def movie_prominence(popularity: float, rating_count: int, titles_known: int, remade: int) -> float:
    """How likely a visitor means this film among others with the same words: audience figures
    first, then how widely it travelled (titles in other languages, remakes of it)."""
    return (
        math.log1p(max(popularity, 0))
        + math.log1p(rating_count)
        + 0.3 * min(titles_known, 10)
        + 0.5 * min(remade, 6)
    )


def person_prominence(credits: int, best_popularity: float) -> float:
    return math.log1p(credits) + math.log1p(max(best_popularity, 0))


def movie_batch(ids: Sequence[int]) -> Batch:
    batch = Batch()
    movies = Movie.objects.filter(pk__in=ids).values_list(
        "pk", "title", "original_title", "slug", "year", "popularity", "rating_count"
    )
    alternates: dict[int, list[str]] = {}
    for movie_id, title in AlternateTitle.objects.filter(movie_id__in=ids).values_list(
        "movie_id", "title"
    ):
        alternates.setdefault(movie_id, []).append(title)
    remade = dict(
        MovieRelation.objects.filter(other_id__in=ids)
        .values("other_id")
        .annotate(n=Count("id"))
        .values_list("other_id", "n")
        .order_by()
    )
    for pk, title, original, slug, year, popularity, rating_count in movies:
        other_titles = alternates.get(pk, [])
        batch.add(
            Kind.MOVIE,
            pk,
            name=title,
            subtitle=original if original and original != title else "",
            slug=slug,
            year=year,
            prominence=movie_prominence(
                popularity or 0, rating_count, len(other_titles), remade.get(pk, 0)
            ),
            titles=[title, original],
            other_titles=other_titles,
        )
    return batch


def person_batch(ids: Sequence[int]) -> Batch:
    batch = Batch()
    people = Person.objects.filter(pk__in=ids).values_list("pk", "name", "original_name", "slug")
    careers = {
        person_id: (n, best or 0)
        for person_id, n, best in Credit.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(n=Count("id"), best=Max("popularity"))
        .values_list("person_id", "n", "best")
        .order_by()
    }
    for pk, name, original, slug in people:
        credits, best = careers.get(pk, (0, 0.0))
        batch.add(
            Kind.PERSON,
            pk,
            name=name,
            subtitle=original if original and original != name else "",
            slug=slug,
            year=None,
            prominence=person_prominence(credits, best),
            titles=[name, original],
            other_titles=[],
        )
    return batch


BUILDERS: dict[str, Callable[[Sequence[int]], Batch]] = {
    Kind.MOVIE: movie_batch,
    Kind.PERSON: person_batch,
}


def _remove(kind: str, ids: Sequence[int]) -> None:
    ranks = list(
        Document.objects.filter(kind=kind, object_id__in=ids).values_list("rank", flat=True)
    )
    if not ranks:
        return
    backend().before_delete(ranks)
    TitleKey.objects.filter(rank__in=ranks).delete()
    Document.objects.filter(rank__in=ranks).delete()


def refresh(kind: str, ids: Sequence[int]) -> None:
    """Rewrite the documents of these objects; ids of deleted objects lose theirs."""
    for start in range(0, len(ids), BATCH):
        chunk = list(ids[start : start + BATCH])
        with transaction.atomic():
            _remove(kind, chunk)
            BUILDERS[kind](chunk).save()


def refresh_movies(ids: Sequence[int]) -> None:
    refresh(Kind.MOVIE, ids)


def refresh_people(ids: Sequence[int]) -> None:
    refresh(Kind.PERSON, ids)


def refresh_changed_since(moment: datetime) -> None:
    """Refresh every movie and person written at or after ``moment``: what an import touched."""
    refresh_movies(list(Movie.objects.filter(updated_at__gte=moment).values_list("pk", flat=True)))
    refresh_people(list(Person.objects.filter(updated_at__gte=moment).values_list("pk", flat=True)))


def refresh_after_import(started: datetime) -> None:
    """Index what an import wrote (everything written since it ``started``) and whatever an
    earlier import wrote but did not get to index; then move the mark to ``started``."""
    mark = IndexMark.objects.filter(pk=1).first()
    since = min(mark.through, started) if mark else started
    refresh_changed_since(since)
    IndexMark.objects.update_or_create(pk=1, defaults={"through": started})


def _ids_in_batches(model: type[Movie] | type[Person]) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Rewrite the whole index; ``progress(kind, done, total)`` is called after each batch.
    Returns the number of documents written."""
    started = timezone.now()
    with transaction.atomic():
        backend().clear()
        TitleKey.objects.all().delete()
        Term.objects.all().delete()
        Document.objects.all().delete()
    written = 0
    for kind, model in ((Kind.MOVIE, Movie), (Kind.PERSON, Person)):
        total = model.objects.count()
        done = 0
        for ids in _ids_in_batches(model):
            with transaction.atomic():
                BUILDERS[kind](ids).save()
            done += len(ids)
            if progress:
                progress(kind, done, total)
        written += done
    backend().optimize()
    IndexMark.objects.update_or_create(pk=1, defaults={"through": started})
    return written
