"""The form a word is compared by, and its 64-bit id: the bottom of every tokenizer path.

Offsets are sacred: we never normalise the stored text. A token keeps ``[start, end)`` into the
string exactly as read, and a normalised form (NFKC, casefold, quotes/dashes folded) used only for
hashing and scoring. So a copy that differs only by NBSPs or curly quotes hashes identically while
every passage a user sees is still ``text[start:end]``.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
import xxhash

CHARACTER_SCRIPTS = ("Han", "Hiragana", "Katakana", "Bopomofo", "Thai", "Lao", "Khmer", "Myanmar")
"""Scripts written without spaces between words: each of their letters and digits is a token of its
own (with any combining marks that follow it), so shingles there are character n-grams. Hangul
separates words with spaces and keeps word tokens."""

# A letter or digit of a CHARACTER_SCRIPTS script; also the kana length mark "ー" (and its
# half-width form), whose script is Common but which is written inside katakana words.
_CHAR = "[[" + "".join(rf"\p{{{s}}}" for s in CHARACTER_SCRIPTS) + r"\u30fc\uff70]&&[\p{L}\p{N}]]"
TOKEN = regex.compile(rf"(?V1){_CHAR}\p{{M}}*|[[\p{{L}}\p{{N}}\p{{M}}]--{_CHAR}]+")
"""A token: one character of a script without spaces with its marks, or a run of other letters,
digits and combining marks. Apostrophes (straight or curly) split words on both sides, so
"regime’s" and "regime's" give the same tokens."""
_IS_CHAR = regex.compile(rf"(?V1){_CHAR}")
_IS_MARK = regex.compile(r"\p{M}")

NOT_WORD, WORD, MARK, CHARACTER = 0, 1, 2, 3
"""Token classes of one code point (:func:`char_class`)."""


@lru_cache(maxsize=1 << 16)
def char_class(ch: str) -> int:
    """How ``ch`` takes part in tokens: ``NOT_WORD`` (splits tokens), ``WORD`` (joins a word run),
    ``MARK`` (a combining mark: extends the token before it, or starts a word), or ``CHARACTER``
    (a token of its own, in a script without spaces).

    The word scanner (:mod:`reuse.text.scan`) builds its lookup table from this, so both agree.

    >>> [char_class(c) for c in "a,中\u0301"]
    [1, 0, 3, 2]
    """
    if _IS_CHAR.fullmatch(ch):
        return CHARACTER
    if _IS_MARK.fullmatch(ch):
        return MARK
    return WORD if TOKEN.fullmatch(ch) else NOT_WORD


def is_character_token(norm: str) -> bool:
    """Whether a normalised token is one character of a script without spaces (with its marks).

    >>> is_character_token("京"), is_character_token("x"), is_character_token("京都")
    (True, False, False)
    """
    return bool(norm) and char_class(norm[0]) == CHARACTER and all(char_class(c) == MARK for c in norm[1:])

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ",
    }
)


@lru_cache(maxsize=1 << 20)
def normalize(token: str) -> str:
    """The form a token is hashed and scored by: NFKC, casefolded, quotes and dashes folded."""
    return unicodedata.normalize("NFKC", token.translate(_FOLD)).casefold()


@lru_cache(maxsize=1 << 20)
def token_hash(norm: str) -> int:
    """64-bit hash of a normalised token (xxh3); stable across runs and machines."""
    return xxhash.xxh3_64_intdigest(norm.encode("utf-8"))
