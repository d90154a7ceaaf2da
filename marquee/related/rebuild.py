"""Content-based related movies, precomputed for every movie.

Two movies are related when they share something a viewer would notice, weighted by how telling
it is: an explicit relation (remake, sequel) beats a shared director, which beats a shared star,
which beats a shared theme, which beats a shared genre. Country, language and era break ties.
Each pick keeps a short reason taken from its strongest link ("Remake", "Same director",
"Also stars Ryu Seung-ryong", "Also about wrongful conviction", "Drama · Comedy").

Candidates come from inverted indexes (person → movies, keyword → movies); very common keys are
skipped when gathering candidates, so the work stays near-linear in the number of credits even at
a million titles. A later issue adds collaborative signals and a measured evaluation.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from marquee.catalog.models import (
    Genre,
    Keyword,
    Movie,
    MovieCountry,
    MovieGenre,
    MovieRelation,
    RelationKind,
)
from marquee.people.models import Credit, CreditKind
from marquee.related.models import RelatedMovie

RELATED_PER_MOVIE = 12
# Keys shared by more movies than this do not propose candidates (they still add to scores).
MAX_KEY_FANOUT = 200
WRITE_BATCH = 5_000
FETCH_BATCH = 20_000

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


def cast_weight(order: int) -> float:
    """A lead shared between two films says more than the tenth-billed actor."""
    if order < 3:
        return 6.0
    if order < 6:
        return 3.5
    return 1.5


@dataclass
class Features:
    year: int | None = None
    language: str | None = None
    popularity: float = 0.0
    genres: set[int] = field(default_factory=set)
    keywords: set[int] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    people: dict[int, tuple[float, str]] = field(default_factory=dict)  # person → (weight, role)
    relations: dict[int, str] = field(default_factory=dict)  # other movie → reason


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


def _chunks(queryset: QuerySet[Any, Any], size: int = FETCH_BATCH) -> Iterator[Any]:
    """Rows streamed in batches: a million-credit table never sits in memory as one list."""
    yield from queryset.iterator(chunk_size=size)


def load_features() -> tuple[dict[int, Features], dict[int, str], dict[int, str], dict[int, str]]:
    features: dict[int, Features] = {}
    for pk, year, language, popularity in _chunks(
        Movie.objects.values_list("pk", "year", "original_language_id", "popularity")
    ):
        features[pk] = Features(year=year, language=language, popularity=popularity)

    genre_names = dict(Genre.objects.values_list("pk", "name"))
    keyword_names = dict(Keyword.objects.values_list("pk", "name"))
    for movie_id, genre_id in _chunks(MovieGenre.objects.values_list("movie_id", "genre_id")):
        features[movie_id].genres.add(genre_id)
    for movie_id, keyword_id in _chunks(
        Movie.keywords.through.objects.values_list("movie_id", "keyword_id")
    ):
        features[movie_id].keywords.add(keyword_id)
    for movie_id, code in _chunks(MovieCountry.objects.values_list("movie_id", "country_id")):
        features[movie_id].countries.add(code)

    person_names: dict[int, str] = {}
    credits = Credit.objects.values_list(
        "movie_id", "person_id", "kind", "job", "order", "person__name"
    )
    for movie_id, person_id, kind, job, order, name in _chunks(credits):
        if kind == CreditKind.CAST:
            weight, role = cast_weight(order), "cast"
        elif job == "Director":
            weight, role = DIRECTOR_WEIGHT, "director"
        elif job in WRITING_JOBS:
            weight, role = WRITER_WEIGHT, "writer"
        else:
            continue
        people = features[movie_id].people
        if weight > people.get(person_id, (0.0, ""))[0]:
            people[person_id] = (weight, role)
            person_names[person_id] = name

    for movie_id, other_id, kind in MovieRelation.objects.values_list(
        "movie_id", "other_id", "kind"
    ):
        # Seen from each side: the remake calls the other "Original", the original "Remake".
        forward, backward = RELATION_REASONS[RelationKind(kind)]
        features[movie_id].relations[other_id] = forward
        features[other_id].relations[movie_id] = backward
    return features, genre_names, keyword_names, person_names


@dataclass
class Catalog:
    """Everything the scoring needs, held in memory as plain ints and strings."""

    features: dict[int, Features]
    genre_names: dict[int, str]
    keyword_names: dict[int, str]
    person_names: dict[int, str]
    by_person: dict[int, list[tuple[int, float, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_keyword: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    keyword_idf: dict[int, float] = field(default_factory=dict)
    # A few popular films per genre fill neighbourhoods that share nothing more specific.
    genre_pool: dict[int, list[int]] = field(default_factory=dict)

    def index(self) -> None:
        by_genre: dict[int, list[int]] = defaultdict(list)
        for movie_id, f in self.features.items():
            for person, (weight, role) in f.people.items():
                self.by_person[person].append((movie_id, weight, role))
            for keyword in f.keywords:
                self.by_keyword[keyword].append(movie_id)
            for genre in f.genres:
                by_genre[genre].append(movie_id)
        # Rarer themes say more: "wrongful conviction" over "friendship".
        total = max(len(self.features), 1)
        self.keyword_idf = {
            keyword: 0.5 + math.log(total / len(movies)) / math.log(total + 1)
            for keyword, movies in self.by_keyword.items()
        }
        for genre, movies in by_genre.items():
            movies.sort(key=lambda pk: -self.features[pk].popularity)
            self.genre_pool[genre] = movies[: RELATED_PER_MOVIE * 3]

    def related_for(self, movie_id: int) -> list[tuple[int, float, str]]:
        """Up to RELATED_PER_MOVIE (movie id, score, reason), best first."""
        me = self.features[movie_id]
        links: dict[int, Link] = defaultdict(Link)
        for other, label in me.relations.items():
            links[other].add(RELATION_WEIGHT, ("relation", label))
        self._add_shared_people(movie_id, me, links)
        self._add_shared_keywords(movie_id, me, links)
        if len(links) < RELATED_PER_MOVIE:
            self._add_genre_pool(movie_id, me, links)

        if len(links) > RELATED_PER_MOVIE:
            # Likeness adds at most MAX_LIKENESS, so candidates too far behind cannot catch up.
            cutoff = heapq.nlargest(RELATED_PER_MOVIE, (link.score for link in links.values()))[-1]
            links = {o: link for o, link in links.items() if link.score >= cutoff - MAX_LIKENESS}

        scored = []
        for other, link in links.items():
            self._add_likeness(me, self.features[other], link)
            if link.reason:
                scored.append((other, link.score, link.reason))
        best = heapq.nsmallest(RELATED_PER_MOVIE, scored, key=lambda item: (-item[1], item[0]))
        return [(other, score, self.words(reason)) for other, score, reason in best]

    def words(self, reason: Reason) -> str:
        match reason:
            case ("relation", label):
                return str(label)
            case ("director",):
                return "Same director"
            case ("writer",):
                return "Same writer"
            case ("cast", person):
                return f"Also stars {self.person_names[int(person)]}"
            case ("director", person):
                return f"Directed by {self.person_names[int(person)]}"
            case ("writer", person):
                return f"Written by {self.person_names[int(person)]}"
            case ("keyword", keyword):
                return f"Also about {self.keyword_names[int(keyword)]}"
            case ("genres", names):
                return str(names)
        raise ValueError(reason)

    def _add_shared_people(self, movie_id: int, me: Features, links: dict[int, Link]) -> None:
        for person, (weight, role) in me.people.items():
            credits = self.by_person.get(person, ())
            if len(credits) > MAX_KEY_FANOUT:
                continue
            for other, their_weight, their_role in credits:
                if other == movie_id:
                    continue
                if role == their_role and role != "cast":
                    reason: Reason = (role,)  # "Same director"
                else:
                    reason = (their_role, person)  # "Also stars …", "Directed by …"
                links[other].add(min(weight, their_weight), reason)

    def _add_shared_keywords(self, movie_id: int, me: Features, links: dict[int, Link]) -> None:
        for keyword in me.keywords:
            movies = self.by_keyword.get(keyword, ())
            if len(movies) > MAX_KEY_FANOUT:
                continue
            weight = KEYWORD_WEIGHT * self.keyword_idf[keyword]
            reason = ("keyword", keyword)
            for other in movies:
                if other != movie_id:
                    links[other].add(weight, reason)

    def _add_genre_pool(self, movie_id: int, me: Features, links: dict[int, Link]) -> None:
        for genre in me.genres:
            for other in self.genre_pool.get(genre, ()):
                if other != movie_id and other not in links:
                    links[other] = Link()
                if len(links) >= RELATED_PER_MOVIE * 3:
                    return

    def _add_likeness(self, me: Features, them: Features, link: Link) -> None:
        shared_genres = me.genres & them.genres
        if shared_genres:
            jaccard = len(shared_genres) / len(me.genres | them.genres)
            names = " · ".join(sorted(self.genre_names[g] for g in shared_genres)[:3])
            link.add(GENRE_WEIGHT * jaccard, ("genres", names))
        if me.countries & them.countries:
            link.score += COUNTRY_WEIGHT
        if me.language and me.language == them.language:
            link.score += LANGUAGE_WEIGHT
        if me.year and them.year:
            link.score += ERA_WEIGHT * max(0.0, 1 - abs(me.year - them.year) / 20)
        link.score += min(them.popularity, 100) / 1000  # a gentle nudge towards known films


def rebuild_related() -> int:
    """Recompute related movies for the whole catalog; returns the number of rows written."""
    catalog = Catalog(*load_features())
    catalog.index()
    written = 0
    table = RelatedMovie._meta.db_table
    insert = (
        f"INSERT INTO {table} (movie_id, related_id, rank, score, reason)"  # noqa: S608 (our table name)
        " VALUES (%s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Plain rows, not model instances: a million objects would double the run time.
        RelatedMovie.objects.all().delete()
        batch: list[tuple[int, int, int, float, str]] = []
        for movie_id in catalog.features:
            picks = catalog.related_for(movie_id)
            batch += [
                (movie_id, other, rank, score, reason)
                for rank, (other, score, reason) in enumerate(picks)
            ]
            if len(batch) >= WRITE_BATCH:
                cursor.executemany(insert, batch)
                written += len(batch)
                batch = []
        cursor.executemany(insert, batch)
        written += len(batch)
    return written
