import pytest
from django.core.management import call_command

from marquee.catalog.models import Movie, MovieRelation
from marquee.related.models import RelatedMovie
from marquee.related.rebuild import rebuild_related
from tests.factories import cast, crew, make_movie, make_person

pytestmark = pytest.mark.django_db


def related(movie: Movie) -> list[tuple[str, str]]:
    return [
        (entry.related.title, entry.reason)
        for entry in RelatedMovie.objects.filter(movie=movie)
        .select_related("related")
        .order_by("rank")
    ]


def test_it_ranks_by_how_telling_the_link_is() -> None:
    original = make_movie(
        title="Original",
        year=2013,
        genres=["Drama", "Comedy"],
        countries=["KR"],
        keywords=["prison", "wrongful conviction"],
    )
    remake = make_movie(title="Remake", year=2019, genres=["Drama"], countries=["TR"])
    MovieRelation.objects.create(movie=remake, other=original, kind="remake_of")
    director, star = make_person(name="Lee Hwan-kyung"), make_person(name="Ryu Seung-ryong")
    crew(original, director)
    cast(original, star, order=0)
    same_director = make_movie(title="Same Director", year=2011, genres=["Drama"])
    crew(same_director, director)
    same_star = make_movie(title="Same Star", year=2014, genres=["War"])
    cast(same_star, star, order=1)
    same_theme = make_movie(
        title="Same Theme", year=2010, genres=["Crime"], keywords=["wrongful conviction"]
    )
    same_genre = make_movie(title="Same Genres", year=2012, genres=["Drama", "Comedy"])
    make_movie(title="Nothing Shared", year=1950, genres=["Western"])

    rebuild_related()

    assert related(original) == [
        ("Remake", "Remake"),
        ("Same Director", "Same director"),
        ("Same Star", "Also stars Ryu Seung-ryong"),
        ("Same Theme", "Also about wrongful conviction"),
        ("Same Genres", "Comedy · Drama"),
    ]
    assert related(remake)[0] == ("Original", "Original")
    assert ("Nothing Shared", "Western") not in related(same_theme)
    assert same_genre.pk not in RelatedMovie.objects.filter(movie=original, reason="").values_list(
        "related", flat=True
    )


def test_a_lead_counts_more_than_a_bit_part() -> None:
    movie = make_movie(title="Movie", genres=["Drama"])
    lead, extra = make_person(name="Lead"), make_person(name="Extra")
    cast(movie, lead, order=0)
    cast(movie, extra, order=0)
    with_lead = make_movie(title="With Lead", genres=["Drama"])
    cast(with_lead, lead, order=0)
    with_extra = make_movie(title="With Extra", genres=["Drama"])
    cast(with_extra, extra, order=25)
    rebuild_related()
    assert [title for title, _ in related(movie)] == ["With Lead", "With Extra"]


def test_the_command_rebuilds_from_scratch() -> None:
    first, second = make_movie(genres=["Drama"]), make_movie(genres=["Drama"])
    RelatedMovie.objects.create(movie=first, related=first, rank=0, score=1, reason="stale")
    call_command("related", "rebuild", verbosity=0)
    assert list(RelatedMovie.objects.filter(movie=first).values_list("related", "reason")) == [
        (second.pk, "Drama")
    ]
