from django.contrib.sitemaps import Sitemap

from marquee.catalog.models import Genre, Movie
from marquee.people.models import Person


class MovieSitemap(Sitemap):
    limit = 50_000  # the protocol's maximum; Django splits larger catalogs into pages
    changefreq = "weekly"

    def items(self):  # type: ignore[no-untyped-def]
        return Movie.objects.order_by("id").only("slug", "updated_at")

    def lastmod(self, movie: Movie):  # type: ignore[no-untyped-def]
        return movie.updated_at


class PersonSitemap(Sitemap):
    limit = 50_000
    changefreq = "monthly"

    def items(self):  # type: ignore[no-untyped-def]
        return Person.objects.order_by("id").only("slug", "updated_at")

    def lastmod(self, person: Person):  # type: ignore[no-untyped-def]
        return person.updated_at


class GenreSitemap(Sitemap):
    def items(self):  # type: ignore[no-untyped-def]
        return Genre.objects.all()


SITEMAPS = {"movies": MovieSitemap, "people": PersonSitemap, "genres": GenreSitemap}
