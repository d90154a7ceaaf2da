"""Reading IMDb's TSV files: one function per file, each yielding plain tuples for the loader.

The format, as published: a header row, tab-separated fields with no quoting at all (a ``"`` is
data), ``\\N`` for null, comma-joined arrays, ``characters`` as JSON-array text, and ``titleId``
instead of ``tconst`` in title.akas. Real dumps also carry duplicate rows and references to ids
missing from the other files; both are counted in the report, never fatal. A row with the wrong
number of fields or a bad number is a bad row (counted, the first few shown with file and line);
a file with the wrong header stops the import.

Which rows matter is decided here, while streaming, with one byte of flags per id number
(``IdFlags``): 12 million titles cost 12 MB instead of a gigabyte of Python ints in a set.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from marquee.catalog.models import derive_sort_title
from marquee.ingest.files import read_lines
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report
from marquee.ingest.slugs import slugify

NULL = "\\N"

COLUMNS = {
    "title.basics": (
        "tconst",
        "titleType",
        "primaryTitle",
        "originalTitle",
        "isAdult",
        "startYear",
        "endYear",
        "runtimeMinutes",
        "genres",
    ),
    "title.ratings": ("tconst", "averageRating", "numVotes"),
    "title.principals": ("tconst", "ordering", "nconst", "category", "job", "characters"),
    "title.crew": ("tconst", "directors", "writers"),
    "name.basics": (
        "nconst",
        "primaryName",
        "birthYear",
        "deathYear",
        "primaryProfession",
        "knownForTitles",
    ),
    "title.akas": (
        "titleId",
        "ordering",
        "title",
        "region",
        "language",
        "types",
        "attributes",
        "isOriginalTitle",
    ),
}

TITLE_TYPES = (
    "movie",
    "short",
    "tvEpisode",
    "tvMiniSeries",
    "tvMovie",
    "tvPilot",
    "tvSeries",
    "tvShort",
    "tvSpecial",
    "video",
    "videoGame",
)
DEFAULT_TYPES = ("movie", "tvMovie")

# Field sizes of the catalog models; longer IMDb values are cut rather than refused.
TITLE_LENGTH = 500
NAME_LENGTH = 300
JOB_LENGTH = 100
SLUG_LENGTH = 200
MAX_SMALLINT = 32_767  # year and runtime are PositiveSmallIntegerFields

# IMDb's genre names, where the catalog (and TMDB) spell the same genre differently.
GENRE_NAMES = {"Sci-Fi": "Science Fiction", "Film-Noir": "Film Noir"}

CAST_CATEGORIES = frozenset({"actor", "actress", "self", "archive_footage"})
# category → (department, job when IMDb gives none), in the words TMDB and the catalog use.
CREW_ROLES = {
    "director": ("Directing", "Director"),
    "writer": ("Writing", "Writer"),
    "producer": ("Production", "Producer"),
    "composer": ("Sound", "Original Music Composer"),
    "cinematographer": ("Camera", "Director of Photography"),
    "editor": ("Editing", "Editor"),
    "production_designer": ("Art", "Production Design"),
    "casting_director": ("Production", "Casting"),
    "archive_sound": ("Sound", "Archive Sound"),
}

# AlternateTitle kinds from title.akas' ``types`` and ``attributes``.
AKA_TYPES = {"original": "original", "working": "working", "festival": "festival"}
AKA_ATTRIBUTES = (
    ("romanized", "romanized"),
    ("short", "short"),
    ("literal", "translated"),
    ("translation", "translated"),
)


class IdFlags:
    """A few flags per IMDb id number (tt0000042 → 42), one byte each, grown as ids are seen.
    Ids far beyond today's range (8 digits) go to a dict, so a stray huge number cannot make
    the array huge."""

    ARRAY_LIMIT = 1 << 27  # 134 million ids: room for a decade of growth

    def __init__(self) -> None:
        self.array = bytearray()
        self.overflow: dict[int, int] = {}

    def get(self, number: int) -> int:
        if number < len(self.array):
            return self.array[number]
        return self.overflow.get(number, 0) if number >= self.ARRAY_LIMIT else 0

    def add(self, number: int, flag: int) -> None:
        if number >= self.ARRAY_LIMIT:
            self.overflow[number] = self.overflow.get(number, 0) | flag
            return
        if number >= len(self.array):
            grow = max(number + 1 - len(self.array), len(self.array) // 2, 1 << 16)
            self.array.extend(bytes(min(grow, self.ARRAY_LIMIT - len(self.array))))
        self.array[number] |= flag

    def numbers(self, having: int, lacking: int) -> array[int]:
        """The numbers, in order, whose flags include ``having`` and none of ``lacking``: found
        by C loops (a translation to one byte a number, then a search), not a Python one."""
        table = bytes(int(flags & having == having and not flags & lacking) for flags in range(256))
        marked = self.array.translate(table)
        found = array("q", (match.start() for match in re.finditer(b"\x01", marked)))
        found.extend(
            sorted(
                number
                for number, flags in self.overflow.items()
                if flags & having == having and not flags & lacking
            )
        )
        return found

    def merge(self, array: bytearray, overflow: dict[int, int]) -> None:
        """Add the flags another process set on its copy (a bitwise OR, done on whole
        integers: a Python loop over 15 million bytes would take seconds)."""
        size = max(len(self.array), len(array))
        merged = int.from_bytes(self.array.ljust(size, b"\0"), "little") | int.from_bytes(
            array.ljust(size, b"\0"), "little"
        )
        self.array = bytearray(merged.to_bytes(size, "little"))
        for number, flag in overflow.items():
            self.overflow[number] = self.overflow.get(number, 0) | flag


# Flags per title number.
SEEN = 1  # in title.basics
IMPORTED = 2  # in scope: a movie the catalog gets
RATED = 4  # its title.ratings row was read
CREWED = 8  # its title.crew row was read
# Flags per name number.
CREDITED = 1  # named by a credit of an imported title
NAMED = 2  # its name.basics row was read


def id_number(value: str, prefix: str) -> int | None:
    """42 for ("tt0000042", "tt"); None for anything that is not such an id."""
    digits = value[2:]
    if value[:2] != prefix or not digits.isascii() or not digits.isdigit():
        return None
    return int(digits)


def find_file(directory: Path, name: str) -> Path | None:
    """``name.tsv.gz`` as downloaded, or ``name.tsv`` unpacked; None when neither is there."""
    for candidate in (directory / f"{name}.tsv.gz", directory / f"{name}.tsv"):
        if candidate.is_file():
            return candidate
    return None


class Counts:
    """A file's counts, kept in plain ints while streaming and handed to the report at the
    end: a few method calls per row add up over a hundred million rows. Bad rows go to the
    report at once, with their line."""

    def __init__(self, report: Report, kind: str, source: Path) -> None:
        self.report = report
        self.kind = kind
        self.source = str(source)
        self.read = 0
        self.skipped: Counter[str] = Counter()
        self.dangling: Counter[str] = Counter()

    def bad_row(self, reason: str, line: int) -> None:
        self.report.bad_row(self.kind, reason, source=self.source, line=line)

    def flush(self) -> None:
        self.report.read(self.kind, self.read)
        for reason, count in self.skipped.items():
            self.report.skip(self.kind, reason, count)
        for what, count in self.dangling.items():
            self.report.dangling_reference(what, count)
        self.read = 0
        self.skipped.clear()
        self.dangling.clear()


def rows(path: Path, name: str, counts: Counts) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every data row with the right number of fields; rows with
    another number are read and bad."""
    width = len(COLUMNS[name])
    for number, line in data_lines(path, name):
        fields = line.split("\t")
        if len(fields) != width:
            counts.read += 1
            counts.bad_row(f"{len(fields)} fields, expected {width}", number)
            continue
        yield number, fields


