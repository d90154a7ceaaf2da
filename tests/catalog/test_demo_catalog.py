"""The shipped demo catalog, loaded through `marquee demo` (the import path)."""

import pytest
from django.db.models import Count

from marquee.catalog.models import Movie, MovieRelation
from marquee.people.models import Credit, Person
from marquee.related.models import RelatedMovie

pytestmark = pytest.mark.usefixtures("demo_catalog")

MIRACLE = "miracle-in-cell-no-7-2013"


def test_it_has_enough_real_films_from_korea_and_elsewhere() -> None:
    assert Movie.objects.count() >= 80
    main_country = {
        m.slug: m.moviecountry_set.first()
        for m in Movie.objects.prefetch_related("moviecountry_set")
    }
    korean = [slug for slug, link in main_country.items() if link and link.country_id == "KR"]
    others = [slug for slug, link in main_country.items() if link and link.country_id != "KR"]
    assert len(korean) >= 16
    assert len(others) >= 40
    assert not Movie.objects.filter(synopsis="").exists()
    assert not Person.objects.annotate(n=Count("credits")).filter(n=0).exists()


def test_miracle_in_cell_no_7_has_its_facts() -> None:
    movie = Movie.objects.get(slug=MIRACLE)
    assert (movie.title, movie.original_title, movie.year) == (
        "Miracle in Cell No. 7",
        "7번방의 선물",
        2013,
    )
    assert list(movie.countries.values_list("code", flat=True)) == ["KR"]
    director = Credit.objects.get(movie=movie, job="Director").person
    assert director.name == "Lee Hwan-kyung"
    cast = dict(Credit.objects.cast().filter(movie=movie).values_list("person__name", "character"))
    assert cast["Ryu Seung-ryong"] == "Lee Yong-gu"
    assert "young" in cast["Kal So-won"].lower()
    assert "adult" in cast["Park Shin-hye"].lower()
    for name in (
        "Oh Dal-su",
        "Jung Jin-young",
        "Park Won-sang",
        "Kim Jung-tae",
        "Jung Man-sik",
        "Kim Ki-cheon",
    ):
        assert name in cast
    assert (
        "Chuncheon" in movie.background
        and "1972" in movie.background
        and "2008" in movie.background
    )
    milestone = movie.milestones.get(kind="admissions", value=10_000_000)
    assert milestone.day == 32
    final = movie.box_office.get(kind="admissions", territory="KR").amount
    assert 12_700_000 <= final <= 12_900_000


def test_its_three_remakes_are_linked() -> None:
    remakes = MovieRelation.objects.filter(other__slug=MIRACLE, kind="remake_of")
    found = sorted(remakes.values_list("movie__year", "movie__moviecountry__country"))
    assert found == [(2019, "PH"), (2019, "TR"), (2022, "ID")]


def test_every_film_has_related_movies_with_reasons() -> None:
    counts = dict(RelatedMovie.objects.values_list("movie__slug").annotate(n=Count("id")))
    assert all(counts.get(slug, 0) >= 6 for slug in Movie.objects.values_list("slug", flat=True))
    reasons = list(
        RelatedMovie.objects.filter(movie__slug=MIRACLE)
        .order_by("rank")
        .values_list("reason", flat=True)
    )
    assert reasons[:3] == ["Remake", "Remake", "Remake"]
    assert "Also stars Ryu Seung-ryong" in reasons
    assert not RelatedMovie.objects.filter(reason="").exists()


def test_loading_it_twice_changes_nothing() -> None:
    from django.core.management import call_command

    before = (
        Movie.objects.count(),
        Person.objects.count(),
        Credit.objects.count(),
        RelatedMovie.objects.count(),
    )
    call_command("demo", verbosity=0)
    after = (
        Movie.objects.count(),
        Person.objects.count(),
        Credit.objects.count(),
        RelatedMovie.objects.count(),
    )
    assert before == after
