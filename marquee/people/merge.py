from collections.abc import Iterable

from django.db import transaction

from marquee.people.models import Credit, Person, PersonAlias

FILLABLE = (
    "original_name",
    "birth_date",
    "death_date",
    "biography",
    "photo",
    "imdb_id",
    "tmdb_id",
    "wikidata_id",
)


@transaction.atomic
def merge_people(keep: Person, duplicates: Iterable[Person]) -> int:
    """Fold ``duplicates`` into ``keep``: their credits move over, facts ``keep`` lacks are
    copied, and their old addresses redirect to ``keep``. Returns the number of people merged."""
    merged = 0
    for duplicate in duplicates:
        if duplicate.pk == keep.pk:
            continue
        Credit.objects.filter(person=duplicate).update(person=keep)
        PersonAlias.objects.filter(person=duplicate).update(person=keep)
        for name in FILLABLE:
            if not getattr(keep, name) and getattr(duplicate, name):
                setattr(keep, name, getattr(duplicate, name))
                setattr(
                    duplicate, name, None if name in ("birth_date", "death_date", "tmdb_id") else ""
                )
        duplicate_slug = duplicate.slug
        # Clear unique ids before saving keep, or the two rows would collide.
        duplicate.save()
        duplicate.delete()
        PersonAlias.objects.update_or_create(slug=duplicate_slug, defaults={"person": keep})
        merged += 1
    keep.save()
    return merged
