"""Words as the index and the queries see them."""

import pytest

from marquee.search import engine
from marquee.search.backends import fts5_expression, tsquery_expression
from marquee.search.text import extra_words, normalize, one_edit_away, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amélie", "amelie"),
        ("Le Fabuleux Destin d'Amélie Poulain", "le fabuleux destin d amelie poulain"),
        ("7. Koğuştaki Mucize", "7 kogustaki mucize"),
        ("İlker Aksum", "ilker aksum"),
        ("Roland Møller", "roland moller"),
        ("Зелёная миля", "зеленая миля"),
        ("7번방의 선물", "7번방의 선물"),
        ("千と千尋の神隠し", "千と千尋の神隠し"),
        ("ガッツ", "ガッツ"),  # voicing marks are part of kana, not accents
        ("तारे ज़मीन पर", "तारे ज़मीन पर"),  # Devanagari vowel signs stay
        ("ＦＵＬＬ－ＷＩＤＴＨ", "full width"),
        ("Spider-Man: No Way Home", "spider man no way home"),
        ("#Alive 🎬", "alive"),
        ('"NEAR(" AND *', "near and"),
        ("\x00\x1f tab\tnew\nline", "tab new line"),
    ],
)
def test_text_is_folded_into_words(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_other_spellings_join_compounds_and_swap_numerals() -> None:
    assert extra_words("Spider-Man 2") == ["spiderman", "ii"]
    assert extra_words("Rocky IV") == ["4"]
    assert extra_words("I, Robot") == []  # a single I is a word, not a numeral
    assert extra_words("Hirokazu Kore-eda") == ["koreeda"]


def test_one_edit_covers_the_four_kinds_of_typo() -> None:
    variants = one_edit_away("mircale")
    assert "miracle" in variants  # transposed letters
    assert "mircle" in variants  # deleted
    assert "mirrcale" in variants  # inserted
    assert "mirkale" in variants  # substituted
    assert "mircale" not in variants


def test_a_query_keeps_at_most_eight_words_of_forty_letters() -> None:
    assert engine.parse(" ".join(["word"] * 50)).words == ["word"] * 8
    assert engine.parse("a" * 10_000).words == ["a" * 40]  # 200 characters read, 40 kept


@pytest.mark.parametrize(
    ("text", "year", "title_words"),
    [
        ("miracle 2013", 2013, ["miracle"]),
        ("2001 a space odyssey", None, ["2001", "a", "space", "odyssey"]),
        ("blade runner 2049", 2049, ["blade", "runner"]),
        ("1917", None, ["1917"]),
        ("12 angry men", None, ["12", "angry", "men"]),
        ("the host 1850", None, ["the", "host", "1850"]),
    ],
)
def test_a_year_is_recognised_at_the_end(
    text: str, year: int | None, title_words: list[str]
) -> None:
    query = engine.parse(text)
    assert query.year == year
    assert query.title_words == title_words


def test_full_text_expressions_quote_every_word() -> None:
    groups = [[("mirac", True)], [("cel", True), ("cell", False)], [("7", False)]]
    assert fts5_expression(groups) == '("mirac"*) AND ("cel"* OR "cell") AND ("7")'
    assert tsquery_expression(groups) == "('mirac':*) & ('cel':* | 'cell') & ('7')"
    # Words never hold quotes (they are separators), but the quoting would survive them.
    assert fts5_expression([[('a"b', False)]]) == '("a""b")'
    assert tsquery_expression([[("a'b\\", False)]]) == "('a''b\\\\')"
    assert words('a"b') == ["a", "b"]
