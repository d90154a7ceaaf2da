import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from marquee.catalog.models import Country, Genre, Keyword, Language, Movie
from marquee.ingest.loader import import_files
from marquee.ingest.marquee.reader import read
from marquee.ingest.models import ExternalRating, MovieSource
from marquee.people.models import Person
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
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    call_command("export", str(first), verbosity=0)
    counts = (Movie.objects.count(), Person.objects.count())

    empty_the_catalog()
    report = import_files([first], read)
    assert report.problem_count == 0
    assert (Movie.objects.count(), Person.objects.count()) == counts
    call_command("export", str(second), verbosity=0)
    assert second.read_bytes() == first.read_bytes()

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
    # People first (films refer to them), each kind in slug order.
    kinds = [r["type"] for r in lines[1:]]
    assert kinds == sorted(kinds, key=["provider", "person", "movie"].index)
    movie_keys = [r["key"] for r in lines if r.get("type") == "movie"]
    assert movie_keys == sorted(movie_keys)

    # And importing it once more into the full catalog changes nothing.
    assert not import_files([first], read).changed_anything()
