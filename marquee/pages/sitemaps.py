from django.contrib.sitemaps import Sitemap

from marquee.catalog.models import Genre, Movie
from marquee.people.models import Person


class MovieSitemap(Sitemap):
    limit = 50_000  # the protocol's maximum; Django splits larger catalogs into pages
    changefreq = "weekly"

    def items(self):
        return Movie.objects.order_by("id").only("slug", "updated_at")

    def lastmod(self, movie: Movie):
        return movie.updated_at


class PersonSitemap(Sitemap):
    limit = 50_000
    changefreq = "monthly"

    def items(self):
        return Person.objects.order_by("id").only("slug", "updated_at")

    def lastmod(self, person: Person):
        return person.updated_at


class GenreSitemap(Sitemap):
    def items(self):
        return Genre.objects.all()


SITEMAPS = {"movies": MovieSitemap, "people": PersonSitemap, "genres": GenreSitemap}
