"""Tokens with character spans into the original text, and their normalised forms.

Offsets are sacred: we never normalise the stored text. Each token keeps ``[start, end)`` into the
string exactly as read, and a normalised form (NFKC, casefold, quotes/dashes folded) used only for
hashing and scoring. So a copy that differs only by NBSPs or curly quotes hashes identically while
every passage a user sees is still ``text[start:end]``.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex
import xxhash

# Letters, digits and combining marks; apostrophes (straight or curly) split words on both sides,
# so "regime’s" and "regime's" give the same tokens.
_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")
_SENTENCE_END = regex.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n\s*\n")

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


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of one text: spans into the original and normalised forms.

    ``starts[i]:ends[i]`` is the i-th word in the original text; ``norms[i]`` its normalised
    form and ``ids[i]`` the 64-bit hash of that form.
    """

    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    ids: np.ndarray  # uint64
    norms: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.norms)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character ``[start, end)`` covering words ``first`` to ``last`` inclusive."""
        return int(self.starts[first]), int(self.ends[last])


def tokenize(text: str) -> Tokens:
    """Split ``text`` into word tokens with exact character spans."""
    starts: list[int] = []
    ends: list[int] = []
    norms: list[str] = []
    for m in _WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        norms.append(normalize(m.group()))
    ids = np.fromiter((token_hash(n) for n in norms), dtype=np.uint64, count=len(norms))
    return Tokens(
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
        ids=ids,
        norms=tuple(norms),
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ``[start, end)`` spans, trimmed of surrounding whitespace, covering all words.

    A light rule-based splitter (terminal punctuation followed by space, or a blank line): good
    enough to window news prose for paraphrase matching; never used for offsets of passages.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        _append_trimmed(text, pos, end, spans)
        pos = m.end()
    _append_trimmed(text, pos, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _WORD.search(text, start, end):
        spans.append((start, end))
