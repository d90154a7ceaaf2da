"""Content-based related movies, precomputed for every movie.

Two movies are related when they share something a viewer would notice, weighted by how telling
it is: an explicit relation (remake, sequel) beats a shared director, which beats a shared star,
which beats a shared theme, which beats a shared genre. Country, language and era break ties.
Each pick keeps a short reason taken from its strongest link ("Remake", "Same director",
"Also stars Ryu Seung-ryong", "Also about wrongful conviction", "Drama · Comedy").

Candidates come from inverted indexes (person → movies, keyword → movies); very common keys are
skipped, so the work stays near-linear in the number of credits even at a million titles. A later
issue adds collaborative signals and a measured evaluation.

Memory stays small (184 MiB at a million films): what every candidate needs (year, language,
popularity, genres, countries) sits in arrays indexed by movie id, the inverted indexes in flat
arrays sorted by key, and a movie's own people and keywords are read from the database a chunk
of movies at a time as it is scored. Scoring runs in forks when the catalog is big; they inherit
those arrays without copying them. Each chunk's picks are written in a short transaction of
their own.

``rebuild_related()`` scores every movie. ``refresh_related()``, run after imports, scores only
the movies whose features changed since they were last scored (a digest per movie tells), the
movies that list them and the movies that share a person or a theme with them; when that is most
of the catalog it rebuilds instead.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import multiprocessing
import os
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from marquee import forks
from marquee.catalog.models import (
    Genre,
    Keyword,
    Movie,
    MovieCountry,
    MovieGenre,
    MovieRelation,
    RelationKind,
)
from marquee.ingest.bulk import insert_rows
from marquee.people.models import Credit, CreditKind, Person
from marquee.related.models import RelatedMovie, ScoredMovie

RELATED_PER_MOVIE = 12
# Keys shared by more movies than this neither propose candidates nor add to scores: a
# thousand-film character actor or "woman director" says little about any two of them.
MAX_KEY_FANOUT = 200
FETCH_BATCH = 20_000
CHUNK = 2_000  # movies scored per task
PARALLEL_MIN = 20_000  # movies to score before forks are worth starting
# An incremental refresh that would rescore more than this share of the catalog rebuilds it;
# so does one of a catalog this small, which takes seconds and settles everything.
REFRESH_SHARE = 0.3
REFRESH_MIN = 20_000

RELATION_WEIGHT = 100.0
DIRECTOR_WEIGHT = 8.0
WRITER_WEIGHT = 4.0
KEYWORD_WEIGHT = 3.0
GENRE_WEIGHT = 2.5
COUNTRY_WEIGHT = 1.5
LANGUAGE_WEIGHT = 1.0
ERA_WEIGHT = 1.0
RELATION_REASONS = {
    RelationKind.REMAKE_OF: ("Original", "Remake"),
    RelationKind.SEQUEL_OF: ("Earlier part", "Sequel"),
    RelationKind.SAME_SOURCE: ("Same source", "Same source"),
}
MAX_LIKENESS = GENRE_WEIGHT + COUNTRY_WEIGHT + LANGUAGE_WEIGHT + ERA_WEIGHT + 0.1
WRITING_JOBS = {"Screenplay", "Writer", "Novel", "Story", "Original Story", "Author"}

# A credit that counts, as one small code: (weight, role). Each weight belongs to one role, so
# keeping a person's heaviest credit on a film also settles the role.
ROLES: tuple[tuple[float, str], ...] = (
    (6.0, "cast"),  # billed 1st to 3rd
    (3.5, "cast"),  # 4th to 6th
    (1.5, "cast"),
    (DIRECTOR_WEIGHT, "director"),
    (WRITER_WEIGHT, "writer"),
)
DIRECTOR, WRITER = 3, 4


def role_code(kind: str, job: str, order: int) -> int | None:
    """A lead shared between two films says more than the tenth-billed actor."""
    if kind == CreditKind.CAST:
        return 0 if order < 3 else 1 if order < 6 else 2
    if job == "Director":
        return DIRECTOR
    if job in WRITING_JOBS:
        return WRITER
    return None


def counting_credits() -> QuerySet[Credit]:
    return Credit.objects.filter(
        Q(kind=CreditKind.CAST) | Q(job="Director") | Q(job__in=WRITING_JOBS)
    )


# A reason is kept as a small tuple while scoring and turned into words only for the picks:
# ("relation", label), ("director",), ("writer",), ("cast" | "director" | "writer", person),
# ("keyword", keyword), ("genres", names).
Reason = tuple[str, ...] | tuple[str, int]


@dataclass
class Link:
    score: float = 0.0
    best: float = 0.0
    reason: Reason | None = None

    def add(self, weight: float, reason: Reason) -> None:
        self.score += weight
        if weight > self.best:
            self.best, self.reason = weight, reason


class Inverted:
    """key → [(movie, code)] for keys on 2 to MAX_KEY_FANOUT movies, as flat arrays sorted by
    key: at 15M credits a dict of lists would take gigabytes, these take tens of megabytes."""

    def __init__(self) -> None:
        self.keys = array("q")
        self.starts = array("q", [0])
        self.movies = array("q")
        self.codes = array("b")

    def add(self, key: int, movies: dict[int, int]) -> None:
        """``movies``: movie → code, for one key, keys given in increasing order."""
        if 1 < len(movies) <= MAX_KEY_FANOUT:
            self.keys.append(key)
            self.movies.extend(movies)
            self.codes.extend(movies.values())
            self.starts.append(len(self.movies))

    def get(self, key: int) -> tuple[array[int], array[int]] | None:
        at = bisect_left(self.keys, key)
        if at == len(self.keys) or self.keys[at] != key:
            return None
        start, end = self.starts[at], self.starts[at + 1]
        return self.movies[start:end], self.codes[start:end]


def _grouped(rows: Iterable[tuple[int, int, int]], into: Inverted) -> None:
    """(key, movie, code) rows ordered by key → ``into``, keeping each movie's best code."""
    current: int | None = None
    movies: dict[int, int] = {}
    for key, movie, code in rows:
        if key != current:
            if current is not None:
                into.add(current, movies)
            current, movies = key, {}
        best = movies.get(movie)
        if best is None or ROLES[code][0] > ROLES[best][0]:
            movies[movie] = code
    if current is not None:
        into.add(current, movies)


