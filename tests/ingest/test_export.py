import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from marquee.catalog.models import Country, Genre, Keyword, Language, Movie, MovieEdit
from marquee.ingest.loader import import_files
from marquee.ingest.marquee.reader import read
from marquee.ingest.models import ExternalRating, MovieSource
from marquee.people.models import Person, PersonEdit
from marquee.watch.models import Offer, Provider


def empty_the_catalog() -> None:
    for model in (Offer, Movie, Person, Provider, Keyword, Genre):
        model.objects.all().delete()
    Country.objects.all().delete()
    Language.objects.all().delete()


@pytest.mark.django_db
def test_export_import_export_gives_the_same_bytes(demo_catalog: None, tmp_path: Path) -> None:
    movie = Movie.objects.get(slug="parasite-2019")
    provider = Provider.objects.create(name="Kino Club", homepage="https://kino.example")
    Offer.objects.create(
        movie=movie,
        provider=provider,
        region="KR",
        kind="rent",
        url="https://kino.example/parasite",
        price=Decimal("3.50"),
        currency="KRW",
    )
    ExternalRating.objects.create(movie=movie, source="movielens", average=8.25, votes=1234)
    MovieSource.objects.create(
        movie=movie,
        source="wikipedia",
        url="https://en.wikipedia.org/wiki/Parasite_(2019_film)",
        licence="CC BY-SA 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        fields="synopsis",
    )
    # What editors hold goes along: a restored catalog keeps the next IMDb dump off it.
    MovieEdit.objects.create(movie=movie, lists="cast, genres")
    bong = Person.objects.get(slug="bong-joon-ho")
    PersonEdit.objects.create(person=bong, fields="biography, name")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    call_command("export", str(first), verbosity=0)
    counts = (Movie.objects.count(), Person.objects.count())

    empty_the_catalog()
    report = import_files([first], read)
    assert report.problem_count == 0
    assert (Movie.objects.count(), Person.objects.count()) == counts
    call_command("export", str(second), verbosity=0)
    assert second.read_bytes() == first.read_bytes()
    assert MovieEdit.objects.get(movie__slug="parasite-2019").lists == "cast, genres"
    assert PersonEdit.objects.get(person__slug=bong.slug).fields == "biography, name"

    lines = [json.loads(text) for text in first.read_text().splitlines()]
    assert lines[0] == {"format": "marquee", "version": 1}
    assert lines[1] == {"type": "provider", "name": "Kino Club", "homepage": "https://kino.example"}
    parasite = next(r for r in lines if r.get("key") == "parasite-2019")
    assert parasite["offers"] == [
        {
            "provider": "Kino Club",
            "region": "KR",
            "kind": "rent",
            "url": "https://kino.example/parasite",
            "price": "3.50",
            "currency": "KRW",
        }
    ]
    assert parasite["external_ratings"] == [{"source": "movielens", "average": 8.25, "votes": 1234}]
    assert parasite["sources"][0]["licence"] == "CC BY-SA 4.0"
    assert parasite["edited"] == ["cast", "genres"]
    assert next(r for r in lines if r.get("key") == bong.slug)["edited"] == ["biography", "name"]
    # People first (films refer to them), each kind in slug order.
    kinds = [r["type"] for r in lines[1:]]
    assert kinds == sorted(kinds, key=["provider", "person", "movie"].index)
    movie_keys = [r["key"] for r in lines if r.get("type") == "movie"]
    assert movie_keys == sorted(movie_keys)

    # And importing it once more into the full catalog changes nothing.
    assert not import_files([first], read).changed_anything()


@pytest.mark.django_db
def test_a_file_sets_what_editors_hold_exactly(demo_catalog: None, tmp_path: Path) -> None:
    movie = Movie.objects.get(slug="parasite-2019")
    MovieEdit.objects.create(movie=movie, lists="cast, genres")
    path = tmp_path / "catalog.jsonl"
    call_command("export", str(path), verbosity=0)
    lines = [json.loads(text) for text in path.read_text().splitlines()]
    for record in lines:
        if record.get("key") == "parasite-2019":
            record["edited"] = ["alternate_titles"]
        if record.get("key") == "memories-of-murder-2003":
            record["edited"] = ["keywords", "nothing such"]
    path.write_text("".join(json.dumps(record) + "\n" for record in lines))

    report = import_files([path], read)
    assert MovieEdit.objects.get(movie=movie).lists == "alternate_titles"
    assert not MovieEdit.objects.filter(movie__slug="memories-of-murder-2003").exists()
    assert report.problem_count == 1  # the unknown list: that record is skipped, and said
    assert "edited: unknown 'nothing such'" in str(report.problems[0])

    for record in lines:
        if record.get("key") == "parasite-2019":
            record["edited"] = []  # handed back
    path.write_text("".join(json.dumps(record) + "\n" for record in lines))
    import_files([path], read)
    assert not MovieEdit.objects.filter(movie=movie).exists()
