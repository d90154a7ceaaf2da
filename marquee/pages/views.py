from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from marquee.catalog.models import Country, Genre, Movie

HOME_ROW = 12
FEATURED = 4


def home(request: HttpRequest) -> HttpResponse:
    featured = list(Movie.objects.featured().order_by("-popularity", "id")[:FEATURED])
    if not featured:
        # Until an editor features some, show the most popular films.
        featured = list(Movie.objects.order_by("-popularity", "-rating_count", "id")[:FEATURED])
    # Two aggregates, not one: each alone is a single index lookup, together a full scan.
    first = Movie.objects.aggregate(year=Min("year"))["year"]
    last = Movie.objects.aggregate(year=Max("year"))["year"]
    decades: list[int] = []
    if first and last:
        decades = list(range(last // 10 * 10, first // 10 * 10 - 1, -10))
    return render(
        request,
        "pages/home.html",
        {
            "featured": featured,
            "recent": Movie.objects.recently_added()[:HOME_ROW],
            "top_rated": Movie.objects.top_rated()[:HOME_ROW],
            "genres": Genre.objects.all(),
            "countries": Country.objects.all(),
            "decades": decades,
        },
    )


@require_GET
@cache_control(max_age=86400)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "404.html", {"breadcrumbs": [("Home", "/"), ("Not found", None)]}, status=404
    )
