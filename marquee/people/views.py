from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from marquee.catalog import structured
from marquee.pages.pagination import CappedPage, page_number
from marquee.people.models import Credit, CreditKind, Person, PersonAlias

KNOWN_FOR = 4
PEOPLE_PER_PAGE = 48

HOME = ("Home", "/")
PEOPLE = ("People", "/people/")


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        alias = PersonAlias.objects.select_related("person").filter(slug=slug).first()
        if alias is None:
            raise Http404("No person at this address.")
        return redirect(alias.person, permanent=True)

    credits = list(
        Credit.objects.filter(person=person)
        .select_related("movie")
        .order_by("-movie__year", "movie__sort_title", "kind", "order")
    )
    acting = [credit for credit in credits if credit.kind == CreditKind.CAST]
    by_job: dict[str, list[Credit]] = {}
    for credit in credits:
        if credit.kind == CreditKind.CREW:
            by_job.setdefault(credit.job or credit.department or "Crew", []).append(credit)
    # The role a person is known for comes first: the one with the most credits.
    groups = [("Acting", acting), *by_job.items()] if acting else list(by_job.items())
    groups.sort(key=lambda group: -len(group[1]))
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "groups": groups,
            "known_for": known_for(credits),
            "credit_count": len({credit.movie_id for credit in credits}),
            "breadcrumbs": [HOME, PEOPLE, (person.name, None)],
            "structured_data": structured.person_data(request, person),
        },
    )


def known_for(credits: list[Credit]) -> list[Credit]:
    """The few films a visitor most likely knows the person from: the most popular and best
    rated, where they were billed high, one credit per film."""

    def weight(credit: Credit) -> tuple[float, ...]:
        movie = credit.movie
        billing = 1.0 if credit.kind == CreditKind.CREW else 1 / (1 + credit.order / 3)
        return (
            billing * (1 + movie.popularity) * (1 + (movie.rating_average or 0) / 10),
            billing,
            float(movie.rating_count),
            float(movie.year or 0),
        )

    best: dict[int, Credit] = {}
    for credit in sorted(credits, key=weight, reverse=True):
        best.setdefault(credit.movie_id, credit)
    return list(best.values())[:KNOWN_FOR]


def person_list(request: HttpRequest) -> HttpResponse:
    page = CappedPage(
        Person.objects.order_by("name", "id").values_list("id", flat=True),
        page_number(request.GET.get("page", "1")) or 1,
        PEOPLE_PER_PAGE,
        load=Person.objects.in_bulk,
    )
    return render(
        request,
        "people/person_list.html",
        {"page": page, "breadcrumbs": [HOME, ("People", None)]},
    )
