from argparse import Namespace
from pathlib import Path

import pytest

from marquee.catalog.models import Movie
from marquee.ingest import staging
from marquee.ingest.models import CommunityRating, ExternalRating, MovieSource, PendingMatch
from marquee.ingest.movielens import importer, ratings
from marquee.ingest.movielens.reader import parse_title
from marquee.ingest.report import Report
from tests.conftest import SHARED_DATA
from tests.factories import make_movie

pytestmark = pytest.mark.django_db

MOVIES = """movieId,title,genres
1,"Matrix, The (1999)",Action|Sci-Fi|Thriller
2,"City of Lost Children, The (Cité des enfants perdus, La) (1995)",Drama|Sci-Fi
3,(500) Days of Summer (2009),Comedy|Drama|Romance|IMAX
4,Babylon 5,(no genres listed)
5,Emma (1996),Comedy|Drama|Romance
x7,Broken Row (2001),Drama
6,"Toy Story (1995) ",Adventure|Animation|Children|Comedy|Fantasy
"""
LINKS = """movieId,imdbId,tmdbId
1,0133093,603
2,0112682,902
3,1022603,19913
4,0105946,
5,0116191,3573
6,0114709,862
"""
TAGS = """userId,movieId,tag,timestamp
1,1,dystopia,1139045764
2,1,Dystopia ,1139045765
2,6,dystopia,1139045766
3,1,in netflix queue,1139045767
"""
RATINGS = """userId,movieId,rating,timestamp
1,1,4.5,964982703
1,6,3.0,964982704
2,1,5.0,964982705
2,6,6.0,964982706
3,99,4.0,964982707
"""


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def run(folder: Path, **options: object) -> Report:
    report = Report()
    defaults = {"no_ratings": False, "no_tags": False, "min_tag_users": 2}
    importer.run(Namespace(directory=folder, **{**defaults, **options}), report)
    return report


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Matrix, The (1999)", ("The Matrix", 1999, [])),
        (
            "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
            ("The City of Lost Children", 1995, ["La Cité des enfants perdus"]),
        ),
        ("Seven (a.k.a. Se7en) (1995)", ("Seven", 1995, ["Se7en"])),
        ("(500) Days of Summer (2009)", ("(500) Days of Summer", 2009, [])),
        ("Homme qui aimait les femmes, L' (1977)", ("L'Homme qui aimait les femmes", 1977, [])),
        ("Babylon 5", ("Babylon 5", None, [])),
        ("Fawlty Towers (1975-1979)", ("Fawlty Towers", 1975, [])),
        ("Toy Story (1995) ", ("Toy Story", 1995, [])),
    ],
)
def test_it_reads_movielens_titles(text: str, parsed: tuple[str, int | None, list[str]]) -> None:
    assert parse_title(text) == parsed


def test_it_imports_films_keywords_and_ratings(tmp_path: Path) -> None:
    folder = write(tmp_path / "ml", movies=MOVIES, links=LINKS, tags=TAGS, ratings=RATINGS)
    report = run(folder)
    assert report.tally("movies").created == 6
    matrix = Movie.objects.get(movielens_id=1)
    assert (matrix.title, matrix.year, matrix.slug) == ("The Matrix", 1999, "the-matrix-1999")
    assert (matrix.imdb_id, matrix.tmdb_id) == ("tt0133093", 603)
    assert sorted(matrix.genres.values_list("name", flat=True)) == [
        "Action",
        "Science Fiction",
        "Thriller",
    ]
    # "dystopia" was used by two users (its case and spaces normalised); the queue note by one.
    assert list(matrix.keywords.values_list("name", flat=True)) == ["dystopia"]
    assert list(Movie.objects.get(movielens_id=6).keywords.values_list("name", flat=True)) == [
        "dystopia"
    ]
    city = Movie.objects.get(movielens_id=2)
    assert list(city.alternate_titles.values_list("title", flat=True)) == [
        "La Cité des enfants perdus"
    ]
    assert not Movie.objects.get(movielens_id=4).genres.exists()
    assert Movie.objects.get(movielens_id=4).tmdb_id is None
    assert list(Movie.objects.get(movielens_id=3).genres.values_list("name", flat=True)) == [
        "Comedy",
        "Drama",
        "Romance",
    ]
    assert list(
        CommunityRating.objects.order_by("user_key", "movie__movielens_id").values_list(
            "user_key", "movie__movielens_id", "rating"
        )
    ) == [(1, 1, 9), (1, 6, 6), (2, 1, 10)]
    assert ExternalRating.objects.get(movie=matrix, source="movielens").average == 9.5
    assert ExternalRating.objects.get(movie=matrix).votes == 2
    source = MovieSource.objects.get(movie=matrix)
    assert source.url == "https://movielens.org/movies/1"
    assert [str(p).split("/")[-1] for p in report.problems] == [
        "movies.csv:7: expected movieId,title,genres, found ['x7', 'Broken Row (2001)', 'Drama']",
        "ratings.csv:5: rating '6.0' is not 0.5 to 5 stars in half steps",
    ]
    assert report.dangling["ratings of films not in the catalog"] == 1
    assert report.tally("tags").skipped["used by fewer than 2 users"] == 1


