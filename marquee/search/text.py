"""How titles and queries become words, the same way for the index and for the visitor's text.

Both backends are fed words this module made, so SQLite and PostgreSQL see identical text and
return the same films. Folding removes Latin, Greek and Cyrillic accents (``Amélie`` → ``amelie``,
``Koğuştaki`` → ``kogustaki``) but keeps the marks that are part of a letter in other scripts
(Devanagari vowel signs, Japanese voicing marks), which are not accents there.
"""

from __future__ import annotations

import re
import unicodedata

# Combining diacritical marks (U+0300–U+036F): the accents of Latin, Greek and Cyrillic.
_ACCENTS = re.compile("[\u0300-\u036f]")
# Letters that have no decomposition but that people type without their stroke.
_PLAIN = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
                        "ı": "i", "ħ": "h"})  # fmt: skip
# Everything that is not a letter, number or mark separates words: punctuation, symbols,
# spaces, control characters. Characters beyond the Basic Multilingual Plane (emoji, mostly) too,
# except the CJK extension planes, where rare Han characters live.
_SEPARATORS = {cp: " " for cp in range(0x10000) if unicodedata.category(chr(cp))[0] not in "LNM"}
_ASTRAL = re.compile("[\U00010000-\U0001ffff\U00030000-\U0010ffff]")
# Words joined by a hyphen, apostrophe or dot are also indexed as one: Spider-Man → spiderman.
_COMPOUND = re.compile(r"\w+(?:[-‐'’.·]\w+)+")
ARTICLES = ("the", "a", "an", "le", "la", "les", "l", "el", "il", "lo", "der", "die", "das")

ROMAN = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
         "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]  # fmt: skip
# Single letters are words too often (I, V, X) to be read as numbers.
_ROMAN_TO_ARABIC = {roman: str(n) for n, roman in enumerate(ROMAN) if len(roman) > 1}
_ARABIC_TO_ROMAN = {str(n): roman for n, roman in enumerate(ROMAN) if len(roman) > 1}

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
TYPO_MIN_LENGTH = 5  # one typo is forgiven in words this long or longer
MAX_WORD_LENGTH = 40


def fold(text: str) -> str:
    """Lowercase, without accents, compatibility forms unified (full-width → ASCII)."""
    if text.isascii():  # most titles and names: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed)).translate(_PLAIN)


def words(text: str) -> list[str]:
    """The words of ``text``, folded: ``"Léon: The Professional"`` → ``["leon", "the", …]``."""
    return _split(fold(text))


_ASCII_WORD = re.compile("[a-z0-9]+")


def _split(folded: str) -> list[str]:
    if folded.isascii():  # in ASCII only letters and digits are not separators
        return _ASCII_WORD.findall(folded)
    return _ASTRAL.sub(" ", folded).translate(_SEPARATORS).split()


def normalize(text: str) -> str:
    """Folded words joined by single spaces: the form titles are compared in."""
    return " ".join(words(text))


def without_article(normalized: str) -> str:
    head, _, rest = normalized.partition(" ")
    return rest if rest and head in ARTICLES else normalized


def extra_words(text: str) -> list[str]:
    """Other spellings a title is found by: compounds written as one word, and numbers as
    Roman or Arabic numerals (``Rocky II`` is also found as ``rocky 2``)."""
    return analyse(text)[1]


def analyse(text: str) -> tuple[str, list[str]]:
    """``normalize(text)`` and ``extra_words(text)`` at once, folding the text once: the index
    does this for every title and name in the catalog."""
    folded = fold(text)
    found = _split(folded)
    extra: list[str] = []
    if "-" in folded or not folded.isascii() or "'" in folded or "." in folded:
        for compound in _COMPOUND.findall(folded):
            joined = "".join(_split(compound))
            if joined:
                extra.append(joined)
    for word in found:
        other = _ROMAN_TO_ARABIC.get(word) or _ARABIC_TO_ROMAN.get(word)
        if other:
            extra.append(other)
    return " ".join(found), list(dict.fromkeys(extra))


def is_typo_candidate(word: str) -> bool:
    return len(word) >= TYPO_MIN_LENGTH and word.isascii() and word.isalpha()


def is_term(word: str) -> bool:
    """Whether a word goes into the vocabulary: typos are corrected towards its words, and a
    query word found there is matched whole rather than as the start of longer words."""
    return 2 <= len(word) <= MAX_WORD_LENGTH and not word.isdigit()


def needs_substrings(words: list[str]) -> bool:
    """Whether to look for the words inside titles (trigrams): a single word, which may be part
    of a longer one ("shank" in Shawshank), or a script written without spaces, where a title
    is one long word ("神隠し" in 千と千尋の神隠し)."""
    return (len(words) == 1 and len(words[0]) >= 3) or any(_UNSPACED.search(word) for word in words)


# Han, kana, Thai, Lao, Khmer, Myanmar: scripts that do not put spaces between words.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0002ffff]"
)


def one_edit_away(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {
        left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
    }
    replaces = {left + c + right[1:] for left, right in splits if right for c in ALPHABET}
    inserts = {left + c + right for left, right in splits for c in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}
