"""schema.org JSON-LD for movie and person pages, so search engines and link previews read the
same facts the visitor sees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from marquee.catalog.models import Country, Genre, Movie, ReleaseDate
from marquee.people.models import Credit, Person


def absolute_url(request: HttpRequest, path: str) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def _same_as(imdb: str, imdb_kind: str, wikidata: str) -> list[str]:
    links = []
    if imdb:
        links.append(f"https://www.imdb.com/{imdb_kind}/{imdb}/")
    if wikidata:
        links.append(f"https://www.wikidata.org/wiki/{wikidata}")
    return links


def _person_ref(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(request, person.get_absolute_url()),
    }


def movie_data(
    request: HttpRequest,
    movie: Movie,
    *,
    genres: list[Genre],
    directors: list[Person],
    cast: list[Credit],
    countries: list[Country],
    first_release: ReleaseDate | None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": movie.title,
        "url": absolute_url(request, movie.get_absolute_url()),
    }
    if movie.shows_original_title:
        data["alternateName"] = movie.original_title
    if movie.synopsis:
        data["description"] = movie.synopsis
    if first_release:
        data["datePublished"] = first_release.date.isoformat()
    elif movie.year:
        data["datePublished"] = str(movie.year)
    if movie.runtime:
        data["duration"] = f"PT{movie.runtime}M"
    if genres:
        data["genre"] = [genre.name for genre in genres]
    if countries:
        data["countryOfOrigin"] = [{"@type": "Country", "name": c.name} for c in countries]
    if movie.original_language_id:
        data["inLanguage"] = movie.original_language_id
    if directors:
        data["director"] = [_person_ref(request, person) for person in directors]
    if cast:
        data["actor"] = [_person_ref(request, credit.person) for credit in cast]
    if movie.poster:
        data["image"] = absolute_url(request, movie.poster.url)
    if movie.rating_count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(movie.rating_average or 0, 1),
            "ratingCount": movie.rating_count,
            "bestRating": 10,
            "worstRating": 1,
        }
    if same_as := _same_as(movie.imdb_id, "title", movie.wikidata_id):
        data["sameAs"] = same_as
    return data


def person_data(request: HttpRequest, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute_url(request, person.get_absolute_url()),
    }
    if person.shows_original_name:
        data["alternateName"] = person.original_name
    if person.birth_date:
        data["birthDate"] = person.birth_date.isoformat()
    if person.death_date:
        data["deathDate"] = person.death_date.isoformat()
    if person.biography:
        data["description"] = person.biography.split("\n\n")[0]
    if person.photo:
        data["image"] = absolute_url(request, person.photo.url)
    if same_as := _same_as(person.imdb_id, "name", person.wikidata_id):
        data["sameAs"] = same_as
    return data
