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
