"""Members' ratings and reviews.

A member's star rating is its own row (``Rating``): as on Letterboxd, a member rates a film
without having to write about it, and a review shows its author's current rating. The movie's
stored figures (average, count, histogram, number of written reviews) are recomputed from these
rows on every change; ``rate`` and ``save_review`` lock the movie row first so parallel writes on
one film queue up instead of overwriting each other's figures.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from marquee.catalog.models import Movie, copy_sort_keys

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RATING_SCALE = range(1, 11)  # 1..10, shown as half stars out of five
TITLE_MAX = 200
BODY_MAX = 20_000  # about eight pages: room for an essay, not for a dump


class RatingQuerySet(models.QuerySet["Rating"]):
    def by(self, member: User) -> RatingQuerySet:
        return self.filter(member=member)

    def latest_first(self) -> RatingQuerySet:
        return self.order_by("-updated_at", "-id")


class Rating(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 to 10: half stars out of five.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["movie", "member"], name="rating_one_per_member"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=10), name="rating_score_range"
            ),
        ]
        indexes = [models.Index(fields=["member", "updated_at"], name="rating_by_member")]

    def __str__(self) -> str:
        return f"{self.member} rated {self.movie} {self.score}/10"

    @property
    def stars(self) -> float:
        return self.score / 2


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> ReviewQuerySet:
        return self.filter(is_published=True)

    def for_movie(self, movie: Movie) -> ReviewQuerySet:
        return self.filter(movie=movie)

    def by(self, member: User) -> ReviewQuerySet:
        return self.filter(author=member)

    def with_text(self) -> ReviewQuerySet:
        return self.exclude(body="")

    def latest_first(self) -> ReviewQuerySet:
        return self.order_by("-created_at", "-id")

    def most_helpful_first(self) -> ReviewQuerySet:
        return self.order_by("-helpful_count", "-created_at", "-id")

    def for_display(self) -> ReviewQuerySet:
        """Author and profile in the same query, and the author's current rating of the film
        as ``author_score`` (None when they have not rated it)."""
        author_rating = Rating.objects.filter(member=OuterRef("author"), movie=OuterRef("movie"))
        return self.select_related("author__profile").annotate(
            author_score=Subquery(author_rating.values("score")[:1])
        )


class Review(models.Model):
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    contains_spoilers = models.BooleanField(default=False)
    is_published = models.BooleanField(
        default=True, help_text="Moderators hide a review by unticking this."
    )
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["movie", "author"], name="review_one_per_member"),
        ]
        indexes = [
            models.Index(fields=["movie", "is_published", "created_at"], name="review_feed"),
            models.Index(
                fields=["movie", "is_published", "helpful_count", "created_at"],
                name="review_helpful_feed",
            ),
            models.Index(fields=["author", "created_at"], name="review_by_author"),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.movie}"

    def body_html(self) -> str:
        """The body rendered from Markdown and sanitized; links stay plain text while the
        author's account is new (link spam comes from fresh accounts)."""
        from marquee.reviews.markdown import render_markdown

        return render_markdown(self.body, links=not is_new_account(self.author))


class HelpfulVote(models.Model):
    """One "helpful" per member per review; the count is kept on the review for sorting."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="helpful_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} found review {self.review_id} helpful"


def is_new_account(member: User) -> bool:
    return member.date_joined > timezone.now() - timedelta(days=settings.NEW_ACCOUNT_DAYS)


def _lock_movie(movie_id: int) -> None:
    # Serializes writes per film on PostgreSQL; SQLite's IMMEDIATE transactions already
    # serialize all writers, and select_for_update is a no-op there.
    list(Movie.objects.select_for_update().filter(pk=movie_id).values_list("pk"))


# The writers below change rows under the movie lock; the signals (signals.py) then recompute
# the movie's figures inside the same transaction.


def rate(member: User, movie: Movie, score: int | None) -> Rating | None:
    """Set (or with ``None`` remove) the member's rating of the movie."""
    with transaction.atomic():
        _lock_movie(movie.pk)
        if score is None:
            Rating.objects.filter(member=member, movie=movie).delete()
            return None
        rating, _ = Rating.objects.update_or_create(
            member=member, movie=movie, defaults={"score": score}
        )
        return rating


def save_review(review: Review) -> Review:
    """Create or update a review."""
    with transaction.atomic():
        _lock_movie(review.movie_id)
        review.save()
    return review


def delete_review(review: Review) -> None:
    with transaction.atomic():
        _lock_movie(review.movie_id)
        review.delete()


def vote_helpful(member: User, review: Review) -> bool:
    """Record the member's vote; False when they had already voted (nothing changes)."""
    with transaction.atomic():
        _, created = HelpfulVote.objects.get_or_create(review=review, member=member)
        if created:
            Review.objects.filter(pk=review.pk).update(helpful_count=F("helpful_count") + 1)
    return created


def refresh_movie_rating(movie_id: int) -> None:
    """Recompute a movie's stored rating figures from members' ratings and published reviews."""
    counts = dict(
        Rating.objects.filter(movie_id=movie_id)
        .values_list("score")
        .annotate(n=Count("id"))
        .values_list("score", "n")
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
        review_count=Review.objects.published().filter(movie_id=movie_id).with_text().count(),
    )
    copy_sort_keys(movie)


def rating_histogram(movie: Movie) -> list[tuple[int, int]]:
    """(rating, count) for every point of the scale, zeros included, from the stored counts."""
    counts = movie.rating_histogram or [0] * len(RATING_SCALE)
    return list(zip(RATING_SCALE, counts, strict=True))
