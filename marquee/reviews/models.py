"""Members' ratings and reviews. Writing them comes with member accounts; the model comes first
so movie pages can show averages and histograms honestly from day one."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count

from marquee.catalog.models import Movie, copy_sort_keys

RATING_SCALE = range(1, 11)  # 1..10, shown as half stars out of five


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> ReviewQuerySet:
        return self.filter(is_published=True)

    def for_movie(self, movie: Movie) -> ReviewQuerySet:
        return self.filter(movie=movie)

    def with_text(self) -> ReviewQuerySet:
        return self.exclude(body="")

    def latest_first(self) -> ReviewQuerySet:
        return self.order_by("-created_at", "-id")


class Review(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 to 10; empty for a review without a rating.",
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    contains_spoilers = models.BooleanField(default=False)
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["movie", "author"], name="review_one_per_member"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=10),
                name="review_rating_range",
            ),
        ]
        indexes = [models.Index(fields=["movie", "is_published", "created_at"], name="review_feed")]

    def __str__(self) -> str:
        return f"{self.author} on {self.movie}"


def refresh_movie_rating(movie_id: int) -> None:
    """Recompute a movie's stored rating figures from its published reviews (two queries)."""
    published = Review.objects.published().filter(movie_id=movie_id)
    counts = dict(
        published.filter(rating__isnull=False)
        .values_list("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
    )
    histogram = [counts.get(point, 0) for point in RATING_SCALE]
    rated = sum(histogram)
    average = (
        sum(p * n for p, n in zip(RATING_SCALE, histogram, strict=True)) / rated if rated else None
    )
    movie = Movie.objects.filter(pk=movie_id)
    movie.update(
        rating_average=average,
        rating_count=rated,
        rating_histogram=histogram,
        review_count=published.with_text().count(),
    )
    copy_sort_keys(movie)


def rating_histogram(movie: Movie) -> list[tuple[int, int]]:
    """(rating, count) for every point of the scale, zeros included, from the stored counts."""
    counts = movie.rating_histogram or [0] * len(RATING_SCALE)
    return list(zip(RATING_SCALE, counts, strict=True))
