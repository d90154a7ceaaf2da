from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from marquee.catalog import structured
from marquee.pages.pagination import CappedPage, page_number
from marquee.people.models import Credit, CreditKind, Person, PersonAlias

KNOWN_FOR = 4
PEOPLE_PER_PAGE = 48
SHOWN_PER_ROLE = 50  # newest credits per role on the person page; the rest one click away
FILMOGRAPHY_PER_PAGE = 100

HOME = ("Home", "/")
PEOPLE = ("People", "/people/")


@dataclass
class Role:
    """One way a person worked on films ("Acting", "Director"), with how many credits."""

    kind: str
    job: str
    count: int
    credits: list[Credit] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "Acting" if self.kind == CreditKind.CAST else (self.job or "Crew")

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.credits)


def _person_or_redirect(slug: str) -> Person | HttpResponse:
    person = Person.objects.filter(slug=slug).first()
    if person is not None:
        return person
    alias = PersonAlias.objects.select_related("person").filter(slug=slug).first()
    if alias is None:
        raise Http404("No person at this address.")
    return redirect(alias.person, permanent=True)


def _roles(person: Person) -> list[Role]:
    """The person's roles, the one with most credits first (what they are known as)."""
    counts = (
        Credit.objects.filter(person=person)
        .values_list("kind", "job")
        .annotate(n=Count("id"))
        .order_by()
    )
    roles = [Role(kind, job, n) for kind, job, n in counts]
    return sorted(roles, key=lambda role: (-role.count, role.name))


NEWEST_FIRST = (F("year").desc(nulls_last=True), F("movie_id").desc(), F("id"))


def _newest_credit_ids(person: Person, roles: list[Role]) -> list[int]:
    """Ids of the newest SHOWN_PER_ROLE credits of each role, in one statement.

    Each part is an index range on (person, kind, job, year) cut by LIMIT, so a career of
    13,000 credits costs what a career of 50 does. A window function over all the person's
    credits measured 40 ms for such a career; Django cannot express the LIMIT inside a
    UNION on SQLite, hence this one statement by hand (values are bound, never formatted in).
    """
    if not roles:
        return []
    table = connection.ops.quote_name(Credit._meta.db_table)
    part = (
        f"SELECT id FROM (SELECT id FROM {table} WHERE person_id = %s AND kind = %s AND job = %s"  # noqa: S608
        f" ORDER BY year DESC, id DESC LIMIT {SHOWN_PER_ROLE}) AS part{{n}}"
    )
    sql = " UNION ALL ".join(part.format(n=n) for n in range(len(roles)))
    params = [value for role in roles for value in (person.pk, role.kind, role.job)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = _person_or_redirect(slug)
    if isinstance(found, HttpResponse):
        return found
    person = found
    roles = _roles(person)
    # The newest credits of each role (a prolific voice actor has thousands), then those
    # credits with their movies.
    shown = Credit.objects.filter(id__in=_newest_credit_ids(person, roles))
    by_role = {(role.kind, role.job): role for role in roles}
    for credit in shown.select_related("movie").order_by(*NEWEST_FIRST):
        by_role[credit.kind, credit.job].credits.append(credit)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "roles": roles,
            "known_for": known_for(person),
            "credit_count": sum(role.count for role in roles),
            "breadcrumbs": [HOME, PEOPLE, (person.name, None)],
            "structured_data": structured.person_data(request, person),
        },
    )


def known_for(person: Person) -> list[Credit]:
    """The few films a visitor most likely knows the person from: the most popular and best
    rated, billed high, one credit per film."""
    candidates = list(
        Credit.objects.filter(person=person)
        .select_related("movie")
        .order_by("-popularity", "-id")[: KNOWN_FOR * 5]
    )

    def weight(credit: Credit) -> tuple[float, ...]:
        movie = credit.movie
        billing = 1.0 if credit.kind == CreditKind.CREW else 1 / (1 + credit.order / 3)
        return (
            billing * (1 + movie.popularity) * (1 + (movie.rating_average or 0) / 10),
            float(movie.rating_count),
            float(movie.year or 0),
        )

    best: dict[int, Credit] = {}
    for credit in sorted(candidates, key=weight, reverse=True):
        best.setdefault(credit.movie_id, credit)
    return list(best.values())[:KNOWN_FOR]


def person_filmography(request: HttpRequest, slug: str, role: str) -> HttpResponse:
    """Every credit of one role, paged, for people whose page shows only the newest."""
    found = _person_or_redirect(slug)
    if isinstance(found, HttpResponse):
        return found
    person = found
    chosen = next((r for r in _roles(person) if r.slug == role), None)
    if chosen is None:
        raise Http404("This person has no credits in that role.")
    credits = Credit.objects.filter(person=person, kind=chosen.kind)
    if chosen.kind == CreditKind.CREW:
        credits = credits.filter(job=chosen.job)
    page = CappedPage(
        credits.order_by(*NEWEST_FIRST).values_list("id", flat=True),
        page_number(request.GET.get("page", "1")) or 1,
        FILMOGRAPHY_PER_PAGE,
        load=Credit.objects.select_related("movie").in_bulk,
    )
    return render(
        request,
        "people/person_filmography.html",
        {
            "person": person,
            "role": chosen,
            "page": page,
            "breadcrumbs": [
                HOME,
                PEOPLE,
                (person.name, person.get_absolute_url()),
                (chosen.name, None),
            ],
        },
    )


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