def data_lines(path: Path, name: str) -> Generator[tuple[int, str]]:
    """(line number, line) of the rows after the header, which must be the file's: the readers
    of the biggest files split lines themselves, one generator fewer per row."""
    columns = COLUMNS[name]
    source = str(path)
    lines: Generator[tuple[int, str]] = read_lines(path)  # type: ignore[assignment]
    first = next(lines, None)
    header = first[1].lstrip("\ufeff").split("\t") if first else []
    if tuple(header) != columns:
        lines.close()  # ends its progress line before the error is shown
        found = "no header" if first is None else f"the header {' '.join(header)[:120]!r}"
        raise IngestError(
            f"not an IMDb {name} file: found {found}, expected {' '.join(columns)!r}",
            source=source,
            line=1,
        )
    return lines


def small_number(value: str) -> int | None:
    """A year or a runtime: None for null; ValueError for anything but digits."""
    if value == NULL or value == "":
        return None
    if not value.isascii() or not value.isdigit():
        raise ValueError(value)
    return int(value)


def movie_slug(title: str, year: int | None, tconst: str) -> tuple[str, str]:
    """The slug a new movie gets, and the one it gets when another film already has that:
    "the-host-2006" and "the-host-2006-tt0468492". A title with no Latin letters or digits
    (slugify keeps ASCII only) is known by its IMDb id."""
    base = slugify(title)[: SLUG_LENGTH - 16].strip("-")
    if not base:
        return tconst, tconst
    if year:
        base = f"{base}-{year}"
    return base, f"{base}-{tconst}"


