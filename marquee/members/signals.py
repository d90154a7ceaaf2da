from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from marquee.members.models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def give_every_member_a_profile(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Accounts made by sign-up, the admin or createsuperuser all get a profile row, so pages can
    join it without checking."""
    if created and not kwargs.get("raw"):
        Profile.objects.get_or_create(member=instance)