@dataclass
class Me:
    """What one movie brings to its own scoring, read a chunk of movies at a time."""

    movie: int
    people: dict[int, int] = field(default_factory=dict)  # person → role code, billing order
    # Lists in the order entered; the scoring walks them as sets, as it always has, so that
    # ties fall the same way whichever process scores.
    keywords: list[int] = field(default_factory=list)
    genres: list[int] = field(default_factory=list)


@dataclass
class Catalog:
    """What the scoring needs about every movie, as arrays indexed by movie id."""

    size: int
    exists: bytearray
    year: array[int]
    language: array[int]
    popularity: array[float]
    genres: list[int]  # bit masks, one bit per genre (``genre_bits``)
    countries: list[int]  # bit masks likewise
    genre_bits: dict[int, int]
    language_codes: list[str]  # by the number ``language`` holds; 0 is none
    country_codes: list[str]  # by bit
    genre_names: dict[int, str]
    keyword_names: dict[int, str]
    keyword_idf: dict[int, float]
    by_person: Inverted
    by_keyword: Inverted
    relations: dict[int, dict[int, str]]
    # A few popular films per genre fill neighbourhoods that share nothing more specific.
    genre_pool: dict[int, list[int]]
    shared_genre_words: dict[int, str] = field(default_factory=dict)

    def related_for(self, me: Me) -> list[tuple[int, float, Reason]]:
        """Up to RELATED_PER_MOVIE (movie id, score, reason), best first."""
        movie_id = me.movie
        links: dict[int, Link] = defaultdict(Link)
        for other, label in self.relations.get(movie_id, {}).items():
            links[other].add(RELATION_WEIGHT, ("relation", label))
        self._add_shared_people(me, links)
        self._add_shared_keywords(me, links)
        if len(links) < RELATED_PER_MOVIE:
            self._add_genre_pool(me, links)

        if len(links) > RELATED_PER_MOVIE:
            # Likeness adds at most MAX_LIKENESS, so candidates too far behind cannot catch up.
            cutoff = heapq.nlargest(RELATED_PER_MOVIE, (link.score for link in links.values()))[-1]
            links = {o: link for o, link in links.items() if link.score >= cutoff - MAX_LIKENESS}

        scored = []
        for other, link in links.items():
            self._add_likeness(movie_id, other, link)
            if link.reason:
                scored.append((other, link.score, link.reason))
        return heapq.nsmallest(RELATED_PER_MOVIE, scored, key=lambda item: (-item[1], item[0]))

    def _add_shared_people(self, me: Me, links: dict[int, Link]) -> None:
        for person, code in me.people.items():
            credits = self.by_person.get(person)
            if credits is None:
                continue
            weight, role = ROLES[code]
            for other, their_code in zip(*credits, strict=True):
                if other == me.movie:
                    continue
                their_weight, their_role = ROLES[their_code]
                if role == their_role and role != "cast":
                    reason: Reason = (role,)  # "Same director"
                else:
                    reason = (their_role, person)  # "Also stars …", "Directed by …"
                links[other].add(min(weight, their_weight), reason)

    def _add_shared_keywords(self, me: Me, links: dict[int, Link]) -> None:
        for keyword in set(me.keywords):
            movies = self.by_keyword.get(keyword)
            if movies is None:
                continue
            weight = KEYWORD_WEIGHT * self.keyword_idf[keyword]
            reason = ("keyword", keyword)
            for other in movies[0]:
                if other != me.movie:
                    links[other].add(weight, reason)

    def _add_genre_pool(self, me: Me, links: dict[int, Link]) -> None:
        for genre in set(me.genres):
            for other in self.genre_pool.get(genre, ()):
                if other != me.movie and other not in links:
                    links[other] = Link()
                if len(links) >= RELATED_PER_MOVIE * 3:
                    return

    def _add_likeness(self, movie_id: int, other: int, link: Link) -> None:
        mine, theirs = self.genres[movie_id], self.genres[other]
        shared = mine & theirs
        if shared:
            jaccard = shared.bit_count() / (mine | theirs).bit_count()
            link.add(GENRE_WEIGHT * jaccard, ("genres", self._genre_words(shared)))
        if self.countries[movie_id] & self.countries[other]:
            link.score += COUNTRY_WEIGHT
        language = self.language[movie_id]
        if language and language == self.language[other]:
            link.score += LANGUAGE_WEIGHT
        year, their_year = self.year[movie_id], self.year[other]
        if year and their_year:
            link.score += ERA_WEIGHT * max(0.0, 1 - abs(year - their_year) / 20)
        link.score += min(self.popularity[other], 100) / 1000  # a gentle nudge towards known films

    def _genre_words(self, mask: int) -> str:
        words = self.shared_genre_words.get(mask)
        if words is None:
            names = sorted(
                name for genre, name in self.genre_names.items() if mask & self.genre_bits[genre]
            )
            words = self.shared_genre_words[mask] = " · ".join(names[:3])
        return words

    def neighbours(self, me: Me) -> Iterator[int]:
        """The movies whose scoring may meet this one: itself, and whoever it shares a person,
        a theme or a relation with (the links candidates come from)."""
        yield me.movie
        yield from self.relations.get(me.movie, {})
        for person in me.people:
            credits = self.by_person.get(person)
            if credits is not None:
                yield from credits[0]
        for keyword in me.keywords:
            movies = self.by_keyword.get(keyword)
            if movies is not None:
                yield from movies[0]

    def digest(self, me: Me) -> int:
        """A fingerprint of what this movie's scoring reads about it (popularity aside: it
        moves with every vote, and only nudges). Made of ids and codes, never of the bits and
        numbers this run gave them, which follow the order rows happened to come in."""
        countries = self.countries[me.movie]
        features = (
            self.year[me.movie],
            self.language_codes[self.language[me.movie]],
            sorted(me.genres),
            sorted(self.country_codes[bit] for bit in _bits(countries)),
            sorted(me.people.items()),
            sorted(me.keywords),
            sorted(self.relations.get(me.movie, {}).items()),
        )
        raw = hashlib.blake2b(repr(features).encode(), digest_size=8).digest()
        return int.from_bytes(raw, "big", signed=True)


