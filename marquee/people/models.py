"""People and the credits that tie them to movies."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from marquee.catalog.models import EditorHold, Movie
from marquee.pages.links import slug_url


class Person(models.Model):
    name = models.CharField(max_length=300)
    original_name = models.CharField(
        max_length=300, blank=True, help_text="The name in its own script, when it differs."
    )
    slug = models.SlugField(max_length=200, unique=True)
    birth_date = models.DateField(null=True, blank=True)
    death_date = models.DateField(null=True, blank=True)
    biography = models.TextField(blank=True)
    photo = models.ImageField(upload_to="people/", blank=True)

    imdb_id = models.CharField("IMDb id", max_length=12, blank=True)
    tmdb_id = models.PositiveIntegerField("TMDB id", null=True, blank=True)
    wikidata_id = models.CharField("Wikidata id", max_length=16, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # sitemaps ask for the latest

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["name"], name="person_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["imdb_id"], condition=~Q(imdb_id=""), name="person_unique_imdb_id"
            ),
            models.UniqueConstraint(
                fields=["tmdb_id"],
                condition=Q(tmdb_id__isnull=False),
                name="person_unique_tmdb_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("people:person-detail", self.slug)

    @property
    def shows_original_name(self) -> bool:
        return bool(self.original_name) and self.original_name != self.name


class PersonEdit(EditorHold):
    """The fields of a person an editor changed (films keep the same rule in their sources'
    rows: a field no source lists is an editor's)."""

    NAMES = "fields"
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="edit"
    )
    fields = models.CharField(max_length=200, help_text="As “name, biography”.")


class PersonAlias(models.Model):
    """A slug that used to name a person (renamed, or merged into another); it redirects."""

    slug = models.SlugField(max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name_plural = "person aliases"

    def __str__(self) -> str:
        return self.slug


class CreditKind(models.TextChoices):
    CAST = "cast", "Cast"
    CREW = "crew", "Crew"


class CreditQuerySet(models.QuerySet["Credit"]):
    def cast(self) -> CreditQuerySet:
        return self.filter(kind=CreditKind.CAST).order_by("order", "id")


class Credit(models.Model):
    # Each is indexed by the composite indexes below that lead with it: an index of its own
    # would cost every import of millions of credits and add nothing.
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, db_index=False, related_name="credits"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, db_index=False, related_name="credits"
    )
    kind = models.CharField(max_length=4, choices=CreditKind)
    character = models.CharField(max_length=500, blank=True, help_text="Cast only.")
    department = models.CharField(max_length=40, blank=True, help_text="Crew only.")
    job = models.CharField(max_length=100, blank=True, help_text="Crew only.")
    order = models.PositiveIntegerField(default=0, help_text="Billing order; 0 comes first.")
    # Copies of the movie's year and popularity, so a person's filmography and "known for" are
    # index ranges even for a career of thousands of credits (see catalog.models.Listing).
    year = models.PositiveSmallIntegerField(null=True, editable=False)
    popularity = models.FloatField(default=0, editable=False)

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order", "id"]
        indexes = [
            models.Index(fields=["movie", "kind", "order"], name="credit_by_movie"),
            models.Index(fields=["person", "kind", "job", "year"], name="credit_by_role"),
            models.Index(fields=["person", "popularity"], name="credit_known_for"),
            models.Index(fields=["movie", "job"], name="credit_by_job"),
        ]

    def __str__(self) -> str:
        role = self.character if self.kind == CreditKind.CAST else self.job
        return f"{self.person_id} as {role} in {self.movie_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.year, self.popularity = self.movie.year, self.movie.popularity
        super().save(*args, **kwargs)
