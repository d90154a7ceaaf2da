"""What members keep: a profile, a watchlist, their own lists, a diary of viewings; and the
moderation records about reviews (reports and the actions moderators took)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from marquee.catalog.models import Movie

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DISPLAY_NAME_MAX = 50
LIST_NAME_MAX = 100
NOTES_MAX = 2_000


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    KOREAN = "ko", "한국어 (Korean)"
    JAPANESE = "ja", "日本語 (Japanese)"
    FRENCH = "fr", "Français (French)"
    GERMAN = "de", "Deutsch (German)"
    SPANISH = "es", "Español (Spanish)"


class Profile(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)
    language = models.CharField(
        max_length=8, choices=Language, default=Language.ENGLISH, help_text="Preferred language."
    )
    is_public = models.BooleanField(
        default=False, help_text="Show a public profile page with ratings, reviews and lists."
    )
    bio = models.TextField(max_length=NOTES_MAX, blank=True)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:profile", args=[self.member.get_username()])

    @property
    def name(self) -> str:
        return self.display_name or self.member.get_username()


def display_name(member: User) -> str:
    """The name pages show for a member: their display name, else their username."""
    profile = getattr(member, "profile", None)
    return profile.name if profile else member.get_username()


class WatchlistEntry(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist"
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "watchlist entries"
        constraints = [
            models.UniqueConstraint(fields=["member", "movie"], name="watchlist_once_per_movie")
        ]
        indexes = [models.Index(fields=["member", "added_at"], name="watchlist_by_date")]

    def __str__(self) -> str:
        return f"{self.movie} on {self.member}'s watchlist"


class MovieListQuerySet(models.QuerySet["MovieList"]):
    def public(self) -> MovieListQuerySet:
        return self.filter(is_public=True)

    def visible_to(self, member: User) -> MovieListQuerySet:
        """Public lists, and the member's own private ones."""
        if not member.is_authenticated:
            return self.public()
        return self.filter(models.Q(is_public=True) | models.Q(owner=member))


class MovieList(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="movie_lists"
    )
    name = models.CharField(max_length=LIST_NAME_MAX)
    slug = models.SlugField(max_length=LIST_NAME_MAX + 12, allow_unicode=True)
    notes = models.TextField(max_length=NOTES_MAX, blank=True)
    is_public = models.BooleanField(default=True)
    is_ranked = models.BooleanField(default=False, help_text="Show position numbers.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MovieListQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="movielist_slug_per_owner")
        ]
        indexes = [models.Index(fields=["owner", "updated_at"], name="movielist_by_owner")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:list-detail", args=[self.owner.get_username(), self.slug])


class ListItem(models.Model):
    movie_list = models.ForeignKey(MovieList, on_delete=models.CASCADE, related_name="items")
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    notes = models.TextField(max_length=NOTES_MAX, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["movie_list", "movie"], name="listitem_once_per_list")
        ]
        indexes = [models.Index(fields=["movie_list", "position"], name="listitem_order")]

    def __str__(self) -> str:
        return f"{self.position}. {self.movie}"


class DiaryEntry(models.Model):
    """One viewing: when, whether it was a rewatch, and the rating given that day."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary"
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    watched_on = models.DateField()
    rewatch = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "diary entries"
        ordering = ["-watched_on", "-id"]
        indexes = [models.Index(fields=["member", "watched_on"], name="diary_by_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=10),
                name="diary_rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} watched {self.movie} on {self.watched_on}"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive or hateful"
    SPOILER = "spoiler", "Unmarked spoilers"
    OTHER = "other", "Something else"


class ReviewReport(models.Model):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=10, choices=ReportReason)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="report_once_per_member")
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"{self.reporter} reported review {self.review_id}: {self.reason}"


class ModerationAction(models.Model):
    """What a moderator did, kept for the record."""

    class Kind(models.TextChoices):
        HIDE = "hide", "Hid the review"
        RESTORE = "restore", "Restored the review"
        DISMISS = "dismiss", "Dismissed the reports"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.moderator}: {self.get_kind_display()} ({self.review_id})"


class ImportQuestion(models.Model):
    """A row of a Letterboxd import that matched no film or several: kept for the member to
    settle, never guessed."""

    class Kind(models.TextChoices):
        RATING = "rating", "Rating"
        DIARY = "diary", "Diary entry"
        WATCHLIST = "watchlist", "Watchlist"
        REVIEW = "review", "Review"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_questions"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    name = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    row = models.JSONField(help_text="The row as read from the file.")
    candidates = models.ManyToManyField(Movie, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name} ({self.year})"
