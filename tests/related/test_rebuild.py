from typing import Any

import pytest
from django.core.management import call_command

from marquee.catalog.models import Movie, MovieRelation
from marquee.related.models import RelatedMovie
from marquee.related.rebuild import rebuild_related
from tests.factories import cast, crew, make_language, make_movie, make_person

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


def rows() -> list[tuple[int, int, int, str]]:
    return list(
        RelatedMovie.objects.order_by("movie", "rank").values_list(
            "movie", "related", "rank", "reason"
        )
    )


def web(movies: int = 24) -> list[Movie]:
    """Films linked by shared people, with genres, countries and themes: every kind of link."""
    people = [make_person(name=f"Person {n}") for n in range(10)]
    films = []
    for n in range(movies):
        film = make_movie(
            genres=[["Drama", "Comedy", "War"][n % 3], *(["Crime"] if n % 4 == 0 else [])],
            countries=[["KR", "FR"][n % 2]],
            keywords=[f"theme {n % 5}", *(["rare"] if n in (3, 17) else [])],
            popularity=n % 7,
        )
        for order, person in enumerate(people[n % 6 : n % 6 + 3]):
            cast(film, person, order=order * 3)
        if n % 5 == 0:
            crew(film, people[9])
        films.append(film)
    MovieRelation.objects.create(movie=films[5], other=films[2], kind="sequel_of")
    return films


def test_forks_score_as_this_process_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from marquee import forks
    from marquee.related import rebuild

    if not forks.can_fork():
        pytest.skip("needs fork() and a second core")
    web()
    rebuild_related()
    here = rows()
    monkeypatch.setattr(rebuild, "PARALLEL_MIN", 1)
    monkeypatch.setattr(rebuild, "CHUNK", 5)  # several tasks, in flight at once
    rebuild_related()
    assert rows() == here
    assert len(here) > 200


def test_a_refresh_rescores_what_changed_and_its_neighbours_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from marquee.related import rebuild

    monkeypatch.setattr(rebuild, "REFRESH_MIN", 0)
    monkeypatch.setattr(rebuild, "REFRESH_SHARE", 1.0)  # a tiny catalog: any change is most of it
    # No genres here: a genre's most popular films fill thin neighbourhoods, and a refresh
    # leaves those picks to the next rebuild (the docstring says so).
    director, star, other_star, loner = (make_person(name=n) for n in ("D", "S", "O", "L"))
    first, second, third, fourth = (make_movie(title=t) for t in ("1st", "2nd", "3rd", "4th"))
    crew(first, director)
    crew(second, director)
    dropped = cast(third, other_star)
    cast(fourth, other_star)
    apart = [make_movie(title=f"Apart {n}") for n in range(3)]
    for film in apart:
        cast(film, loner)
    rebuild_related()
    untouched = list(RelatedMovie.objects.filter(movie__in=apart).values_list("pk", "reason"))
    assert len(untouched) == 6
    assert related(fourth) == [("3rd", "Also stars O")]

    later = make_movie(title="Later")
    cast(later, star)
    cast(first, star, order=0)
    dropped.delete()
    done = rebuild.refresh_related()

    # Changed: 1st and 3rd, and Later is new. 2nd shares a director with 1st; 4th listed 3rd.
    # The Apart films keep the very rows they had.
    assert done.movies == 5
    assert list(RelatedMovie.objects.filter(movie__in=apart).values_list("pk", "reason")) == (
        untouched
    )
    assert related(fourth) == []
    refreshed = rows()
    assert (first.pk, later.pk, 1, "Also stars S") in refreshed
    assert (later.pk, first.pk, 0, "Also stars S") in refreshed
    rebuild_related()
    assert rows() == refreshed

    again = rebuild.refresh_related()
    assert (again.movies, rows()) == (0, refreshed)


