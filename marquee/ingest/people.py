"""Loading people: found by key (Marquee's own format), by IMDb or TMDB id, or, for sources
without ids, by the name of a person the same film already credits, then by a name that only one
person has. Written a chunk at a time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone

from marquee.ingest.holds import set_holds
from marquee.ingest.records import PersonRecord
from marquee.ingest.report import Report
from marquee.ingest.slugs import choose_slug, make_slug, person_suffixes
from marquee.people.models import Credit, Person, PersonAlias, PersonEdit

FIELDS = (
    "name",
    "original_name",
    "birth_date",
    "death_date",
    "biography",
    "imdb_id",
    "tmdb_id",
    "wikidata_id",
)
IDS = ("imdb_id", "tmdb_id", "wikidata_id")


def fold(name: str) -> str:
    """A name as compared between sources: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def _empty(value: object) -> bool:
    return value is None or value == ""


class PeopleLoader:
    def __init__(self, report: Report, *, authoritative: bool) -> None:
        self.report = report
        self.authoritative = authoritative
        self.ids: dict[str, int] = {}  # record key → person id
        self.ambiguous: set[str] = set()
        self.reported: set[str] = set()

    def known(self, key: str, path: str, line: int | None) -> bool:
        """Whether a credit's person is known; a credit for anyone else is left out, counted."""
        if key in self.ids:
            return True
        if key in self.ambiguous:
            self.report.skip("credits", "person's name is shared by several people")
        else:
            self.report.bad_row(
                "credits", f"credit for unknown person {key!r}", source=path, line=line
            )
        return False

    def resolve_keys(self, keys: set[str]) -> None:
        """People that a Marquee file refers to by key without defining them: earlier imports."""
        if not keys or not self.authoritative:
            return
        self.ids.update(PersonAlias.objects.filter(slug__in=keys).values_list("slug", "person_id"))
        self.ids.update(Person.objects.filter(slug__in=keys).values_list("slug", "pk"))

    def load(self, records: list[PersonRecord], path: str) -> None:
        fresh: dict[str, PersonRecord] = {}
        for record in records:
            if record.key in self.ids or record.key in fresh or record.key in self.ambiguous:
                continue  # the same person credited again (TMDB, Wikipedia): read once
            self.report.read("people")
            fresh[record.key] = record
        if not fresh:
            return
        found = self.find(list(fresh.values()), path)
        existing = Person.objects.in_bulk(set(found.values()))
        held = self.held_ids(list(fresh.values()))
        created: list[tuple[PersonRecord, Person]] = []
        updated: dict[int, Person] = {}
        changed_fields: set[str] = set()
        for key, record in fresh.items():
            if key in self.ambiguous:
                continue
            pk = found.get(key)
            person = existing[pk] if pk else Person()
            changes = self.compare(record, person, held)
            if pk is None:
                created.append((record, person))
            elif changes:
                updated[pk] = person
                changed_fields |= changes
            else:
                self.report.unchanged("people")
                self.ids[key] = pk
        if created:
            self.assign_slugs(created)
            Person.objects.bulk_create([p for _, p in created])
            for record, person in created:
                self.ids[record.key] = person.pk
            self.report.created("people", len(created))
        if updated:
            now = timezone.now()
            for person in updated.values():
                person.updated_at = now
            Person.objects.bulk_update(
                list(updated.values()), [*sorted(changed_fields), "updated_at"]
            )
            self.report.updated("people", len(updated))
            for key, pk in found.items():
                if pk in updated:
                    self.ids[key] = pk
        set_holds(
            PersonEdit,
            {
                self.ids[key]: record.edited
                for key, record in fresh.items()
                if record.edited is not None and key in self.ids
            },
        )

    def find(self, records: list[PersonRecord], path: str) -> dict[str, int]:
        found: dict[str, int] = {}
        if self.authoritative:
            keys = [r.key for r in records]
            found.update(PersonAlias.objects.filter(slug__in=keys).values_list("slug", "person_id"))
            found.update(Person.objects.filter(slug__in=keys).values_list("slug", "pk"))
        for name in ("imdb_id", "tmdb_id"):
            wanted = {
                getattr(r, name): r.key for r in records if getattr(r, name) and r.key not in found
            }
            if wanted:
                for value, pk in Person.objects.filter(**{f"{name}__in": wanted}).values_list(
                    name, "pk"
                ):
                    found[wanted[value]] = pk
        by_name = [r for r in records if r.match_by_name and r.key not in found]
        if by_name:
            people: dict[str, list[int]] = defaultdict(list)
            for name, pk in Person.objects.filter(name__in={r.name for r in by_name}).values_list(
                "name", "pk"
            ):
                people[name].append(pk)
            for record in by_name:
                matches = people.get(record.name, [])
                if len(matches) == 1:
                    found[record.key] = matches[0]
                elif matches:
                    self.ambiguous.add(record.key)
                    self.report.skip("people", "name shared by several people")
        return found

    def credited_on_films(
        self, casts: list[tuple[int, int, list[str]]], names: dict[str, str]
    ) -> dict[int, dict[str, int]]:
        """For each (token, film id, person keys): the people the film already credits under
        each key's name, compared folded ("Bong Joon-ho" is "bong joon-ho"). Only a name one
        credited person has counts: two people of one name on a film stay apart."""
        if not casts:
            return {}
        credited: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        for movie, person, name in Credit.objects.filter(
            movie__in={pk for _, pk, _ in casts}
        ).values_list("movie_id", "person_id", "person__name"):
            credited[movie][fold(name)].add(person)
        found: dict[int, dict[str, int]] = {}
        for token, pk, keys in casts:
            for key in keys:
                people = credited[pk].get(fold(names[key]), set()) if pk in credited else set()
                if len(people) == 1:
                    found.setdefault(token, {})[key] = next(iter(people))
        return found

    def held_ids(self, records: list[PersonRecord]) -> dict[tuple[str, Any], int]:
        held: dict[tuple[str, Any], int] = {}
        for name in IDS:
            values = {getattr(r, name) for r in records} - {None, ""}
            if values:
                for value, pk in Person.objects.filter(**{f"{name}__in": values}).values_list(
                    name, "pk"
                ):
                    held[(name, value)] = pk
        return held

    def compare(
        self, record: PersonRecord, person: Person, held: dict[tuple[str, Any], int]
    ) -> set[str]:
        """Apply the record to the person; the fields that changed."""
        changes: set[str] = set()
        new = person.pk is None
        for name in FIELDS:
            value, now = getattr(record, name), getattr(person, name)
            if value == now or (_empty(value) and not self.authoritative):
                continue
            if name in IDS and not _empty(value):
                owner = held.get((name, value))
                if owner is not None and owner != person.pk:
                    continue  # another person has this id
                held[(name, value)] = person.pk if person.pk else -id(record)
            if new or self.authoritative or _empty(now):
                setattr(person, name, value)
                changes.add(name)
        return changes

    def assign_slugs(self, created: list[tuple[PersonRecord, Person]]) -> None:
        plans = {}
        for record, person in created:
            if self.authoritative:
                person.slug = record.key
                continue
            ids = person_suffixes(person.imdb_id, person.tmdb_id)
            plans[id(person)] = (make_slug(record.name) or (ids[0] if ids else "person"), ids)
        if not plans:
            return
        wanted = {f"{b}-{s}" if s else b for b, ids in plans.values() for s in ["", *ids]}
        taken = set(Person.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        taken |= set(PersonAlias.objects.filter(slug__in=wanted).values_list("slug", flat=True))

        def is_taken(slug: str) -> bool:
            if slug in wanted:
                return slug in taken
            return (
                Person.objects.filter(Q(slug=slug)).exists()
                or PersonAlias.objects.filter(slug=slug).exists()
            )

        for _, person in created:
            if id(person) in plans:
                base, ids = plans[id(person)]
                person.slug = choose_slug(base, ids, is_taken)
                taken.add(person.slug)
                wanted.add(person.slug)
