import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marquee.catalog.models import Language, Movie
from tests.factories import make_language, make_movie, review

pytestmark = pytest.mark.django_db


def titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [movie.title for movie in response.context["page"].object_list]


@pytest.fixture
def shelf() -> None:
    korean = make_language("ko", "Korean")
    english = make_language("en", "English")
    make_movie(
        title="The Host",
        year=2006,
        genres=["Drama", "Horror"],
        countries=["KR"],
        original_language=korean,
    )
    make_movie(
        title="Parasite",
        year=2019,
        genres=["Drama", "Comedy"],
        countries=["KR"],
        original_language=korean,
    )
    make_movie(
        title="Mother",
        year=2009,
        genres=["Drama", "Crime"],
        countries=["KR"],
        original_language=korean,
    )
    make_movie(
        title="I Am Sam", year=2001, genres=["Drama"], countries=["US"], original_language=english
    )
    make_movie(
        title="Alien",
        year=1979,
        genres=["Horror"],
        countries=["US", "GB"],
        original_language=english,
    )


def test_it_sorts_by_title_ignoring_articles(client: Client, shelf: None) -> None:
    assert titles(client, "/movies/") == ["Alien", "The Host", "I Am Sam", "Mother", "Parasite"]


def test_its_filters_combine(client: Client, shelf: None) -> None:
    assert titles(client, "/movies/?genre=drama&country=kr&year_from=2005&sort=year") == [
        "Parasite",
        "Mother",
        "The Host",
    ]
    assert titles(client, "/movies/?genre=horror&language=en") == ["Alien"]
    assert titles(client, "/movies/?country=gb") == ["Alien"]
    assert titles(client, "/movies/?year_from=2001&year_to=2006&sort=oldest") == [
        "I Am Sam",
        "The Host",
    ]


def test_it_sorts_by_rating_with_rated_movies_only(client: Client, shelf: None) -> None:
    Movie.objects.filter(title="Mother").update(rating_average=8.5, rating_count=3)
    Movie.objects.filter(title="Alien").update(rating_average=9.0, rating_count=1)
    assert titles(client, "/movies/?sort=rating") == ["Alien", "Mother"]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("page=abc", "Page &#x27;abc&#x27; does not exist"),
        ("page=-1", "does not exist"),
        ("year_from=99999", "Ignored year_from=&#x27;99999&#x27;"),
        ("year_to=abc", "Ignored year_to"),
        ("genre=nope", "Unknown genre &#x27;nope&#x27; was ignored"),
        ("country=zz", "Unknown country"),
        ("language=xx", "Unknown language"),
        ("sort=random", "Unknown sort"),
        ("page=999", "There are only 1 pages"),
    ],
)
def test_a_bad_parameter_gives_a_corrected_page(
    client: Client, shelf: None, query: str, problem: str
) -> None:
    response = client.get(f"/movies/?{query}")
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert len(response.context["page"].object_list) == 5


def test_it_keeps_good_filters_when_one_is_bad(client: Client, shelf: None) -> None:
    assert titles(client, "/movies/?genre=horror&year_from=99999") == ["Alien", "The Host"]


def test_it_runs_fixed_queries_whatever_the_number_of_movies(client: Client, shelf: None) -> None:
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    url = "/movies/?genre=drama&sort=year&page=1"
    before = queries(url)
    for n in range(60):
        make_movie(
            title=f"Extra {n}",
            genres=["Drama", "Comedy"],
            original_language=Language.objects.get(code="ko"),
        )
    assert queries(url) == before
    assert queries("/movies/?genre=drama&page=3") == before


def test_genre_country_year_and_decade_pages(client: Client, shelf: None) -> None:
    assert titles(client, "/genres/horror/") == ["Alien", "The Host"]
    assert titles(client, "/countries/kr/?sort=oldest") == ["The Host", "Mother", "Parasite"]
    assert titles(client, "/years/2019/") == ["Parasite"]
    assert titles(client, "/decades/2000s/") == ["The Host", "I Am Sam", "Mother"]
    assert client.get("/countries/KR/").status_code == 301
    assert client.get("/genres/nope/").status_code == 404
    assert client.get("/years/99999/").status_code == 404
    assert client.get("/decades/2005s/").status_code == 404


def test_pagination_links_keep_the_filters(client: Client) -> None:
    for n in range(30):
        make_movie(title=f"Film {n:02}", genres=["Drama"])
    html = client.get("/movies/?genre=drama&sort=title").content.decode()
    assert 'href="?genre=drama&amp;sort=title&amp;page=2"' in html


def test_genre_and_country_lists_follow_edits_to_the_movie(client: Client, shelf: None) -> None:
    alien = Movie.objects.get(title="Alien")
    alien.year = 2030
    alien.save()
    assert titles(client, "/genres/horror/?sort=year") == ["Alien", "The Host"]
    assert titles(client, "/countries/gb/?year_from=2025") == ["Alien"]
    review(Movie.objects.get(title="The Host"), 10)
    assert titles(client, "/genres/horror/?sort=rating") == ["The Host"]


def test_a_huge_list_stops_counting_and_still_pages(
    client: Client, shelf: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("marquee.pages.pagination.COUNT_LIMIT", 3)
    monkeypatch.setattr("marquee.catalog.browse.MOVIES_PER_PAGE", 2)
    html = client.get("/movies/").content.decode()
    assert "More than 3 movies" in html
    assert 'rel="next" href="?page=2"' in html
    assert " of " not in html.split('class="pagination"')[1].split("</nav>")[0]
    assert titles(client, "/movies/?page=3") == ["Parasite"]
    past = client.get("/movies/?page=40")  # past the counted range: the deepest page instead
    assert past.status_code == 200
    assert "Lists stop at page 3; a filter or another sort order" in past.content.decode()
    assert titles(client, "/movies/?page=40") == ["Parasite"]


@pytest.mark.parametrize(
    "query", ["genre=drama&country=kr", "genre=drama&language=ko", "country=kr&language=ko"]
)
def test_a_pair_checked_row_by_row_is_paged_without_a_count(
    client: Client, shelf: None, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    monkeypatch.setattr("marquee.catalog.browse.MOVIES_PER_PAGE", 1)
    html = client.get(f"/movies/?{query}").content.decode()
    assert "Movies matching these filters · page 1" in html
    assert " of " not in html.split('class="pagination"')[1].split("</nav>")[0]
    assert 'rel="next"' in html
    first, second = titles(client, f"/movies/?{query}"), titles(client, f"/movies/?{query}&page=2")
    assert len(first) == len(second) == 1
    assert first != second
    past = client.get(f"/movies/?{query}&page=9").content.decode()
    assert "Page 9 is past the end of this list." in past


def test_one_filter_still_counts(client: Client, shelf: None) -> None:
    html = client.get("/movies/?genre=drama").content.decode()
    assert re.search(r'<p class="muted" role="status">\d+ movies?', html)
    assert "Movies matching these filters" not in html
