import json
import re

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marquee.catalog.models import BoxOffice, Milestone, MovieRelation
from marquee.related.rebuild import rebuild_related
from marquee.watch.models import Offer, Provider
from tests.factories import cast, crew, make_movie, make_person, review

pytestmark = pytest.mark.django_db


def build_movie(credits: int):
    movie = make_movie(
        title="Miracle in Cell No. 7",
        original_title="7번방의 선물",
        slug="miracle-in-cell-no-7-2013",
        year=2013,
        runtime=127,
        synopsis="A father and his daughter.",
        plot="The secret ending.",
        background="Inspired by a 1972 case.",
        genres=["Drama", "Comedy"],
        countries=["KR"],
        keywords=["prison"],
    )
    director = make_person(name="Lee Hwan-kyung")
    crew(movie, director)
    for order in range(credits):
        cast(movie, make_person(name=f"Actor {order}"), character=f"Role {order}", order=order)
    BoxOffice.objects.create(movie=movie, kind="admissions", territory="KR", amount=12_810_000)
    Milestone.objects.create(
        movie=movie, kind="admissions", value=10_000_000, territory="KR", day=32
    )
    remake = make_movie(
        title="Miracle in Cell No. 7", year=2019, slug="remake-2019", genres=["Drama"]
    )
    MovieRelation.objects.create(movie=remake, other=movie, kind="remake_of")
    provider = Provider.objects.create(name="Example Films")
    Offer.objects.create(
        movie=movie, provider=provider, region="KR", kind="rent", url="https://films.example/m7"
    )
    review(movie, 9, "Moving.")
    review(movie, 7, "")
    rebuild_related()
    return movie


def count_queries(client: Client, url: str) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_it_shows_every_section_in_order(client: Client) -> None:
    build_movie(credits=3)
    html = client.get("/movies/miracle-in-cell-no-7-2013/").content.decode()
    headings = re.findall(r"<h2 id=\"([a-z]+)-heading\"", html)
    assert headings == ["cast", "reviews", "about", "watch", "related"]
    assert "<h1" in html and html.count("<h1") == 1
    assert "7번방의 선물" in html
    assert "2 h 7 min" in html
    assert "Lee Hwan-kyung" in html
    assert "Role 0" in html
    assert "12.8 million" in html
    assert "10 million admissions in South Korea on day 32" in html
    assert "Remade as" in html
    assert "Example Films" in html
    assert "★ 4.0</span> / 5" in html  # members rate in half stars: 8/10 is four stars
    assert '<details class="spoiler" id="plot">' in html
    assert "Remake" in html  # the related movie's reason


def test_it_runs_the_same_queries_whatever_the_number_of_credits(client: Client) -> None:
    small = build_movie(credits=2)
    few = count_queries(client, small.get_absolute_url())
    for order in range(2, 60):
        cast(small, make_person(), order=order)
    many = count_queries(client, small.get_absolute_url())
    assert few == many
    assert many <= 20


def test_its_cast_and_crew_page_runs_fixed_queries(client: Client) -> None:
    movie = build_movie(credits=2)
    url = f"{movie.get_absolute_url()}cast/"
    few = count_queries(client, url)
    for order in range(2, 40):
        cast(movie, make_person(name=f"Actor {order}"), order=order)
    assert count_queries(client, url) == few
    html = client.get(url).content.decode()
    assert "Actor 39" in html and "Directing" in html


