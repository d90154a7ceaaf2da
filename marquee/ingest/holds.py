"""What editors hold of films and people (``MovieEdit``, ``PersonEdit``), as Marquee's own
format states it: imports of that format set it exactly, the other sources never touch it."""

from __future__ import annotations

from marquee.catalog.models import MovieEdit
from marquee.people.models import PersonEdit


def set_holds(model: type[MovieEdit] | type[PersonEdit], wanted: dict[int, list[str]]) -> None:
    """Make the holds of these films or people (by id) exactly ``wanted``; an empty list
    hands everything back."""
    if not wanted:
        return
    column = model.NAMES
    current = dict(model.objects.filter(pk__in=list(wanted)).values_list("pk", column))
    model.objects.filter(pk__in=[pk for pk, names in wanted.items() if not names]).delete()
    for pk, names in wanted.items():
        text = ", ".join(sorted(set(names)))
        if names and current.get(pk) != text:
            model.objects.update_or_create(pk=pk, defaults={column: text})
