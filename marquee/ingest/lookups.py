"""Genres, keywords, countries, languages and providers by name or code, cached for one import
and created in bulk when a chunk of records names new ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from marquee.catalog import codes
from marquee.catalog.models import Country, Genre, Keyword, Language
from marquee.watch.models import Provider

KEYWORD_LENGTH = 100


def keyword_slug(name: str) -> str:
    # Keywords in other scripts keep a Unicode slug rather than all collapsing into one.
    return (slugify(name) or slugify(name, allow_unicode=True))[:KEYWORD_LENGTH].strip("-")


class Lookups:
    def __init__(self) -> None:
        self.genres: dict[str, int] = {}  # name → id
        self.keywords: dict[str, int] = {}  # slug → id
        self.countries: set[str] = set()
        self.languages: set[str] = set()
        self.providers: dict[str, int] = {}  # name → id

    def ensure_genres(self, names: Iterable[str]) -> None:
        missing = set(names) - self.genres.keys()
        if not missing:
            return
        self.genres.update(Genre.objects.filter(name__in=missing).values_list("name", "pk"))
        new = [Genre(name=n, slug=slugify(n)) for n in sorted(missing - self.genres.keys())]
        for genre in Genre.objects.bulk_create(new):
            self.genres[genre.name] = genre.pk

    def ensure_keywords(self, names: Iterable[str]) -> None:
        by_slug: dict[str, str] = {}
        for name in names:
            slug = keyword_slug(name)
            if slug and slug not in self.keywords:
                by_slug.setdefault(slug, name[:KEYWORD_LENGTH])
        if not by_slug:
            return
        self.keywords.update(Keyword.objects.filter(slug__in=by_slug).values_list("slug", "pk"))
        wanted = {slug: name for slug, name in by_slug.items() if slug not in self.keywords}
        # Two slugs may share a name only through truncation; the name is unique, so check it.
        taken_names = set(
            Keyword.objects.filter(name__in=wanted.values()).values_list("name", flat=True)
        )
        new = [
            Keyword(slug=slug, name=name if name not in taken_names else slug)
            for slug, name in sorted(wanted.items())
        ]
        for keyword in Keyword.objects.bulk_create(new):
            self.keywords[keyword.slug] = keyword.pk

    def ensure_countries(self, found: Iterable[str]) -> None:
        missing = set(found) - self.countries
        if not missing:
            return
        self.countries.update(
            Country.objects.filter(code__in=missing).values_list("code", flat=True)
        )
        Country.objects.bulk_create(
            Country(code=code, name=codes.country_name(code))
            for code in sorted(missing - self.countries)
        )
        self.countries |= missing

    def ensure_languages(self, found: Iterable[str]) -> None:
        missing = set(found) - self.languages
        if not missing:
            return
        self.languages.update(
            Language.objects.filter(code__in=missing).values_list("code", flat=True)
        )
        Language.objects.bulk_create(
            Language(code=code, name=codes.language_name(code))
            for code in sorted(missing - self.languages)
        )
        self.languages |= missing

    def provider(self, name: str, homepage: str | None = None) -> int:
        """A provider's id, created when new; ``homepage`` (when given) is updated."""
        if name not in self.providers or homepage is not None:
            provider, _ = Provider.objects.get_or_create(name=name)
            if homepage is not None and provider.homepage != homepage:
                provider.homepage = homepage
                provider.save(update_fields=["homepage"])
            self.providers[name] = provider.pk
        return self.providers[name]