def test_it_describes_the_movie_for_search_engines(client: Client) -> None:
    build_movie(credits=2)
    html = client.get("/movies/miracle-in-cell-no-7-2013/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    documents = [json.loads(block) for block in blocks]
    movie = next(doc for doc in documents if doc["@type"] == "Movie")
    assert movie["name"] == "Miracle in Cell No. 7"
    assert movie["alternateName"] == "7번방의 선물"
    assert movie["duration"] == "PT127M"
    assert movie["director"][0]["name"] == "Lee Hwan-kyung"
    assert movie["aggregateRating"]["ratingCount"] == 2
    crumbs = next(doc for doc in documents if doc["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "Movies",
        "Miracle in Cell No. 7",
    ]
    assert 'rel="canonical" href="http://testserver/movies/miracle-in-cell-no-7-2013/"' in html
    assert 'property="og:title" content="Miracle in Cell No. 7 (2013)"' in html


def test_its_structured_data_cannot_break_out_of_the_script(client: Client) -> None:
    make_movie(title="</script><script>alert(1)</script>", slug="evil-2020", synopsis="<b>x</b>")
    html = client.get("/movies/evil-2020/").content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in html


def test_it_redirects_an_old_slug(client: Client) -> None:
    movie = make_movie(title="Old Name", slug="old-name-2013")
    movie.slug = "new-name-2013"
    movie.save()
    response = client.get("/movies/old-name-2013/")
    assert response.status_code == 301
    assert response["Location"] == "/movies/new-name-2013/"


def test_an_unknown_slug_is_a_styled_404(client: Client) -> None:
    response = client.get("/movies/no-such-film/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_it_has_honest_empty_states(client: Client) -> None:
    make_movie(title="Bare", slug="bare-2000")
    html = client.get("/movies/bare-2000/").content.decode()
    assert "No member has rated Bare yet." in html
    assert "This site lists no place to watch Bare yet." in html
    assert "No cast listed yet." in html


def test_a_movie_without_poster_gets_a_drawn_placeholder(client: Client) -> None:
    make_movie(title="Parasite", slug="parasite-2019")
    html = client.get("/movies/parasite-2019/").content.decode()
    assert 'src="data:image/svg+xml,' in html
    assert "No poster yet for Parasite" in html


def test_released_means_the_first_cinema_release_at_home(client: Client) -> None:
    from marquee.catalog.models import ReleaseDate

    movie = make_movie(title="Parasite", slug="parasite-2019", countries=["KR"])
    ReleaseDate.objects.create(movie=movie, country="FR", date="2019-05-21", kind="festival")
    ReleaseDate.objects.create(movie=movie, country="KR", date="2019-06-20", kind="digital")
    ReleaseDate.objects.create(movie=movie, country="KR", date="2019-05-30", kind="theatrical")
    html = client.get("/movies/parasite-2019/").content.decode()
    assert '<time datetime="2019-05-30">30 May 2019</time> (South Korea)' in html
    assert html.index("21 May 2019") > html.index('id="about"')  # listed with the other dates


def test_an_uploaded_poster_is_shown_instead_of_the_placeholder(client: Client) -> None:
    make_movie(title="Parasite", slug="parasite-2019", poster="posters/parasite.jpg")
    html = client.get("/movies/parasite-2019/").content.decode()
    assert '<img class="poster" src="/media/posters/parasite.jpg" alt="Poster of Parasite"' in html
    assert 'property="og:image" content="http://testserver/media/posters/parasite.jpg"' in html


def test_other_sources_ratings_and_credit_lines_are_shown_apart_from_members() -> None:
    from marquee.ingest.models import ExternalRating, MovieSource

    movie = make_movie(title="Sourced", imdb_id="tt0000001")
    ExternalRating.objects.create(movie=movie, source="imdb", average=7.6, votes=12_345)
    ExternalRating.objects.create(movie=movie, source="movielens", average=8.1, votes=215)
    MovieSource.objects.create(movie=movie, source="imdb")
    MovieSource.objects.create(
        movie=movie,
        source="wikipedia",
        url="https://en.wikipedia.org/wiki/Sourced",
        licence="CC BY-SA 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        fields="synopsis",
    )
    html = Client().get(movie.get_absolute_url()).content.decode()
    assert "IMDb rating" in html and "12,345 votes" in html
    assert "MovieLens community" in html and "215 ratings in the MovieLens dataset" in html
    assert "Information courtesy of IMDb" in html and "/title/tt0000001/" in html
    assert 'href="https://en.wikipedia.org/wiki/Sourced"' in html
    assert "Synopsis from" in html and "CC BY-SA 4.0" in html