def _bits(mask: int) -> Iterator[int]:
    """The positions of the bits set in ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _stream(queryset: QuerySet[Any, Any]) -> Iterator[Any]:
    """Rows in batches, through a server-side cursor on PostgreSQL: at 15M credits a list of
    them would not fit."""
    yield from queryset.iterator(chunk_size=FETCH_BATCH)


def load_catalog() -> Catalog:
    size = (Movie.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    exists = bytearray(size)
    year, language, popularity = (
        array("h", bytes(2 * size)),
        array("i", bytes(4 * size)),
        array("d", bytes(8 * size)),
    )
    languages: dict[str, int] = {"": 0}
    for pk, movie_year, code, movie_popularity in _stream(
        Movie.objects.order_by().values_list("pk", "year", "original_language_id", "popularity")
    ):
        exists[pk] = 1
        year[pk] = movie_year or 0
        language[pk] = languages.setdefault(code or "", len(languages))
        popularity[pk] = movie_popularity or 0.0

    genre_names = dict(Genre.objects.values_list("pk", "name"))
    genre_bits = {pk: 1 << bit for bit, pk in enumerate(sorted(genre_names))}
    genres = [0] * size
    for movie_id, genre_id in _stream(
        MovieGenre.objects.order_by().values_list("movie_id", "genre_id")
    ):
        genres[movie_id] |= genre_bits[genre_id]
    country_bits: dict[str, int] = {}
    countries = [0] * size
    for movie_id, code in _stream(
        MovieCountry.objects.order_by().values_list("movie_id", "country_id")
    ):
        countries[movie_id] |= country_bits.setdefault(code, 1 << len(country_bits))

    by_person = Inverted()
    credits = counting_credits().order_by("person_id", "movie_id")
    _grouped(
        (
            (person, movie, code)
            for person, movie, kind, job, order in _stream(
                credits.values_list("person_id", "movie_id", "kind", "job", "order")
            )
            if (code := role_code(kind, job, order)) is not None
        ),
        by_person,
    )

    tagged = Movie.keywords.through.objects
    counts: dict[int, int] = dict(
        tagged.order_by().values_list("keyword_id").annotate(Count("movie_id"))
    )
    # Rarer themes say more: "wrongful conviction" over "friendship".
    total = max(int(exists.count(1)), 1)
    keyword_idf = {
        keyword: 0.5 + math.log(total / n) / math.log(total + 1) for keyword, n in counts.items()
    }
    by_keyword = Inverted()
    _grouped(
        (
            (keyword, movie, 0)
            for keyword, movie in _stream(
                tagged.order_by("keyword_id", "movie_id").values_list("keyword_id", "movie_id")
            )
        ),
        by_keyword,
    )
    keyword_names = dict(Keyword.objects.values_list("pk", "name"))

    relations: dict[int, dict[int, str]] = defaultdict(dict)
    for movie_id, other_id, kind in MovieRelation.objects.order_by("pk").values_list(
        "movie_id", "other_id", "kind"
    ):
        # Seen from each side: the remake calls the other "Original", the original "Remake".
        forward, backward = RELATION_REASONS[RelationKind(kind)]
        relations[movie_id][other_id] = forward
        relations[other_id][movie_id] = backward

    genre_pool = {
        genre: list(
            Movie.objects.filter(genres=genre)
            .order_by("-popularity", "sort_title", "pk")
            .values_list("pk", flat=True)[: RELATED_PER_MOVIE * 3]
        )
        for genre in genre_names
    }
    return Catalog(
        size=size,
        exists=exists,
        year=year,
        language=language,
        popularity=popularity,
        genres=genres,
        countries=countries,
        genre_bits=genre_bits,
        language_codes=list(languages),
        country_codes=list(country_bits),
        genre_names=genre_names,
        keyword_names=keyword_names,
        keyword_idf=keyword_idf,
        by_person=by_person,
        by_keyword=by_keyword,
        relations=dict(relations),
        genre_pool=genre_pool,
    )


def read_chunk(movies: Sequence[int]) -> list[Me]:
    """Each movie's own people, keywords and genres, in the order they were entered (billing
    order for people): ties between equally strong links go to the first. ``movies`` ascend."""
    mine = {movie: Me(movie) for movie in movies}
    if movies[-1] - movies[0] + 1 == len(movies):
        among = Q(movie_id__gte=movies[0], movie_id__lte=movies[-1])  # one index range
    else:
        among = Q(movie_id__in=movies)
    credits = counting_credits().filter(among).order_by("movie_id", "kind", "order", "pk")
    for movie, person, kind, job, order in credits.values_list(
        "movie_id", "person_id", "kind", "job", "order"
    ):
        code = role_code(kind, job, order)
        if code is None:
            continue
        people = mine[movie].people
        best = people.get(person)
        if best is None or ROLES[code][0] > ROLES[best][0]:
            people[person] = code
    tagged = Movie.keywords.through.objects.filter(among).order_by("movie_id", "pk")
    for movie, keyword in tagged.values_list("movie_id", "keyword_id"):
        mine[movie].keywords.append(keyword)
    listed = MovieGenre.objects.filter(among).order_by("movie_id", "pk")
    for movie, genre in listed.values_list("movie_id", "genre_id"):
        mine[movie].genres.append(genre)
    return list(mine.values())


Picks = list[tuple[int, float, Reason]]
Advance = Callable[[str, int, int], None]  # progress(stage, done, total)
_forked_catalog: Catalog | None = None  # what forks score with, inherited rather than sent


def _score_in_fork(chunk: list[Me]) -> list[Picks]:
    assert _forked_catalog is not None
    return [_forked_catalog.related_for(me) for me in chunk]


def _scored(
    catalog: Catalog, chunks: Iterable[Sequence[int]], *, parallel: bool
) -> Iterator[tuple[list[Me], list[Picks]]]:
    """Each chunk of movies, read here, with its picks. ``parallel``: forks score while this
    process reads the next chunks and writes the picks."""
    if not parallel or not forks.can_fork():
        for movies in chunks:
            mine = read_chunk(movies)
            yield mine, [catalog.related_for(me) for me in mine]
        return
    global _forked_catalog
    _forked_catalog = catalog
    context = multiprocessing.get_context("fork")
    workers = os.cpu_count() or 2
    pool = ProcessPoolExecutor(workers, context, initializer=forks.detach, initargs=(os.getpid(),))
    pending: deque[tuple[list[Me], Future[list[Picks]]]] = deque()
    try:
        with pool:
            for movies in chunks:
                mine = read_chunk(movies)
                pending.append((mine, pool.submit(_score_in_fork, mine)))
                if len(pending) > 2 * workers:
                    mine, picks = pending.popleft()
                    yield mine, picks.result()
            while pending:
                mine, picks = pending.popleft()
                yield mine, picks.result()
    except BrokenProcessPool:
        raise RuntimeError(
            "a process scoring related movies was stopped (out of memory?);"
            " nothing was changed: run `marquee related rebuild` again"
        ) from None
    finally:
        _forked_catalog = None


class Writer:
    """Picks to rows, a batch at a time, with the people's names their reasons need."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.movies = 0  # scored
        self.rows = 0  # written

    def replace(self, mine: list[Me], picks: list[Picks]) -> None:
        """These films' picks and digests in place of the ones they had, in a transaction of
        their own: on SQLite, members' writes (a rating, a review) wait a fraction of a second
        for it rather than the whole run, and a run stopped half-way leaves each film with its
        old picks or its new ones, which the digests tell apart for the next refresh."""
        movies = [me.movie for me in mine]
        with transaction.atomic():
            RelatedMovie.objects.filter(movie_id__in=movies).delete()
            ScoredMovie.objects.filter(movie_id__in=movies).delete()
            self.write(mine, picks)

    def write(self, mine: list[Me], picks: list[Picks]) -> None:
        people = {
            int(reason[1])
            for chosen in picks
            for _, _, reason in chosen
            if reason[0] in ("cast", "director", "writer") and len(reason) == 2
        }
        names = dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
        # COPY on PostgreSQL: a row-by-row INSERT there took minutes per million rows.
        self.rows += insert_rows(
            RelatedMovie,
            ["movie_id", "related_id", "rank", "score", "reason"],
            [
                (me.movie, other, rank, score, self.words(reason, names))
                for me, chosen in zip(mine, picks, strict=True)
                for rank, (other, score, reason) in enumerate(chosen)
            ],
        )
        insert_rows(
            ScoredMovie,
            ["movie_id", "digest", "picks"],
            [
                (me.movie, self.catalog.digest(me), len(chosen))
                for me, chosen in zip(mine, picks, strict=True)
            ],
        )
        self.movies += len(mine)

    def words(self, reason: Reason, names: dict[int, str]) -> str:
        match reason:
            case ("relation", label):
                return str(label)
            case ("director",):
                return "Same director"
            case ("writer",):
                return "Same writer"
            case ("cast", person):
                return f"Also stars {names[int(person)]}"
            case ("director", person):
                return f"Directed by {names[int(person)]}"
            case ("writer", person):
                return f"Written by {names[int(person)]}"
            case ("keyword", keyword):
                return f"Also about {self.catalog.keyword_names[int(keyword)]}"
            case ("genres", words):
                return str(words)
        raise ValueError(reason)


