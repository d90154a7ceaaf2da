from typing import Any

from django import template

from marquee.members.models import display_name
from marquee.reviews.forms import STAR_CHOICES, stars

register = template.Library()


@register.filter(name="stars")
def stars_filter(score: int | None) -> str:
    """7 → "★★★½"; None → ""."""
    return stars(score) if score else ""


@register.filter
def member_name(member: Any) -> str:
    return display_name(member)


@register.simple_tag
def star_choices() -> list[tuple[int, str]]:
    return STAR_CHOICES
