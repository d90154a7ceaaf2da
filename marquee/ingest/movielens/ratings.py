"""MovieLens ratings: millions of rows (ml-25m has 25 million), streamed and written in batches,
each rating kept as an anonymous community rating, then summarised per film."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import Avg, Count, Exists, OuterRef
from django.utils import timezone

from marquee.ingest.bulk import insert_objects, insert_rows
from marquee.ingest.files import read_csv
from marquee.ingest.imdb.staging import Staging
from marquee.ingest.models import CommunityRating, ExternalRating, Source
from marquee.ingest.movielens.reader import RATINGS_HEADER
from marquee.ingest.report import Report

BATCH = 20_000  # ratings compared and written together
SEEN = "movielens_rating_seen"  # temporary: the (user, film) pairs the release has
REMOVE_UNSEEN = (  # our own table names only
    "DELETE FROM ingest_communityrating WHERE source = %s AND NOT EXISTS (SELECT 1"  # noqa: S608
    f" FROM {SEEN} s WHERE s.user_key = ingest_communityrating.user_key"
    " AND s.movie_id = ingest_communityrating.movie_id)"
)
COLUMNS = ["source", "user_key", "movie_id", "rating", "rated_at"]
STARS = {f"{half / 2:.1f}": half for half in range(1, 11)}  # "0.5" → 1 … "5.0" → 10


def rating_value(text: str) -> int:
    """Stars (0.5 to 5 in half steps) on Marquee's scale of 10."""
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
    # On a first import nothing can be unchanged or removed: skip reading back what is not
    # there, and staging what was read.
    first_time = not CommunityRating.objects.filter(source=Source.MOVIELENS).exists()
    stage = None if first_time else Staging()
    if stage is not None:
        stage.create(SEEN, {"user_key": "BIGINT", "movie_id": "BIGINT"})
    try:
        read_ratings(path, movies, report, first_time=first_time, stage=stage)
        if stage is not None:
            stage.index(SEEN, "user_key", "movie_id")
            with connection.cursor() as cursor:
                cursor.execute(REMOVE_UNSEEN, [Source.MOVIELENS])
                report.removed("ratings", cursor.rowcount)
    finally:
        if stage is not None:
            # In a failed transaction its rollback drops the table with the rest.
            with suppress(DatabaseError):
                stage.drop_all()


def read_ratings(
    path: Path,
    movies: dict[int, int],
    report: Report,
    *,
    first_time: bool,
    stage: Staging | None,
) -> None:
    source = str(path)
    batch: dict[tuple[int, int], tuple[int, datetime | None]] = {}
    # MovieLens sorts ratings by user, so a repeated (user, film) is found by remembering the
    # current user's films only, even across batches.
    current_user, rated = -1, set[int]()
    for line, row in read_csv(path, RATINGS_HEADER):
        report.read("ratings")
        try:
            user, movie_id = int(row[0]), int(row[1])
        except (ValueError, IndexError) as error:
            report.bad_row("ratings", f"{error}", source=source, line=line)
            continue
        movie = movies.get(movie_id)
        if movie is not None and stage is not None:
            # Staged before the value is checked: a rating the release spoiled is kept as
            # it was, not removed.
            stage.add(SEEN, (user, movie))
        try:
            value = rating_value(row[2])
            when = datetime.fromtimestamp(int(row[3]), tz=UTC) if row[3].strip() else None
        except (ValueError, IndexError, OverflowError, OSError) as error:
            report.bad_row("ratings", f"{error}", source=source, line=line)
            continue
        if movie is None:
            report.dangling_reference("ratings of films not in the catalog")
            report.skip("ratings", "film not in the catalog")
            continue
        if user != current_user:
            current_user, rated = user, set()
        if movie in rated:
            report.skip("ratings", "duplicate")
            continue
        rated.add(movie)
        batch[(user, movie)] = (value, when)
        if len(batch) >= BATCH:
            write_batch(batch, report, first_time=first_time)
            batch = {}
    write_batch(batch, report, first_time=first_time)


def stored_datetime() -> Callable[[datetime | None], Any]:
    """How a UTC datetime goes to the database, without Django's per-value checks (millions
    of ratings): SQLite stores naive UTC text, PostgreSQL takes the aware value."""
    if connection.vendor == "sqlite":
        return lambda value: None if value is None else str(value.replace(tzinfo=None))
    return lambda value: value


def write_batch(
    batch: dict[tuple[int, int], tuple[int, datetime | None]],
    report: Report,
    *,
    first_time: bool,
) -> None:
    if not batch:
        return
    existing: dict[tuple[int, int], tuple[int, int, datetime | None]] = {}
    if not first_time:
        users = {user for user, _ in batch}
        rows = CommunityRating.objects.filter(source=Source.MOVIELENS, user_key__in=users)
        for pk, user, movie, value, when in rows.values_list(
            "pk", "user_key", "movie_id", "rating", "rated_at"
        ):
            if (user, movie) in batch:
                existing[(user, movie)] = (pk, value, when)
    new, changed = [], []
    adapt = stored_datetime()
    for (user, movie), (value, when) in batch.items():
        if (user, movie) not in existing:
            new.append((Source.MOVIELENS, user, movie, value, adapt(when)))
        elif existing[(user, movie)][1:] != (value, when):
            changed.append(
                CommunityRating(pk=existing[(user, movie)][0], rating=value, rated_at=when)
            )
    # A repeat in a file not sorted by user would slip past the check above: skip it here
    # rather than fail the import.
    insert_rows(CommunityRating, COLUMNS, new, ignore_conflicts=True)
    CommunityRating.objects.bulk_update(changed, ["rating", "rated_at"], batch_size=1_000)
    report.created("ratings", len(new))
    report.updated("ratings", len(changed))
    report.unchanged("ratings", len(batch) - len(new) - len(changed))


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