def test_importing_the_same_files_twice_changes_nothing(tmp_path: Path) -> None:
    folder = write(tmp_path / "ml", movies=MOVIES, links=LINKS, tags=TAGS, ratings=RATINGS)
    run(folder)
    stamps = list(Movie.objects.order_by("pk").values_list("updated_at", flat=True))
    report = run(folder)
    assert not report.changed_anything()
    assert report.tally("movies").unchanged == 6
    assert report.tally("ratings").unchanged == 3
    assert report.tally("community ratings").unchanged == 2
    assert list(Movie.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert (Movie.objects.count(), CommunityRating.objects.count()) == (6, 3)


def test_a_newer_release_updates_changes_and_adds_new_films(tmp_path: Path) -> None:
    run(write(tmp_path / "v1", movies=MOVIES, links=LINKS, tags=TAGS, ratings=RATINGS))
    movies = MOVIES.replace("Babylon 5,", "Babylon 5 (1994),") + "7,Heat (1995),Action|Crime\n"
    ratings = RATINGS.replace("1,1,4.5", "1,1,3.5") + "4,7,4.0,964982708\n"
    report = run(
        write(
            tmp_path / "v2",
            movies=movies,
            links=LINKS + "7,0113277,949\n",
            tags=TAGS,
            ratings=ratings,
        )
    )
    films, votes = report.tally("movies"), report.tally("ratings")
    assert (films.created, films.updated, films.unchanged) == (1, 1, 5)
    assert (votes.created, votes.updated, votes.unchanged) == (1, 1, 2)
    assert Movie.objects.get(movielens_id=4).year == 1994
    assert Movie.objects.count() == 7
    assert ExternalRating.objects.get(movie__movielens_id=1).average == 8.5


def test_a_newer_release_removes_the_ratings_it_no_longer_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratings, "BATCH", 1)  # the pairs read span several batches
    run(write(tmp_path / "v1", movies=MOVIES, links=LINKS, ratings=RATINGS))
    toy_story = Movie.objects.get(movielens_id=6)
    other = CommunityRating.objects.create(source="tmdb", user_key=1, movie=toy_story, rating=4)
    # User 1 took both ratings back; user 2's rating of The Matrix is spoiled in this release,
    # so it is kept as it was rather than removed.
    newer = "userId,movieId,rating,timestamp\n2,1,five,964982705\n2,6,6.0,964982706\n"
    report = run(write(tmp_path / "v2", movies=MOVIES, links=LINKS, ratings=newer))

    assert list(
        CommunityRating.objects.order_by("source", "user_key").values_list(
            "source", "user_key", "movie__movielens_id", "rating"
        )
    ) == [("movielens", 2, 1, 10), ("tmdb", 1, 6, 4)]
    assert report.tally("ratings").removed == 2
    # The Matrix is summed up again from what is left; Toy Story has no MovieLens figures now.
    matrix = ExternalRating.objects.get(movie__movielens_id=1, source="movielens")
    assert (matrix.average, matrix.votes) == (10.0, 1)
    assert not ExternalRating.objects.filter(movie=toy_story).exists()
    assert (
        report.tally("community ratings").updated,
        report.tally("community ratings").removed,
    ) == (1, 1)
    assert other.pk in CommunityRating.objects.values_list("pk", flat=True)

    # Read again, the same release removes nothing more.
    again = run(write(tmp_path / "v2", movies=MOVIES, links=LINKS, ratings=newer))
    assert not again.changed_anything()
    assert again.tally("ratings").removed == 0