def _chunks(movies: Iterable[int]) -> Iterator[list[int]]:
    chunk: list[int] = []
    for movie in movies:
        chunk.append(movie)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _every_movie(catalog: Catalog) -> Iterator[int]:
    return (movie for movie in range(catalog.size) if catalog.exists[movie])


def _rebuild(catalog: Catalog, progress: Advance | None) -> Writer:
    total = catalog.exists.count(1)
    writer = Writer(catalog)
    for mine, picks in _scored(
        catalog, _chunks(_every_movie(catalog)), parallel=total >= PARALLEL_MIN
    ):
        writer.replace(mine, picks)
        if progress:
            progress("scored", writer.movies, total)
    # Films deleted since they were scored: their rows went with them, their digests stay.
    ScoredMovie.objects.exclude(movie_id__in=Movie.objects.values("pk")).delete()
    return writer


def rebuild_related(progress: Advance | None = None) -> int:
    """Recompute related movies for the whole catalog; returns the number of rows written.
    ``progress("scored", films done, films in all)`` is called after each chunk."""
    return _rebuild(load_catalog(), progress).rows


def refresh_related(progress: Advance | None = None) -> Writer:
    """Bring related movies up to date after the catalog changed: rescore the movies whose
    features changed since they were scored, the movies that listed them, and those that share
    a person, a theme or a relation with them; rebuild when that is most of the catalog.
    Returns the writer, which counts the movies scored and the rows written. ``progress`` is
    called as films are compared with their digests ("compared"), then scored ("scored").

    Exact for what is rescored; the rest keep scores taken when keyword rarity, popularity and
    the genres' most popular films were slightly different, which the next rebuild settles."""
    catalog = load_catalog()
    total = catalog.exists.count(1)
    if total < REFRESH_MIN:
        return _rebuild(catalog, progress)
    stored = array("q", bytes(8 * catalog.size))
    scored = bytearray(catalog.size)
    gone = []
    affected = bytearray(catalog.size)
    short = array("h", bytes(2 * catalog.size))  # picks a movie's list lacks
    for movie, digest, count in _stream(
        ScoredMovie.objects.order_by().values_list("movie_id", "digest", "picks")
    ):
        if movie < catalog.size and catalog.exists[movie]:
            stored[movie], scored[movie], short[movie] = digest, 1, count
        else:
            gone.append(movie)
    # A deleted movie's rows went with it, in other movies' lists too: those lists are short.
    for movie, count in _stream(
        RelatedMovie.objects.order_by().values_list("movie_id").annotate(Count("pk"))
    ):
        short[movie] -= count
    for movie in range(catalog.size):
        if short[movie] > 0:
            affected[movie] = 1

    changed = []
    compared = 0
    for mine in map(read_chunk, _chunks(_every_movie(catalog))):
        compared += len(mine)
        if progress:
            progress("compared", compared, total)
        for me in mine:
            if scored[me.movie] and stored[me.movie] == catalog.digest(me):
                continue
            changed.append(me.movie)
            if len(changed) + len(gone) > REFRESH_SHARE * total:
                return _rebuild(catalog, progress)
            for neighbour in catalog.neighbours(me):
                affected[neighbour] = 1
    listing = RelatedMovie.objects.order_by().values_list("movie_id", flat=True).distinct()
    for batch in _chunks(changed):
        for movie in listing.filter(related_id__in=batch):
            affected[movie] = 1
    rescored = [movie for movie in range(catalog.size) if affected[movie]]
    if len(rescored) > REFRESH_SHARE * total:
        return _rebuild(catalog, progress)

    writer = Writer(catalog)
    for mine, picks in _scored(catalog, _chunks(rescored), parallel=len(rescored) >= PARALLEL_MIN):
        writer.replace(mine, picks)
        if progress:
            progress("scored", writer.movies, len(rescored))
    for batch in _chunks(gone):
        ScoredMovie.objects.filter(movie_id__in=batch).delete()
    return writer
