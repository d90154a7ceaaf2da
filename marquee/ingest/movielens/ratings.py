"""MovieLens ratings: millions of rows (ml-25m has 25 million, ml-32m 32 million), streamed,
each rating kept as an anonymous community rating, then summarised per film.

On PostgreSQL the ratings are copied (COPY) into a staging table and merged with the catalog in a
few set-based statements; on SQLite they are compared and written a batch at a time. Either way
memory holds one batch, whatever the file size, and the caller's transaction holds all of it.
"""

# SQL here is assembled from our own table and column names only; values go as parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from functools import partial
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.models import Avg, Count, Exists, OuterRef
from django.utils import timezone

from marquee.ingest.bulk import deferred_indexes, insert_objects
from marquee.ingest.files import read_csv
from marquee.ingest.models import CommunityRating, ExternalRating, Source
from marquee.ingest.movielens.reader import RATINGS_HEADER
from marquee.ingest.report import Report
from marquee.ingest.staging import Staging

TABLE = CommunityRating._meta.db_table
BATCH = 20_000  # ratings compared and written together (SQLite)
SEEN = "movielens_rating_seen"  # temporary: the (user, film) pairs the release has
REMOVE_UNSEEN = (  # our own table names only
    f"DELETE FROM {TABLE} WHERE source = %s AND NOT EXISTS (SELECT 1 FROM {SEEN} s"
    f" WHERE s.user_key = {TABLE}.user_key AND s.movie_id = {TABLE}.movie_id)"
)
COLUMNS = ["source", "user_key", "movie_id", "rating", "rated_at"]
STARS = {f"{half / 2:.1f}": half for half in range(1, 11)}  # "0.5" → 1 … "5.0" → 10
# The Unix seconds of 0001-01-01 and 9999-12-31 23:59:59 UTC: the dates Python can hold.
EARLIEST, LATEST = -62_135_596_800, 253_402_300_799

# A rating as it goes to the database: (user, catalog movie id, rating of 10, Unix seconds).
Rating = tuple[int, int, int, int | None]


def rating_value(text: str) -> int:
    """Stars (0.5 to 5 in half steps) on Marquee's scale of 10."""
    value = STARS.get(text)  # as MovieLens writes them ("3.5"): tens of millions, no float
    if value is not None:
        return value
    try:
        return STARS[f"{float(text):.1f}"]
    except (ValueError, KeyError):
        raise ValueError(f"rating {text!r} is not 0.5 to 5 stars in half steps") from None


def load_ratings(path: Path, movies: dict[int, int], report: Report) -> None:
    """``movies`` maps MovieLens movieId → catalog movie id; ratings of other films are
    counted as dangling references (a film left for an editor to match, say).

    A release holds all of its ratings: MovieLens ratings the file no longer has are removed.
    The (user, film) pairs read go to a temporary table as they stream by, and one statement
    then deletes the stored ratings that are not there (ml-32m has 32 million pairs: too many
    to hold in memory)."""
    # On a first import nothing can be unchanged or removed: nothing is read back or staged.
    first_time = not CommunityRating.objects.filter(source=Source.MOVIELENS).exists()
    seen = None if first_time else Staging()
    if seen is not None:
        seen.create(SEEN, {"user_key": "BIGINT", "movie_id": "BIGINT"})
    try:
        order = UserOrder()
        rows = read_ratings(
            path, movies, report, order, seen=None if seen is None else partial(seen.add, SEEN)
        )
        if connection.vendor == "postgresql":
            copy_ratings(rows, report, order)
        else:
            # The film index takes new ratings at random places: for millions of them, one
            # sort at the end costs less (a first ml-25m import: see docs/benchmarks.md).
            new = estimated_rows(path)
            if not first_time:
                new -= CommunityRating.objects.filter(source=Source.MOVIELENS).count()
            with deferred_indexes(TABLE, {"movie_id"}, new):
                write_in_batches(rows, report, first_time=first_time)
        if seen is not None:
            seen.index(SEEN, "user_key", "movie_id")
            with connection.cursor() as cursor:
                cursor.execute(REMOVE_UNSEEN, [Source.MOVIELENS])
                report.removed("ratings", cursor.rowcount)
    finally:
        if seen is not None:
            # In a failed transaction its rollback drops the table with the rest.
            with suppress(DatabaseError):
                seen.drop_all()


def estimated_rows(path: Path) -> int:
    """About how many ratings a file holds, from its size: a line such as
    "1,296,5.0,1147880044" takes 20 to 27 bytes, and gzip keeps about a third."""
    size = path.stat().st_size
    return size * 3 // 24 if path.suffix == ".gz" else size // 24


