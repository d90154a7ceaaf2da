"""Synthetic IMDb dumps in the exact published format, for benchmarks and the kill-and-resume test.

    uv run python bench/gen_imdb.py var/imdb-synthetic            # full scale (about a minute)
    uv run python bench/gen_imdb.py var/imdb-small --scale 0.01   # 1% of it

At scale 1: 1,000,000 titles of which 300,000 movies and TV films, 2,000,000 names, 6,000,000
principals, 2,000,000 alternate titles, 1,000,000 ratings, one title.crew row per title. The text
is what real dumps look like: titles and names in many scripts, quotes as data, ``\\N`` nulls,
comma arrays, JSON ``characters`` with escaped quotes, CRLF nowhere (IMDb writes LF) but a final
newline everywhere, about 0.1% duplicate rows, and references to ids absent from the other files.
Gzipped like the downloads (at a fast compression level: the format is the same). Seeded, so the
same scale always gives the same files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# The headers as IMDb publishes them (the importer checks them against its own copy).
COLUMNS = {
    "title.basics": "tconst titleType primaryTitle originalTitle isAdult startYear endYear"
    " runtimeMinutes genres",
    "title.ratings": "tconst averageRating numVotes",
    "title.principals": "tconst ordering nconst category job characters",
    "title.crew": "tconst directors writers",
    "name.basics": "nconst primaryName birthYear deathYear primaryProfession knownForTitles",
    "title.akas": "titleId ordering title region language types attributes isOriginalTitle",
}

TITLES = 1_000_000
MOVIES = 300_000
NAMES = 2_000_000
PRINCIPALS = 6_000_000
AKAS = 2_000_000
RATINGS = 1_000_000
DUPLICATE_RATE = 0.001
DANGLING_RATE = 0.002
WRITE_BATCH = 10_000  # lines joined per write

N = "\\N"
SCRIPTS = [
    # Latin (with accents), Cyrillic, Greek, Arabic, Devanagari, Han, Hangul, Kana, Thai.
    "night day river city last first house blood summer winter love war ghost road king "
    "mother father secret island story dream étoile cœur señor größe søster",
    "ночь день река город последний дом кровь лето зима любовь война",
    "νύχτα μέρα ποτάμι πόλη σπίτι αίμα καλοκαίρι αγάπη",
    "ليل نهار نهر مدينة بيت دم صيف حب حرب",
    "रात दिन नदी शहर घर खून गर्मी प्यार युद्ध",
    "夜 日 河 城市 最后 家 血 夏天 冬天 爱 战争 鬼",
    "밤 낮 강 도시 마지막 집 피 여름 겨울 사랑 전쟁 괴물",
    "よる ひる かわ まち いえ なつ ふゆ あい",
    "กลางคืน กลางวัน แม่น้ำ เมือง บ้าน",
]
VOCABULARY = [words.split() for words in SCRIPTS]
SCRIPT_WEIGHTS = [60, 8, 3, 4, 4, 8, 6, 4, 3]
FIRST = [
    "Anna",
    "John",
    "Maria",
    "Kim",
    "Lee",
    "Park",
    "Olga",
    "Ivan",
    "Yuki",
    "Chen",
    "Ahmed",
    "Fatima",
    "Raj",
    "Priya",
    "Jean",
    "Luis",
    "Eva",
]
LAST = [
    "Smith",
    "Kim",
    "Lee",
    "Park",
    "Ivanova",
    "Petrov",
    "Tanaka",
    "Wang",
    "Khan",
    "Singh",
    "Dupont",
    "García",
    "Müller",
    "O'Brien",
]
GENRES = [
    "Drama",
    "Comedy",
    "Documentary",
    "Action",
    "Romance",
    "Thriller",
    "Crime",
    "Horror",
    "Adventure",
    "Family",
    "Mystery",
    "Fantasy",
    "Sci-Fi",
    "Biography",
    "History",
    "Music",
    "Animation",
    "War",
    "Musical",
    "Western",
    "Sport",
    "Film-Noir",
    "News",
    "Reality-TV",
    "Talk-Show",
    "Game-Show",
    "Adult",
    "Short",
]
OTHER_TYPES = (
    ["tvEpisode"] * 60 + ["short"] * 12 + ["tvSeries"] * 8 + ["video"] * 8 + ["tvSpecial"] * 2
)
CATEGORIES = (
    ["actor"] * 30 + ["actress"] * 20 + ["self"] * 8 + ["director"] * 10 + ["writer"] * 10
    + ["producer"] * 8 + ["composer"] * 5 + ["cinematographer"] * 4 + ["editor"] * 4
    + ["production_designer"] * 1 + ["casting_director"] * 1 + ["archive_footage"] * 1
)  # fmt: skip
WRITER_JOBS = [N] * 6 + ["screenplay", "novel", "story", "based on the play by", "written by"]
PRODUCER_JOBS = [N, "producer", "executive producer", "co-producer", "line producer"]
REGIONS = ["US", "GB", "FR", "DE", "JP", "KR", "IN", "BR", "ES", "IT", "XWW", "SUHH", N]
LANGUAGES = [N] * 6 + ["en", "fr", "de", "ja", "ko", "hi", "es", "cmn", "yue", "qbn"]
AKA_TYPES = [N] * 5 + ["imdbDisplay", "original", "working", "festival", "alternative", "dvd"]
AKA_ATTRIBUTES = [N] * 8 + [
    "literal English title",
    "romanized title",
    "short title",
    "3-D version",
]
PROFESSIONS = [
    "actor",
    "actress",
    "director",
    "writer",
    "producer",
    "composer",
    "editor",
    "cinematographer",
]


def text(rng: random.Random, low: int = 1, high: int = 4) -> str:
    words = rng.choices(VOCABULARY, SCRIPT_WEIGHTS)[0]
    phrase = " ".join(rng.choice(words) for _ in range(rng.randint(low, high)))
    if rng.random() < 0.03:
        phrase = f'"{phrase}"'  # a quote is data: no escaping in these files
    elif rng.random() < 0.02:
        phrase += ": Part " + str(rng.randint(2, 9))
    return phrase[:1].upper() + phrase[1:]


def person(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return text(rng, 2, 2)
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def tconst(number: int) -> str:
    return f"tt{number:07d}"


def nconst(number: int) -> str:
    return f"nm{number:07d}"


def write(path: Path, name: str, lines: Iterator[str]) -> int:
    """Write one gzipped file with its header; returns the number of data rows."""
    count = 0
    with gzip.open(path / f"{name}.tsv.gz", "wt", encoding="utf-8", compresslevel=1) as out:
        out.write(COLUMNS[name].replace(" ", "\t") + "\n")
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            count += 1
            if len(batch) >= WRITE_BATCH:
                out.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            out.write("\n".join(batch) + "\n")
    return count


def with_duplicates(rng: random.Random, lines: Iterator[str], rate: float) -> Iterator[str]:
    """Some rows twice in a row. The random draw happens at any rate, so a dump made with
    rate 0 is the same dump without its repeated lines."""
    for line in lines:
        yield line
        if rng.random() < rate:
            yield line


class Dump:
    def __init__(self, scale: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.titles = max(int(TITLES * scale), 10)
        self.names = max(int(NAMES * scale), 10)
        self.movie_share = MOVIES / TITLES
        self.principals_per_title = PRINCIPALS / TITLES
        self.akas_per_title = AKAS / TITLES
        self.rated_share = min(RATINGS / TITLES, 1.0)

    def name_id(self) -> int:
        """Most credits go to a minority of busy people, as in life."""
        if self.rng.random() < DANGLING_RATE:
            return self.names + self.rng.randint(1, 1000)  # absent from name.basics
        return 1 + int(self.names * self.rng.random() ** 2) % self.names

    def title_id(self, number: int) -> int:
        if self.rng.random() < DANGLING_RATE:
            return self.titles + self.rng.randint(1, 1000)  # absent from title.basics
        return number

    def basics(self) -> Iterator[str]:
        rng = self.rng
        for number in range(1, self.titles + 1):
            if rng.random() < self.movie_share:
                kind = "movie" if rng.random() < 0.85 else "tvMovie"
            else:
                kind = rng.choice(OTHER_TYPES)
            title = text(rng)
            original = title if rng.random() < 0.8 else text(rng)
            adult = "1" if rng.random() < 0.02 else "0"
            year = str(rng.randint(1900, 2026)) if rng.random() < 0.93 else N
            runtime = str(rng.randint(3, 240)) if rng.random() < 0.75 else N
            genres = ",".join(rng.sample(GENRES, rng.randint(1, 3))) if rng.random() < 0.9 else N
            end = N if kind != "tvSeries" or rng.random() < 0.5 else str(rng.randint(1950, 2026))
            yield f"{tconst(number)}\t{kind}\t{title}\t{original}\t{adult}\t{year}\t{end}\t{runtime}\t{genres}"

    def ratings(self) -> Iterator[str]:
        rng = self.rng
        for number in range(1, self.titles + 1):
            if rng.random() < self.rated_share:
                votes = int(5 + 10 ** (rng.random() * 6))
                # A dangling id of its own: title.ratings has one row per title.
                title = number if self.title_id(number) == number else self.titles + number
                yield f"{tconst(title)}\t{rng.randint(10, 100) / 10}\t{votes}"

    def principals(self) -> Iterator[str]:
        rng = self.rng
        average = self.principals_per_title
        for number in range(1, self.titles + 1):
            title = tconst(self.title_id(number))
            for ordering in range(1, max(1, int(rng.uniform(0, 2 * average) + 0.5)) + 1):
                category = rng.choice(CATEGORIES)
                job, characters = N, N
                if category in ("actor", "actress", "archive_footage"):
                    roles = [person(rng) for _ in range(1 if rng.random() < 0.9 else 2)]
                    if rng.random() < 0.02:
                        roles[0] += ' "The Kid"'
                    characters = json.dumps(roles, ensure_ascii=False)
                elif category == "self":
                    characters = '["Self"]' if rng.random() < 0.8 else '["Self - Host"]'
                elif category == "writer":
                    job = rng.choice(WRITER_JOBS)
                elif category == "producer":
                    job = rng.choice(PRODUCER_JOBS)
                yield f"{title}\t{ordering}\t{nconst(self.name_id())}\t{category}\t{job}\t{characters}"

    def crew(self) -> Iterator[str]:
        rng = self.rng
        for number in range(1, self.titles + 1):
            directors = ",".join(nconst(self.name_id()) for _ in range(rng.choice((0, 1, 1, 1, 2))))
            writers = ",".join(nconst(self.name_id()) for _ in range(rng.choice((0, 0, 1, 2, 3))))
            yield f"{tconst(self.title_id(number))}\t{directors or N}\t{writers or N}"

    def name_rows(self) -> Iterator[str]:
        rng = self.rng
        for number in range(1, self.names + 1):
            born = str(rng.randint(1880, 2010)) if rng.random() < 0.3 else N
            died = str(int(born) + rng.randint(20, 90)) if born != N and rng.random() < 0.3 else N
            professions = ",".join(rng.sample(PROFESSIONS, rng.randint(0, 3)))
            known = ",".join(tconst(rng.randint(1, self.titles)) for _ in range(rng.randint(0, 4)))
            yield f"{nconst(number)}\t{person(rng)}\t{born}\t{died}\t{professions or N}\t{known or N}"

    def akas(self) -> Iterator[str]:
        rng = self.rng
        average = self.akas_per_title
        for number in range(1, self.titles + 1):
            title = tconst(self.title_id(number))
            for ordering in range(1, int(rng.uniform(0, 2 * average) + 0.5) + 1):
                original = "1" if ordering == 1 and rng.random() < 0.3 else "0"
                yield (
                    f"{title}\t{ordering}\t{text(rng)}\t{rng.choice(REGIONS)}\t"
                    f"{rng.choice(LANGUAGES)}\t{rng.choice(AKA_TYPES)}\t"
                    f"{rng.choice(AKA_ATTRIBUTES)}\t{original}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is a million titles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--duplicates",
        type=float,
        default=DUPLICATE_RATE,
        help="share of rows written twice (imdb-sqlite stops at a repeated key: use 0 for it)",
    )
    parser.add_argument("--files", help="write only these, comma-separated (title.ratings,…)")
    options = parser.parse_args()
    options.directory.mkdir(parents=True, exist_ok=True)
    dump = Dump(options.scale, options.seed)
    files: list[tuple[str, Callable[[], Iterator[str]]]] = [
        ("title.basics", dump.basics),
        ("title.ratings", dump.ratings),
        ("title.principals", dump.principals),
        ("title.crew", dump.crew),
        ("name.basics", dump.name_rows),
        ("title.akas", dump.akas),
    ]
    wanted = set(options.files.split(",")) if options.files else {name for name, _ in files}
    for name, rows in files:
        if not wanted:
            break
        if name not in wanted:  # drawn all the same, so the files after it come out the same
            sum(1 for _ in with_duplicates(dump.rng, rows(), options.duplicates))
            continue
        wanted.discard(name)
        started = time.perf_counter()
        count = write(
            options.directory, name, with_duplicates(dump.rng, rows(), options.duplicates)
        )
        seconds = time.perf_counter() - started
        print(f"{name}: {count:,} rows in {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
