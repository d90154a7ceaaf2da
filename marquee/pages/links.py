"""Fast URLs for objects addressed by slug.

A list page links to dozens of movies and people, and Django's ``reverse()`` costs tens of
microseconds a call. The URL patterns never change while a process runs, so each pattern is
reversed once with a placeholder and filled in by string replacement afterwards.
"""

from functools import cache

from django.urls import get_script_prefix, reverse

PLACEHOLDER = "__slug__"  # matches the slug converter, never a real slug (those are lowercase)


@cache
def _template(name: str, script_prefix: str) -> str:
    return reverse(name, args=[PLACEHOLDER])


def slug_url(name: str, slug: str) -> str:
    """``reverse(name, args=[slug])`` for a URL whose one argument is a slug."""
    return _template(name, get_script_prefix()).replace(PLACEHOLDER, slug)
