from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marquee.reviews.models import Rating, Review, refresh_movie_rating


@receiver([post_save, post_delete], sender=Review)
@receiver([post_save, post_delete], sender=Rating)
def keep_movie_rating_current(sender: type[Any], instance: Rating | Review, **kwargs: Any) -> None:
    """Edits through the admin or the shell keep the figures right too."""
    refresh_movie_rating(instance.movie_id)