def test_films_already_in_the_catalog_are_found_by_their_ids_first(tmp_path: Path) -> None:
    # Known by IMDb id under another title (an editor's): matched, not duplicated, and the
    # editor's title stays; empty genres are filled in.
    matrix = make_movie(title="Matrix", year=1999, imdb_id="tt0133093", slug="matrix")
    heat = make_movie(title="Toy Story", year=1995, slug="toy-story", synopsis="Ours.")
    report = run(write(tmp_path / "ml", movies=MOVIES, links=LINKS))
    matrix.refresh_from_db()
    heat.refresh_from_db()
    assert (matrix.title, matrix.slug, matrix.movielens_id, matrix.tmdb_id) == (
        "Matrix",
        "matrix",
        1,
        603,
    )
    assert matrix.genres.count() == 3
    # Found by title and year (no ids on either side to contradict it).
    assert (heat.movielens_id, heat.imdb_id) == (6, "tt0114709")
    assert report.tally("movies").created == 4
    assert MovieSource.objects.get(movie=matrix).fields == "genres"


def test_an_ambiguous_title_waits_for_an_editor_whose_choice_the_next_import_applies(
    tmp_path: Path,
) -> None:
    first = make_movie(title="Emma", year=1996, slug="emma-1996")
    make_movie(title="Emma", year=1996, slug="emma-1996-tv")
    folder = write(tmp_path / "ml", movies=MOVIES, links=LINKS)
    report = run(folder)
    assert report.queued == 1
    pending = PendingMatch.objects.get()
    assert (pending.source, pending.external_key, pending.title, pending.year) == (
        "movielens",
        "5",
        "Emma",
        1996,
    )
    assert pending.candidates.count() == 2
    assert not Movie.objects.filter(movielens_id=5).exists()
    assert "ambiguous matches left for an editor: 1" in report.table()

    pending.chosen = first
    pending.status = PendingMatch.Status.MATCHED
    pending.save()
    report = run(folder)
    assert report.queued == 0
    first.refresh_from_db()
    assert (first.movielens_id, first.imdb_id) == (5, "tt0116191")
    assert Movie.objects.filter(title="Emma").count() == 2


def test_a_repeated_rating_is_counted_once_even_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratings, "BATCH", 2)
    repeated = RATINGS + "3,1,4.0,964982709\n3,6,2.0,964982710\n3,1,1.0,964982711\n"
    report = run(write(tmp_path / "ml", movies=MOVIES, links=LINKS, ratings=repeated))
    assert report.tally("ratings").skipped["duplicate"] == 1
    assert report.tally("ratings").created == 5
    assert CommunityRating.objects.get(user_key=3, movie__movielens_id=1).rating == 8  # first


@pytest.mark.skipif(
    not (SHARED_DATA / "movielens-small").is_dir(),
    reason=f"the MovieLens small dataset is not in {SHARED_DATA}",
)
def test_the_real_movielens_small_dataset_imports_cleanly() -> None:
    report = run(SHARED_DATA / "movielens-small")
    movies = report.tally("movies")
    assert (movies.read, movies.created) == (9_742, 9_741)
    # movieIds 6003 and 144606 both link to tt0290538: the second is reported, not duplicated.
    assert report.problem_count == 1
    assert "the same film as '6003'" in report.problems[0].reason
    assert report.tally("ratings").created == 100_835
    assert CommunityRating.objects.count() == 100_835
    assert ExternalRating.objects.filter(source="movielens").count() == 9_723
    assert Movie.objects.exclude(imdb_id="").count() == 9_741
    toy = Movie.objects.get(movielens_id=1)
    assert (toy.title, toy.year, toy.imdb_id, toy.tmdb_id) == ("Toy Story", 1995, "tt0114709", 862)


def many_ratings(users: int, films: list[int], *, changed: int = 0) -> str:
    """A ratings file sorted by user, as MovieLens writes them: every user rates every film,
    the stars following from the user and the film; ``changed`` users give other stars."""
    lines = ["userId,movieId,rating,timestamp"]
    for user in range(1, users + 1):
        for film in films:
            halves = (user + film) % 10 + 1
            if user <= changed:
                halves = halves % 10 + 1
            lines.append(f"{user},{film},{halves / 2:.1f},{964982700 + user * 100 + film}")
    return "\n".join(lines) + "\n"