def person_slug(name: str, nconst: str) -> tuple[str, str]:
    base = slugify(name)[: SLUG_LENGTH - 16].strip("-")
    if not base:
        return nconst, nconst
    return base, f"{base}-{nconst}"


def popularity(votes: int) -> float:
    """Popularity from IMDb's vote count, on a log scale: 10 votes → 10, 1,000 → 30,
    1,000,000 → 60. Popular films sort first without the biggest swamping the rest."""
    return round(10 * math.log10(votes + 1), 3)


class Title(NamedTuple):
    tconst: str
    line: int
    title: str
    original_title: str
    sort_title: str
    year: int | None
    runtime: int | None
    slug: str
    slug_alt: str
    genres: tuple[str, ...]


def read_titles(
    path: Path,
    report: Report,
    titles: IdFlags,
    *,
    types: frozenset[str],
    include_adult: bool,
) -> Iterator[Title]:
    """Movies in scope from title.basics; marks every title seen and the ones imported."""
    counts = Counts(report, "movies", path)
    skipped = counts.skipped
    try:
        for number, fields in rows(path, "title.basics", counts):
            tconst, title_type, primary, original, adult, start, _, runtime_text, genres = fields
            counts.read += 1
            tid = id_number(tconst, "tt")
            if tid is None:
                counts.bad_row(f"bad title id {tconst[:20]!r}", number)
                continue
            if titles.get(tid) & SEEN:
                skipped["duplicate"] += 1
                continue
            if adult not in ("0", "1"):
                counts.bad_row(f"isAdult is {adult[:20]!r}", number)
                continue
            try:
                year = small_number(start)
                runtime = small_number(runtime_text)
            except ValueError as error:
                counts.bad_row(f"not a number: {str(error)[:20]!r}", number)
                continue
            if primary in (NULL, ""):
                counts.bad_row("no title", number)
                continue
            titles.add(tid, SEEN)
            if title_type not in types:
                skipped["other title type"] += 1
                continue
            if adult == "1" and not include_adult:
                skipped["adult"] += 1
                continue
            titles.add(tid, IMPORTED)
            if year is not None and year > MAX_SMALLINT:
                year = None
            if runtime is not None and runtime > MAX_SMALLINT:
                runtime = None  # a few art installations run for weeks
            title = primary[:TITLE_LENGTH]
            original_title = "" if original == NULL else original[:TITLE_LENGTH]
            slug, slug_alt = movie_slug(title, year, tconst)
            genre_names = () if genres in (NULL, "") else genres.split(",")
            yield Title(
                tconst,
                number,
                title,
                original_title,
                derive_sort_title(title)[:TITLE_LENGTH],
                year,
                runtime,
                slug,
                slug_alt,
                tuple(dict.fromkeys(GENRE_NAMES.get(name, name) for name in genre_names if name)),
            )
    finally:
        counts.flush()


