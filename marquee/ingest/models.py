"""What imports keep beside the catalog: other sites' ratings, community ratings from public
datasets, where a film's data came from (for attribution), and the matches left to an editor."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from marquee.catalog.models import Movie


class Source(models.TextChoices):
    IMDB = "imdb", "IMDb"
    MOVIELENS = "movielens", "MovieLens"
    TMDB = "tmdb", "TMDB"
    WIKIPEDIA = "wikipedia", "Wikipedia"
    MARQUEE = "marquee", "Marquee file"


class ExternalRating(models.Model):
    """A rating summary published by, or computed from, another source: IMDb's weighted average
    and vote count, or the average of a dataset's community ratings. Shown apart from members'
    ratings, labelled with its source."""

    # Indexed by the unique constraint on (movie, source), as MovieSource's.
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, db_index=False, related_name="external_ratings"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    average = models.FloatField(help_text="On a scale of 10.")
    votes = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["movie", "source"], name="external_rating_unique"),
            models.CheckConstraint(
                condition=Q(average__gte=0, average__lte=10), name="external_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.average:.1f} ({self.votes})"


class CommunityRating(models.Model):
    """One anonymous rating from a public dataset (MovieLens): the user is only a number within
    its source. Kept row by row for the recommender; summarised into ExternalRating."""

    source = models.CharField(max_length=16, choices=Source.choices)
    user_key = models.PositiveIntegerField(help_text="The user's number within the source.")
    # Its own index would repeat the first column of community_rating_movie below.
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, db_index=False, related_name="+")
    rating = models.PositiveSmallIntegerField(help_text="1 to 10 (half stars doubled).")
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "user_key", "movie"], name="community_rating_unique"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=10), name="community_rating_range"
            ),
        ]
        indexes = [models.Index(fields=["movie", "source"], name="community_rating_movie")]

    def __str__(self) -> str:
        return f"{self.source} user {self.user_key}: {self.rating}/10 for {self.movie_id}"


class MovieSource(models.Model):
    """A source a movie's data came from, with what its terms ask us to show: IMDb's attribution
    line, or the page and licence of text taken from Wikipedia (CC BY-SA)."""

    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, db_index=False, related_name="sources"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=100, blank=True)
    licence_url = models.URLField(max_length=200, blank=True)
    fields = models.CharField(
        max_length=200, blank=True, help_text="Which texts came from this source, e.g. synopsis."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["movie", "source"], name="movie_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} from {self.get_source_display()}"


class PendingMatch(models.Model):
    """A record that matched more than one film by title and year. Imports do not guess: an
    editor picks the film (or none) in the admin, and the next import applies the choice."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an editor"
        MATCHED = "matched", "Matched"
        REJECTED = "rejected", "No match"

    source = models.CharField(max_length=16, choices=Source.choices)
    external_key = models.CharField(
        max_length=200, help_text="The record's id or key within its source."
    )
    title = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    candidates = models.ManyToManyField(Movie, related_name="+", blank=True)
    chosen = models.ForeignKey(
        Movie, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    detail = models.JSONField(default=dict, blank=True, help_text="The record, as read.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "pending matches"
        constraints = [
            models.UniqueConstraint(fields=["source", "external_key"], name="pending_match_unique")
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="pending_match_queue")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year or '?'}) from {self.get_source_display()}"
