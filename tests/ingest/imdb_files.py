"""Small IMDb dumps written by the tests, in the real format with its real-world damage.

``quirky_dump()`` is a tiny catalog: two films by one director, a TV film, titles out of scope
(an episode, a short, an adult film), a title in Cyrillic, and the damage real dumps carry: CRLF
endings, no final newline, duplicate rows, quotes as data, references to absent ids and a few
bad rows. Tests change a row or two to make a "newer dump".
"""

from __future__ import annotations

import gzip
from pathlib import Path

from marquee.ingest.imdb.reader import COLUMNS

N = "\\N"

BASICS = [
    ["tt0000101", "movie", "The Host", "Gwoemul", "0", "2006", N, "120", "Drama,Horror,Sci-Fi"],
    ["tt0000102", "movie", 'Memories of "Murder"', "Salinui chueok", "0", "2003", N, "131",
     "Crime,Drama"],
    ["tt0000103", "tvMovie", "Сталкер", "Сталкер", "0", "1979", N, N, "Drama"],
    ["tt0000104", "tvEpisode", "Pilot", "Pilot", "0", "2010", N, "44", "Drama"],
    ["tt0000105", "short", "A Short", "A Short", "0", "2011", N, "9", "Comedy"],
    ["tt0000106", "movie", "Adult Film", "Adult Film", "1", "1999", N, "80", "Adult"],
    ["tt0000101", "movie", "The Host", "Gwoemul", "0", "2006", N, "120", "Drama,Horror,Sci-Fi"],
    ["tt0000107", "movie", "Broken Year", "Broken Year", "0", "19x9", N, "90", "Drama"],
    ["tt0000108", "movie", "Too Few Fields", "0", "2001"],
]  # fmt: skip
RATINGS = [
    ["tt0000101", "7.1", "120000"],
    ["tt0000102", "8.1", "210000"],
    ["tt0000104", "7.5", "20"],
    ["tt0000999", "5.0", "10"],
    ["tt0000102", "8.1", "210000"],
    ["tt0000103", "eleven", "3"],
]
PRINCIPALS = [
    ["tt0000101", "1", "nm0000001", "actor", N, '["Park Gang-du"]'],
    ["tt0000101", "2", "nm0000002", "actress", N, '["Park Nam-joo", "Nam-joo \\"the archer\\""]'],
    ["tt0000101", "3", "nm0000003", "director", N, N],
    ["tt0000101", "4", "nm0000004", "writer", "screenplay", N],
    ["tt0000101", "5", "nm0000404", "actor", N, '["Ghost"]'],
    ["tt0000101", "1", "nm0000001", "actor", N, '["Park Gang-du"]'],
    ["tt0000102", "1", "nm0000001", "actor", N, '["Detective Park"]'],
    ["tt0000102", "2", "nm0000003", "director", N, N],
    ["tt0000102", "3", "nm0000005", "composer", N, N],
    ["tt0000102", "4", "nm0000002", "actress", N, "[not json"],
    ["tt0000103", "1", "nm0000006", "self", N, '["Self"]'],
    ["tt0000104", "1", "nm0000001", "actor", N, '["Guest"]'],
    ["tt0000998", "1", "nm0000001", "actor", N, '["Nobody"]'],
]
CREW = [
    ["tt0000101", "nm0000003", "nm0000004,nm0000003"],
    ["tt0000102", "nm0000003", N],
    ["tt0000103", N, N],
    ["tt0000104", "nm0000007", N],
]
NAMES = [
    ["nm0000001", "Song Kang-ho", "1967", N, "actor", "tt0000101,tt0000102"],
    ["nm0000002", "Bae Doona", "1979", N, "actress", "tt0000101"],
    ["nm0000003", "Bong Joon Ho", "1969", N, "director,writer", "tt0000101"],
    ["nm0000004", "Baek Chul-hyun", N, N, "writer", "tt0000101"],
    ["nm0000005", "Lee Byung-woo", N, N, "composer", "tt0000102"],
    ["nm0000006", "Андрей Тарковский", "1932", "1986", "director", "tt0000103"],
    ["nm0000007", "Episode Director", N, N, "director", "tt0000104"],
    ["nm0000001", "Song Kang-ho", "1967", N, "actor", "tt0000101,tt0000102"],
    ["nm0000008", "Not Credited", N, N, "actor", N],
]
AKAS = [
    ["tt0000101", "1", "The Host", "US", N, "imdbDisplay", N, "0"],
    ["tt0000101", "2", "괴물", "KR", "ko", "imdbDisplay", N, "0"],
    ["tt0000101", "3", "Gwoemul", N, N, "original", N, "1"],
    ["tt0000101", "4", "The Monster", "XWW", "en", N, "literal English title", "0"],
    ["tt0000101", "2", "괴물", "KR", "ko", "imdbDisplay", N, "0"],
    ["tt0000102", "1", "Memories of Murder", "GB", N, "working", N, "0"],
    ["tt0000104", "1", "Pilote", "FR", N, N, N, "0"],
    ["tt0000997", "1", "Ghost Title", "US", N, N, N, "0"],
]


def write_dump(directory: Path, *, gzipped: bool, crlf: bool, **tables: list[list[str]]) -> Path:
    """Write IMDb files, one per keyword (``title_basics=[...]``) with the real header. The
    quirks: CRLF endings and no final newline. Files left out are not written."""
    directory.mkdir(parents=True, exist_ok=True)
    ending = "\r\n" if crlf else "\n"
    for key, rows in tables.items():
        name = key.replace("_", ".", 1)
        lines = ["\t".join(COLUMNS[name]), *("\t".join(row) for row in rows)]
        data = ending.join(lines).encode("utf-8")  # no final newline
        if gzipped:
            (directory / f"{name}.tsv.gz").write_bytes(gzip.compress(data))
        else:
            (directory / f"{name}.tsv").write_bytes(data)
    return directory


def quirky_dump(directory: Path, **changes: list[list[str]]) -> Path:
    """The whole quirky dump, with some tables replaced."""
    tables = {
        "title_basics": BASICS,
        "title_ratings": RATINGS,
        "title_principals": PRINCIPALS,
        "title_crew": CREW,
        "name_basics": NAMES,
        "title_akas": AKAS,
    }
    tables.update(changes)
    # Half the files gzipped as downloaded, half unpacked: both are read.
    gzipped = {name: rows for name, rows in tables.items() if name.startswith("title")}
    plain = {name: rows for name, rows in tables.items() if not name.startswith("title")}
    write_dump(directory, gzipped=True, crlf=True, **gzipped)
    return write_dump(directory, gzipped=False, crlf=False, **plain)
