# SQL here is assembled from our own table and column names only; values always go as
# parameters or through COPY.
# ruff: noqa: S608
"""Loading IMDb's datasets into the catalog, set-based.

Each file streams through its reader into a temporary staging table; the catalog is then brought
in line with a few INSERT … SELECT, UPDATE … FROM and DELETE statements that touch only rows that
differ, so an unchanged dump writes nothing and the report can say so. Movies and people are
matched by their IMDb id first; a film another source created with that id is updated, not
duplicated. The caller owns the transaction (``marquee.ingest.run``): all of it lands, or none.

Which rows IMDb may delete: a newer dump drops credits, genres and alternate titles that it no
longer lists only on films IMDb alone describes (no other source recorded in MovieSource), and
only credits of people with an IMDb id; where other sources contributed, IMDb only adds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.text import slugify

from marquee.catalog.models import Genre, Movie, copy_sort_keys
from marquee.ingest.bulk import deferred_indexes
from marquee.ingest.imdb import reader
from marquee.ingest.imdb.parallel import Mailbox, Produce, Rows, Scratch, Worker, multiplex
from marquee.ingest.imdb.reader import IdFlags
from marquee.ingest.loader import RANK
from marquee.ingest.models import Source
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.staging import Staging
from marquee.people.models import CreditKind

IMDB_URL = "https://www.imdb.com/title/"
# A film by IMDb id, repeating the condition of its partial unique index as the index states it:
# SQLite uses a partial index only for a query that says the same.
FILM_BY_IMDB_ID = "m.imdb_id = imdb_title.tconst AND NOT (m.imdb_id = '')"
# New people go in in the order of their slugs, so that the unique slug index (which SQLite
# cannot drop) grows at its end; their unique IMDb id index, which such an insert would then
# fill at random places, is rebuilt after it (bulk.deferred_indexes). Films keep the order of
# the file: the insert of their credits reads them by id, and in the order of their slugs that
# read was random, 1.8 s slower at full scale.
IMDB_ID = frozenset({"imdb_id"})
# The film fields IMDb fills, and keeps up to date while it owns them (the sources' rule in
# marquee/ingest/loader.py: a field listed under a source's MovieSource row is that source's).
OWNED_TEXT = ("title", "original_title", "sort_title")
OWNED_NUMBERS = ("year", "runtime")
OWNED_FIELDS = ", ".join(name.replace("_", " ") for name in OWNED_TEXT + OWNED_NUMBERS)
# Sources whose fields IMDb takes over (the generic loader's RANK; an unranked source counts 0).
LOWER_SOURCES = ", ".join(
    f"'{source}'" for source in Source.values if RANK.get(source, 0) < RANK[Source.IMDB]
)
# Rows as the workers read them (parallel.py), a title by its number: the film's id is joined
# in when they are staged, since the workers read while the films are merged.
CREDIT_ROW = {
    "tid": "BIGINT",
    "nid": "BIGINT",
    "nconst": "TEXT",
    "line": "INTEGER",
    "rank": "INTEGER",
    "kind": "TEXT",
    "character": "TEXT",
    "department": "TEXT",
    "job": "TEXT",
    "ord": "INTEGER",
}
AKA_ROW = {
    "tid": "BIGINT",
    "line": "INTEGER",
    "ordering": "INTEGER",
    "title": "TEXT",
    "language": "TEXT",
    "region": "TEXT",
    "kind": "TEXT",
}
RATING_ROW = {
    "tid": "BIGINT",
    "average": "DOUBLE PRECISION",
    "votes": "INTEGER",
    "popularity": "DOUBLE PRECISION",
}
NAME_ROW = {
    "nid": "BIGINT",
    "nconst": "TEXT",
    "line": "INTEGER",
    "name": "TEXT",
    "slug": "TEXT",
    "slug_alt": "TEXT",
}
# A credit file's reader (reader.read_principals, reader.read_crew).
ReadCredits = Callable[[Path, Report, IdFlags, IdFlags], Generator[reader.CreditRow, None, Any]]
ANALYZE_AFTER_ROWS = 1_000  # rows written to a catalog table before its statistics are redone
SQLITE_IMPORT_PRAGMAS = {
    # KiB of page cache for the catalog; the connection's own is 64 MiB. SQLite also sorts (index
    # builds, ORDER BY) in runs of this size, then merges them. Runs of 256 MiB made building the
    # credits' two person indexes take 5.4 s at full scale, runs of 16 MiB 2.8 s: a big run is
    # sorted with a cache miss at every step, and runs of this size can go to the helper thread.
    # The inserts, which write indexes at random places, were no slower.
    "cache_size": -16 * 1024,
    "temp.cache_size": -128 * 1024,  # the staging tables' (the temporary database's)
    "threads": 2,
}


class Reading(NamedTuple):
    worker: Worker
    table: str  # where its rows are
    into: str  # the staging table they go to
    columns: dict[str, str]


class ImdbLoader:
    def __init__(
        self,
        directory: Path,
        report: Report,
        *,
        types: Iterable[str] = reader.DEFAULT_TYPES,
        include_adult: bool = False,
        log: IO[str] | None = None,
    ) -> None:
        self.directory = directory
        self.report = report
        self.types = frozenset(types)
        self.include_adult = include_adult
        self.log = log or sys.stderr
        self.titles = IdFlags()
        self.names = IdFlags()
        self.stage = Staging()
        self.postgres = connection.vendor == "postgresql"
        # Null-safe "differs": SQLite spells IS DISTINCT FROM as IS NOT.
        self.differs = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        self.now = timezone.now()
        self.genre_ids: dict[str, int] = {}
        self.existing = 0  # staged films the catalog already had
        self.edited = 0  # of which some lists are an editor's
        self.workers: list[Worker] = []
        self.principals: Reading | None = None  # title.principals' worker
        # New people's ids are this plus their IMDb number, when credits go in first.
        self.person_base: int | None = None
        self.scratch = False  # whether workers write their rows to scratch files

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        """Log how long a merge step took: at full scale they run for a while without rows
        to count, and an operator should see the import is alive."""
        started = time.monotonic()
        yield
        self.log.write(f"imdb: {what} in {time.monotonic() - started:.1f} s\n")
        self.log.flush()

    def run(self) -> None:
        if not self.directory.is_dir():
            raise IngestError("not a directory", source=str(self.directory))
        files = {name: reader.find_file(self.directory, name) for name in reader.COLUMNS}
        if files["title.basics"] is None:
            raise IngestError(
                "title.basics.tsv.gz (or .tsv) not found: download the files from "
                "https://datasets.imdbws.com/",
                source=str(self.directory),
            )
        for name, path in files.items():
            if path is None:
                self.log.write(f"{name}: not in {self.directory}, skipped\n")
        settings: dict[str, int] = {}
        if not self.postgres:
            # A page cache for the staging tables (which SQLite keeps in a temporary database
            # whose cache is 2 MB otherwise), one sized for sorting for the catalog, and a helper
            # thread for the sorts that build indexes.
            for pragma, value in SQLITE_IMPORT_PRAGMAS.items():
                settings[pragma] = self.scalar(f"PRAGMA {pragma}")
                self.execute(f"PRAGMA {pragma} = {value}")
        try:
            self.scratch = Scratch.usable()
            if self.scratch:
                Scratch.clear_leftovers()
            ratings = None
            if files["title.ratings"]:
                ratings = self._start_ratings(files["title.ratings"])
            self._stage_titles(files["title.basics"])
            credits, names = self._start_credits_and_names(
                files["title.principals"], files["title.crew"], files["name.basics"]
            )
            akas = self._start_akas(files["title.akas"]) if files["title.akas"] else None
            if ratings:
                self._stage_ratings(*ratings)
            with self.step("merged movies, genres and ratings"):
                self._merge_movies()
                self._merge_genres()
                if files["title.ratings"]:
                    self._merge_ratings()
            # Alternate titles need only the films, and their file is read by now: merged while
            # title.principals, the biggest file, is still being read.
            if akas:
                self._stage_akas(akas)
                with self.step("merged alternate titles"):
                    self._merge_akas()
            self._stage_credits(credits)
            if names and not self.existing:
                self._merge_credits_then_people(names)
            else:
                self._merge_people_then_credits(
                    names, complete=bool(files["title.principals"] and files["title.crew"])
                )
            with self.step("copied sort keys of changed films"):
                # Listings and credits carry copies of a film's sort keys; refresh moved ones.
                changed = RawSQL("SELECT movie_id FROM imdb_title WHERE changed = 1", ())
                copy_sort_keys(Movie.objects.filter(pk__in=changed))
            # Dropping them takes a second at full scale: pages can show the catalog meanwhile.
            transaction.on_commit(self.stage.drop_all, robust=True)
        except IntegrityError as error:
            raise IngestError(
                f"conflicts with the catalog: {error}", source=str(self.directory)
            ) from None
        finally:
            self._clean_up(settings)

    def _clean_up(self, settings: dict[str, int]) -> None:
        for worker in self.workers:
            worker.stop()  # those still reading when the import failed
        if self.scratch:
            Scratch.remove_files()
        try:
            for pragma, value in settings.items():
                self.execute(f"PRAGMA {pragma} = {value}")
        except DatabaseError:
            pass  # a broken connection: nothing left to restore
        # A failed import's rollback takes its staging tables with it.

    # Helpers

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; returns the rows it changed."""
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.rowcount

    @staticmethod
    def writable(name: str) -> str:
        """SQL true where IMDb may write the film field ``name`` of catalog_movie ``m`` staged as
        imdb_title: IMDb owns it, a source ranked lower does, or it is empty. A field no source
        lists is an editor's, and stays."""
        empty = "IS NULL" if name in OWNED_NUMBERS else "= ''"
        label = name.replace("_", " ")
        # %% is a literal % once the driver has put the parameters in.
        return (
            f"(imdb_title.owned LIKE '%%, {label}, %%' OR imdb_title.lower LIKE '%%, {label}, %%'"
            f" OR m.{name} {empty})"
        )

    @staticmethod
    def takes(name: str, staged: str = "t") -> str:
        """SQL true where IMDb takes the field ``name`` of the film staged as ``staged``."""
        return f"', ' || {staged}.takes LIKE '%%, {name.replace('_', ' ')}, %%'"

    def joined(self, column: str) -> str:
        """SQL aggregate: the column's texts of a group, joined with ", "."""
        if self.postgres:
            return f"string_agg({column}, ', ')"
        return f"group_concat({column}, ', ')"

    def look_up(self, table: str, column: str, value: str, source: str, match: str) -> None:
        """Set ``column`` of the staged ``table`` to ``value`` from the row of ``source`` that
        matches; rows with no match keep theirs. An UPDATE … FROM, which PostgreSQL runs as one
        join: a correlated sub-select there probes an index for each row, 30 s for 2.4M
        credits. SQLite runs both forms alike."""
        self.execute(f"UPDATE {table} SET {column} = {value} FROM {source} WHERE {match}")

    def leave_to_editors(self, staged: str, kind: str, tally: str, where: str = "TRUE") -> None:
        """Drop the ``staged`` rows (those matching ``where``) of films whose list ``kind`` an
        editor changed in the admin (MovieEdit): nothing is added to it or compared with it.
        ``tally`` is the report's line for them."""
        if self.edited:
            kept = self.execute(
                f"DELETE FROM {staged} WHERE {where} AND movie_id IN (SELECT movie_id"
                f" FROM imdb_title WHERE {self.editors(kind)})"
            )
            self.report.skip(tally, "an editor's list, left as it is", kept)

    @staticmethod
    def editors(kind: str) -> str:
        """SQL true where the staged film's list ``kind`` is an editor's."""
        return f"imdb_title.edited LIKE '%%, {kind}, %%'"

    def scalar(self, sql: str, params: Iterable[Any] = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            row = cursor.fetchone()
        return int(row[0] or 0) if row else 0

    def analyze(self, table: str, written: int) -> None:
        """Refresh PostgreSQL's statistics after a bulk write. Its planner would otherwise go on
        believing a table it just filled with a million rows is empty, and pick nested loops
        over sequential scans for the statements that follow: minutes instead of seconds.
        (SQLite plans from its indexes alone.)"""
        if self.postgres and written >= ANALYZE_AFTER_ROWS:
            self.execute(f"ANALYZE {table}")

    def genre_id(self, name: str) -> int:
        if name not in self.genre_ids:
            genre, _ = Genre.objects.get_or_create(
                slug=slugify(name)[:60] or "genre", defaults={"name": name[:60]}
            )
            self.genre_ids[name] = genre.pk
        return self.genre_ids[name]

    def mark_clashes(self, table: str, found: str, catalog: str, aliases: str) -> None:
        """``clash = 1`` on the new rows (``found`` is NULL) whose slug is taken: by a film or
        person of the catalog, by an old URL, or by an earlier new row of this dump (the first
        keeps the plain slug). Such a row is inserted with its ``slug_alt``. Three statements
        rather than one of ORed EXISTS: PostgreSQL turns a lone EXISTS into a join, but runs
        ORed ones as probes row by row, which took minutes at a million names. Repeats within
        the dump are found by grouping, which leaves only the repeated slugs to join back (a
        window numbering every row took 7 s at a million names on SQLite). The staged slugs
        have no index: grouping through one reads the table in random order, three times
        slower than a scan and a sort."""
        for taken in (catalog, aliases):
            if not self.scalar(f"SELECT EXISTS (SELECT 1 FROM {taken})"):
                continue  # empty, as on a first import: a scan of the staged rows saved
            self.execute(
                f"UPDATE {table} SET clash = 1 WHERE {found} IS NULL AND EXISTS"
                f" (SELECT 1 FROM {taken} x WHERE x.slug = {table}.slug)"
            )
        self.execute(
            f"UPDATE {table} SET clash = 1 FROM (SELECT slug, MIN(line) AS first FROM {table}"
            f" WHERE {found} IS NULL GROUP BY slug HAVING COUNT(*) > 1) r"
            f" WHERE r.slug = {table}.slug AND {table}.line > r.first AND {table}.{found} IS NULL"
        )

    def drop_duplicates(self, table: str, key: str, kind: str, where: str = "") -> None:
        """Keep the first row (lowest line) of each key; count the rest. ``where`` (a condition
        on one column) limits both sides to the rows of one file."""
        inner = f" AND o.{where}" if where else ""
        removed = self.execute(
            f"DELETE FROM {table} WHERE {where or 'TRUE'} AND EXISTS (SELECT 1 FROM {table} o"
            f" WHERE {' AND '.join(f'o.{c} = {table}.{c}' for c in key.split(', '))}"
            f" AND o.line < {table}.line{inner})"
        )
        if removed:
            self.report.skip(kind, "duplicate", removed)

    # Movies

    def _stage_titles(self, path: Path) -> None:
        self.stage.create(
            "imdb_title",
            {
                "tconst": "TEXT",
                "line": "INTEGER",
                "title": "TEXT",
                "original_title": "TEXT",
                "sort_title": "TEXT",
                "year": "INTEGER",
                "runtime": "INTEGER",
                "slug": "TEXT",
                "slug_alt": "TEXT",
                "tid": "BIGINT",
                "popularity": "DOUBLE PRECISION",
                "movie_id": "BIGINT",
                "changed": "INTEGER DEFAULT 0",
                "clash": "INTEGER DEFAULT 0",
                "imdb_only": "INTEGER DEFAULT 0",
                "existed": "INTEGER DEFAULT 0",
                "owned": "TEXT DEFAULT ''",  # IMDb's fields, as ", title, year, "
                "lower": "TEXT DEFAULT ''",  # the fields of sources ranked lower, likewise
                "takes": "TEXT DEFAULT ''",  # the fields IMDb writes now, as "title, year, "
                "edited": "TEXT DEFAULT ''",  # lists an editor holds (MovieEdit), as ", cast, "
            },
        )
        self.stage.create(
            "imdb_genre", {"tconst": "TEXT", "genre_id": "BIGINT", "movie_id": "BIGINT"}
        )
        for title in reader.read_titles(
            path, self.report, self.titles, types=self.types, include_adult=self.include_adult
        ):
            self.stage.add("imdb_title", (*title[:9], int(title.tconst[2:])))
            for name in title.genres:
                self.stage.add("imdb_genre", (title.tconst, self.genre_id(name)))
        self.stage.index("imdb_title", "tconst", unique=True)
        self.stage.index("imdb_title", "tid", unique=True)

    def _start_ratings(self, path: Path) -> tuple[Reading, Mailbox]:
        """title.ratings, parsed by a worker while this process reads title.basics. It keeps the
        rows of imported titles once ``_stage_ratings`` puts the title flags in the mailbox."""
        self.stage.create("imdb_rating", RATING_ROW | {"movie_id": "BIGINT"})
        titles = Mailbox()

        def produce_ratings(report: Report) -> Rows:
            return reader.read_ratings(path, report, titles.take)

        return self._reading(produce_ratings, RATING_ROW, "imdb_rating", receives=[titles]), titles

    def _stage_ratings(self, reading: Reading, titles: Mailbox) -> None:
        titles.put(self.titles)
        self._gather_into(reading)
        self.stage.index("imdb_rating", "tid", unique=True)
        self.look_up(
            "imdb_title", "popularity", "r.popularity", "imdb_rating r", "r.tid = imdb_title.tid"
        )

    def _merge_movies(self) -> None:
        report, d = self.report, self.differs
        self.look_up("imdb_title", "movie_id", "m.id", "catalog_movie m", FILM_BY_IMDB_ID)
        # Films new to the catalog have no rows to compare with: their credits, genres and
        # titles go straight in (a first import, and most of any later one).
        self.existing = self.execute("UPDATE imdb_title SET existed = 1 WHERE movie_id IS NOT NULL")
        # Few films, if any, have lists an editor changed: the lists' merges leave those alone.
        self.edited = self.execute(
            "UPDATE imdb_title SET edited = ', ' || e.lists || ', ' FROM catalog_movieedit e"
            " WHERE e.movie_id = imdb_title.movie_id"
        )
        # Known films: update those that differ, but only in the fields IMDb filled itself (its
        # MovieSource row lists them), that a source ranked lower filled, or that are empty, so
        # an editor's title or a film from Marquee's own format keeps its words. A null or
        # empty value in the dump keeps what the catalog has.
        self.execute(
            "UPDATE imdb_title SET owned = COALESCE((SELECT ', ' || s.fields || ', '"
            " FROM ingest_moviesource s WHERE s.movie_id = imdb_title.movie_id"
            " AND s.source = 'imdb'), ''),"
            f" lower = COALESCE((SELECT ', ' || {self.joined('s.fields')} || ', '"
            " FROM ingest_moviesource s WHERE s.movie_id = imdb_title.movie_id"
            f" AND s.source IN ({LOWER_SOURCES}) AND s.fields <> ''), '')"
            " WHERE movie_id IS NOT NULL"
        )
        differ = [
            f"CASE WHEN {self.writable(name)} AND imdb_title.{name} <> ''"
            f" AND m.{name} <> imdb_title.{name} THEN '{name.replace('_', ' ')}, ' ELSE '' END"
            for name in OWNED_TEXT
        ] + [
            f"CASE WHEN {self.writable(name)} AND imdb_title.{name} IS NOT NULL"
            f" AND m.{name} {d} imdb_title.{name} THEN '{name}, ' ELSE '' END"
            for name in OWNED_NUMBERS
        ]
        self.execute(
            f"UPDATE imdb_title SET takes = (SELECT {' || '.join(differ)} FROM catalog_movie m"
            " WHERE m.id = imdb_title.movie_id) WHERE movie_id IS NOT NULL"
        )
        self.execute(
            "UPDATE imdb_title SET changed = 1 WHERE movie_id IS NOT NULL AND (takes <> ''"
            " OR EXISTS (SELECT 1 FROM catalog_movie m WHERE m.id = imdb_title.movie_id"
            "  AND m.popularity <> COALESCE(imdb_title.popularity, m.popularity)))"
        )
        self.stage.analyze("imdb_title")
        m = "catalog_movie"
        updated = self.execute(
            "UPDATE catalog_movie SET "
            + "".join(
                f"{name} = CASE WHEN {self.takes(name)} THEN t.{name} ELSE {m}.{name} END, "
                for name in OWNED_TEXT + OWNED_NUMBERS
            )
            + "popularity = COALESCE(t.popularity, catalog_movie.popularity), updated_at = %s"
            " FROM imdb_title t WHERE catalog_movie.id = t.movie_id AND t.changed = 1",
            [self.now],
        )
        known = self.scalar("SELECT COUNT(*) FROM imdb_title WHERE movie_id IS NOT NULL")
        report.updated("movies", updated)
        report.unchanged("movies", known - updated)

        # New films. A slug another film (or an old URL) has, or that an earlier new film in
        # this dump takes, gets the IMDb id appended: the first keeps the plain slug.
        self.mark_clashes("imdb_title", "movie_id", "catalog_movie", "catalog_moviealias")
        histogram = "'[]'::jsonb" if self.postgres else "'[]'"
        new = self.scalar("SELECT COUNT(*) FROM imdb_title WHERE movie_id IS NULL")
        scattered = {"sort_title", "year", "rating_average", "popularity", "original_language_id"}
        with deferred_indexes("catalog_movie", scattered, new):
            created = self.insert_movies(histogram)
        report.created("movies", created)
        self.analyze("catalog_movie", created)
        self.look_up(
            "imdb_title",
            "movie_id",
            "m.id",
            "catalog_movie m",
            f"{FILM_BY_IMDB_ID} AND imdb_title.movie_id IS NULL",
        )
        self.stage.index("imdb_title", "movie_id")

        # IMDb's terms ask for a credit line on pages built from its data.
        self.execute(
            "UPDATE imdb_title SET imdb_only = 1 WHERE NOT EXISTS (SELECT 1 FROM"
            " ingest_moviesource s WHERE s.movie_id = imdb_title.movie_id AND s.source <> 'imdb')"
        )
        self.stage.analyze("imdb_title")
        self.execute(
            "INSERT INTO ingest_moviesource (movie_id, source, url, licence, licence_url, fields)"
            f" SELECT movie_id, 'imdb', '{IMDB_URL}' || tconst || '/', '', '',"
            # The fields of films IMDb created are IMDb's; on films it found, it owns none.
            f" CASE WHEN existed = 1 THEN '' ELSE '{OWNED_FIELDS}' END"
            " FROM imdb_title t WHERE NOT EXISTS (SELECT 1 FROM ingest_moviesource s"
            " WHERE s.movie_id = t.movie_id AND s.source = 'imdb')"
        )
        self._move_ownership()

    def _move_ownership(self) -> None:
        """The fields IMDb wrote on known films are IMDb's from now on: added to its MovieSource
        row, taken out of the rows of the sources it took them from (loader.Change.take)."""
        if not self.scalar("SELECT COUNT(*) FROM imdb_title WHERE takes <> ''"):
            return
        labels = [name.replace("_", " ") for name in OWNED_TEXT + OWNED_NUMBERS]
        # IMDb's fields first, in the order the loader lists them, then any others it had.
        wrapped = "CASE WHEN fields = '' THEN ', ' ELSE ', ' || fields || ', ' END"
        others = wrapped
        for label in labels:
            others = f"REPLACE({others}, ', {label}, ', ', ')"
        own = " || ".join(
            f"CASE WHEN ', ' || fields || ', ' LIKE '%%, {label}, %%'"
            f" OR ', ' || t.takes LIKE '%%, {label}, %%' THEN '{label}, ' ELSE '' END"
            for label in labels
        )
        merged = unwrap(f"', ' || {own} || SUBSTR({others}, 3)")
        self.execute(
            f"UPDATE ingest_moviesource SET fields = {merged}"
            " FROM imdb_title t WHERE ingest_moviesource.movie_id = t.movie_id"
            " AND ingest_moviesource.source = 'imdb' AND t.takes <> ''"
        )
        released = wrapped
        for label in labels:
            # REPLACE with an empty pattern leaves the text as it is (both databases).
            released = (
                f"REPLACE({released}, CASE WHEN ', ' || t.takes LIKE '%%, {label}, %%'"
                f" THEN ', {label}, ' ELSE '' END, ', ')"
            )
        self.execute(
            f"UPDATE ingest_moviesource SET fields = {unwrap(released)}"
            " FROM imdb_title t WHERE ingest_moviesource.movie_id = t.movie_id"
            f" AND ingest_moviesource.source IN ({LOWER_SOURCES}) AND t.takes <> ''"
            " AND ingest_moviesource.fields <> ''"
        )

    def insert_movies(self, histogram: str) -> int:
        return self.execute(
            "INSERT INTO catalog_movie (title, original_title, sort_title, slug, year, runtime,"
            " tagline, synopsis, plot, background, reception, budget_currency, imdb_id,"
            " wikidata_id, poster, is_featured, rating_count, rating_histogram, review_count,"
            " popularity, created_at, updated_at)"
            " SELECT title, original_title, sort_title, CASE WHEN clash = 1 THEN slug_alt"
            " ELSE slug END, year, runtime, '', '', '', '', '',"
            f" '', tconst, '', '', FALSE, 0, {histogram}, 0, COALESCE(popularity, 0), %s, %s"
            " FROM imdb_title WHERE movie_id IS NULL ORDER BY line",
            [self.now, self.now],
        )

    def _merge_genres(self) -> None:
        self.look_up(
            "imdb_genre", "movie_id", "t.movie_id", "imdb_title t", "t.tconst = imdb_genre.tconst"
        )
        self.leave_to_editors("imdb_genre", "genres", "genre links")
        self.stage.index("imdb_genre", "movie_id", "genre_id")
        staged = self.scalar("SELECT COUNT(*) FROM imdb_genre")
        with deferred_indexes("catalog_moviegenre", {"genre_id"}, staged):
            created = self.execute(
                "INSERT INTO catalog_moviegenre (movie_id, genre_id, year, sort_title,"
                " rating_average, rating_count, popularity, original_language_id)"
                " SELECT m.id, g.genre_id, m.year, m.sort_title, m.rating_average, m.rating_count,"
                " m.popularity, m.original_language_id"
                " FROM imdb_genre g JOIN catalog_movie m ON m.id = g.movie_id"
                " WHERE NOT EXISTS (SELECT 1 FROM catalog_moviegenre x"
                "  WHERE x.movie_id = g.movie_id AND x.genre_id = g.genre_id)"
                " ORDER BY g.movie_id"
            )
        # Films new to the catalog have only the genres just inserted: known ones are checked.
        removed = self.execute(
            "DELETE FROM catalog_moviegenre WHERE movie_id IN (SELECT movie_id FROM imdb_title"
            f" WHERE imdb_only = 1 AND existed = 1 AND NOT {self.editors('genres')})"
            " AND NOT EXISTS (SELECT 1"
            " FROM imdb_genre g WHERE g.movie_id = catalog_moviegenre.movie_id"
            " AND g.genre_id = catalog_moviegenre.genre_id)"
        )
        total = self.scalar("SELECT COUNT(*) FROM imdb_genre")
        self.report.created("genre links", created)
        self.analyze("catalog_moviegenre", created)
        self.report.unchanged("genre links", total - created)
        self.report.removed("genre links", removed)

    # Ratings

    def _merge_ratings(self) -> None:
        self.look_up(
            "imdb_rating", "movie_id", "t.movie_id", "imdb_title t", "t.tid = imdb_rating.tid"
        )
        self.stage.index("imdb_rating", "movie_id")
        updated = self.execute(
            "UPDATE ingest_externalrating SET average = r.average, votes = r.votes,"
            " updated_at = %s FROM imdb_rating r"
            " WHERE ingest_externalrating.movie_id = r.movie_id"
            " AND ingest_externalrating.source = 'imdb'"
            " AND (ingest_externalrating.average <> r.average"
            " OR ingest_externalrating.votes <> r.votes)",
            [self.now],
        )
        created = self.execute(
            "INSERT INTO ingest_externalrating (movie_id, source, average, votes, updated_at)"
            " SELECT r.movie_id, 'imdb', r.average, r.votes, %s FROM imdb_rating r"
            " WHERE NOT EXISTS (SELECT 1 FROM ingest_externalrating x"
            " WHERE x.movie_id = r.movie_id AND x.source = 'imdb')",
            [self.now],
        )
        # IMDb's own numbers: a film the dump no longer rates loses its IMDb rating. NOT EXISTS,
        # not NOT IN: PostgreSQL runs a NOT IN whose list outgrows work_mem (300,000 rated
        # films do) as a scan of the list for every row: many minutes at full scale.
        removed = self.execute(
            "DELETE FROM ingest_externalrating WHERE source = 'imdb' AND movie_id IN"
            " (SELECT movie_id FROM imdb_title WHERE existed = 1) AND NOT EXISTS (SELECT 1"
            " FROM imdb_rating r"
            " WHERE r.movie_id = ingest_externalrating.movie_id)"
        )
        total = self.scalar("SELECT COUNT(*) FROM imdb_rating")
        self.report.created("IMDb ratings", created)
        self.analyze("ingest_externalrating", created)
        self.report.updated("IMDb ratings", updated)
        self.report.unchanged("IMDb ratings", total - created - updated)
        self.report.removed("IMDb ratings", removed)

    # People and credits

    def _start_credits_and_names(
        self, principals: Path | None, crew: Path | None, names: Path | None
    ) -> tuple[list[Reading], Reading | None]:
        """Start reading title.principals and title.crew, a worker each: they need only the title
        flags, so they read while this process merges the films. Their rows name the film by
        its number; ``_stage_with_film`` gives them its id. name.basics' worker starts with
        them: it waits for the name flags each of them sets (who is credited), handed over at
        the end of its file, so it reads from the moment both are done, whatever this process
        is busy with then. Returns the readings of credits, and of names."""
        credits, handed = [], []
        for path, read in ((principals, reader.read_principals), (crew, reader.read_crew)):
            if not path:
                continue
            mailbox = Mailbox() if names else None
            reading = self._credit_reading(path, read, mailbox)
            credits.append(reading)
            if mailbox:
                handed.append(mailbox)
            if read is reader.read_principals:
                self.principals = reading
        return credits, self._start_names(names, handed) if names else None

    def _credit_reading(self, path: Path, read: ReadCredits, names: Mailbox | None) -> Reading:
        def produce_credits(report: Report) -> Rows:
            result = yield from read(path, report, self.titles, self.names)
            if names:
                names.put(self.names)  # this worker's copy, with the names it credited
            return result

        return self._reading(
            produce_credits,
            CREDIT_ROW,
            "imdb_credit",
            self.names,  # the importer gets them too
            sends=[names] if names else [],
        )

    def _start_akas(self, akas: Path) -> Reading:
        """title.akas, read by a worker while this process merges the films."""

        def produce_akas(report: Report) -> Rows:
            for row in reader.read_akas(akas, report, self.titles):
                yield (int(row.tconst[2:]), *row[1:])

        return self._reading(produce_akas, AKA_ROW, "imdb_aka")

    def _reading(
        self,
        produce: Produce,
        columns: dict[str, str],
        into: str,
        flags: IdFlags | None = None,
        *,
        receives: Sequence[Mailbox] = (),
        sends: Sequence[Mailbox] = (),
    ) -> Reading:
        """A worker reading one file, and the table its rows land in: a scratch file's where
        SQLite allows (see parallel.py), else a temporary table filled from the pipe as the
        rows come (``into`` itself when its first columns are the rows')."""
        if self.scratch:
            scratch = Scratch(columns)
            worker = Worker(produce, self.report, flags, scratch, receives=receives, sends=sends)
            table = scratch.table
        else:
            worker = Worker(produce, self.report, flags, receives=receives, sends=sends)
            table = into
            if tuple(columns) != self.stage.columns.get(into, ())[: len(columns)]:
                table = f"imdb_read_{len(self.workers)}"
                self.stage.create(table, columns)
        self.workers.append(worker)
        return Reading(worker, table, into, columns)

    def _gather(self, readings: list[Reading]) -> None:
        """Wait for the workers of ``readings``, staging the rows they send as they come; their
        counts join the report in the order they are listed."""
        workers = [reading.worker for reading in readings]
        try:
            for index, batch in multiplex(workers):
                self.stage.add_many(readings[index].table, batch)
        finally:
            for worker in workers:
                worker.stop()
        for worker in workers:
            worker.merge_report()
        self.stage.flush()

    def _gather_into(self, reading: Reading) -> None:
        """Gather one worker's rows into the staging table they are for."""
        self._gather([reading])
        if reading.table != reading.into:
            columns = ", ".join(reading.columns)
            self.execute(
                f"INSERT INTO {reading.into} ({columns}) SELECT {columns} FROM {reading.table}"
            )

    def _stage_credits(self, readings: list[Reading]) -> None:
        """Stage the credits the workers read with their film's id."""
        self._gather(readings)
        self._create_credit_stage()
        for reading in readings:
            self._stage_with_film(reading)
        # title.principals is keyed by title and ordering: a repeated pair is a duplicate. Its
        # reader drops them as it reads, when the file comes sorted by title (IMDb's do).
        if self.principals and not self.principals.worker.result:
            self.stage.index("imdb_credit", "movie_id", "ord")
            self.drop_duplicates("imdb_credit", "movie_id, ord", "credits", where="rank = 0")
        self.stage.index("imdb_credit", "movie_id", "nid")
        # title.crew repeats the directors and writers title.principals already lists.
        repeated = self.execute(
            "DELETE FROM imdb_credit WHERE rank = 1 AND EXISTS (SELECT 1 FROM imdb_credit p"
            " WHERE p.rank = 0 AND p.movie_id = imdb_credit.movie_id"
            " AND p.nid = imdb_credit.nid AND p.department = imdb_credit.department)"
        )
        if repeated:
            self.report.skip("credits", "title.crew entry already in title.principals", repeated)

    def _stage_with_film(self, reading: Reading) -> None:
        """Copy what a worker read into its staging table, a title's number joined to its film."""
        columns = [name for name in reading.columns if name != "tid"]
        self.execute(
            f"INSERT INTO {reading.into} (movie_id, existed, {', '.join(columns)})"
            f" SELECT t.movie_id, t.existed, {', '.join(f'r.{name}' for name in columns)}"
            f" FROM {reading.table} r JOIN imdb_title t ON t.tid = r.tid"
        )

    def _create_credit_stage(self) -> None:
        self.stage.create(
            "imdb_credit",
            {"movie_id": "BIGINT", "existed": "INTEGER"}
            | {name: kind for name, kind in CREDIT_ROW.items() if name != "tid"}
            | {"person_id": "BIGINT"},
        )

    def _start_names(self, names: Path, credited: list[Mailbox]) -> Reading:
        """name.basics, parsed by a worker: only the people the credits name, known once the
        name flags of each of ``credited`` have come."""
        self._create_name_stage()

        def produce_names(report: Report) -> Rows:
            for mailbox in credited:
                flags = mailbox.take()
                self.names.merge(flags.array, flags.overflow)
            for nid, nconst, line, name in reader.read_names(names, report, self.names):
                slug, slug_alt = reader.person_slug(name, nconst)
                yield nid, nconst, line, name, slug, slug_alt
            # Returned: the people credited whom name.basics lacks (or has a bad row for).
            return self.names.numbers(reader.CREDITED, lacking=reader.NAMED)

        return self._reading(produce_names, NAME_ROW, "imdb_name", receives=credited)

    def _stage_names(self, reading: Reading) -> None:
        self._gather_into(reading)
        self.stage.index("imdb_name", "nconst", unique=True)

    def _create_name_stage(self) -> None:
        self.stage.create(
            "imdb_name",
            NAME_ROW
            | {"person_id": "BIGINT", "changed": "INTEGER DEFAULT 0", "clash": "INTEGER DEFAULT 0"},
        )

    def _merge_people(self) -> None:
        self.look_up(
            "imdb_name",
            "person_id",
            "p.id",
            "people_person p",
            "p.imdb_id = imdb_name.nconst AND NOT (p.imdb_id = '')",
        )
        # A name an editor changed (PersonEdit) stays theirs.
        self.execute(
            "UPDATE imdb_name SET changed = 1 WHERE person_id IS NOT NULL AND EXISTS"
            " (SELECT 1 FROM people_person p WHERE p.id = imdb_name.person_id"
            " AND p.name <> imdb_name.name) AND NOT EXISTS (SELECT 1 FROM people_personedit e"
            " WHERE e.person_id = imdb_name.person_id"
            " AND ', ' || e.fields || ', ' LIKE '%%, name, %%')"
        )
        self.stage.analyze("imdb_name")
        updated = self.execute(
            "UPDATE people_person SET name = n.name, updated_at = %s FROM imdb_name n"
            " WHERE people_person.id = n.person_id AND n.changed = 1",
            [self.now],
        )
        known = self.scalar("SELECT COUNT(*) FROM imdb_name WHERE person_id IS NOT NULL")
        self.report.updated("people", updated)
        self.report.unchanged("people", known - updated)
        self.mark_clashes("imdb_name", "person_id", "people_person", "people_personalias")
        new = self.scalar("SELECT COUNT(*) FROM imdb_name WHERE person_id IS NULL")
        if self.person_base is None:
            ids, order, unique = ("", ""), "taken", IMDB_ID
        else:  # the ids their credits have (_insert_credits_first), in the table's order
            ids, order, unique = ("id, ", f"{self.person_base} + nid, "), "nid", frozenset()
        with deferred_indexes("people_person", {"name"}, new, unique=unique):
            created = self.execute(
                f"INSERT INTO people_person ({ids[0]}name, original_name, slug, biography,"
                " photo, imdb_id, wikidata_id, created_at, updated_at)"
                f" SELECT {ids[1]}name, '', CASE WHEN clash = 1 THEN slug_alt ELSE slug END"
                f" AS taken, '', '', nconst, '', %s, %s FROM imdb_name"
                f" WHERE person_id IS NULL ORDER BY {order}",
                [self.now, self.now],
            )
        self.report.created("people", created)
        self.analyze("people_person", created)

    def _map_people(self, source: str) -> None:
        """imdb_person: person number → person id, for the people ``source`` (imdb_name, or
        the credits themselves when name.basics is absent) names. Credits then find their
        person by an integer key in a small table, not by text in the whole people index."""
        key = "BIGINT PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY"
        self.stage.create("imdb_person", {"nid": key, "person_id": "BIGINT"})
        self.execute(
            "INSERT INTO imdb_person (nid, person_id) SELECT s.nid, p.id"
            f" FROM {source} s JOIN people_person p ON p.imdb_id = s.nconst"
            " WHERE NOT (p.imdb_id = '') ON CONFLICT DO NOTHING"
        )
        self.stage.analyze("imdb_person")

    def _merge_people_then_credits(self, names: Reading | None, *, complete: bool) -> None:
        """People first, so that the credits can be compared with the catalog's by person."""
        if names:
            self._stage_names(names)
            with self.step("merged people"):
                self._merge_people()
                self._map_people("imdb_name")
        else:
            self._map_people("imdb_credit")
        with self.step("merged credits"):
            self._merge_credits(complete=complete)

    def _merge_credits_then_people(self, names: Reading) -> None:
        """For films all new to the catalog, whose credits have nothing to be compared with:
        the credits go in while name.basics is still being read, with their people's ids fixed
        in advance. A person the catalog has (by IMDb id) keeps theirs; a new one gets
        ``person_base`` plus their IMDb number, which ``_merge_people`` then inserts them with.
        The credits of people name.basics lacks come out once it has been read."""
        with self.step("merged credits"):
            before = self.scalar("SELECT COALESCE(MAX(id), 0) FROM people_credit")
            inserted = self._insert_credits_first()
        self._stage_names(names)
        with self.step("merged people"):
            self._merge_people()
        removed = self._remove_credits_of(names.worker.result, after=before)
        self._dangling_credits(removed)
        self.report.created("credits", inserted - removed)

    def _insert_credits_first(self) -> int:
        self.person_base = self._reserve_person_ids()
        if self.scalar("SELECT EXISTS (SELECT 1 FROM people_person WHERE NOT (imdb_id = ''))"):
            self._map_people("imdb_credit")  # else a first import of people: a join saved
        staged = self.scalar("SELECT COUNT(*) FROM imdb_credit")
        person, joined = self._person_id_of("s")
        with deferred_indexes("people_credit", {"person_id"}, staged):
            inserted = self.execute(
                "INSERT INTO people_credit (movie_id, person_id, kind, character, department,"
                ' job, "order", year, popularity)'
                f" SELECT s.movie_id, {person}, s.kind, s.character, s.department, s.job, s.ord,"
                f" m.year, m.popularity FROM imdb_credit s{joined}"
                " JOIN catalog_movie m ON m.id = s.movie_id ORDER BY +s.movie_id, s.rank, s.ord"
            )
        self.analyze("people_credit", inserted)
        return inserted

    def _reserve_person_ids(self) -> int:
        """The base of new people's ids: above any id the table has handed out. PostgreSQL's
        sequence moves past the whole range at once, so that a person added meanwhile (by an
        editor) gets an id after it; on SQLite nobody else writes while the import does."""
        top = self.scalar("SELECT COALESCE(MAX(nid), 0) FROM imdb_credit")
        if self.postgres:
            sequence = "pg_get_serial_sequence('people_person', 'id')"
            base = self.scalar(
                f"SELECT GREATEST(COALESCE(pg_sequence_last_value({sequence}::regclass), 0),"
                " (SELECT COALESCE(MAX(id), 0) FROM people_person))"
            )
            self.execute(f"SELECT setval({sequence}, %s)", [base + top + 1])
            return base
        return self.scalar(
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'people_person'),"
            " 0), COALESCE((SELECT MAX(id) FROM people_person), 0))"
        )

    def _person_id_of(self, staged: str) -> tuple[str, str]:
        """SQL for the person id of the ``staged`` rows' number (nid), and the join it needs:
        their id for people the catalog had (mapped by ``_insert_credits_first``),
        ``person_base`` plus the number for new ones."""
        new = f"{self.person_base} + {staged}.nid"
        if "imdb_person" not in self.stage.columns:
            return new, ""
        return f"COALESCE(p.person_id, {new})", f" LEFT JOIN imdb_person p ON p.nid = {staged}.nid"

    def _remove_credits_of(self, dangling: Sequence[int], *, after: int) -> int:
        """Take out the credits (with ids above ``after``) that ``_insert_credits_first`` gave
        the people numbered ``dangling``; returns how many."""
        if not dangling:
            return 0
        key = "BIGINT PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY"
        self.stage.create("imdb_dangling", {"nid": key})
        self.stage.add_many("imdb_dangling", [(nid,) for nid in dangling])
        self.stage.flush()
        person, joined = self._person_id_of("d")
        return self.execute(
            "DELETE FROM people_credit WHERE id > %s AND person_id IN"
            f" (SELECT {person} FROM imdb_dangling d{joined})"
            " AND movie_id IN (SELECT movie_id FROM imdb_title)",
            [after],
        )

    def _merge_credits(self, *, complete: bool) -> None:
        """``complete`` when both credit files were read: only then can absence mean removal."""
        report = self.report
        if self.existing:
            # Credits of people name.basics lacks go before the compare steps below count them.
            # When every staged film is new, the insert's join leaves them out anyway: they are
            # what it did not insert (a DELETE would take 2 s at full scale).
            self._dangling_credits(
                self.execute(
                    "DELETE FROM imdb_credit WHERE NOT EXISTS"
                    " (SELECT 1 FROM imdb_person p WHERE p.nid = imdb_credit.nid)"
                )
            )
        for kind in CreditKind.values:
            self.leave_to_editors("imdb_credit", kind, "credits", f"kind = '{kind}'")
        staged = self.scalar("SELECT COUNT(*) FROM imdb_credit")
        if self.existing:
            # The compare steps below match the credits of known films to the catalog's by
            # person. New films' credits need no such pass: the insert joins their people,
            # which spares rewriting every staged row (24 s for 2.4M credits on PostgreSQL).
            self.look_up(
                "imdb_credit",
                "person_id",
                "p.person_id",
                "imdb_person p",
                "p.nid = imdb_credit.nid AND imdb_credit.existed = 1",
            )
            self.stage.index("imdb_credit", "movie_id", "person_id")
        identity = (
            "c.movie_id = s.movie_id AND c.person_id = s.person_id AND c.kind = s.kind"
            ' AND c.job = s.job AND c."order" = s.ord'
        )
        updated = 0
        if self.existing:
            updated = self.execute(
                "UPDATE people_credit SET character = s.character, department = s.department"
                " FROM imdb_credit s WHERE s.existed = 1 AND "
                + identity.replace("c.", "people_credit.")
                + " AND (people_credit.character <> s.character"
                " OR people_credit.department <> s.department)"
            )
        with deferred_indexes("people_credit", {"person_id"}, staged):
            created = self.insert_credits(identity)
        if not self.existing:
            self._dangling_credits(staged - created)
            staged = created
        removed = 0
        if complete and self.existing:
            editors = "".join(
                f" AND NOT (people_credit.kind = '{kind}' AND people_credit.movie_id IN"
                f" (SELECT movie_id FROM imdb_title WHERE {self.editors(kind)}))"
                for kind in (CreditKind.values if self.edited else ())
            )
            removed = self.execute(
                "DELETE FROM people_credit WHERE movie_id IN"
                " (SELECT movie_id FROM imdb_title WHERE imdb_only = 1 AND existed = 1)"
                f"{editors} AND EXISTS (SELECT 1 FROM people_person p"
                "  WHERE p.id = people_credit.person_id AND NOT (p.imdb_id = ''))"
                " AND NOT EXISTS (SELECT 1 FROM imdb_credit s WHERE "
                + identity.replace("c.", "people_credit.")
                + ")"
            )
        report.created("credits", created)
        self.analyze("people_credit", created)
        report.updated("credits", updated)
        report.unchanged("credits", staged - created - updated)
        report.removed("credits", removed)

    def _dangling_credits(self, count: int) -> None:
        if count:
            self.report.dangling_reference("credits of names absent from name.basics", count)

    def insert_credits(self, identity: str) -> int:
        return self.execute(
            "INSERT INTO people_credit (movie_id, person_id, kind, character, department, job,"
            ' "order", year, popularity)'
            " SELECT s.movie_id, p.person_id, s.kind, s.character, s.department, s.job, s.ord,"
            " m.year, m.popularity FROM imdb_credit s JOIN catalog_movie m ON m.id = s.movie_id"
            " JOIN imdb_person p ON p.nid = s.nid"
            f" WHERE s.existed = 0 OR NOT EXISTS (SELECT 1 FROM people_credit c WHERE {identity})"
            " ORDER BY +s.movie_id, s.rank, s.ord"
        )

    # Alternate titles

    def _stage_akas(self, reading: Reading) -> None:
        self._gather([reading])
        self._create_aka_stage()
        self._stage_with_film(reading)
        self.stage.index("imdb_aka", "movie_id", "ordering")
        self.drop_duplicates("imdb_aka", "movie_id, ordering", "alternate titles")

    def _create_aka_stage(self) -> None:
        self.stage.create(
            "imdb_aka",
            {"movie_id": "BIGINT", "existed": "INTEGER"}
            | {name: kind for name, kind in AKA_ROW.items() if name != "tid"},
        )

    def _merge_akas(self) -> None:
        report = self.report
        # The film's own title again, in its home region, says nothing new.
        same = self.execute(
            "DELETE FROM imdb_aka WHERE EXISTS (SELECT 1 FROM catalog_movie m"
            " WHERE m.id = imdb_aka.movie_id AND imdb_aka.title IN (m.title, m.original_title))"
        )
        if same:
            report.skip("alternate titles", "same as the title", same)
        self.leave_to_editors("imdb_aka", "alternate_titles", "alternate titles")
        fields = ("movie_id", "title", "language", "region", "kind")
        self.stage.index("imdb_aka", *fields)
        repeated = self.execute(
            "DELETE FROM imdb_aka WHERE EXISTS (SELECT 1 FROM imdb_aka o WHERE "
            + " AND ".join(f"o.{f} = imdb_aka.{f}" for f in fields)
            + " AND o.line < imdb_aka.line)"
        )
        if repeated:
            report.skip("alternate titles", "same title in the same region", repeated)
        match = " AND ".join(f"x.{f} = a.{f}" for f in fields)
        created = self.execute(
            f"INSERT INTO catalog_alternatetitle ({', '.join(fields)})"
            f" SELECT {', '.join(f'a.{f}' for f in fields)} FROM imdb_aka a"
            f" WHERE a.existed = 0 OR NOT EXISTS"
            f" (SELECT 1 FROM catalog_alternatetitle x WHERE {match})"
            " ORDER BY a.movie_id, a.ordering"
        )
        removed = (
            0
            if not self.existing
            else self.execute(
                "DELETE FROM catalog_alternatetitle WHERE movie_id IN"
                " (SELECT movie_id FROM imdb_title WHERE imdb_only = 1 AND existed = 1"
                f" AND NOT {self.editors('alternate_titles')})"
                " AND NOT EXISTS (SELECT 1"
                " FROM imdb_aka a WHERE "
                + " AND ".join(f"a.{f} = catalog_alternatetitle.{f}" for f in fields)
                + ")"
            )
        )
        total = self.scalar("SELECT COUNT(*) FROM imdb_aka")
        report.created("alternate titles", created)
        self.analyze("catalog_alternatetitle", created)
        report.unchanged("alternate titles", total - created)
        report.removed("alternate titles", removed)


def unwrap(text: str) -> str:
    """SQL for a field list wrapped as ", a, b, " back as "a, b" ("" for ", ")."""
    return f"CASE WHEN LENGTH({text}) <= 2 THEN '' ELSE SUBSTR({text}, 3, LENGTH({text}) - 4) END"
