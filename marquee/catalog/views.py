from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from django.db.models import Manager, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from marquee.catalog import browse, structured
from marquee.catalog.models import (
    Country,
    Genre,
    Language,
    Movie,
    MovieAlias,
    MovieCountry,
    MovieRelation,
    ReleaseDate,
    ReleaseKind,
)
from marquee.members.state import member_state
from marquee.people.models import Credit, CreditKind, Person
from marquee.related.models import RelatedMovie
from marquee.reviews.models import Review, rating_histogram

TOP_BILLED = 10
LATEST_REVIEWS = 3
RELATED_SHOWN = 12
CAST_WINDOW = 50
CREDIT_FIELDS = (
    "movie_id",
    "kind",
    "character",
    "job",
    "order",
    "person__name",
    "person__slug",
    "person__photo",
)
KEY_CREW_JOBS = ("Director", "Screenplay", "Writer", "Novel", "Story", "Original Story")

HOME = ("Home", "/")
MOVIES = ("Movies", "/movies/")


def movie_detail(request: HttpRequest, slug: str) -> HttpResponse:
    movie = Movie.objects.select_related("original_language").filter(slug=slug).first()
    if movie is None:
        return _redirect_alias(slug)
    # Plain queries rather than prefetch_related, and sorted here rather than in SQL: these
    # lists hold a handful of rows, and on this page Django's work to build each query cost
    # more than running it (docs/benchmarks.md).
    genres = sorted_rows(movie.genres, "name")
    keywords = sorted_rows(movie.keywords, "name")
    spoken_languages = sorted_rows(movie.spoken_languages, "name")
    release_dates = sorted_rows(movie.release_dates, "date", "country")
    certifications = sorted_rows(movie.certifications, "country")
    box_office = sorted_rows(movie.box_office, "kind", "territory")
    milestones = sorted_rows(movie.milestones, "value")
    alternate_titles = sorted_rows(movie.alternate_titles, "kind", "title")
    offers = sorted(
        movie.offers.select_related("provider").order_by(),
        key=lambda offer: (offer.region, offer.kind, offer.provider.name),
    )

    # One query for the top-billed cast and the key crew. Billing orders are small numbers
    # from 0, so "order below CAST_WINDOW" holds the top billed even after editors' gaps.
    credits = list(
        Credit.objects.filter(movie=movie)
        .filter(
            Q(kind=CreditKind.CAST, order__lt=CAST_WINDOW)
            | Q(kind=CreditKind.CREW, job__in=KEY_CREW_JOBS)
        )
        .select_related("person")
        .only(*CREDIT_FIELDS)
        .order_by()
    )
    credits.sort(key=attrgetter("kind", "order", "id"))
    top_cast = [credit for credit in credits if credit.kind == CreditKind.CAST]
    key_crew = [credit for credit in credits if credit.kind == CreditKind.CREW]
    relations = list(
        MovieRelation.objects.filter(Q(movie=movie) | Q(other=movie))
        .select_related("movie", "other")
        .only("kind", *card_fields("movie"), *card_fields("other"))
        .order_by("movie__year", "other__year", "id")
    )
    related = list(
        RelatedMovie.objects.filter(movie=movie)
        .select_related("related")
        .only("reason", *card_fields("related"))
        .order_by("rank")[:RELATED_SHOWN]
    )
    # One query for the countries of this movie and of every movie it links to: remakes often
    # share a title, and the country is what tells them apart.
    linked = [r.other if r.movie_id == movie.pk else r.movie for r in relations]
    linked += [entry.related for entry in related]
    countries_of = _countries_by_movie([movie, *linked])
    for other in linked:
        other.country_names = ", ".join(country.name for country in countries_of[other.pk])
    reviews: list[Review] = []
    if movie.review_count:  # most films have none: skip the query
        reviews = list(
            Review.objects.published()
            .for_movie(movie)
            .with_text()
            .for_display()
            .latest_first()[:LATEST_REVIEWS]
        )
        for review in reviews:
            review.movie = movie  # links need the slug; spare a query per review
    histogram = rating_histogram(movie)
    # Ratings published by other sources (IMDb) or computed from datasets (MovieLens), and the
    # sources whose terms ask for a credit line: a handful of rows each, often none.
    external_ratings = sorted_rows(movie.external_ratings, "source")
    sources = sorted_rows(movie.sources, "source")
    most_common = max((count for _, count in histogram), default=0)

    countries = countries_of[movie.pk]
    directors = [credit.person for credit in key_crew if credit.job == "Director"]
    writers = _unique_people(credit for credit in key_crew if credit.job != "Director")
    first_release = home_release(release_dates, countries[0].code if countries else None)
    languages = [movie.original_language] if movie.original_language else []
    languages += [lang for lang in spoken_languages if lang not in languages]
    return render(
        request,
        "catalog/movie_detail.html",
        {
            "movie": movie,
            "countries": countries,
            "languages": languages,
            "directors": directors,
            "writers": writers,
            "first_release": first_release,
            "release_dates": release_dates,
            "genres": genres,
            "keywords": keywords,
            "alternate_titles": alternate_titles,
            "certifications": certifications,
            "top_cast": top_cast[:TOP_BILLED],
            "gross": [figure for figure in box_office if figure.kind == "gross"],
            "admissions": [figure for figure in box_office if figure.kind == "admissions"],
            "milestones": milestones,
            "relations": [r for r in relations if r.movie_id == movie.pk],
            "inverse_relations": [r for r in relations if r.other_id == movie.pk],
            "offers": offers,
            "related": related,
            "reviews": reviews,
            "member_state": member_state(request, movie),
            "external_ratings": external_ratings,
            "sources": sources,
            "histogram": [
                # Bar widths in steps of 5% (CSS classes w0…w100): no inline style under the CSP.
                (point, count, 5 * round(20 * count / most_common) if most_common else 0)
                for point, count in reversed(histogram)
            ],
            "breadcrumbs": [HOME, MOVIES, (movie.title, None)],
            "structured_data": structured.movie_data(
                request,
                movie,
                genres=genres,
                directors=directors,
                cast=top_cast[:TOP_BILLED],
                countries=countries,
                first_release=first_release,
            ),
        },
    )


