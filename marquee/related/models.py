"""Related movies, precomputed by ``marquee related rebuild`` (see rebuild.py)."""

from django.db import models

from marquee.catalog.models import Movie


class RelatedMovie(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="related_entries")
    related = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=200, help_text="Shown under the poster, e.g. 'Remake'.")

    class Meta:
        ordering = ["movie", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["movie", "rank"], name="related_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} → {self.related_id} ({self.reason})"


class ScoredMovie(models.Model):
    """A fingerprint of what a movie's related movies were scored from, so that a refresh after
    an import rescores only the movies that changed and their neighbours.

    ``picks`` counts the rows written: when a movie is deleted, the rows that listed it go with
    it, and the lists left short are found by their count."""

    movie_id = models.BigIntegerField(primary_key=True)
    digest = models.BigIntegerField()
    picks = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.movie_id}: {self.digest:x}"
