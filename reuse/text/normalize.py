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

WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")
"""A word: letters, digits and combining marks. Apostrophes (straight or curly) split words on both
sides, so "regime’s" and "regime's" give the same tokens."""

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