def home_release(releases: list[ReleaseDate], country: str | None) -> ReleaseDate | None:
    """The release a reader means by "released": the first theatrical one in the film's main
    country (not a festival screening abroad); failing that its first there; else the first."""
    at_home = [release for release in releases if release.country == country]
    in_cinemas = [r for r in at_home if r.kind in (ReleaseKind.THEATRICAL, ReleaseKind.LIMITED)]
    for candidates in (in_cinemas, at_home, releases):
        if candidates:
            return min(candidates, key=attrgetter("date"))
    return None


def sorted_rows(rows: Manager[Any], *keys: str) -> list[Any]:
    """A small related set, sorted in Python by ``keys``."""
    return sorted(rows.order_by(), key=attrgetter(*keys))


def card_fields(relation: str) -> list[str]:
    """What a movie card or link shows: enough to skip loading synopses and plots."""
    fields = ("title", "original_title", "slug", "year", "poster", "rating_average", "rating_count")
    return [f"{relation}__{name}" for name in fields]


def _countries_by_movie(movies: list[Movie]) -> dict[int, list[Country]]:
    links = (
        MovieCountry.objects.filter(movie__in=movies)
        .order_by("movie_id", "position")
        .values_list("movie_id", "country__code", "country__name")
    )
    countries: dict[int, list[Country]] = {movie.pk: [] for movie in movies}
    for movie_id, code, name in links:
        countries[movie_id].append(Country(code=code, name=name))
    return countries


def _unique_people(credits: Iterable[Credit]) -> list[Person]:
    seen: dict[int, Person] = {}
    for credit in credits:
        seen.setdefault(credit.person_id, credit.person)
    return list(seen.values())


