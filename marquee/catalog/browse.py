"""The movies list: filters and sort orders that combine and live in the URL.

Bad values never cause an error page: each is dropped from the query and reported back to the
visitor, so ``?year_from=99999&genre=drama`` still shows dramas, with a note about the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict

from marquee.catalog.models import Country, Genre, Language, Movie, MovieCountry, MovieGenre
from marquee.pages.pagination import CappedPage, page_number

MOVIES_PER_PAGE = 24
EARLIEST_YEAR = 1870  # the oldest surviving motion pictures
LATEST_YEAR = 2100

SORTS = {
    "title": ("Title", ["sort_title", "id"]),
    "year": ("Newest", ["-year", "sort_title", "id"]),
    "oldest": ("Oldest", ["year", "sort_title", "id"]),
    "rating": ("Rating", ["-rating_average", "-rating_count", "id"]),
    "popularity": ("Popularity", ["-popularity", "id"]),
}
DEFAULT_SORT = "title"


@dataclass
class Browse:
    """The visitor's choices, validated, and what was wrong with the rest."""

    sort: str = DEFAULT_SORT
    genre: Genre | None = None
    country: Country | None = None
    language: Language | None = None
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @property
    def counts_cheaply(self) -> bool:
        """Whether one index range holds exactly the matches. A genre with a country, or a
        genre or country with a language, is checked row by row: counting a rare pair (Swedish
        dramas among a million films) would read the whole genre."""
        in_listing = bool(self.genre or self.country)
        return not ((self.genre and self.country) or (in_listing and self.language))

    @property
    def is_filtered(self) -> bool:
        return any((self.genre, self.country, self.language, self.year_from, self.year_to))

    def movie_ids(self) -> QuerySet[Any]:
        """Ids of the matching movies in display order, as one indexed range where possible.

        A genre or country filter reads that group's listing table, whose rows carry the sort
        keys (see ``catalog.models.Listing``); other filters are checked per row.
        """
        rows, movie = self._matches()
        order = [movie if key == "id" else key for key in SORTS[self.sort][1]]
        return rows.order_by(*order).values_list(movie, flat=True)

    def ids_to_count(self) -> QuerySet[Any]:
        """The matches for a capped count, in whichever order lets it read only an index.

        Unordered, a rating list with a year filter is counted through the year index, which
        lacks the rating count, so each row is read for it (20 ms a page at a million films).
        The rating index holds the year and the rating count; walked by its first key alone
        it needs no sort. Other sorts count fastest unordered.
        """
        rows, movie = self._matches()
        if self.sort == "rating" and not self.language:  # no sort index holds the language
            rows = rows.order_by(SORTS["rating"][1][0])
        else:
            rows = rows.order_by()
        return rows.values_list(movie, flat=True)

    def _matches(self) -> tuple[QuerySet[Any], str]:
        rows: QuerySet[Any]
        if self.genre:
            rows, movie = MovieGenre.objects.filter(genre=self.genre), "movie_id"
            if self.country:
                rows = rows.filter(
                    Exists(
                        MovieCountry.objects.filter(
                            movie_id=OuterRef("movie_id"), country=self.country
                        )
                    )
                )
        elif self.country:
            rows, movie = MovieCountry.objects.filter(country=self.country), "movie_id"
        else:
            rows, movie = Movie.objects.all(), "id"
        if self.language:
            # Listings carry the language: checked on each row of the ordered walk.
            rows = rows.filter(original_language=self.language)
        if self.year_from is not None:
            rows = rows.filter(year__gte=self.year_from)
        if self.year_to is not None:
            rows = rows.filter(year__lte=self.year_to)
        if self.sort == "rating":
            rows = rows.filter(rating_count__gt=0)
        return rows, movie


def list_page(browse: Browse) -> CappedPage:
    page = CappedPage(
        browse.movie_ids(),
        browse.page,
        MOVIES_PER_PAGE,
        load=Movie.objects.prefetch_related("genres").in_bulk,
        count=browse.counts_cheaply,
        count_ids=browse.ids_to_count(),
    )
    if page.problem:
        browse.problems.append(page.problem)
    return page


def _year(params: QueryDict, name: str, problems: list[str]) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if raw.isdigit() and EARLIEST_YEAR <= int(raw) <= LATEST_YEAR:
        return int(raw)
    problems.append(f"Ignored {name}={raw[:20]!r}: a year is {EARLIEST_YEAR}–{LATEST_YEAR}.")
    return None


def parse(params: QueryDict, *, fixed: dict[str, object] | None = None) -> Browse:
    """Read filters from a query string. ``fixed`` pins some (a genre page pins its genre)."""
    problems: list[str] = []
    browse = Browse(problems=problems)

    sort = params.get("sort", DEFAULT_SORT)
    if sort in SORTS:
        browse.sort = sort
    else:
        problems.append(f"Unknown sort {sort[:20]!r}; sorted by title.")

    if slug := params.get("genre", "").strip():
        browse.genre = Genre.objects.filter(slug=slug).first()
        if browse.genre is None:
            problems.append(f"Unknown genre {slug[:40]!r} was ignored.")
    if code := params.get("country", "").strip():
        browse.country = Country.objects.filter(code=code.upper()[:2]).first()
        if browse.country is None:
            problems.append(f"Unknown country {code[:20]!r} was ignored.")
    if code := params.get("language", "").strip():
        browse.language = Language.objects.filter(code=code.lower()[:3]).first()
        if browse.language is None:
            problems.append(f"Unknown language {code[:20]!r} was ignored.")

    browse.year_from = _year(params, "year_from", problems)
    browse.year_to = _year(params, "year_to", problems)
    if browse.year_from and browse.year_to and browse.year_from > browse.year_to:
        browse.year_from, browse.year_to = browse.year_to, browse.year_from

    raw_page = params.get("page", "1")
    browse.page = page_number(raw_page) or 1
    if raw_page != str(browse.page):
        problems.append(f"Page {raw_page[:20]!r} does not exist; showing page {browse.page}.")

    for name, value in (fixed or {}).items():
        setattr(browse, name, value)
    return browse
