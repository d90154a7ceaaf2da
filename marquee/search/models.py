"""The search index: one document per movie and per person, kept by ``marquee.search.index``.

The full-text tables themselves (FTS5 on SQLite, a weighted tsvector and trigram indexes on
PostgreSQL) are created by this app's migrations for each database; these models hold what both
share: the folded text, what a result shows without loading the movie, and how prominent it is.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    MOVIE = "movie", "Films"
    PERSON = "person", "People"


class Document(models.Model):
    """What the index knows about one movie or person.

    ``rank`` is the full-text row id. It puts the prominence bucket in the high bits, so the
    index can hand back the most prominent matches first and stop (``ORDER BY rowid DESC
    LIMIT n``) instead of scoring every film that contains "love".
    """

    kind = models.CharField(max_length=6, choices=Kind)
    object_id = models.BigIntegerField()
    rank = models.BigIntegerField(unique=True)
    name = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)  # original title or name
    slug = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True)
    prominence = models.FloatField(default=0)
    # Folded text, one title per line: main and original titles (or names) …
    names = models.TextField()
    # … alternate titles …
    aka = models.TextField(blank=True)
    # … and other spellings (compounds, numerals) plus the year, for matching only.
    extra = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class TitleKey(models.Model):
    """A whole folded title (or one without its article), for exact and prefix matches that must
    be found however many other films share its words."""

    key = models.CharField(max_length=200)
    rank = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["key"], name="search_titlekey_key"),
            models.Index(fields=["rank"], name="search_titlekey_rank"),
        ]

    def __str__(self) -> str:
        return self.key


class Term(models.Model):
    """A word that occurs in some title or name; typos are corrected towards these."""

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.word


class IndexMark(models.Model):
    """How far imports have been indexed: every movie and person written since ``through`` may
    be missing from the index. Moved on only after a refresh finished, so an import whose
    refresh was cut short (the process killed after the catalog committed) is caught up by the
    next one."""

    through = models.DateTimeField()

    def __str__(self) -> str:
        return f"indexed through {self.through:%Y-%m-%d %H:%M:%S}"