def test_ratings_of_several_batches_import_exactly_and_only_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small batches, so that 60 ratings take several of them on either database.
    monkeypatch.setattr(ratings, "BATCH", 7)
    monkeypatch.setattr(staging, "STAGE_BATCH_ROWS", 7)
    films = [1, 2, 3, 5, 6]
    folder = write(tmp_path / "ml", movies=MOVIES, links=LINKS, ratings=many_ratings(12, films))
    report = run(folder)
    assert report.tally("ratings").created == 60
    ids = dict(Movie.objects.values_list("pk", "movielens_id"))
    stored = {
        (user, ids[movie], value, when.timestamp() if when else None)
        for user, movie, value, when in CommunityRating.objects.values_list(
            "user_key", "movie_id", "rating", "rated_at"
        )
    }
    assert stored == {
        (user, film, (user + film) % 10 + 1, 964982700 + user * 100 + film)
        for user in range(1, 13)
        for film in films
    }
    assert ExternalRating.objects.get(movie__movielens_id=1).votes == 12

    report = run(folder)
    tally = report.tally("ratings")
    assert (tally.created, tally.updated, tally.unchanged) == (0, 0, 60)
    assert CommunityRating.objects.count() == 60

    # A newer release in which the first two users changed their minds.
    report = run(
        write(
            tmp_path / "v2", movies=MOVIES, links=LINKS, ratings=many_ratings(12, films, changed=2)
        )
    )
    tally = report.tally("ratings")
    assert (tally.created, tally.updated, tally.unchanged) == (0, 10, 50)
    assert CommunityRating.objects.get(user_key=2, movie__movielens_id=3).rating == 7


def test_a_bad_rating_in_the_middle_is_reported_with_its_line_and_the_rest_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratings, "BATCH", 4)
    monkeypatch.setattr(staging, "STAGE_BATCH_ROWS", 4)
    rows = many_ratings(4, [1, 2, 5]).splitlines()
    rows[6] = "2,5,four,964982905"  # line 7 of the file
    rows[8] = "3,2,4.0,99999999999999999999"
    report = run(write(tmp_path / "ml", movies=MOVIES, links=LINKS, ratings="\n".join(rows)))
    assert [str(p).split("/")[-1] for p in report.problems if "ratings" in p.source] == [
        "ratings.csv:7: rating 'four' is not 0.5 to 5 stars in half steps",
        "ratings.csv:9: timestamp '99999999999999999999' is out of range",
    ]
    assert report.tally("ratings").created == 10
    assert not CommunityRating.objects.filter(user_key=2, movie__movielens_id=5).exists()
    assert CommunityRating.objects.filter(user_key=4).count() == 3


def test_a_repeat_in_a_file_not_sorted_by_user_keeps_the_first_rating(tmp_path: Path) -> None:
    unsorted = RATINGS + "1,1,1.0,964982712\n"
    report = run(write(tmp_path / "ml", movies=MOVIES, links=LINKS, ratings=unsorted))
    assert report.tally("ratings").skipped["duplicate"] == 1
    assert report.tally("ratings").created == 3
    assert CommunityRating.objects.get(user_key=1, movie__movielens_id=1).rating == 9


def test_a_big_ratings_file_builds_the_film_index_once_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marquee.ingest import bulk

    monkeypatch.setattr(bulk, "DEFER_INDEXES_ROWS", 10)  # as if the file were big
    monkeypatch.setattr(ratings, "BATCH", 7)
    films = [1, 2, 3, 5, 6]
    folder = write(tmp_path / "ml", movies=MOVIES, links=LINKS, ratings=many_ratings(12, films))
    with CaptureQueriesContext(connection) as captured:
        report = run(folder)
    statements = [query["sql"] for query in captured.captured_queries]
    assert report.tally("ratings").created == 60
    inserts = [n for n, sql in enumerate(statements) if "INSERT INTO ingest_communityrating" in sql]
    index_ddl = [(n, sql) for n, sql in enumerate(statements) if "INDEX" in sql.split("(")[0]]
    if connection.vendor == "sqlite":
        # Dropped before the first rating goes in, built again after the last.
        (dropped, drop), (built, build) = index_ddl
        assert drop == 'DROP INDEX "community_rating_movie"'
        assert build.startswith('CREATE INDEX "community_rating_movie"')
        assert dropped < inserts[0] and inserts[-1] < built
    else:
        assert not index_ddl
    # What the film index serves: each film's summary.
    assert ExternalRating.objects.get(movie__movielens_id=3).votes == 12

    # The same file again adds nothing: the index stays as it is.
    with CaptureQueriesContext(connection) as captured:
        assert run(folder).tally("ratings").unchanged == 60
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if "INDEX" in sql and "community_rating" in sql]


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.5", 1), ("3.5", 7), ("5.0", 10), ("4", 8), ("3.50", 7), (" 2.5 ", 5), ("1e0", 2)],
)
def test_stars_become_a_rating_of_ten_however_they_are_written(text: str, value: int) -> None:
    assert ratings.rating_value(text) == value


@pytest.mark.parametrize("text", ["0", "0.0", "0.25", "5.5", "6.0", "-1.0", "nan", "four", ""])
def test_anything_but_half_stars_from_half_to_five_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not 0\.5 to 5 stars in half steps"):
        ratings.rating_value(text)
