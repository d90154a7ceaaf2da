"""Keeps the search index in step with the catalog.

``refresh_movies(ids)`` and ``refresh_people(ids)`` rewrite the documents of those objects (and
drop the documents of ids that no longer exist); ``rebuild()`` rewrites everything. Admin edits
reach here through ``marquee.search.signals``; imports call ``refresh_changed_since()`` once at
the end instead, with the signals paused while they write.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from marquee import forks
from marquee.catalog.models import Movie
from marquee.people.models import Person
from marquee.search.backends import backend
from marquee.search.models import Document, IndexMark, Kind, Term, TitleKey
from marquee.search.text import analyse, is_term, without_article

BATCH = 2_000  # objects per round of queries when rebuilding; bounds memory
# From this many objects on, documents are built in a fork beside the writes (``_refresh_chunks``).
PARALLEL_MIN = 20_000
Advance = Callable[[str, int, int], None]  # progress(kind, done, total)
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
        # Each distinct title is folded once: at a million documents this loop is the index's
        # own cost.
        folded_names: dict[str, None] = {}
        folded_aka: dict[str, None] = {}
        extra_found: dict[str, None] = {}
        for titles_in, folded_out in ((titles, folded_names), (other_titles, folded_aka)):
            for title in dict.fromkeys(titles_in):
                if not title:
                    continue
                normalized, more = analyse(title)
                if normalized:
                    folded_out[normalized] = None
                extra_found.update(dict.fromkeys(more))
        names = list(folded_names)
        aka = [t for t in folded_aka if t not in folded_names]
        extra = list(extra_found)
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


def _fetch(sql: str, ids: Sequence[int], *before: Any) -> list[tuple[Any, ...]]:
    """Rows of ``sql``, whose ``{ids}`` is replaced by a list of placeholders for ``ids`` (after
    the parameters ``before``). Plain SQL: the ORM's work on a 2,000-value ``pk__in`` costs more
    than the query itself."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), [*before, *ids])
        return cursor.fetchall()


MOVIES_SQL = (
    "SELECT id, title, original_title, slug, year, popularity, rating_count "
    "FROM catalog_movie WHERE id IN ({ids})"
)
ALTERNATES_SQL = (
    "SELECT movie_id, title FROM catalog_alternatetitle WHERE movie_id IN ({ids}) ORDER BY id"
)
REMADE_SQL = (
    "SELECT other_id, COUNT(*) FROM catalog_movierelation "
    "WHERE other_id IN ({ids}) GROUP BY other_id"
)
PEOPLE_SQL = "SELECT id, name, original_name, slug FROM people_person WHERE id IN ({ids})"
RANKS_SQL = "SELECT rank FROM search_document WHERE kind = %s AND object_id IN ({ids})"
CAREERS_SQL = (
    "SELECT person_id, COUNT(*), MAX(popularity) FROM people_credit "
    "WHERE person_id IN ({ids}) GROUP BY person_id"
)


# A batch of documents is built from rows read here, by plain Python that may run in a fork.
MovieRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]
PersonRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def fetch_movies(ids: Sequence[int]) -> MovieRows:
    return _fetch(MOVIES_SQL, ids), _fetch(ALTERNATES_SQL, ids), _fetch(REMADE_SQL, ids)


def build_movies(rows: MovieRows) -> Batch:
    movies, alternate_rows, remade_rows = rows
    batch = Batch()
    alternates: dict[int, list[str]] = {}
    for movie_id, title in alternate_rows:
        alternates.setdefault(movie_id, []).append(title)
    remade: dict[int, int] = dict(remade_rows)
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


def fetch_people(ids: Sequence[int]) -> PersonRows:
    return _fetch(PEOPLE_SQL, ids), _fetch(CAREERS_SQL, ids)


def build_people(rows: PersonRows) -> Batch:
    people, career_rows = rows
    batch = Batch()
    careers = {person_id: (n, best or 0) for person_id, n, best in career_rows}
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


FETCH: dict[str, Callable[[Sequence[int]], Any]] = {
    Kind.MOVIE: fetch_movies,
    Kind.PERSON: fetch_people,
}
BUILD: dict[str, Callable[[Any], Batch]] = {
    Kind.MOVIE: build_movies,
    Kind.PERSON: build_people,
}
MODELS: dict[str, type[Movie] | type[Person]] = {Kind.MOVIE: Movie, Kind.PERSON: Person}


def _build(kind: str, rows: Any) -> Batch:
    return BUILD[kind](rows)


def _remove(kind: str, ids: Sequence[int]) -> None:
    ranks = [rank for (rank,) in _fetch(RANKS_SQL, ids, str(kind))]
    if not ranks:
        return
    backend().before_delete(ranks)
    TitleKey.objects.filter(rank__in=ranks).delete()
    Document.objects.filter(rank__in=ranks).delete()


