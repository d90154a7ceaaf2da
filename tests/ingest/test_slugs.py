import pytest
from django.utils import text

from marquee.ingest.slugs import slugify

NAMES = [
    "Robert De Niro",
    "Penélope Cruz",
    "Bong Joon-ho",
    "이병헌",
    "Zoë Kravitz",
    "Sam O'Neill Jr.",
    "  __Leading_and trailing__  ",
    "Tab\tand\nnewline",
    "Ⅷ Roman numeral, ﬁ ligature",
    "Dash — em, – en, ‐ hyphen",
    "Ǆ digraph ß sharp s",
    "",
    "---",
    "100% Wolf (2020)",
]


@pytest.mark.parametrize("name", NAMES)
def test_slugify_gives_what_django_gives(name: str) -> None:
    assert slugify(name) == text.slugify(name)
