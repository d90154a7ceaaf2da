import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_movie, make_person, review

pytestmark = pytest.mark.django_db


def test_the_home_page_has_every_way_in(client: Client) -> None:
    rated = make_movie(
        title="Parasite", year=2019, genres=["Drama"], countries=["KR"], is_featured=True
    )
    make_movie(title="Alien", year=1979, genres=["Horror"], countries=["US"])
    review(rated, 9)
    html = client.get("/").content.decode()
    for heading in (
        "Featured",
        "Recently added",
        "Top rated",
        "By genre",
        "By country",
        "By decade",
    ):
        assert heading in html
    assert 'href="/genres/horror/"' in html
    assert 'href="/countries/kr/"' in html
    assert 'href="/decades/1970s/"' in html and 'href="/decades/2010s/"' in html


def test_the_home_page_runs_fixed_queries(client: Client) -> None:
    make_movie(genres=["Drama"])
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    for _ in range(30):
        make_movie(genres=["Drama", "Comedy"], countries=["FR"])
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(first) == len(second)


def test_an_empty_catalog_says_how_to_fill_it(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "marquee demo" in html
    assert "No member ratings yet" in html


def test_robots_and_sitemaps(client: Client) -> None:
    make_movie(slug="parasite-2019")
    make_person(slug="bong-joon-ho")
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-movies.xml" in index and "sitemap-people.xml" in index
    assert (
        "http://testserver/movies/parasite-2019/"
        in client.get("/sitemap-movies.xml").content.decode()
    )
    assert (
        "http://testserver/people/bong-joon-ho/"
        in client.get("/sitemap-people.xml").content.decode()
    )


def test_search_finds_titles_and_names_and_escapes_the_query(client: Client) -> None:
    make_movie(title="Miracle in Cell No. 7")
    make_person(name="Ryu Seung-ryong")
    assert "Miracle in Cell No. 7" in client.get("/search/?q=cell").content.decode()
    assert "Ryu Seung-ryong" in client.get("/search/?q=seung").content.decode()
    html = client.get("/search/?q=<script>x</script>").content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_a_server_error_gets_the_styled_page() -> None:
    client = Client(raise_request_exception=False)
    from unittest import mock

    with mock.patch("marquee.pages.views.render", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_slug_urls_match_reverse_and_respect_the_script_prefix() -> None:
    from django.urls import reverse, set_script_prefix

    from marquee.pages.links import slug_url

    assert slug_url("catalog:movie-detail", "parasite-2019") == reverse(
        "catalog:movie-detail", args=["parasite-2019"]
    )
    set_script_prefix("/films/")
    try:
        assert slug_url("people:person-detail", "bong-joon-ho") == "/films/people/bong-joon-ho/"
    finally:
        set_script_prefix("/")


def test_an_unknown_host_gets_the_styled_400(client: Client) -> None:
    response = client.get("/movies/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "That request didn't make sense to us" in response.content.decode()


@pytest.mark.parametrize(
    ("title", "initials"),
    [
        ("#Alive", "A"),
        ("12 Angry Men", "1A"),
        ("Léon: The Professional", "LT"),
        ("万引き家族", "万"),
        ("...", "?"),
    ],
)
def test_placeholders_show_the_title_initials(title: str, initials: str) -> None:
    from urllib.parse import unquote

    from marquee.pages.templatetags.marquee import placeholder

    svg = unquote(placeholder(title, "seed"))
    assert f">{initials}</text>" in svg
    assert svg.startswith("data:image/svg+xml,<svg")


@pytest.mark.parametrize(
    "url",
    [
        "/movies/?genre=%00",
        "/search/?q=a%00b",
        "/movies/?page=1%00",
        "/people/?page=%00",
        "/countries/k%00/",
    ],
)
def test_a_nul_character_in_the_url_is_a_400(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "That request didn't make sense to us" in response.content.decode()


@pytest.mark.parametrize("url", ["/countries/korea/", "/countries/k1/", "/countries/%C3%A9%C3%A9/"])
def test_a_country_that_is_not_a_code_is_a_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404
