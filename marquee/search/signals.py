"""Editors' changes reach the index as they are saved.

Imports pause these (``index.paused()``) and refresh what they wrote in one pass at the end.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marquee.catalog.models import AlternateTitle, Movie
from marquee.people.models import Person
from marquee.reviews.models import Review
from marquee.search import index


@receiver([post_save, post_delete], sender=Movie)
def refresh_movie(sender: type[Movie], instance: Movie, **kwargs: Any) -> None:
    if not index.is_paused():
        index.refresh_movies([instance.pk])


@receiver([post_save, post_delete], sender=AlternateTitle)
def refresh_movie_titles(
    sender: type[AlternateTitle], instance: AlternateTitle, **kwargs: Any
) -> None:
    if not index.is_paused():
        index.refresh_movies([instance.movie_id])


@receiver([post_save, post_delete], sender=Person)
def refresh_person(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    if not index.is_paused():
        index.refresh_people([instance.pk])


@receiver([post_save, post_delete], sender=Review)
def refresh_movie_prominence(sender: type[Review], instance: Review, **kwargs: Any) -> None:
    # Runs after the reviews app's own receiver (its app is listed first), so the movie's
    # rating count is already current: a film that gains an audience climbs in search.
    if not index.is_paused():
        index.refresh_movies([instance.movie_id])