def read_ratings(
    path: Path, report: Report, titles: Callable[[], IdFlags]
) -> Generator[tuple[int, float, int, float]]:
    """(title number, average, votes, popularity) for imported titles.

    ``titles`` gives the title flags, called once the file is parsed: a worker can read it
    while title.basics is still being read. The rows wait in arrays meanwhile, 24 bytes each
    (40 MB for the 1.6 million ratings IMDb has)."""
    counts = Counts(report, "IMDb ratings", path)
    try:
        tids, averages, votes = array("q"), array("d"), array("q")
        for tid, average, count in _well_formed_ratings(path, counts):
            tids.append(tid)
            averages.append(average)
            votes.append(count)
        yield from _rated(zip(tids, averages, votes, strict=True), titles(), counts)
    finally:
        counts.flush()


def _well_formed_ratings(path: Path, counts: Counts) -> Iterator[tuple[int, float, int]]:
    """(title number, average, votes) of every row that reads; the others are bad."""
    for number, (tconst, average_text, votes_text) in rows(path, "title.ratings", counts):
        counts.read += 1
        tid = id_number(tconst, "tt")
        if tid is None:
            counts.bad_row(f"bad title id {tconst[:20]!r}", number)
            continue
        try:
            average = float(average_text)
            votes = int(votes_text)
        except ValueError:
            counts.bad_row(f"not a number: {average_text[:10]!r} {votes_text[:10]!r}", number)
            continue
        if not 0 <= average <= 10 or votes < 0:
            counts.bad_row(f"out of range: {average} {votes}", number)
            continue
        yield tid, average, votes


def _rated(
    ratings: Iterable[tuple[int, float, int]], titles: IdFlags, counts: Counts
) -> Iterator[tuple[int, float, int, float]]:
    """The first rating of each imported title, with its popularity."""
    skipped = counts.skipped
    for tid, average, votes in ratings:
        flags = titles.get(tid)
        if not flags & SEEN:
            counts.dangling["ratings of titles absent from title.basics"] += 1
        elif flags & RATED:
            skipped["duplicate"] += 1
        elif flags & IMPORTED:
            titles.add(tid, RATED)
            yield tid, average, votes, popularity(votes)
        else:
            skipped["title not imported"] += 1


# A credit as the loader stages it (load.CREDIT_ROW): the title's and the person's numbers,
# nconst, line, rank (0 from title.principals, 1 from title.crew, which counts only where
# title.principals lacks the person), kind, character, department, job and order. A plain
# tuple: building a named one is a function call, for each of two million rows.
CreditRow = tuple[int, int, str, int, int, str, str, str, str, int]


def _bad_credits(counts: Counts, reason: str, number: int, count: int) -> None:
    """A bad row of title.crew can hold several credits: all are skipped, the row shown once."""
    counts.bad_row(reason, number)
    if count > 1:
        counts.skipped["bad row"] += count - 1


# What only the JSON parser may read in a characters list: escapes and control characters.
JSON_SPECIAL = re.compile(r"[\\\x00-\x1f]").search


def character_of(characters: str) -> str:
    """``["Hae-il", "Young Hae-il"]`` → "Hae-il / Young Hae-il"; ValueError if not JSON text."""
    if characters in (NULL, ""):
        return ""
    if (
        len(characters) >= 4
        and characters[:2] == '["'
        and characters[-2:] == '"]'
        and not JSON_SPECIAL(characters)
    ):
        # Most lists are plain strings with no escapes or spacing: split them without a parser.
        names = characters[2:-2].split('","')
        if not any('"' in name for name in names):
            return " / ".join(names)[:TITLE_LENGTH]
    names = json.loads(characters)
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError(characters)
    return " / ".join(names)[:TITLE_LENGTH]


def _job(text: str, default: str) -> str:
    if text in (NULL, ""):
        return default
    return (text[:1].upper() + text[1:])[:JOB_LENGTH]


