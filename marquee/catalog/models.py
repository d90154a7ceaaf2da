"""The catalog: movies and the facts that describe them.

People and credits live in ``marquee.people``; reviews, watch offers and related movies in their
own apps. Countries and languages that movies are filtered by are rows (indexed joins); codes that
are only ever displayed (release dates, alternate titles) are plain ISO strings.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from marquee.catalog import codes
from marquee.pages.links import slug_url


class Genre(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("catalog:genre-detail", self.slug)


class Country(models.Model):
    """An ISO 3166-1 alpha-2 country that at least one movie was produced in."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:country-detail", args=[self.slug])

    @property
    def slug(self) -> str:
        return self.code.lower()


class Language(models.Model):
    """An ISO 639 language (639-1 where it exists, else 639-3)."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Keyword(models.Model):
    """A theme such as "wrongful conviction"; keywords feed related movies."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MovieQuerySet(models.QuerySet["Movie"]):
    def rated(self, at_least: int = 1) -> MovieQuerySet:
        return self.filter(rating_count__gte=at_least)

    def featured(self) -> MovieQuerySet:
        return self.filter(is_featured=True)

    def recently_added(self) -> MovieQuerySet:
        return self.order_by("-created_at", "-id")

    def top_rated(self, min_ratings: int = 1) -> MovieQuerySet:
        return self.rated(min_ratings).order_by("-rating_average", "-rating_count", "id")