def _write(kind: str, ids: list[int], batch: Batch) -> None:
    with transaction.atomic():
        _remove(kind, ids)
        batch.save()


def _refresh_chunks(
    kind: str,
    chunks: Iterable[list[int]],
    *,
    parallel: bool,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Rewrite the documents of the objects in ``chunks`` (lists of at most BATCH ids).

    ``parallel``: the documents are built in a fork while this process writes the previous
    batch. Building is Python and writing is the database, each about half the work, so on two
    cores a big refresh (an import, a rebuild) takes about half the time.
    """
    if not parallel or not forks.can_fork():
        for chunk in chunks:
            _write(kind, chunk, _build(kind, FETCH[kind](chunk)))
            if progress:
                progress(len(chunk))
        return
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(1, context, initializer=forks.detach, initargs=(os.getpid(),))
    pending: deque[tuple[list[int], Future[Batch]]] = deque()

    def write_oldest() -> None:
        chunk, result = pending.popleft()
        _write(kind, chunk, result.result())
        if progress:
            progress(len(chunk))

    try:
        with pool:
            for chunk in chunks:
                pending.append((chunk, pool.submit(_build, kind, FETCH[kind](chunk))))
                if len(pending) > 2:  # the fork has two in hand while this one is written
                    write_oldest()
            while pending:
                write_oldest()
    except BrokenProcessPool:
        # The fork was killed (by the kernel's OOM killer, say): say so rather than wait for
        # it. What is not indexed yet, the next import or a rebuild indexes.
        raise RuntimeError(
            "the process building search documents was stopped; the catalog is saved,"
            " and `marquee search rebuild` (or the next import) indexes it"
        ) from None


def refresh(kind: str, ids: Sequence[int]) -> None:
    """Rewrite the documents of these objects; ids of deleted objects lose theirs."""
    chunks = (list(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))
    _refresh_chunks(kind, chunks, parallel=len(ids) >= PARALLEL_MIN)


def refresh_movies(ids: Sequence[int]) -> None:
    refresh(Kind.MOVIE, ids)


def refresh_people(ids: Sequence[int]) -> None:
    refresh(Kind.PERSON, ids)


def refresh_changed_since(moment: datetime, progress: Advance | None = None) -> None:
    """Refresh every movie and person written at or after ``moment``: what an import touched.
    ``progress(kind, done, total)`` is called after each batch."""
    for kind, model in MODELS.items():
        changed = model.objects.filter(updated_at__gte=moment)
        many = changed[PARALLEL_MIN - 1 : PARALLEL_MIN].exists()
        advance = _counter(kind, changed.count(), progress) if progress else None
        _refresh_chunks(kind, _ids_in_batches(changed), parallel=many, progress=advance)
        if many:
            backend().after_many_writes()


def refresh_after_import(started: datetime, progress: Advance | None = None) -> None:
    """Index what an import wrote (everything written since it ``started``) and whatever an
    earlier import wrote but did not get to index; then move the mark to ``started``."""
    mark = IndexMark.objects.filter(pk=1).first()
    since = min(mark.through, started) if mark else started
    refresh_changed_since(since, progress)
    IndexMark.objects.update_or_create(pk=1, defaults={"through": started})


def _counter(kind: str, total: int, progress: Advance) -> Callable[[int], None]:
    """``progress`` as ``_refresh_chunks`` calls it: with the size of each batch done."""
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        progress(kind, done, total)

    return advance


def _ids_in_batches(objects: QuerySet[Movie] | QuerySet[Person]) -> Iterator[list[int]]:
    """The ids of ``objects`` in order, BATCH at a time, without holding them all: at 15 million
    people a list of ids alone would take hundreds of megabytes."""
    last = 0
    while True:
        ids = list(objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


def rebuild(progress: Advance | None = None) -> int:
    """Rewrite the whole index; ``progress(kind, done, total)`` is called after each batch.
    Returns the number of documents written."""
    started = timezone.now()
    with transaction.atomic():
        backend().clear()
        TitleKey.objects.all().delete()
        Term.objects.all().delete()
        Document.objects.all().delete()
    written = 0
    for kind, model in MODELS.items():
        total = model.objects.count()
        done = 0

        def advance(count: int, kind: str = kind, total: int = total) -> None:
            nonlocal done
            done += count
            if progress:
                progress(kind, done, total)

        _refresh_chunks(
            kind,
            _ids_in_batches(model.objects.all()),
            parallel=total >= PARALLEL_MIN,
            progress=advance,
        )
        written += done
    backend().optimize()
    IndexMark.objects.update_or_create(pk=1, defaults={"through": started})
    return written
