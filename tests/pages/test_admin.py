import pytest
from django.test import Client

from marquee.catalog.models import MovieRelation
from marquee.watch.models import Offer, Provider
from tests.factories import cast, make_movie, make_person

pytestmark = pytest.mark.django_db


def test_editors_see_a_movie_with_its_inlines(admin_client: Client) -> None:
    movie = make_movie(title="Miracle in Cell No. 7", genres=["Drama"], countries=["KR"])
    cast(movie, make_person(name="Ryu Seung-ryong"), "Lee Yong-gu")
    MovieRelation.objects.create(movie=make_movie(title="Remake"), other=movie, kind="remake_of")
    Offer.objects.create(
        movie=movie,
        provider=Provider.objects.create(name="Example"),
        region="KR",
        kind="buy",
        url="https://example.org/m7",
    )
    html = admin_client.get(f"/admin/catalog/movie/{movie.pk}/change/").content.decode()
    for inline in (
        "Credits",
        "Genres",
        "Countries",
        "Alternate titles",
        "Offers",
        "Movie relations",
    ):
        assert inline in html, inline
    assert "Lee Yong-gu" in html


@pytest.mark.parametrize(
    "path",
    [
        "/admin/catalog/movie/",
        "/admin/catalog/movie/add/",
        "/admin/people/person/",
        "/admin/people/person/add/",
        "/admin/people/personedit/",
        "/admin/watch/offer/add/",
        "/admin/reviews/review/",
        "/admin/reviews/rating/",
        "/admin/members/profile/",
        "/admin/members/reviewreport/",
        "/admin/autocomplete/?app_label=catalog&model_name=movierelation&field_name=other&term=mir",
    ],
)
def test_admin_pages_render(admin_client: Client, path: str) -> None:
    make_movie(title="Miracle")
    assert admin_client.get(path).status_code == 200


def test_an_offer_link_must_be_a_web_address(admin_client: Client) -> None:
    movie = make_movie()
    provider = Provider.objects.create(name="Example")
    response = admin_client.post(
        "/admin/watch/offer/add/",
        {
            "movie": movie.pk,
            "provider": provider.pk,
            "region": "KR",
            "kind": "free",
            "url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not Offer.objects.exists()


def test_visitors_cannot_reach_the_admin(client: Client) -> None:
    response = client.get("/admin/catalog/movie/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