class Movie(models.Model):
    title = models.CharField(max_length=500)
    original_title = models.CharField(max_length=500, blank=True)
    sort_title = models.CharField(
        max_length=500, blank=True, help_text="Leave empty to derive it from the title."
    )
    slug = models.SlugField(max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    runtime = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Minutes.")

    genres = models.ManyToManyField(Genre, blank=True, related_name="movies", through="MovieGenre")
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="movies")
    countries = models.ManyToManyField(
        Country, blank=True, related_name="movies", through="MovieCountry"
    )
    # Indexed by movie_language, which leads with it.
    original_language = models.ForeignKey(
        Language,
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    spoken_languages = models.ManyToManyField(Language, blank=True, related_name="movies")

    tagline = models.CharField(max_length=300, blank=True)
    synopsis = models.TextField(blank=True, help_text="Short and free of spoilers.")
    plot = models.TextField(blank=True, help_text="The whole story; shown behind a spoiler guard.")
    background = models.TextField(
        blank=True, help_text="How the film came about: true events, sources, production."
    )
    reception = models.TextField(blank=True)

    budget = models.BigIntegerField(null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True)

    imdb_id = models.CharField("IMDb id", max_length=12, blank=True)
    tmdb_id = models.PositiveIntegerField("TMDB id", null=True, blank=True)
    wikidata_id = models.CharField("Wikidata id", max_length=16, blank=True)
    movielens_id = models.PositiveIntegerField("MovieLens id", null=True, blank=True)

    poster = models.ImageField(upload_to="posters/", blank=True)
    is_featured = models.BooleanField(default=False, help_text="Shown first on the home page.")

    # Kept up to date from members' reviews so lists can sort by them without aggregating.
    rating_average = models.FloatField(null=True, blank=True, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_histogram = models.JSONField(default=list, editable=False, help_text="Count per 1..10.")
    review_count = models.PositiveIntegerField(default=0, editable=False, help_text="With text.")
    popularity = models.FloatField(default=0, help_text="Higher sorts first under Popularity.")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # sitemaps ask for the latest

    objects = MovieQuerySet.as_manager()

    # Set by pages that list linked movies side by side ("Türkiye 2019"); not stored.
    country_names = ""

    class Meta:
        ordering = ["sort_title", "id"]
        indexes = [
            models.Index(fields=["sort_title", "id", "year"], name="movie_title_order"),
            models.Index(fields=["year", "sort_title", "id"], name="movie_year_order"),
            models.Index(
                fields=["rating_average", "rating_count", "id", "year"], name="movie_rating_order"
            ),
            models.Index(fields=["popularity", "id", "year"], name="movie_popularity_order"),
            # Featured films are a handful among millions: index only those.
            models.Index(
                fields=["popularity", "id"], condition=Q(is_featured=True), name="movie_featured"
            ),
            models.Index(fields=["original_language", "sort_title"], name="movie_language"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["imdb_id"], condition=~Q(imdb_id=""), name="movie_unique_imdb_id"
            ),
            models.UniqueConstraint(
                fields=["tmdb_id"], condition=Q(tmdb_id__isnull=False), name="movie_unique_tmdb_id"
            ),
            models.UniqueConstraint(
                fields=["movielens_id"],
                condition=Q(movielens_id__isnull=False),
                name="movie_unique_movielens_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.sort_title = self.sort_title or derive_sort_title(self.title)
        adding = self._state.adding
        if not adding:
            old_slug = Movie.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if old_slug and old_slug != self.slug:
                MovieAlias.objects.update_or_create(slug=old_slug, defaults={"movie": self})
            MovieAlias.objects.filter(slug=self.slug).delete()  # renamed back: the slug is live
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if not adding:
            copy_sort_keys(Movie.objects.filter(pk=self.pk))

    def get_absolute_url(self) -> str:
        return slug_url("catalog:movie-detail", self.slug)

    @property
    def shows_original_title(self) -> bool:
        return bool(self.original_title) and self.original_title != self.title


ARTICLES = ("the ", "a ", "an ")


def derive_sort_title(title: str) -> str:
    """Lowercase title without a leading English article: "The Host" sorts under H."""
    lowered = title.casefold().strip()
    for article in ARTICLES:
        if lowered.startswith(article) and len(lowered) > len(article):
            return lowered[len(article) :]
    return lowered


class MovieAlias(models.Model):
    """A slug a movie was known by; its old URL redirects to the current one."""

    slug = models.SlugField(max_length=200, unique=True)
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name_plural = "movie aliases"

    def __str__(self) -> str:
        return self.slug


SORT_KEYS = ("year", "sort_title", "rating_average", "rating_count", "popularity")
# What a genre or country listing copies: the sort keys, and the original language, so a genre
# filtered by language walks the genre's listing in order instead of gathering the language's
# films from the movies table and sorting them.
LISTING_KEYS = (*SORT_KEYS, "original_language_id")
CREDIT_KEYS = ("year", "popularity")


class Listing(models.Model):
    """A movie's membership of a browsable group (a genre, a country), carrying copies of the
    movie's sort keys. A filtered, sorted list is then one index range in one table, however
    large the catalog: no join to order 300,000 dramas by year. Kept in step by
    ``copy_sort_keys()``, which every write path calls."""

    # Indexed by each subclass's unique constraint, which leads with it.
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, db_index=False)
    year = models.PositiveSmallIntegerField(null=True, editable=False)
    sort_title = models.CharField(max_length=500, editable=False, default="")
    rating_average = models.FloatField(null=True, editable=False)
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    popularity = models.FloatField(default=0, editable=False)
    # A filter, not a sort key: no index of its own (one would draw the planner back to
    # gathering a language's films and sorting them).
    original_language = models.ForeignKey(
        Language,
        null=True,
        editable=False,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        for key, value in sort_keys(self.movie).items():
            setattr(self, key, value)
        super().save(*args, **kwargs)


def listing_indexes(group: str) -> list[models.Index]:
    # One index per sort order. Each ends with the year, so a year range is checked inside
    # the index without reading table rows.
    prefix = f"{group}_list"
    return [
        models.Index(fields=[group, "sort_title", "movie", "year"], name=f"{prefix}_title"),
        models.Index(fields=[group, "year", "sort_title", "movie"], name=f"{prefix}_year"),
        models.Index(
            fields=[group, "rating_average", "rating_count", "movie", "year"],
            name=f"{prefix}_rating",
        ),
        models.Index(fields=[group, "popularity", "movie", "year"], name=f"{prefix}_popular"),
    ]


class MovieGenre(Listing):
    genre = models.ForeignKey(Genre, on_delete=models.PROTECT, db_index=False)

    class Meta:
        verbose_name = "genre"
        constraints = [models.UniqueConstraint(fields=["movie", "genre"], name="moviegenre_unique")]
        indexes = listing_indexes("genre")

    def __str__(self) -> str:
        return str(self.genre_id)


class MovieCountry(Listing):
    """Production country; ``position`` keeps the main one first."""

    # Indexed by the listing indexes, which lead with it; MovieGenre's genre likewise.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, db_index=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = "country"
        verbose_name_plural = "countries"
        constraints = [
            models.UniqueConstraint(fields=["movie", "country"], name="moviecountry_unique"),
        ]
        indexes = listing_indexes("country")

    def __str__(self) -> str:
        return self.country_id


def sort_keys(movie: Movie) -> dict[str, Any]:
    """The values a listing copies from its movie, for creating listings in bulk."""
    return {key: getattr(movie, key) for key in LISTING_KEYS}


def copy_sort_keys(movies: QuerySet[Movie] | None = None) -> None:
    """Copy movies' sort keys into the rows that carry them: genre and country listings (with
    the original language), and credits (year and popularity). All movies when ``movies`` is
    None."""
    credit = apps.get_model("people", "Credit")  # people depends on catalog, not the reverse
    for model, keys in (
        (MovieGenre, LISTING_KEYS),
        (MovieCountry, LISTING_KEYS),
        (credit, CREDIT_KEYS),
    ):
        rows = model.objects.all()
        if movies is not None:
            rows = rows.filter(movie__in=movies.values("pk"))
        source = Movie.objects.filter(pk=OuterRef("movie_id"))
        rows.update(**{key: Subquery(source.values(key)[:1]) for key in keys})


class ReleaseKind(models.TextChoices):
    PREMIERE = "premiere", "Premiere"
    FESTIVAL = "festival", "Festival"
    THEATRICAL = "theatrical", "Theatrical"
    LIMITED = "limited", "Limited"
    DIGITAL = "digital", "Digital"
    PHYSICAL = "physical", "Physical"
    TV = "tv", "TV"


class ReleaseDate(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="release_dates")
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=ReleaseKind, default=ReleaseKind.THEATRICAL)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "country"]

    def __str__(self) -> str:
        return f"{self.country} {self.date}"

    @property
    def country_name(self) -> str:
        return codes.country_name(self.country)


class Certification(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="certifications")
    country = models.CharField(max_length=2)
    rating = models.CharField(max_length=20)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["movie", "country"], name="certification_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.rating}"

    @property
    def country_name(self) -> str:
        return codes.country_name(self.country)


class BoxOfficeKind(models.TextChoices):
    GROSS = "gross", "Gross"
    ADMISSIONS = "admissions", "Admissions"


class BoxOffice(models.Model):
    """A box-office total: money taken (with currency) or tickets sold, in one territory.

    An empty territory means worldwide.
    """

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="box_office")
    kind = models.CharField(max_length=12, choices=BoxOfficeKind)
    territory = models.CharField(max_length=2, blank=True, help_text="Empty for worldwide.")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3, blank=True, help_text="For gross only.")

    class Meta:
        ordering = ["kind", "territory"]
        verbose_name_plural = "box office"

    def __str__(self) -> str:
        return f"{self.kind} {self.territory or 'worldwide'} {self.amount}"

    @property
    def territory_name(self) -> str:
        return codes.country_name(self.territory) if self.territory else "Worldwide"


