from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from marquee.catalog.models import Movie, MovieCountry, MovieGenre
from marquee.pages.pagination import page_number
from marquee.search import engine
from marquee.search.engine import Hit
from marquee.search.models import Kind

RESULTS_PER_PAGE = 20
PEOPLE_ON_FIRST_PAGE = 12
SUGGESTIONS = 8
SUGGEST_AFTER = 2  # characters typed before suggestions appear
HOME = ("Home", "/")
CARD_FIELDS = (
    "title",
    "original_title",
    "slug",
    "year",
    "poster",
    "rating_average",
    "rating_count",
)


@dataclass
class Facet:
    param: str
    label: str
    values: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count
    chosen: str = ""
    links: list[tuple[str, int, str, bool]] = field(default_factory=list)  # label, n, url, chosen
    clear_url: str = ""

    def link(self, params: dict[str, str]) -> None:
        """Each value links to the results narrowed by it; the chosen one links back out.
        ``params``: the current query string without its page number."""
        others = {name: value for name, value in params.items() if name != self.param}
        for value, label, count in self.values:
            chosen = value == self.chosen
            narrowed = others if chosen else {**others, self.param: value}
            self.links.append((label, count, f"?{urlencode(narrowed)}", chosen))
        if self.chosen:
            self.clear_url = f"?{urlencode(others)}"


@dataclass
class Filters:
    kind: str = ""
    decade: str = ""
    genre: str = ""
    country: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def for_films(self) -> bool:
        return bool(self.decade or self.genre or self.country)

    def keep(self, hit: Hit) -> bool:
        if self.kind and hit.kind != self.kind:
            return False
        if self.for_films and hit.kind != Kind.MOVIE:
            return False
        if self.decade and str(hit.decade) != self.decade:
            return False
        if self.genre and self.genre not in (slug for slug, _ in hit.genres):
            return False
        return not (self.country and self.country not in (code for code, _ in hit.countries))


def results(request: HttpRequest) -> HttpResponse:
    query = engine.parse(request.GET.get("q", ""))
    hits = engine.find(query)
    _attach_genres_and_countries([hit for hit in hits if hit.kind == Kind.MOVIE])
    filters = _filters(request, hits)
    chosen = [hit for hit in hits if filters.keep(hit)]
    films = [hit for hit in chosen if hit.kind == Kind.MOVIE]
    people = [hit for hit in chosen if hit.kind == Kind.PERSON]
    listed, side = (people, []) if filters.kind == Kind.PERSON else (films, people)
    page = _page(request, listed, filters)
    if page.number > 1 or filters.kind:
        side = []
    movies = {}
    if filters.kind != Kind.PERSON:
        movies = Movie.objects.only(*CARD_FIELDS).in_bulk(
            [hit.object_id for hit in page.object_list]
        )
    # People first when the best match is a person: a search for a name wants the person.
    people_first = bool(people) and (not films or people[0].score > films[0].score)
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "hits": hits,
            "page": page,
            "listed_kind": Kind.PERSON if filters.kind == Kind.PERSON else Kind.MOVIE,
            "cards": [(hit, movies.get(hit.object_id)) for hit in page.object_list],
            "side_people": side[:PEOPLE_ON_FIRST_PAGE],
            "people_first": people_first,
            "film_count": len(films),
            "people_count": len(people),
            "facets": _facets(request, hits, filters),
            "filters": filters,
            "breadcrumbs": [HOME, ("Search", None)],
        },
    )


def suggestions(request: HttpRequest) -> HttpResponse:
    """The options of the header's combobox, as an HTML fragment for htmx."""
    text = request.GET.get("q", "")
    hits: list[Hit] = []
    if len(text.strip()) >= SUGGEST_AFTER:
        hits = engine.find(engine.parse(text), suggestions=True)[:SUGGESTIONS]
    return render(request, "search/_suggestions.html", {"hits": hits, "text": text.strip()})


def _attach_genres_and_countries(films: list[Hit]) -> None:
    if not films:
        return
    by_id = {hit.object_id: hit for hit in films}
    for movie_id, slug, name in MovieGenre.objects.filter(movie_id__in=by_id).values_list(
        "movie_id", "genre__slug", "genre__name"
    ):
        by_id[movie_id].genres.append((slug, name))
    for movie_id, code, name in MovieCountry.objects.filter(movie_id__in=by_id).values_list(
        "movie_id", "country__code", "country__name"
    ):
        by_id[movie_id].countries.append((code.lower(), name))


def _filters(request: HttpRequest, hits: list[Hit]) -> Filters:
    """The facet values chosen in the URL. A value no result has is dropped with a note rather
    than emptying the page."""
    filters = Filters()
    kinds = {str(kind) for kind in Kind.values}
    decades = {str(hit.decade) for hit in hits if hit.decade}
    genres = {slug for hit in hits for slug, _ in hit.genres}
    countries = {code for hit in hits for code, _ in hit.countries}
    for name, allowed in (
        ("kind", kinds),
        ("decade", decades),
        ("genre", genres),
        ("country", countries),
    ):
        value = request.GET.get(name, "").strip()
        if not value:
            continue
        if value in allowed:
            setattr(filters, name, value)
        else:
            filters.problems.append(f"No result matches {name} {value[:30]!r}; it was ignored.")
    return filters


def _page(request: HttpRequest, hits: list[Hit], filters: Filters) -> Page:
    paginator = Paginator(hits, RESULTS_PER_PAGE)
    raw = request.GET.get("page", "1")
    number = page_number(raw) or 1
    if number > paginator.num_pages:
        filters.problems.append(f"There are only {paginator.num_pages} pages; showing the last.")
        number = paginator.num_pages
    elif raw != str(number):
        filters.problems.append(f"Page {raw[:20]!r} does not exist; showing page {number}.")
    return paginator.page(number)


def _facets(request: HttpRequest, hits: list[Hit], filters: Filters) -> list[Facet]:
    films = [hit for hit in hits if hit.kind == Kind.MOVIE]
    kind = Facet("kind", "Show", chosen=filters.kind)
    for value, label in Kind.choices:
        count = sum(1 for hit in hits if hit.kind == value)
        if count:
            kind.values.append((value, label, count))
    decade = Facet("decade", "Decade", chosen=filters.decade)
    counts: dict[int, int] = {}
    for hit in films:
        if hit.decade:
            counts[hit.decade] = counts.get(hit.decade, 0) + 1
    decade.values = [(str(d), f"{d}s", n) for d, n in sorted(counts.items(), reverse=True)]
    genre = Facet("genre", "Genre", chosen=filters.genre)
    country = Facet("country", "Country", chosen=filters.country)
    for facet, attribute in ((genre, "genres"), (country, "countries")):
        tally: dict[tuple[str, str], int] = {}
        for hit in films:
            for pair in getattr(hit, attribute):
                tally[pair] = tally.get(pair, 0) + 1
        ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0][1]))
        facet.values = [(value, label, n) for (value, label), n in ordered]
    facets = [facet for facet in (kind, decade, genre, country) if facet.values]
    params = {name: str(value) for name, value in request.GET.items() if name != "page"}
    for facet in facets:
        facet.link(params)
    return facets
