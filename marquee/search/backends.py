"""The two full-text engines behind one interface, chosen by the database in use.

Both receive words that ``marquee.search.text`` made, never the visitor's text: a query becomes
groups of quoted words (``Plan``), so quotes, ``*``, ``NEAR``, ``OR`` or parentheses typed by a
visitor are only ever separators.

SQLite: an FTS5 table of words (unicode61, diacritics removed, prefix indexes for 2 and 3
letters) and an FTS5 trigram table for substrings and scripts written without spaces, both
external-content tables over ``search_document`` whose row id is the document's ``rank``.
PostgreSQL: a generated, weighted tsvector with a GIN index and a pg_trgm index on the titles.
Both answer the same question: the ranks of the documents that match, most prominent first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection

# The SQL below is assembled from fixed fragments and placeholders only (ruff's S608 cannot see
# that); every value, including the full-text expressions, travels as a parameter.

# The highest code point: a prefix followed by it bounds every string that starts with it.
LAST_CHARACTER = "\U0010ffff"
FIELDS = (
    "d.kind, d.object_id, d.name, d.subtitle, d.slug, d.year, d.prominence, d.names, d.aka, d.extra"
)


@dataclass
class Plan:
    """A query ready for a backend.

    ``groups``: every group must match; a group matches when one of its words does, as a word or,
    for (word, True), as the start of a word. ``year`` joins the groups in a second, narrower pass.
    ``phrase``: the folded query, for whole titles that equal it or start with it.
    ``substrings``: words (three letters or more) looked for inside titles.
    """

    groups: list[list[tuple[str, bool]]]
    year: str = ""
    phrase: str = ""
    substrings: list[str] = field(default_factory=list)
    word_limit: int = 120
    year_limit: int = 60
    title_limit: int = 40
    substring_limit: int = 60


# The best-ranked documents matching a full-text expression: the word arm of a candidate query,
# used for the words as typed and again with the query's year.
SQLITE_WORDS_ARM = (
    "SELECT rowid AS r FROM (SELECT rowid FROM search_words WHERE search_words "
    "MATCH %s ORDER BY rowid DESC LIMIT %s)"
)
# PostgreSQL's GIN indexes find matches but cannot hand them back in rank order. A query either
# walks the rank index from the top, checking each document (quick when matches are dense: a
# common word), or gathers every match through GIN and sorts them (quick when they are few).
# The planner cannot tell which from a prefix, and a wrong guess costs seconds at a million
# documents (docs/benchmarks.md). So both are written, and the lexeme frequencies ANALYZE keeps
# for the vector column decide, once per query, which one runs: the other is skipped whole.
# ``rank + 0`` keeps the gathering arm off the rank index.
POSTGRES_COMMON = (
    "WITH common AS MATERIALIZED (SELECT m.e, m.f FROM pg_stats s,"
    " unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(e, f)"
    " WHERE s.schemaname = current_schema() AND s.tablename = 'search_document'"
    " AND s.attname = 'vector') "
)
POSTGRES_FACTOR = "(SELECT coalesce(sum(f), 0) FROM common WHERE e LIKE ANY(%s))"
POSTGRES_WALK = (
    "(SELECT rank FROM search_document WHERE {match} AND {dense} ORDER BY rank DESC LIMIT %s)"
)
POSTGRES_GATHER = (
    "(SELECT rank FROM search_document WHERE {match} AND NOT {dense} "
    "ORDER BY rank + 0 DESC LIMIT %s)"
)
# The share of documents matching above which walking from the top wins: the walk reads about
# limit ÷ share documents, gathering reads share × documents; they meet near 0.5% at a million.
DENSE_SHARE = 0.005


class SQLiteBackend:
    def candidates(self, plan: Plan) -> list[tuple[Any, ...]]:
        arms: list[str] = []
        params: list[Any] = []
        if plan.groups:
            arms.append(SQLITE_WORDS_ARM)
            params += [fts5_expression(plan.groups), plan.word_limit]
            if plan.year:
                arms.append(SQLITE_WORDS_ARM)
                params += [fts5_expression([*plan.groups, [(plan.year, False)]]), plan.year_limit]
        if plan.phrase:
            arms.append(
                "SELECT r FROM (SELECT rank AS r FROM search_titlekey WHERE key >= %s AND key < %s "
                "ORDER BY key LIMIT %s)"
            )
            params += [plan.phrase, plan.phrase + LAST_CHARACTER, plan.title_limit]
        if plan.substrings:
            arms.append(
                "SELECT rowid AS r FROM (SELECT rowid FROM search_trigrams WHERE search_trigrams "
                "MATCH %s ORDER BY rowid DESC LIMIT %s)"
            )
            params += [
                " AND ".join(fts5_string(s) for s in plan.substrings),
                plan.substring_limit,
            ]
        if not arms:
            return []
        sql = f"SELECT {FIELDS} FROM search_document d WHERE d.rank IN ({' UNION '.join(arms)})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def after_insert(self, ranks: list[int]) -> None:
        for start in range(0, len(ranks), 500):
            chunk = ranks[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_words (rowid, names, aka, extra) "  # noqa: S608
                    f"SELECT rank, names, aka, extra FROM search_document WHERE rank IN ({marks})",
                    chunk,
                )
                cursor.execute(
                    "INSERT INTO search_trigrams (rowid, names, aka) "  # noqa: S608
                    f"SELECT rank, names, aka FROM search_document WHERE rank IN ({marks})",
                    chunk,
                )

    def before_delete(self, ranks: list[int]) -> None:
        # External-content tables forget a row when told its old values.
        for start in range(0, len(ranks), 500):
            chunk = ranks[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO search_words (search_words, rowid, names, aka, extra) "  # noqa: S608
                    "SELECT 'delete', rank, names, aka, extra FROM search_document "
                    f"WHERE rank IN ({marks})",
                    chunk,
                )
                cursor.execute(
                    "INSERT INTO search_trigrams (search_trigrams, rowid, names, aka) "  # noqa: S608
                    "SELECT 'delete', rank, names, aka FROM search_document "
                    f"WHERE rank IN ({marks})",
                    chunk,
                )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_words (search_words) VALUES ('delete-all')")
            cursor.execute("INSERT INTO search_trigrams (search_trigrams) VALUES ('delete-all')")

    def after_many_writes(self) -> None:
        pass  # FTS5 merges its segments as it goes; a rebuild also runs ``optimize``

    def optimize(self) -> None:
        """Merge the index segments an incremental build leaves behind into one each."""
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_words (search_words) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_trigrams (search_trigrams) VALUES ('optimize')")


def like_pattern(word: str, *, prefix: bool = False, inside: bool = False) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("%" if inside else "") + escaped + ("%" if prefix or inside else "")


def postgres_arms(
    match: str, match_params: list[Any], patterns: list[list[str]], limit: int
) -> tuple[list[str], list[Any]]:
    """The walking and the gathering arm for one condition; ``patterns``: for each part of the
    condition that must match, LIKE patterns of the lexemes that satisfy it."""
    dense = "(SELECT " + " * ".join([POSTGRES_FACTOR] * len(patterns)) + " >= %s)"
    dense_params = [*patterns, DENSE_SHARE]
    arms = [
        POSTGRES_WALK.format(match=match, dense=dense),
        POSTGRES_GATHER.format(match=match, dense=dense),
    ]
    params = [*match_params, *dense_params, limit, *match_params, *dense_params, limit]
    return arms, params


def group_patterns(groups: list[list[tuple[str, bool]]]) -> list[list[str]]:
    return [[like_pattern(word, prefix=prefix) for word, prefix in group] for group in groups]


class PostgreSQLBackend:
    def candidates(self, plan: Plan) -> list[tuple[Any, ...]]:
        arms: list[str] = []
        params: list[Any] = []
        if plan.groups:
            word_groups = [(plan.groups, plan.word_limit)]
            if plan.year:
                word_groups.append(([*plan.groups, [(plan.year, False)]], plan.year_limit))
            for groups, limit in word_groups:
                more, values = postgres_arms(
                    "vector @@ %s::tsquery",
                    [tsquery_expression(groups)],
                    group_patterns(groups),
                    limit,
                )
                arms += more
                params += values
        if plan.phrase:
            arms.append(
                '(SELECT rank FROM search_titlekey WHERE key COLLATE "C" >= %s '
                'AND key COLLATE "C" < %s ORDER BY key COLLATE "C" LIMIT %s)'
            )
            params += [plan.phrase, plan.phrase + LAST_CHARACTER, plan.title_limit]
        if plan.substrings:
            conditions = " AND ".join(["(names || ' ' || aka) LIKE %s"] * len(plan.substrings))
            patterns = [like_pattern(s, inside=True) for s in plan.substrings]
            more, values = postgres_arms(
                f"({conditions})", patterns, [[p] for p in patterns], plan.substring_limit
            )
            arms += more
            params += values
        if not arms:
            return []
        sql = (
            f"{POSTGRES_COMMON}SELECT {FIELDS} FROM search_document d "  # noqa: S608
            f"WHERE d.rank IN ({' UNION '.join(arms)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # The tsvector is a generated column and the indexes follow the table: nothing to do.
    def after_insert(self, ranks: list[int]) -> None:
        pass

    def before_delete(self, ranks: list[int]) -> None:
        pass

    def clear(self) -> None:
        pass

    def optimize(self) -> None:
        self.after_many_writes()

    def after_many_writes(self) -> None:
        """Fresh statistics: the words arms choose their plan from them (POSTGRES_COMMON)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_titlekey")


def fts5_string(word: str) -> str:
    """An FTS5 string literal: inside double quotes every character is text, and a double quote
    is written twice."""
    return '"' + word.replace('"', '""') + '"'


def fts5_expression(groups: list[list[tuple[str, bool]]]) -> str:
    return " AND ".join(
        "(" + " OR ".join(fts5_string(w) + ("*" if prefix else "") for w, prefix in group) + ")"
        for group in groups
    )


def tsquery_string(word: str) -> str:
    """A tsquery lexeme literal: single-quoted, with quotes and backslashes doubled."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_expression(groups: list[list[tuple[str, bool]]]) -> str:
    return " & ".join(
        "(" + " | ".join(tsquery_string(w) + (":*" if prefix else "") for w, prefix in group) + ")"
        for group in groups
    )


def backend() -> SQLiteBackend | PostgreSQLBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
