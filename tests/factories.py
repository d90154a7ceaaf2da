"""Small builders for test data: each makes a valid object and takes overrides."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import User
from django.utils.text import slugify

from marquee.catalog.models import (
    Country,
    Genre,
    Keyword,
    Language,
    Movie,
    MovieCountry,
    MovieGenre,
)
from marquee.people.models import Credit, CreditKind, Person
from marquee.reviews.models import Rating, Review

_serial = itertools.count(1)


def make_genre(name: str = "Drama") -> Genre:
    genre, _ = Genre.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return genre


def make_country(code: str = "KR", name: str = "South Korea") -> Country:
    country, _ = Country.objects.get_or_create(code=code, defaults={"name": name})
    return country


def make_language(code: str = "ko", name: str = "Korean") -> Language:
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": name})
    return language


def make_keyword(name: str) -> Keyword:
    keyword, _ = Keyword.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return keyword


def make_movie(
    *,
    genres: list[str] = (),  # type: ignore[assignment]
    countries: list[str] = (),  # type: ignore[assignment]
    keywords: list[str] = (),  # type: ignore[assignment]
    **overrides: Any,
) -> Movie:
    n = next(_serial)
    fields: dict[str, Any] = {"title": f"Movie {n}", "year": 2000 + n % 20}
    fields.update(overrides)
    fields.setdefault("slug", slugify(f"{fields['title']}-{fields['year']}-{n}"))
    movie = Movie.objects.create(**fields)
    for name in genres:
        MovieGenre.objects.create(movie=movie, genre=make_genre(name))
    movie.keywords.set([make_keyword(name) for name in keywords])
    for position, code in enumerate(countries):
        MovieCountry.objects.create(
            movie=movie, country=make_country(code, code), position=position
        )
    return movie


def make_person(**overrides: Any) -> Person:
    n = next(_serial)
    fields: dict[str, Any] = {"name": f"Person {n}"}
    fields.update(overrides)
    fields.setdefault("slug", slugify(f"{fields['name']}-{n}"))
    return Person.objects.create(**fields)


def cast(movie: Movie, person: Person, character: str = "", order: int = 0) -> Credit:
    return Credit.objects.create(
        movie=movie, person=person, kind=CreditKind.CAST, character=character, order=order
    )


def crew(
    movie: Movie, person: Person, job: str = "Director", department: str = "Directing"
) -> Credit:
    return Credit.objects.create(
        movie=movie, person=person, kind=CreditKind.CREW, job=job, department=department
    )


def make_member(username: str | None = None) -> User:
    return User.objects.create_user(
        username or f"member{next(_serial)}", password="a-long-passphrase"
    )


def rating(movie: Movie, score: int, member: User | None = None) -> Rating:
    return Rating.objects.create(movie=movie, member=member or make_member(), score=score)


def review(movie: Movie, rating: int | None, body: str = "", **overrides: Any) -> Review:
    """A member's rating of the film (when ``rating`` is given) and, with a body, their review."""
    author = overrides.pop("author", None) or make_member()
    if rating is not None:
        Rating.objects.create(movie=movie, member=author, score=rating)
    return Review.objects.create(movie=movie, author=author, body=body, **overrides)