class UserOrder:
    """Whether the file kept its ratings sorted by user, as MovieLens does. The reader finds a
    repeated (user, film) by remembering the current user's films only; where the users are
    not sorted, a repeat can come back after other users and is looked for later."""

    def __init__(self) -> None:
        self.sorted = True


def read_ratings(
    path: Path,
    movies: dict[int, int],
    report: Report,
    order: UserOrder | None = None,
    *,
    seen: Callable[[tuple[int, int]], None] | None = None,
) -> Iterator[Rating]:
    """The file's ratings, checked: bad rows and ratings of films not in the catalog are
    counted in the report and left out, as is a second rating of the same film by a user.
    ``seen`` is told every (user, film) of the file."""
    source = str(path)
    current_user, rated = -1, set[int]()
    for line, row in read_csv(path, RATINGS_HEADER):
        report.read("ratings")
        try:
            user, movie_id = int(row[0]), int(row[1])
        except (ValueError, IndexError) as error:
            report.bad_row("ratings", f"{error}", source=source, line=line)
            continue
        movie = movies.get(movie_id)
        if movie is not None and seen is not None:
            # Told before the value is checked: a rating the release spoiled is kept as it
            # was, not removed.
            seen((user, movie))
        try:
            value = rating_value(row[2])
            seconds = timestamp(row[3])
        except (ValueError, IndexError) as error:
            report.bad_row("ratings", f"{error}", source=source, line=line)
            continue
        if movie is None:
            report.dangling_reference("ratings of films not in the catalog")
            report.skip("ratings", "film not in the catalog")
            continue
        if user != current_user:
            if user < current_user and order is not None:
                order.sorted = False
            current_user, rated = user, set()
        if movie in rated:
            report.skip("ratings", "duplicate")
            continue
        rated.add(movie)
        yield user, movie, value, seconds


def timestamp(text: str) -> int | None:
    """Unix seconds, or None for an empty field."""
    if not text.strip():
        return None
    seconds = int(text)
    if not EARLIEST <= seconds <= LATEST:
        raise ValueError(f"timestamp {text.strip()!r} is out of range")
    return seconds


# SQLite: ratings compared with what is stored, and written, a batch at a time. Times stay Unix
# seconds on the way in and out: SQLite turns them into the text Django stores ("2009-12-14
# 02:52:24", UTC) with datetime(…, 'unixepoch'), where a datetime object per rating cost more
# than the insert itself.

INSERT = (
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)})"
    " VALUES (%s, %s, %s, %s, datetime(%s, 'unixepoch')) ON CONFLICT DO NOTHING"
)
UPDATE = f"UPDATE {TABLE} SET rating = %s, rated_at = datetime(%s, 'unixepoch') WHERE id = %s"
STORED = (  # the stored MovieLens ratings of some users, their times in Unix seconds
    "SELECT id, user_key, movie_id, rating, CAST(strftime('%%s', rated_at) AS INTEGER)"
    f" FROM {TABLE} WHERE source = %s AND user_key IN ({{users}})"
)


def write_in_batches(rows: Iterable[Rating], report: Report, *, first_time: bool) -> None:
    """``first_time``: no MovieLens rating is stored yet, so nothing is read back to compare."""
    batch: dict[tuple[int, int], tuple[int, int | None]] = {}
    for user, movie, value, seconds in rows:
        if (user, movie) in batch:  # a repeat in a file not sorted by user: the first counts
            report.skip("ratings", "duplicate")
            continue
        batch[(user, movie)] = (value, seconds)
        if len(batch) >= BATCH:
            write_batch(batch, report, first_time=first_time)
            batch = {}
    write_batch(batch, report, first_time=first_time)


def write_batch(
    batch: dict[tuple[int, int], tuple[int, int | None]],
    report: Report,
    *,
    first_time: bool,
) -> None:
    if not batch:
        return
    existing: dict[tuple[int, int], tuple[int, int, int | None]] = {}
    with connection.cursor() as cursor:
        if not first_time:
            users = sorted({user for user, _ in batch})
            cursor.execute(
                STORED.format(users=", ".join(["%s"] * len(users))), [Source.MOVIELENS, *users]
            )
            for pk, user, movie, value, seconds in cursor.fetchall():
                if (user, movie) in batch:
                    existing[(user, movie)] = (pk, value, seconds)
        new, changed = [], []
        for (user, movie), stars in batch.items():
            stored = existing.get((user, movie))
            if stored is None:
                new.append((Source.MOVIELENS, user, movie, *stars))
            elif stored[1:] != stars:
                changed.append((*stars, stored[0]))
        # A repeat in a file not sorted by user would slip past the check above: ON CONFLICT
        # skips it here rather than fail the import.
        if new:
            cursor.executemany(INSERT, new)
        if changed:
            cursor.executemany(UPDATE, changed)
    report.created("ratings", len(new))
    report.updated("ratings", len(changed))
    report.unchanged("ratings", len(batch) - len(new) - len(changed))