def read_principals(
    path: Path, report: Report, titles: IdFlags, names: IdFlags
) -> Generator[CreditRow, None, bool]:
    """Cast and key crew of imported titles; marks the names they credit.

    A title's ordering repeated is a duplicate row: the reader drops those as it reads a file
    sorted by title, as IMDb's are, and returns whether the file was (else the loader finds
    the rest).

    Six million rows: the loop splits lines itself, keeps its counts in local ints and skips the
    rows of titles out of scope (most of them) without splitting them into fields."""
    counts = Counts(report, "credits", path)
    read = outside = dangling = repeated = 0
    credited = names.array
    # The imported title read last, and the orderings of its rows so far.
    last_imported, orderings, in_order = 0, set[int](), True
    try:
        # The file comes grouped by title: look each title up once, not once per row.
        # skip_prefix: the tconst of a title out of scope and a tab; LF (never in a line) else.
        last_tconst, tid, flags, skip_prefix = "", 0, 0, "\n"
        for number, line in data_lines(path, "title.principals"):
            read += 1
            if line.startswith(skip_prefix) and line.count("\t") == 5:
                if flags & SEEN:
                    outside += 1
                else:
                    dangling += 1
                continue
            fields = line.split("\t")
            if len(fields) != 6:
                counts.bad_row(f"{len(fields)} fields, expected 6", number)
                continue
            tconst, ordering, nconst, category, job, characters = fields
            if tconst != last_tconst:
                number_of_title = id_number(tconst, "tt")
                if number_of_title is None:
                    counts.bad_row(f"bad title id {tconst[:20]!r}", number)
                    last_tconst, skip_prefix = "", "\n"
                    continue
                last_tconst, tid, flags = tconst, number_of_title, titles.get(number_of_title)
                skip_prefix = "\n" if flags & IMPORTED else tconst + "\t"
                if flags & IMPORTED and tid != last_imported:
                    in_order = in_order and tid > last_imported
                    last_imported, orderings = tid, set()
            if not flags & IMPORTED:
                if flags & SEEN:
                    outside += 1
                else:
                    dangling += 1
                continue
            digits = nconst[2:]
            if nconst[:2] != "nm" or not digits.isdigit() or not digits.isascii():
                counts.bad_row(f"bad name id {nconst[:20]!r}", number)
                continue
            if not ordering.isdigit() or not ordering.isascii():
                counts.bad_row(f"ordering is {ordering[:20]!r}", number)
                continue
            nid = int(digits)
            order = int(ordering)
            if category in CAST_CATEGORIES:
                try:
                    character = character_of(characters)
                except ValueError:
                    counts.bad_row(f"characters is not a JSON list: {characters[:40]!r}", number)
                    continue
                row = (tid, nid, nconst, number, 0, "cast", character, "", "", order)
            else:
                department, default_job = CREW_ROLES.get(
                    category, ("Crew", category.replace("_", " ").capitalize()[:JOB_LENGTH])
                )
                job_name = _job(job, default_job)
                row = (tid, nid, nconst, number, 0, "crew", "", department, job_name, order)
            if order in orderings:
                repeated += 1
                continue
            orderings.add(order)
            if nid < len(credited):
                credited[nid] |= CREDITED
            else:
                names.add(nid, CREDITED)
                credited = names.array  # grown: a new bytearray
            yield row
        return in_order
    finally:
        counts.read += read
        if outside:
            counts.skipped["title not imported"] += outside
        if repeated:
            counts.skipped["duplicate"] += repeated
        if dangling:
            counts.dangling["credits of titles absent from title.basics"] += dangling
        counts.flush()


def read_crew(path: Path, report: Report, titles: IdFlags, names: IdFlags) -> Generator[CreditRow]:
    """Directors and writers from title.crew; the loader keeps those title.principals lacks.
    Each person in the lists counts as one credit read."""
    counts = Counts(report, "credits", path)
    skipped = counts.skipped
    try:
        last_tid, flags = -1, 0
        for number, (tconst, directors, writers) in rows(path, "title.crew", counts):
            tid = id_number(tconst, "tt")
            if tid is not None and tid != last_tid:
                last_tid, flags = tid, titles.get(tid)
            if tid is not None and not flags & IMPORTED:
                # Most rows: a title out of scope, its credits counted by commas, not split.
                count = sum(
                    0 if listed in (NULL, "") else listed.count(",") + 1
                    for listed in (directors, writers)
                )
                counts.read += count
                if count and flags & SEEN:
                    skipped["title not imported"] += count
                elif count:
                    counts.dangling["credits of titles absent from title.basics"] += count
                continue
            people = [
                (nconst, "Directing", "Director")
                for nconst in ([] if directors in (NULL, "") else directors.split(","))
            ] + [
                (nconst, "Writing", "Writer")
                for nconst in ([] if writers in (NULL, "") else writers.split(","))
            ]
            if not people:
                continue
            counts.read += len(people)
            if tid is None:
                _bad_credits(counts, f"bad title id {tconst[:20]!r}", number, len(people))
                continue
            if titles.get(tid) & CREWED:  # not ``flags``: set by the row before, if repeated
                skipped["duplicate"] += len(people)
                continue
            titles.add(tid, CREWED)
            ids = [id_number(nconst, "nm") for nconst, _, _ in people]
            bad = [nconst for (nconst, _, _), nid in zip(people, ids, strict=True) if nid is None]
            if bad:
                _bad_credits(counts, f"bad name id {bad[0][:20]!r}", number, len(people))
                continue
            order: dict[str, int] = {}
            seen: set[tuple[str, str]] = set()
            for (nconst, department, job), nid in zip(people, ids, strict=True):
                if (nconst, job) in seen:
                    skipped["duplicate"] += 1
                    continue
                seen.add((nconst, job))
                position = order[job] = order.get(job, -1) + 1
                names.add(nid or 0, CREDITED)
                yield (tid, nid or 0, nconst, number, 1, "crew", "", department, job, position)
    finally:
        counts.flush()


