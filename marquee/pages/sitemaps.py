from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet

from marquee.catalog.models import Genre, Movie
from marquee.people.models import Person

# Smaller than the protocol's 50,000: each URL costs Python time, and a crawler fetching a
# 5,000-URL page gets it in about half a second on a small machine.
SITEMAP_PAGE = 5_000


class MovieSitemap(Sitemap):
    limit = SITEMAP_PAGE
    changefreq = "weekly"

    def items(self) -> QuerySet[Movie]:
        return Movie.objects.order_by("id").only("slug", "updated_at")

    def lastmod(self, movie: Movie) -> datetime:
        return movie.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default walks every item; one aggregate does the same.
        return Movie.objects.aggregate(latest=Max("updated_at"))["latest"]


class PersonSitemap(Sitemap):
    limit = SITEMAP_PAGE
    changefreq = "monthly"

    def items(self) -> QuerySet[Person]:
        return Person.objects.order_by("id").only("slug", "updated_at")

    def lastmod(self, person: Person) -> datetime:
        return person.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return Person.objects.aggregate(latest=Max("updated_at"))["latest"]


class GenreSitemap(Sitemap):
    def items(self) -> QuerySet[Genre]:
        return Genre.objects.all()


SITEMAPS = {"movies": MovieSitemap, "people": PersonSitemap, "genres": GenreSitemap}
