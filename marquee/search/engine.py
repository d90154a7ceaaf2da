"""From the visitor's words to ranked films and people.

1. ``parse()`` folds the text into at most ``MAX_WORDS`` words and spots a year.
2. ``find()`` asks the vocabulary for corrections of unknown long words (one query), then the
   backend for candidates (one query): the most prominent documents containing every word (as a
   word, the start of one, or a correction), titles that equal or start with the whole query,
   and titles containing the words as substrings.
3. ``score()`` ranks those few hundred candidates here, the same on both databases: exact and
   prefix title matches first, then how well the words match, blended with prominence.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection

from marquee.pages.links import slug_url
from marquee.search.backends import LAST_CHARACTER, Plan, backend
from marquee.search.models import Kind
from marquee.search.text import (
    MAX_WORD_LENGTH,
    is_typo_candidate,
    needs_substrings,
    one_edit_away,
    without_article,
    words,
)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
EARLIEST_YEAR, LATEST_YEAR = 1870, 2100
MAX_CORRECTIONS = 6  # per word; more would match almost anything
MAX_RESULTS = 100  # the best this many are shown (five pages) and counted in the facets

# Scores. A whole title equal to the query beats one that starts with it, which beats words
# found anywhere; prominence (about 0–15) decides among equals and lifts famous films.
EXACT_TITLE = 100.0
TITLE_PREFIX = 60.0
WORDS_MATCHED = 30.0
TITLE_COVERED = 10.0
OTHER_TITLE = 0.95  # an alternate title counts a little less than the title itself
PROMINENCE_WEIGHT = 3.0
MAX_PROMINENCE = 15.0
# How well one word of the query matches a title, out of 1.
WHOLE_WORD, SAME_NUMBER, JOINED_WORDS, WORD_START, CORRECTED, INSIDE = 1.0, 0.9, 0.9, 0.7, 0.6, 0.3
NEAR_YEAR = 0.5


@dataclass
class Query:
    text: str
    words: list[str]
    year: int | None = None

    @cached_property
    def title_words(self) -> list[str]:
        """The words titles are compared with: all but a recognised year."""
        if self.year is None:
            return self.words
        year = str(self.year)
        rest = list(self.words)
        rest.remove(year)
        return rest

    @cached_property
    def phrase(self) -> str:
        return " ".join(self.title_words)

    @cached_property
    def joined_at(self) -> list[list[str]]:
        """For each title word, the word it makes with either neighbour, written as one
        ("spider man": ["spiderman"] for both). Worked out once: every candidate's every title
        is scored against it."""
        words = self.title_words
        pairs = {i: a + b for i, (a, b) in enumerate(itertools.pairwise(words)) if joins(a, b)}
        return [[pairs[i] for i in (at - 1, at) if i in pairs] for at in range(len(words))]


def parse(raw: str) -> Query:
    """The visitor's text as a query. Anything goes in; what comes out is at most ``MAX_WORDS``
    folded words of letters, digits and marks, so no operator survives."""
    text = raw.strip()[:MAX_QUERY_LENGTH]
    found = [word[:MAX_WORD_LENGTH] for word in words(text)][:MAX_WORDS]
    year = None
    if len(found) > 1:
        # The last number that looks like a year; "2001 a space odyssey" keeps 2001 as a word.
        for word in reversed(found[1:]):
            if word.isdigit() and EARLIEST_YEAR <= int(word) <= LATEST_YEAR:
                year = int(word)
                break
    return Query(text=text, words=found, year=year)


@dataclass
class Hit:
    kind: str
    object_id: int
    name: str
    subtitle: str
    slug: str
    year: int | None
    prominence: float
    score: float = 0.0
    genres: list[tuple[str, str]] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        name = "catalog:movie-detail" if self.kind == Kind.MOVIE else "people:person-detail"
        return slug_url(name, self.slug)

    @property
    def decade(self) -> int | None:
        return self.year - self.year % 10 if self.year else None


@dataclass
class Vocabulary:
    """What the index's vocabulary says about the query's words."""

    known: set[str] = field(default_factory=set)
    fixes: dict[str, list[str]] = field(default_factory=dict)
    # Two neighbouring words written as one in some title ("spider man" → "spiderman").
    joined: set[str] = field(default_factory=set)


def joins(a: str, b: str) -> bool:
    """Whether two neighbouring words written as one make a word worth looking for."""
    return len(a + b) >= 4 and (a + b).isalnum()


def look_up(query: Query, *, known_words_too: bool = False) -> Vocabulary:
    """One query: which of the words the index knows, and known words one edit away from each
    unknown word of five letters or more (with ``known_words_too``, from known ones as well:
    "forest" for "forrest")."""
    candidates = {w: one_edit_away(w) for w in query.title_words if is_typo_candidate(w)}
    joined = {word for at in query.joined_at for word in at}
    lookup = set(query.title_words) | joined | set().union(*candidates.values())
    # A word that starts a known word is being typed, not mistyped: "mirac" is not "miran".
    # One indexed range per word, joined by UNION (SQLite scans the table for an OR of them).
    # Plain SQL: the ORM's work on a thousand IN values cost more than the lookup itself.
    marks = ", ".join(["%s"] * len(lookup))
    ranges = " UNION ".join(
        ["SELECT word FROM search_term WHERE word > %s AND word < %s"] * len(candidates)
    )
    sql = f"SELECT word FROM search_term WHERE word IN ({marks})"  # noqa: S608 (placeholders)
    if ranges:
        sql = f"{sql} UNION {ranges}"
    params = sorted(lookup) + [bound for w in candidates for bound in (w, w + LAST_CHARACTER)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {word for (word,) in cursor.fetchall()}
    fixes = {
        word: sorted(variants & found)[:MAX_CORRECTIONS]
        for word, variants in candidates.items()
        if variants & found
        and (known_words_too or word not in found)
        and (known_words_too or not any(other.startswith(word) for other in found))
    }
    return Vocabulary(known=found & set(query.title_words), fixes=fixes, joined=found & joined)


def plan(query: Query, vocabulary: Vocabulary, *, suggestions: bool = False) -> Plan:
    groups = []
    last = len(query.title_words) - 1
    for position, word in enumerate(query.title_words):
        # A word is matched as the start of longer ones when it is the last (still being
        # typed) or unknown ("cel" for cell). A known word elsewhere is matched whole, which
        # keeps "escape star ghost" from reading every word that starts with "star". A single
        # letter or a number is always whole: as a prefix it would match everything.
        prefix = (
            len(word) > 1
            and not word.isdigit()
            and (position == last or word not in vocabulary.known)
        )
        group = [(word, prefix)]
        group += [(fix, False) for fix in vocabulary.fixes.get(word, [])]
        # Either word may be half of a title word that joins them.
        group += [(j, False) for j in query.joined_at[position] if j in vocabulary.joined]
        groups.append(group)
    result = Plan(
        groups=groups,
        year=str(query.year) if query.year else "",
        phrase=query.phrase,
        substrings=[w for w in query.title_words if len(w) >= 3]
        if needs_substrings(query.title_words)
        else [],
    )
    if suggestions:
        result.word_limit, result.year_limit, result.title_limit = 40, 20, 20
        result.substrings = []
    return result


def find(query: Query, *, suggestions: bool = False) -> list[Hit]:
    """Films and people for the query, best first (at most ``MAX_RESULTS``); empty when it has
    no words."""
    if not query.title_words:
        return []
    vocabulary = look_up(query)
    rows = backend().candidates(plan(query, vocabulary, suggestions=suggestions))
    if not rows and any(is_typo_candidate(word) for word in query.title_words):
        # Nothing at all: perhaps a typo made another real word. Two more queries, only then.
        vocabulary = look_up(query, known_words_too=True)
        if vocabulary.fixes:
            rows = backend().candidates(plan(query, vocabulary, suggestions=suggestions))
    fixes = vocabulary.fixes
    hits = []
    for kind, object_id, name, subtitle, slug, year, prominence, names, aka, extra in rows:
        hit = Hit(kind, object_id, name, subtitle, slug, year, prominence)
        hit.score = score(query, fixes, hit, names, aka, extra)
        hits.append(hit)
    hits.sort(key=lambda h: (-h.score, -h.prominence, h.name, h.object_id))
    return hits[:MAX_RESULTS]


def score(
    query: Query, fixes: dict[str, list[str]], hit: Hit, names: str, aka: str, extra: str
) -> float:
    titles = [(title, 1.0) for title in names.split("\n") if title]
    titles += [(title, OTHER_TITLE) for title in aka.split("\n") if title]
    other_spellings = set(extra.split())
    best = max(
        (
            title_score(query, fixes, hit, title, other_spellings) * weight
            for title, weight in titles
        ),
        default=0.0,
    )
    return best + PROMINENCE_WEIGHT * min(hit.prominence, MAX_PROMINENCE)


def title_score(
    query: Query, fixes: dict[str, list[str]], hit: Hit, title: str, other_spellings: set[str]
) -> float:
    phrase = query.phrase
    bare = without_article(title)
    # Spaces do not tell titles apart: "spider man" is the whole title "Spiderman".
    unspaced = phrase.replace(" ", "")
    if phrase in (title, bare) or unspaced in (title.replace(" ", ""), bare.replace(" ", "")):
        total = EXACT_TITLE
    elif title.startswith(phrase) or bare.startswith(phrase):
        total = TITLE_PREFIX
    else:
        total = 0.0
    title_words = title.split()
    title_set = set(title_words)
    matched: list[float] = []
    used: set[str] = set()
    for position, word in enumerate(query.title_words):
        quality = word_match(word, fixes.get(word, []), title, title_words, title_set)
        if quality < JOINED_WORDS:
            joined = [j for j in query.joined_at[position] if j in title_set]
            if joined:
                quality = JOINED_WORDS
                used.update(joined)
        if not quality and word in other_spellings:
            quality = SAME_NUMBER
        if not quality and any(a + b == word for a, b in itertools.pairwise(title_words)):
            quality = JOINED_WORDS
        matched.append(quality)
        if quality:
            used.update(w for w in title_words if w == word or w.startswith(word))
            used.update(w for w in title_words if w in fixes.get(word, []))
    if query.year is not None:
        year = str(query.year)
        if year in title_set:
            matched.append(WHOLE_WORD)
            used.add(year)
        elif hit.year == query.year:
            matched.append(WHOLE_WORD)
        elif hit.year and abs(hit.year - query.year) == 1:
            matched.append(NEAR_YEAR)
        else:
            matched.append(0.0)
    total += WORDS_MATCHED * sum(matched) / len(matched)
    total += TITLE_COVERED * len(used) / max(len(title_words), 1)
    return total


def word_match(
    word: str, fixes: list[str], title: str, title_words: list[str], title_set: set[str]
) -> float:
    if word in title_set:
        return WHOLE_WORD
    if len(word) > 1 and not word.isdigit() and any(w.startswith(word) for w in title_words):
        return WORD_START
    if any(fix in title_set for fix in fixes):
        return CORRECTED
    if len(word) >= 3 and word in title:
        return INSIDE
    return 0.0