# PostgreSQL: every rating copied into a staging table, then merged in two statements.

STAGED = "movielens_rating"


def copy_ratings(rows: Iterable[Rating], report: Report, order: UserOrder) -> None:
    stage = Staging()
    try:
        staged = stage_ratings(stage, rows)
        if not order.sorted:
            repeats = drop_repeats(stage)
            report.skip("ratings", "duplicate", repeats)
            staged -= repeats
        updated = update_ratings()
        created = insert_ratings()
        report.created("ratings", created)
        report.updated("ratings", updated)
        report.unchanged("ratings", staged - created - updated)
    finally:
        # In a failed transaction the rollback drops the staging table with the rest.
        with suppress(DatabaseError):
            stage.drop_all()


def stage_ratings(stage: Staging, rows: Iterable[Rating]) -> int:
    """Copy the ratings into the staging table as they are read; returns how many."""
    stage.create(
        STAGED,
        {
            "user_key": "integer NOT NULL",
            "movie_id": "bigint NOT NULL",
            "rating": "smallint NOT NULL",
            "rated_at": "bigint",  # Unix seconds: cheaper to copy than a timestamp
            "line": "bigserial",  # the order of the file, for keeping the first of a repeat
        },
    )
    count = 0
    for row in rows:
        stage.add(STAGED, row)
        count += 1
    stage.analyze(STAGED)
    return count


def drop_repeats(stage: Staging) -> int:
    """Keep the first rating of each (user, film) in a file not sorted by user."""
    stage.index(STAGED, "user_key", "movie_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {STAGED} AS s WHERE EXISTS (SELECT 1 FROM {STAGED} AS f"
            " WHERE f.user_key = s.user_key AND f.movie_id = s.movie_id AND f.line < s.line)"
        )
        return cursor.rowcount


def update_ratings() -> int:
    """Bring changed ratings in line with the staged ones; returns how many changed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} AS c SET rating = s.rating, rated_at = to_timestamp(s.rated_at)"
            f" FROM {STAGED} AS s WHERE c.source = %s AND c.user_key = s.user_key"
            " AND c.movie_id = s.movie_id AND (c.rating <> s.rating"
            " OR c.rated_at IS DISTINCT FROM to_timestamp(s.rated_at))",
            [Source.MOVIELENS],
        )
        return cursor.rowcount


def insert_ratings() -> int:
    """Add the staged ratings the catalog does not have; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (source, user_key, movie_id, rating, rated_at)"
            " SELECT %s, s.user_key, s.movie_id, s.rating, to_timestamp(s.rated_at)"
            f" FROM {STAGED} AS s WHERE NOT EXISTS (SELECT 1 FROM {TABLE} AS c"
            " WHERE c.source = %s AND c.user_key = s.user_key AND c.movie_id = s.movie_id)",
            [Source.MOVIELENS, Source.MOVIELENS],
        )
        return cursor.rowcount


def summarise(report: Report) -> None:
    """Average and count per film, kept as the film's MovieLens community rating."""
    current = {
        movie: (average, votes)
        for movie, average, votes in ExternalRating.objects.filter(
            source=Source.MOVIELENS
        ).values_list("movie_id", "average", "votes")
    }
    summaries = (
        CommunityRating.objects.filter(source=Source.MOVIELENS)
        .values("movie")
        .annotate(average=Avg("rating"), votes=Count("id"))
        .order_by()
        .values_list("movie", "average", "votes")
    )
    new, changed = [], []
    for movie, average, votes in summaries.iterator(chunk_size=10_000):
        report.read("community ratings")
        value = (round(average, 2), votes)
        if movie not in current:
            new.append(
                ExternalRating(
                    movie_id=movie, source=Source.MOVIELENS, average=value[0], votes=votes
                )
            )
        elif current[movie] != value:
            changed.append((*value, movie))
        else:
            report.unchanged("community ratings")
    insert_objects(new)
    report.created("community ratings", len(new))
    for average, votes, movie in changed:
        ExternalRating.objects.filter(movie_id=movie, source=Source.MOVIELENS).update(
            average=average, votes=votes, updated_at=timezone.now()
        )
    report.updated("community ratings", len(changed))
    # A film whose ratings a newer release all took back has no MovieLens figures any more.
    gone = ExternalRating.objects.filter(source=Source.MOVIELENS).exclude(
        Exists(CommunityRating.objects.filter(source=Source.MOVIELENS, movie=OuterRef("movie")))
    )
    report.removed("community ratings", gone.delete()[0])