def _redirect_alias(slug: str) -> HttpResponse:
    alias = MovieAlias.objects.select_related("movie").filter(slug=slug).first()
    if alias is None:
        raise Http404("No movie at this address.")
    return redirect(alias.movie, permanent=True)


def movie_credits(request: HttpRequest, slug: str) -> HttpResponse:
    movie = Movie.objects.filter(slug=slug).first()
    if movie is None:
        alias = get_object_or_404(MovieAlias.objects.select_related("movie"), slug=slug)
        return redirect("catalog:movie-credits", alias.movie.slug, permanent=True)
    credits = list(movie.credits.select_related("person").order_by("kind", "order", "id"))
    cast = [credit for credit in credits if credit.kind == CreditKind.CAST]
    crew: dict[str, list[Credit]] = {}
    for credit in sorted(
        (c for c in credits if c.kind == CreditKind.CREW), key=lambda c: (c.department, c.order)
    ):
        crew.setdefault(credit.department or "Crew", []).append(credit)
    return render(
        request,
        "catalog/movie_credits.html",
        {
            "movie": movie,
            "cast": cast,
            "crew": crew,
            "breadcrumbs": [
                HOME,
                MOVIES,
                (movie.title, movie.get_absolute_url()),
                ("Cast & crew", None),
            ],
        },
    )


def movie_list(request: HttpRequest) -> HttpResponse:
    choices = browse.parse(request.GET)
    return _render_list(request, choices, title="Movies", breadcrumbs=[HOME, ("Movies", None)])


def genre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    genre = get_object_or_404(Genre, slug=slug)
    choices = browse.parse(request.GET, fixed={"genre": genre})
    return _render_list(
        request,
        choices,
        title=f"{genre.name} movies",
        breadcrumbs=[HOME, MOVIES, (genre.name, None)],
        pinned="genre",
    )


def country_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise Http404("Countries are two-letter ISO codes.")
    if code != code.lower():
        return redirect("catalog:country-detail", code.lower(), permanent=True)
    country = get_object_or_404(Country, code=code.upper())
    choices = browse.parse(request.GET, fixed={"country": country})
    return _render_list(
        request,
        choices,
        title=f"Movies from {country.name}",
        breadcrumbs=[HOME, MOVIES, (country.name, None)],
        pinned="country",
    )


def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    if not browse.EARLIEST_YEAR <= year <= browse.LATEST_YEAR:
        raise Http404("No movies in that year.")
    choices = browse.parse(request.GET, fixed={"year_from": year, "year_to": year})
    return _render_list(
        request,
        choices,
        title=f"Movies of {year}",
        breadcrumbs=[HOME, MOVIES, (str(year), None)],
        pinned="year",
    )


def decade_detail(request: HttpRequest, decade: int) -> HttpResponse:
    if decade % 10 or not browse.EARLIEST_YEAR <= decade <= browse.LATEST_YEAR:
        raise Http404("No such decade.")
    choices = browse.parse(request.GET, fixed={"year_from": decade, "year_to": decade + 9})
    return _render_list(
        request,
        choices,
        title=f"Movies of the {decade}s",
        breadcrumbs=[HOME, MOVIES, (f"{decade}s", None)],
        pinned="year",
    )


def _render_list(
    request: HttpRequest,
    choices: browse.Browse,
    *,
    title: str,
    breadcrumbs: list[tuple[str, str | None]],
    pinned: str = "",
) -> HttpResponse:
    page = browse.list_page(choices)
    return render(
        request,
        "catalog/movie_list.html",
        {
            "title": title,
            "page": page,
            "browse": choices,
            "pinned": pinned,
            "sorts": [(key, label) for key, (label, _) in browse.SORTS.items()],
            "genres": Genre.objects.all(),
            "countries": Country.objects.all(),
            "languages": Language.objects.all(),
            "breadcrumbs": breadcrumbs,
            "canonical": request.path if page.number == 1 else f"{request.path}?page={page.number}",
        },
    )
