from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marquee.reviews.models import Review, refresh_movie_rating


@receiver([post_save, post_delete], sender=Review)
def keep_movie_rating_current(sender: type[Review], instance: Review, **kwargs: Any) -> None:
    refresh_movie_rating(instance.movie_id)