class Milestone(models.Model):
    """A dated box-office milestone, such as 10 million admissions on day 32."""

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=12, choices=BoxOfficeKind)
    value = models.BigIntegerField()
    currency = models.CharField(max_length=3, blank=True)
    territory = models.CharField(max_length=2, blank=True)
    date = models.DateField(null=True, blank=True)
    day = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days since release; the release day is day 1."
    )

    class Meta:
        ordering = ["value"]

    def __str__(self) -> str:
        return f"{self.value} {self.kind}"

    @property
    def territory_name(self) -> str:
        return codes.country_name(self.territory) if self.territory else "Worldwide"


class TitleKind(models.TextChoices):
    ORIGINAL = "original", "Original title"
    ROMANIZED = "romanized", "Romanized"
    TRANSLATED = "translated", "Translated"
    WORKING = "working", "Working title"
    FESTIVAL = "festival", "Festival title"
    SHORT = "short", "Short title"
    OTHER = "other", "Also known as"


class AlternateTitle(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="alternate_titles")
    title = models.CharField(max_length=500)
    language = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=2, blank=True)
    kind = models.CharField(max_length=12, choices=TitleKind, default=TitleKind.OTHER)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def language_name(self) -> str:
        return codes.language_name(self.language) if self.language else ""

    @property
    def region_name(self) -> str:
        return codes.country_name(self.region) if self.region else ""


class RelationKind(models.TextChoices):
    REMAKE_OF = "remake_of", "Remake"
    SEQUEL_OF = "sequel_of", "Sequel"
    SAME_SOURCE = "same_source", "Same source"


# How a relation reads from the other film's side.
INVERSE_RELATION_LABELS = {
    RelationKind.REMAKE_OF: "Remade as",
    RelationKind.SEQUEL_OF: "Followed by",
    RelationKind.SAME_SOURCE: "Same source",
}


class MovieRelation(models.Model):
    """``movie`` is a remake/sequel of ``other`` (stated once, on the later film)."""

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="inverse_relations")
    kind = models.CharField(max_length=12, choices=RelationKind)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["movie", "other", "kind"], name="relation_unique"),
            models.CheckConstraint(condition=~Q(movie=models.F("other")), name="relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} {self.kind} {self.other_id}"

    @property
    def inverse_label(self) -> str:
        return INVERSE_RELATION_LABELS[RelationKind(self.kind)]


class EditorHold(models.Model):
    """What an editor changed of one film or person in the admin, as "a, b": imports leave it
    as the editor left it. One row per edited object, so millions of imported ones cost
    nothing. ``NAMES`` names the text field that holds the list."""

    NAMES = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, self.NAMES))

    def names(self) -> set[str]:
        return set(getattr(self, self.NAMES).split(", ")) - {""}

    @classmethod
    def record(cls, owner: models.Model, names: set[str]) -> None:
        """``names`` of ``owner`` are the editor's from now on."""
        edit, _ = cls._default_manager.get_or_create(pk=owner.pk, defaults={cls.NAMES: ""})
        known = edit.names()
        if names - known:
            setattr(edit, cls.NAMES, ", ".join(sorted(known | names)))
            edit.save(update_fields=[cls.NAMES])


class MovieEdit(EditorHold):
    """The lists of a movie an editor changed (its genres, cast, alternate titles…), even
    emptied. A film's single fields need no such record: a field no source lists is an
    editor's (see ``marquee.ingest.loader.hand_to_editor``)."""

    NAMES = "lists"
    movie = models.OneToOneField(
        Movie, on_delete=models.CASCADE, primary_key=True, related_name="edit"
    )
    lists = models.CharField(max_length=200, help_text="As “cast, genres”.")