def test_a_refresh_closes_the_gap_a_deleted_movie_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    from marquee.related import rebuild
    from marquee.related.models import ScoredMovie

    monkeypatch.setattr(rebuild, "REFRESH_MIN", 0)
    monkeypatch.setattr(rebuild, "REFRESH_SHARE", 1.0)
    director, star = make_person(name="Director"), make_person(name="Star")
    first, gone, other = (make_movie(title=t) for t in ("First", "Gone", "Other"))
    crew(first, director)
    crew(gone, director)
    cast(first, star)
    cast(other, star)
    rebuild_related()
    assert related(first) == [("Gone", "Same director"), ("Other", "Also stars Star")]
    gone_id = gone.pk
    gone.delete()  # takes First's first pick with it, leaving rank 1 alone

    rebuild.refresh_related()
    assert list(RelatedMovie.objects.filter(movie=first).values_list("related", "rank")) == [
        (other.pk, 0)
    ]
    assert set(ScoredMovie.objects.values_list("movie_id", flat=True)) == {first.pk, other.pk}
    assert gone_id not in ScoredMovie.objects.values_list("movie_id", flat=True)


def test_a_big_change_rebuilds_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    from marquee.related import rebuild

    monkeypatch.setattr(rebuild, "REFRESH_MIN", 0)
    films = web(8)
    twice = make_person(name="Twice")
    for title in ("Pair 1", "Pair 2"):
        cast(make_movie(title=title), twice)
    rebuild_related()
    for film in films[:4]:  # 4 of 10 films: over the 30% a refresh takes on
        film.keywords.clear()
    done = rebuild.refresh_related()
    assert done.movies == 10  # the pair too, though nothing of theirs changed
    refreshed = rows()
    rebuild_related()
    assert rows() == refreshed


def test_the_command_refreshes(capsys: pytest.CaptureFixture[str]) -> None:
    make_movie(genres=["Drama"]), make_movie(genres=["Drama"])
    call_command("related", "refresh")
    assert "Related movies refreshed: 2 movies rescored, 2 rows written" in capsys.readouterr().out


def test_a_digest_does_not_depend_on_the_order_rows_come_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A database may hand rows back in another order after any write (PostgreSQL's heap, a
    VACUUM): the numbers a run gives countries and languages follow that order, the digests
    must not, or every refresh would find every film changed."""
    from marquee.catalog.models import MovieCountry
    from marquee.related import rebuild

    films = web(6)
    for film, code in zip(films, ["ko", "fr", "ko", "en", "fr", "en"], strict=True):
        film.original_language = make_language(code, code)
        film.save()
    mine = rebuild.read_chunk(sorted(film.pk for film in films))
    catalog = rebuild.load_catalog()
    digests = [catalog.digest(me) for me in mine]

    stream = rebuild._stream

    def backwards(queryset: Any) -> Any:
        rows = list(stream(queryset))
        return reversed(rows) if queryset.model in (Movie, MovieCountry) else iter(rows)

    monkeypatch.setattr(rebuild, "_stream", backwards)
    again = rebuild.load_catalog()
    assert (again.country_codes, again.language_codes) != (
        catalog.country_codes,
        catalog.language_codes,
    )
    assert [again.digest(me) for me in mine] == digests


def test_a_run_stopped_half_way_is_finished_by_the_next_refresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each chunk of films is written in a transaction of its own (members' writes wait for
    one chunk, not the run): a run that dies leaves each film with old picks or new ones."""
    from marquee.related import rebuild

    monkeypatch.setattr(rebuild, "REFRESH_MIN", 0)
    monkeypatch.setattr(rebuild, "REFRESH_SHARE", 1.0)
    monkeypatch.setattr(rebuild, "CHUNK", 3)
    films = web(9)
    rebuild_related()
    star = make_person(name="New Star")
    for film in (films[0], films[8]):  # in the first chunk and in the last
        cast(film, star, order=0)

    write, calls = rebuild.Writer.write, []

    def dies_on_the_second_chunk(self: Any, mine: Any, picks: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        write(self, mine, picks)

    monkeypatch.setattr(rebuild.Writer, "write", dies_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        rebuild_related()
    monkeypatch.setattr(rebuild.Writer, "write", write)
    assert any("New Star" in reason for _, reason in related(films[0]))
    assert not any("New Star" in reason for _, reason in related(films[8]))

    rebuild.refresh_related()
    assert any("New Star" in reason for _, reason in related(films[8]))
    refreshed = rows()
    rebuild_related()
    assert rows() == refreshed
