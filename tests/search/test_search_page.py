"""The results page: what must show first, hostile input, facets, pagination, suggestions."""

import re

import pytest
from django.test import Client

from tests.factories import make_movie

MIRACLE = "/movies/miracle-in-cell-no-7-2013/"


def first_film(client: Client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    links = re.findall(r'<li class="card"><a href="([^"]+)"', response.content.decode())
    assert links, f"no film for {query!r}"
    return links[0]


@pytest.mark.usefixtures("demo_catalog")
@pytest.mark.parametrize("query", ["7번방의 선물", "mircale in cell 7", "miracle 2013"])
def test_miracle_in_cell_no_7_comes_first(client: Client, query: str) -> None:
    assert first_film(client, query) == MIRACLE


@pytest.mark.usefixtures("demo_catalog")
def test_the_remakes_follow_the_original(client: Client) -> None:
    html = client.get("/search/", {"q": "miracle in cell no 7"}).content.decode()
    links = re.findall(r'<li class="card"><a href="([^"]+)"', html)
    assert links[0] == MIRACLE
    assert set(links[1:4]) == {
        "/movies/miracle-in-cell-no-7-2019-turkey/",
        "/movies/miracle-in-cell-no-7-2019-philippines/",
        "/movies/miracle-in-cell-no-7-2022/",
    }


HOSTILE = [
    '"',
    "NEAR(",
    "a" * 10_000,
    "*",
    "miracle*",
    "cell AND OR NOT",
    "- miracle -cell",
    "(((",
    ")",
    "title:miracle",
    "^miracle",
    "miracle NEAR/2 cell",
    "' OR 1=1 --",
    "🎬🍿",
    "\x01\x02\x1f",
    "!@#$%^&*()_+",
    "&:* | !",
    "",
    "   ",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE)
def test_any_text_gives_a_normal_page(client: Client, query: str) -> None:
    make_movie(title="Miracle in Cell No. 7")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert client.get("/search/suggest/", {"q": query}).status_code == 200


@pytest.mark.django_db
def test_operators_are_read_as_words(client: Client) -> None:
    make_movie(title="Miracle in Cell No. 7", slug="miracle")
    # Quotes and stars are separators; a minus does not exclude, OR does not widen.
    assert first_film(client, '"miracle" cell*') == "/movies/miracle/"
    assert first_film(client, "(miracle) -cell") == "/movies/miracle/"
    html = client.get("/search/", {"q": "miracle OR zzz"}).content.decode()
    assert "/movies/miracle/" not in html


@pytest.mark.django_db
def test_the_query_is_escaped(client: Client) -> None:
    make_movie(title="<b>Bold</b>")
    html = client.get("/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    html = client.get("/search/", {"q": "<b>bold"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<b>Bold" not in html


@pytest.mark.django_db
def test_hyphens_numerals_and_compounds(client: Client) -> None:
    make_movie(title="Spider-Man", slug="spider-man", year=2002)
    make_movie(title="Rocky II", slug="rocky-ii", year=1979)
    make_movie(title="Rocky", slug="rocky", year=1976)
    assert first_film(client, "spider man") == "/movies/spider-man/"
    assert first_film(client, "spiderman") == "/movies/spider-man/"
    assert first_film(client, "rocky 2") == "/movies/rocky-ii/"
    assert first_film(client, "rocky ii") == "/movies/rocky-ii/"
    assert first_film(client, "rocky") == "/movies/rocky/"


@pytest.mark.django_db
def test_two_words_find_a_title_that_writes_them_as_one(client: Client) -> None:
    make_movie(title="Spiderman", slug="spiderman-1999", year=1999, popularity=0.5)
    make_movie(title="Batman Begins", slug="batman-begins", year=2005)
    make_movie(title="Man on Wire", slug="man-on-wire", year=2008, popularity=40)
    make_movie(title="The Bat", slug="the-bat", year=1959, popularity=40)
    assert first_film(client, "spider man") == "/movies/spiderman-1999/"
    assert first_film(client, "bat man begins") == "/movies/batman-begins/"
    # Both words are still needed: "man" alone does not make Spiderman the first result.
    assert first_film(client, "man") != "/movies/spiderman-1999/"
    assert first_film(client, "bat man") == "/movies/batman-begins/"


@pytest.mark.django_db
def test_the_famous_film_beats_an_obscure_one_with_the_same_words(client: Client) -> None:
    make_movie(title="The Night Train", slug="obscure-short", popularity=0.2)
    make_movie(title="Night Train", slug="famous", popularity=80, rating_count=0)
    make_movie(title="The Night Train Home", slug="famous-longer", popularity=400)
    # The exact title first, then by prominence.
    assert first_film(client, "night train") == "/movies/famous/"
    html = client.get("/search/", {"q": "train night"}).content.decode()
    links = re.findall(r'<li class="card"><a href="([^"]+)"', html)
    assert links.index("/movies/famous-longer/") < links.index("/movies/obscure-short/")


@pytest.mark.django_db
def test_a_typo_is_forgiven_only_in_long_words(client: Client) -> None:
    make_movie(title="Harmony", slug="harmony")
    make_movie(title="Cell", slug="cell")
    assert first_film(client, "harmomy") == "/movies/harmony/"
    html = client.get("/search/", {"q": "cetl"}).content.decode()
    assert "/movies/cell/" not in html


@pytest.mark.django_db
def test_a_typo_that_makes_another_real_word_is_corrected_when_nothing_matches(
    client: Client,
) -> None:
    make_movie(title="Forrest Gump", slug="forrest-gump")
    make_movie(title="The Forest", slug="the-forest")
    assert first_film(client, "forest gump") == "/movies/forrest-gump/"
    assert first_film(client, "forest") == "/movies/the-forest/"


@pytest.mark.usefixtures("demo_catalog")
def test_people_come_first_when_a_name_is_searched(client: Client) -> None:
    html = client.get("/search/", {"q": "ryu seung-ryong"}).content.decode()
    assert html.index('id="people-heading"') < html.index('id="films-heading"')
    assert '<a href="/people/ryu-seung-ryong/">Ryu Seung-ryong</a>' in html
    assert "류승룡" in html


@pytest.mark.usefixtures("demo_catalog")
def test_facets_narrow_the_results(client: Client) -> None:
    html = client.get("/search/", {"q": "miracle"}).content.decode()
    assert "?q=miracle&amp;country=tr" in html
    assert "?q=miracle&amp;decade=2010" in html
    assert "?q=miracle&amp;genre=comedy" in html
    narrowed = client.get("/search/", {"q": "miracle", "country": "tr"}).content.decode()
    links = re.findall(r'<li class="card"><a href="([^"]+)"', narrowed)
    assert links == ["/movies/miracle-in-cell-no-7-2019-turkey/"]
    by_decade = client.get("/search/", {"q": "miracle", "decade": "2020"}).content.decode()
    assert re.findall(r'<li class="card"><a href="([^"]+)"', by_decade) == [
        "/movies/miracle-in-cell-no-7-2022/"
    ]
    people = client.get("/search/", {"q": "park", "kind": "person"}).content.decode()
    assert 'id="films-heading"' not in people
    assert "/people/park-chan-wook/" in people


@pytest.mark.usefixtures("demo_catalog")
@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"decade": "1850"}, "No result matches decade"),
        ({"genre": "<b>"}, "No result matches genre"),
        ({"country": "zz"}, "No result matches country"),
        ({"kind": "robot"}, "No result matches kind"),
        ({"page": "99"}, "There are only 1 pages"),
        ({"page": "x"}, "Page &#x27;x&#x27; does not exist"),
    ],
)
def test_a_bad_parameter_is_ignored_with_a_note(
    client: Client, params: dict[str, str], note: str
) -> None:
    response = client.get("/search/", {"q": "miracle", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert note in html
    assert MIRACLE in html


@pytest.mark.django_db
def test_results_are_paged(client: Client) -> None:
    for n in range(45):
        make_movie(title=f"Harbour Lights {n}", slug=f"harbour-{n}")
    first = client.get("/search/", {"q": "harbour"}).content.decode()
    third = client.get("/search/", {"q": "harbour", "page": "3"}).content.decode()
    assert first.count('<li class="card">') == 20
    assert third.count('<li class="card">') == 5
    assert "page 3 of 3" in third


@pytest.mark.usefixtures("demo_catalog")
def test_suggestions_are_options_of_a_listbox(client: Client) -> None:
    html = client.get("/search/suggest/", {"q": "mirac"}).content.decode()
    options = re.findall(r'<li role="option" id="suggestion-(\d+)"[^>]*data-url="([^"]+)"', html)
    assert options[0] == ("1", MIRACLE)
    assert [url for _, url in options] == [
        MIRACLE,
        "/movies/miracle-in-cell-no-7-2019-turkey/",
        "/movies/miracle-in-cell-no-7-2019-philippines/",
        "/movies/miracle-in-cell-no-7-2022/",
        "/people/irene-miracle/",
    ]
    assert 'role="status"' in html
    assert "5 suggestions" in html
    assert client.get("/search/suggest/", {"q": "m"}).content.decode().count("option") == 0


@pytest.mark.usefixtures("demo_catalog")
def test_a_person_is_suggested_by_name_in_any_script(client: Client) -> None:
    html = client.get("/search/suggest/", {"q": "봉준"}).content.decode()
    assert 'data-url="/people/bong-joon-ho/"' in html


def test_the_header_search_box_is_a_combobox(client: Client, db: None) -> None:
    html = client.get("/").content.decode()
    assert 'role="combobox"' in html
    assert 'aria-controls="search-suggestions"' in html
    assert 'hx-get="/search/suggest/"' in html
    assert 'action="/search/"' in html