def read_names(path: Path, report: Report, names: IdFlags) -> Iterator[tuple[int, str, int, str]]:
    """(name number, nconst, line, name) of the people credited on imported titles."""
    counts = Counts(report, "people", path)
    skipped = counts.skipped
    try:
        for number, (nconst, name, _, _, _, _) in rows(path, "name.basics", counts):
            counts.read += 1
            nid = id_number(nconst, "nm")
            if nid is None:
                counts.bad_row(f"bad name id {nconst[:20]!r}", number)
                continue
            flags = names.get(nid)
            if flags & NAMED:
                skipped["duplicate"] += 1
            elif not flags & CREDITED:
                skipped["not credited on an imported title"] += 1
            elif name in (NULL, ""):
                counts.bad_row("no name", number)
            else:
                names.add(nid, NAMED)
                yield nid, nconst, number, name[:NAME_LENGTH]
    finally:
        counts.flush()


class AkaRow(NamedTuple):
    tconst: str
    line: int
    ordering: int
    title: str
    language: str
    region: str
    kind: str


def aka_kind(types: str, attributes: str, is_original: str) -> str:
    if is_original == "1":
        return "original"
    for name in types.split(","):
        if name in AKA_TYPES:
            return AKA_TYPES[name]
    lowered = attributes.lower()
    for word, kind in AKA_ATTRIBUTES:
        if word in lowered:
            return kind
    return "other"


def read_akas(path: Path, report: Report, titles: IdFlags) -> Iterator[AkaRow]:
    """Alternate titles of imported titles."""
    counts = Counts(report, "alternate titles", path)
    try:
        last_tconst, flags = "", 0  # grouped by title, as title.principals
        for number, fields in rows(path, "title.akas", counts):
            tconst, ordering, title, region, language, types, attributes, original = fields
            counts.read += 1
            if tconst != last_tconst:
                tid = id_number(tconst, "tt")
                if tid is None:
                    counts.bad_row(f"bad title id {tconst[:20]!r}", number)
                    last_tconst = ""
                    continue
                last_tconst, flags = tconst, titles.get(tid)
            if not flags & IMPORTED:
                if flags & SEEN:
                    counts.skipped["title not imported"] += 1
                else:
                    counts.dangling["alternate titles of titles absent from title.basics"] += 1
                continue
            if not ordering.isascii() or not ordering.isdigit():
                counts.bad_row(f"ordering is {ordering[:20]!r}", number)
                continue
            if title in (NULL, ""):
                counts.bad_row("no title", number)
                continue
            yield AkaRow(
                tconst,
                number,
                int(ordering),
                title[:TITLE_LENGTH],
                # IMDb mixes ISO 639-1 and longer codes; the catalog keeps those of up to 3.
                language if language != NULL and len(language) <= 3 else "",
                # "XWW" (world) and old regions ("SUHH") are not ISO 3166-1 alpha-2 codes.
                region if region != NULL and len(region) == 2 else "",
                aka_kind(types, attributes, original),
            )
    finally:
        counts.flush()
