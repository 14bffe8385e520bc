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

CHARACTER_SCRIPTS = ("Han", "Hiragana", "Katakana", "Bopomofo", "Thai", "Lao", "Khmer", "Myanmar")
"""Scripts written without spaces between words: each of their letters and digits is a token of its
own (with any combining marks that follow it), so shingles there are character n-grams. Hangul
separates words with spaces and keeps word tokens."""

# A letter or digit of a CHARACTER_SCRIPTS script; also the kana length mark "ー" (and its
# half-width form), whose script is Common but which is written inside katakana words.
_CHAR = "[[" + "".join(rf"\p{{{s}}}" for s in CHARACTER_SCRIPTS) + r"\u30fc\uff70]&&[\p{L}\p{N}]]"
# A token is one such character with its marks, or a run of other letters, digits and combining
# marks; apostrophes (straight or curly) split words on both sides, so "regime’s" and "regime's"
# give the same tokens.
_WORD = regex.compile(rf"(?V1){_CHAR}\p{{M}}*|[[\p{{L}}\p{{N}}\p{{M}}]--{_CHAR}]+")
_IS_CHAR = regex.compile(rf"(?V1){_CHAR}")
_IS_MARK = regex.compile(r"\p{M}")
# Sentence ends: . ! ? … before a space, the CJK full stops and marks with or without one, a blank
# line; and a space between two Thai or Lao letters (those scripts mark sentences with a space).
_SENTENCE_END = regex.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？｡]+[」』”’）)]*|\n\s*\n|(?<=[\p{Thai}\p{Lao}])[ \t]+(?=[\p{Thai}\p{Lao}])"
)

NOT_WORD, WORD, MARK, CHARACTER = 0, 1, 2, 3
"""Token classes of one code point (:func:`char_class`)."""


@lru_cache(maxsize=1 << 16)
def char_class(ch: str) -> int:
    """How ``ch`` takes part in tokens: ``NOT_WORD`` (splits tokens), ``WORD`` (joins a word run),
    ``MARK`` (a combining mark: extends the token before it, or starts a word), or ``CHARACTER``
    (a token of its own, in a script without spaces).

    The fast tokenizer (:mod:`reuse.text.fast`) builds its lookup table from this, so both agree.

    >>> [char_class(c) for c in "a,中\u0301"]
    [1, 0, 3, 2]
    """
    if _IS_CHAR.fullmatch(ch):
        return CHARACTER
    if _IS_MARK.fullmatch(ch):
        return MARK
    return WORD if _WORD.fullmatch(ch) else NOT_WORD

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2007": " ",
    }
)


def is_character_token(norm: str) -> bool:
    """Whether a normalised token is one character of a script without spaces (with its marks).

    >>> is_character_token("京"), is_character_token("x"), is_character_token("京都")
    (True, False, False)
    """
    return bool(norm) and char_class(norm[0]) == CHARACTER and all(char_class(c) == MARK for c in norm[1:])


CHARACTER_WORD_SHARE = 0.5
"""How much of a word one character token is, where lengths are counted in words (the aligner's
``min_passage_words``): Chinese and Japanese run about two characters a word, so an 8-word passage
there is 16 characters, not 8 (a shared name or set phrase alone is no passage)."""


def character_mask(tokens: Tokens, positions: np.ndarray | None = None) -> np.ndarray:
    """Per token (of ``positions``, default all): is it a character token (:func:`is_character_token`)?

    Only tokens at most four characters long (a character and its marks) are looked at.
    """
    positions = np.arange(len(tokens)) if positions is None else np.asarray(positions, dtype=np.int64)
    out = np.zeros(len(positions), dtype=bool)
    for k in np.flatnonzero((tokens.ends[positions] - tokens.starts[positions]) <= 4).tolist():
        out[k] = is_character_token(tokens.norms[int(positions[k])])
    return out


def word_count(tokens: Tokens, positions: np.ndarray) -> float:
    """Words among the tokens at ``positions``: a character token counts ``CHARACTER_WORD_SHARE``.

    >>> t = tokenize("Tokyo 東京タワー")
    >>> word_count(t, np.arange(len(t)))
    3.5
    """
    chars = int(character_mask(tokens, positions).sum())
    return len(positions) - (1.0 - CHARACTER_WORD_SHARE) * chars


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
    """Split ``text`` into word tokens with exact character spans.

    Words are runs of letters, digits and marks; in scripts without spaces
    (:data:`CHARACTER_SCRIPTS`) every character is a token.

    >>> tokenize("Tokyo 東京タワー").norms
    ('tokyo', '東', '京', 'タ', 'ワ', 'ー')
    """
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

    A light rule-based splitter (terminal punctuation followed by space, CJK full stops, a blank
    line, a space inside Thai or Lao text): good enough to window news prose for paraphrase matching; never used for offsets of passages.
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
