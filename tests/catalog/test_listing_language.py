"""Genre and country listings carry their movie's original language (the genre + language
list filters on it): every way a movie is written keeps the copy in step."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from marquee.catalog.models import Movie, MovieCountry, MovieGenre
from marquee.ingest.imdb.reader import DEFAULT_TYPES
from tests.factories import make_language, make_movie
from tests.ingest.imdb_files import quirky_dump
from tests.ingest.test_imdb_import import import_imdb

pytestmark = pytest.mark.django_db


def copied(movie: Movie) -> set[str | None]:
    """The languages the movie's listing rows hold."""
    rows = [*MovieGenre.objects.filter(movie=movie), *MovieCountry.objects.filter(movie=movie)]
    assert rows, "the movie has no listing rows"
    return {row.original_language_id for row in rows}


def titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [movie.title for movie in response.context["page"].object_list]


def test_an_editor_changing_the_language_in_the_admin_moves_the_film(
    admin_client: Client,
) -> None:
    make_language("ko", "Korean")
    make_language("en", "English")
    movie = make_movie(
        title="Harmony",
        slug="harmony",
        year=2010,
        genres=["Drama"],
        countries=["KR"],
        original_language_id="ko",
    )
    assert copied(movie) == {"ko"}
    assert titles(admin_client, "/genres/drama/?language=ko") == ["Harmony"]

    url = f"/admin/catalog/movie/{movie.pk}/change/"
    html = admin_client.get(url).content.decode()
    # Every inline unchanged: its existing rows posted back as they are.
    data = dict.fromkeys(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL)_FORMS)"', html), "0")
    for prefix, name in (("moviegenre_set", "genre"), ("moviecountry_set", "country")):
        row = MovieGenre if name == "genre" else MovieCountry
        existing = row.objects.get(movie=movie)
        data |= {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": str(existing.pk),
            f"{prefix}-0-movie": str(movie.pk),
            f"{prefix}-0-{name}": str(getattr(existing, f"{name}_id")),
        }
    data["moviecountry_set-0-position"] = "0"
    data |= {
        "title": "Harmony",
        "slug": "harmony",
        "year": "2010",
        "popularity": "0",
        "original_language": "en",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    assert copied(movie) == {"en"}
    assert titles(admin_client, "/genres/drama/?language=en") == ["Harmony"]
    assert titles(admin_client, "/countries/kr/?language=ko") == []


def marquee_import(tmp_path: Path, language: str) -> None:
    records = [
        {"format": "marquee", "version": 1},
        {
            "type": "movie",
            "key": "the-host-2006",
            "title": "The Host",
            "year": 2006,
            "original_language": language,
            "genres": ["Drama", "Horror"],
            "countries": ["KR"],
        },
    ]
    path = tmp_path / f"catalog-{language}.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    call_command("import", "marquee", str(path), "--no-related", stdout=io.StringIO())


def test_an_import_copies_the_language_and_a_later_one_changes_it(
    tmp_path: Path, client: Client
) -> None:
    marquee_import(tmp_path, "ko")
    movie = Movie.objects.get(slug="the-host-2006")
    assert copied(movie) == {"ko"}
    assert titles(client, "/genres/horror/?language=ko") == ["The Host"]

    marquee_import(tmp_path, "en")
    assert copied(movie) == {"en"}
    assert titles(client, "/genres/horror/?language=ko") == []
    assert titles(client, "/genres/horror/?language=en") == ["The Host"]


def test_genres_from_imdb_copy_the_language_another_source_gave(tmp_path: Path) -> None:
    make_language("ko", "Korean")
    film = make_movie(title="Host, The", year=2006, slug="the-host", imdb_id="tt0000101")
    Movie.objects.filter(pk=film.pk).update(original_language_id="ko")
    import_imdb(quirky_dump(tmp_path), types=DEFAULT_TYPES)
    assert MovieGenre.objects.filter(movie=film).count() == 3  # Drama, Horror, Sci-Fi
    assert copied(film) == {"ko"}
