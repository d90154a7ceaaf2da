"""Writes the whole catalog in Marquee's interchange format (docs/data-format.md).

Deterministic: records in slug order, lists in a fixed order, keys in the order of the format's
documentation, so that exporting, importing into an empty database and exporting again gives
the same bytes. Streams: films are read a chunk at a time, never the whole catalog at once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import IO, Any

from marquee.catalog.models import Keyword, Movie, MovieRelation, derive_sort_title
from marquee.ingest.loader import CHUNK, read_lists
from marquee.ingest.marquee.reader import FORMAT
from marquee.people.models import Person
from marquee.watch.models import Provider

VERSION = 1


def line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out unknown facts (None, "", [], {}), as the format asks."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def export(out: IO[str]) -> dict[str, int]:
    """Write the catalog to ``out``; the number of records of each type."""
    counts = {"providers": 0, "people": 0, "movies": 0}
    out.write(line({"format": FORMAT, "version": VERSION}))
    for provider in Provider.objects.order_by("name").iterator():
        out.write(
            line(
                compact({"type": "provider", "name": provider.name, "homepage": provider.homepage})
            )
        )
        counts["providers"] += 1
    for person in Person.objects.select_related("edit").order_by("slug").iterator(chunk_size=2_000):
        out.write(line(person_record(person)))
        counts["people"] += 1
    for data in movie_records():
        out.write(line(data))
        counts["movies"] += 1
    return counts


def person_record(person: Person) -> dict[str, Any]:
    return compact(
        {
            "type": "person",
            "key": person.slug,
            "name": person.name,
            "original_name": person.original_name,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "death_date": person.death_date.isoformat() if person.death_date else None,
            "biography": person.biography,
            "ids": compact(
                {"imdb": person.imdb_id, "tmdb": person.tmdb_id, "wikidata": person.wikidata_id}
            ),
            "edited": held(person),
        }
    )


def held(obj: Movie | Person) -> list[str] | None:
    """What an editor holds of a film or a person (MovieEdit, PersonEdit), sorted."""
    edit = getattr(obj, "edit", None)
    return sorted(edit.names()) if edit else None


def movie_records() -> Iterator[dict[str, Any]]:
    chunk: list[Movie] = []
    for movie in Movie.objects.select_related("edit").order_by("slug").iterator(chunk_size=CHUNK):
        chunk.append(movie)
        if len(chunk) == CHUNK:
            yield from chunk_records(chunk)
            chunk = []
    yield from chunk_records(chunk)


def chunk_records(movies: list[Movie]) -> Iterator[dict[str, Any]]:
    if not movies:
        return
    pks = [m.pk for m in movies]
    lists = read_lists(pks, authoritative=True)
    keyword_slugs = {row[0] for rows in lists["keywords"].values() for row in rows}
    keywords = dict(Keyword.objects.filter(slug__in=keyword_slugs).values_list("slug", "name"))
    person_ids = {
        row[0] for name in ("cast", "crew") for rows in lists[name].values() for row in rows
    }
    people = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "slug"))
    relations: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for movie_id, kind, other in MovieRelation.objects.filter(movie__in=pks).values_list(
        "movie_id", "kind", "other__slug"
    ):
        relations[movie_id].append((kind, other))
    for movie in movies:
        yield movie_record(
            movie,
            {name: rows.get(movie.pk, []) for name, rows in lists.items()},
            keywords,
            people,
            sorted(relations[movie.pk]),
        )


def movie_record(
    movie: Movie,
    rows: dict[str, list[tuple[Any, ...]]],
    keywords: dict[str, str],
    people: dict[int, str],
    relations: list[tuple[str, str]],
) -> dict[str, Any]:
    box = rows["box_office"]
    return compact(
        {
            "type": "movie",
            "key": movie.slug,
            "title": movie.title,
            "original_title": movie.original_title,
            "sort_title": movie.sort_title
            if movie.sort_title != derive_sort_title(movie.title)
            else None,
            "year": movie.year,
            "runtime": movie.runtime,
            "genres": sorted(g for (g,) in rows["genres"]),
            "keywords": sorted(keywords[k] for (k,) in rows["keywords"]),
            "countries": [c for (c,) in rows["countries"]],
            "original_language": movie.original_language_id,
            "spoken_languages": [lang for (lang,) in rows["spoken_languages"]],
            "release_dates": [
                {"country": c, "date": d.isoformat(), "kind": k}
                for c, d, k in sorted(rows["release_dates"], key=lambda r: (r[1], r[0], r[2]))
            ],
            "certifications": [{"country": c, "rating": r} for c, r in rows["certifications"]],
            "tagline": movie.tagline,
            "synopsis": movie.synopsis,
            "plot": movie.plot,
            "background": movie.background,
            "reception": movie.reception,
            "budget": compact({"amount": movie.budget, "currency": movie.budget_currency})
            if movie.budget is not None
            else None,
            "gross": [
                {"territory": t or None, "amount": a, "currency": c}
                for kind, t, a, c in box
                if kind == "gross"
            ],
            "admissions": [
                {"territory": t or None, "count": a}
                for kind, t, a, _ in box
                if kind == "admissions"
            ],
            "milestones": [
                compact(
                    {
                        "kind": kind,
                        "value": value,
                        "currency": currency,
                        "territory": territory,
                        "date": when.isoformat() if when else None,
                        "day": day,
                    }
                )
                for kind, value, currency, territory, when, day in rows["milestones"]
            ],
            "ids": compact(
                {
                    "imdb": movie.imdb_id,
                    "tmdb": movie.tmdb_id,
                    "wikidata": movie.wikidata_id,
                    "movielens": movie.movielens_id,
                }
            ),
            "alternate_titles": [
                compact({"title": t, "language": lang, "region": r, "kind": k})
                for t, lang, r, k in rows["alternate_titles"]
            ],
            "cast": [compact({"person": people[p], "character": ch}) for p, ch in rows["cast"]],
            "crew": [{"person": people[p], "department": d, "job": j} for p, d, j in rows["crew"]],
            "relations": [{"kind": k, "movie": other} for k, other in relations],
            "sources": [
                compact({"source": s, "url": u, "licence": li, "licence_url": lu, "fields": f})
                for s, u, li, lu, f in rows["sources"]
            ],
            "external_ratings": [
                {"source": s, "average": a, "votes": v} for s, a, v in rows["external_ratings"]
            ],
            "offers": [
                compact(
                    {
                        "provider": p,
                        "region": r,
                        "kind": k,
                        "url": u,
                        "price": price or None,
                        "currency": c,
                    }
                )
                for p, r, k, u, price, c in rows["offers"]
            ],
            "edited": held(movie),
        }
    )
