"""Tokens with character spans into the original text, and their normalised forms.

Offsets are sacred: we never normalise the stored text. Each token keeps ``[start, end)`` into the
string exactly as read, and a normalised form (:func:`reuse.text.normalize.normalize`) used only
for hashing and scoring. :func:`tokenize` is the one tokenizer every stage calls; the scanning is
done by the kernels of :mod:`reuse.text.scan`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import regex

from reuse.text.normalize import (  # noqa: F401 - normalize, token_hash, char_class: re-exported, their old home
    TOKEN,
    char_class,
    is_character_token,
    normalize,
    token_hash,
)
from reuse.text.scan import norms_of, scan_text

# Sentence ends: . ! ? … before a space, the CJK full stops and marks with or without one, a blank
# line; and a space between two Thai or Lao letters (those scripts mark sentences with a space).
_SENTENCE_END = regex.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？｡]+[」』”’）)]*|\n\s*\n|(?<=[\p{Thai}\p{Lao}])[ \t]+(?=[\p{Thai}\p{Lao}])"
)
_SENTENCE_END_PLAIN = regex.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？｡]+[」』”’）)]*|\n\s*\n")  # no Thai or Lao in the text
_THAI_LAO = regex.compile(r"[\p{Thai}\p{Lao}]")


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of one text: spans into the original and normalised forms.

    ``starts[i]:ends[i]`` is the i-th word in the original text; ``norms[i]`` its normalised
    form and ``ids[i]`` the 64-bit hash of that form.
    """

    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    ids: np.ndarray  # uint64
    norms: Sequence[str]  # a tuple, or LazyNorms

    def __len__(self) -> int:
        return len(self.norms)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character ``[start, end)`` covering words ``first`` to ``last`` inclusive."""
        return int(self.starts[first]), int(self.ends[last])


def tokenize(text: str, *, lazy_norms: bool = False) -> Tokens:
    """Split ``text`` into word tokens with exact character spans.

    Words are runs of letters, digits and marks; in scripts without spaces
    (:data:`~reuse.text.normalize.CHARACTER_SCRIPTS`) every character is a token.
    ``lazy_norms=True`` defers the normalised forms to first use (:class:`LazyNorms`): scoring
    reads only a handful of them.

    >>> tokenize("Tokyo 東京タワー").norms
    ('tokyo', '東', '京', 'タ', 'ワ', 'ー')
    """
    starts, ends, ids, slow_idx = scan_text(text)
    norms = LazyNorms(text, starts, ends, slow_idx) if lazy_norms else norms_of(text, starts, ends, slow_idx)
    return Tokens(starts=starts, ends=ends, ids=ids, norms=norms)


class LazyNorms(Sequence[str]):
    """The normalised forms of a text's tokens, each computed on first access.

    Behaves as the tuple :func:`tokenize` gives (indexing, iteration, ``len``, equality with a
    tuple); ``lengths()`` gives every form's length without building the strings (an ASCII word
    normalises to its own length).
    """

    __slots__ = ("_text", "_starts", "_ends", "_slow", "_cache")

    def __init__(self, text: str, starts: np.ndarray, ends: np.ndarray, slow_idx: np.ndarray) -> None:
        self._text, self._starts, self._ends, self._slow = text, starts, ends, slow_idx
        self._cache: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, k):  # noqa: ANN001, ANN204 - Sequence protocol (int or slice)
        if isinstance(k, slice) or self._cache is not None:
            return self._all()[k]
        if k < 0:
            k += len(self)
        word = self._text[int(self._starts[k]) : int(self._ends[k])]
        return word.lower() if word.isascii() else normalize(word)  # an ASCII word normalises to its lower case

    def _all(self) -> tuple[str, ...]:
        if self._cache is None:
            self._cache = norms_of(self._text, self._starts, self._ends, self._slow)
        return self._cache

    def __iter__(self):  # noqa: ANN204
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return tuple(self._all()) == (tuple(other) if isinstance(other, (tuple, list, LazyNorms)) else other)

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def not_ascii(self, positions: np.ndarray) -> np.ndarray:
        """Per position: does the word start with a non-ASCII character? (Read from the text, not
        normalised: an ASCII character normalises to ASCII.)"""
        text = self._text
        if text.isascii():  # one C-level pass, where a Python call per word would be the cost
            return np.zeros(len(positions), dtype=bool)
        return np.fromiter((ord(text[s]) > 127 for s in self._starts[positions].tolist()), dtype=bool,
                           count=len(positions))

    def lengths(self) -> np.ndarray:
        out = self._ends - self._starts
        for k in self._slow.tolist():
            out[k] = len(normalize(self._text[int(self._starts[k]) : int(self._ends[k])]))
        return out


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The tokens of several documents side by side, with the distinct ids among them.

    Per-token tables (stop words, document frequencies, content terms) are looked up once per
    distinct id of the batch (``vocab``, sorted: a search with sorted keys runs in cache) and
    read back per token through ``inverse``; a chunk of a thousand documents repeats most of
    its words, and numpy's cost per call would dominate if each document were done alone.
    """

    docs: Sequence[Tokens]
    offsets: np.ndarray  # int64: document d's tokens are offsets[d]:offsets[d + 1] of ``ids``
    ids: np.ndarray  # uint64: every token's id, document after document
    vocab: np.ndarray  # uint64: the distinct ids, sorted
    inverse: np.ndarray  # int64: each token's index into ``vocab``

    def owner(self, positions: np.ndarray) -> np.ndarray:
        """The document of each position of ``ids``."""
        return np.searchsorted(self.offsets, positions, side="right") - 1

    def norm(self, position: int) -> str:
        """The normalised form of the token at ``position`` of ``ids``."""
        d = int(np.searchsorted(self.offsets, position, side="right")) - 1
        return self.docs[d].norms[position - int(self.offsets[d])]


def token_batch(docs: Sequence[Tokens]) -> TokenBatch:
    """The :class:`TokenBatch` of ``docs`` (one sort of all their ids)."""
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    ids = np.concatenate([t.ids for t in docs]) if len(docs) > 1 else (docs[0].ids if docs else np.empty(0, np.uint64))
    vocab, inverse = np.unique(ids, return_inverse=True)
    return TokenBatch(docs, offsets, ids, vocab, inverse.ravel().astype(np.int64))


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
    look = (tokens.ends[positions] - tokens.starts[positions]) <= 4
    if isinstance(tokens.norms, LazyNorms):
        look &= tokens.norms.not_ascii(positions)  # an ASCII word is never a character token
    for k in np.flatnonzero(look).tolist():
        norm = tokens.norms[int(positions[k])]
        out[k] = not norm.isascii() and is_character_token(norm)
    return out


def word_count(tokens: Tokens, positions: np.ndarray) -> float:
    """Words among the tokens at ``positions``: a character token counts ``CHARACTER_WORD_SHARE``.

    >>> t = tokenize("Tokyo 東京タワー")
    >>> word_count(t, np.arange(len(t)))
    3.5
    """
    chars = int(character_mask(tokens, positions).sum())
    return len(positions) - (1.0 - CHARACTER_WORD_SHARE) * chars


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ``[start, end)`` spans, trimmed of surrounding whitespace, covering all words.

    A light rule-based splitter (terminal punctuation followed by space, CJK full stops, a blank
    line, a space inside Thai or Lao text): good enough to window news prose for paraphrase
    matching; never used for offsets of passages.
    """
    cuts = [(m.start(), m.end(), text[m.start()] == "\n") for m in _sentence_ends(text)]
    spans: list[tuple[int, int]] = []
    pos = 0
    for start, end, blank in cuts:
        _append_trimmed(text, pos, start if blank else end, spans)
        pos = end
    _append_trimmed(text, pos, len(text), spans)
    return spans


def sentence_starts(text: str, tokens: Tokens) -> np.ndarray:
    """The first token of each sentence of :func:`sentence_spans`, as token numbers (int64, ascending).

    The same sentences without building them: a sentence end is punctuation or white space,
    never part of a word, so the words between two ends are one sentence's (or none: a span
    without a word is no sentence), and ``tokens`` (of ``text``) number them directly. Only which
    gaps between words hold an end matters, so outside Thai and Lao text (whose rule looks at the
    letters around a space) a compiled pass over the code points finds them
    (:mod:`reuse.text.sentence_ends`), where numba is on.
    """
    if not len(tokens):
        return np.empty(0, np.int64)
    kernel = _end_kernel()
    if kernel is None or (not text.isascii() and _THAI_LAO.search(text)):
        ends = np.fromiter((m.end() for m in _sentence_ends(text)), np.int64)
        sentence = np.searchsorted(ends, tokens.starts, side="right")
        return np.flatnonzero(np.diff(sentence, prepend=-1)).astype(np.int64)
    end_positions, table = kernel
    at = np.searchsorted(tokens.starts, end_positions(np.frombuffer(text.encode("utf-32-le", "surrogatepass"),
                                                                    np.uint32), table), side="right")
    at = np.concatenate(([0], at[(at > 0) & (at < len(tokens))])).astype(np.int64)  # ascending: ends are
    return at[np.concatenate(([True], at[1:] != at[:-1]))]  # found in text order; drop the repeats


@cache
def _end_kernel() -> tuple[Callable[[np.ndarray, np.ndarray], np.ndarray], np.ndarray] | None:
    """The compiled sentence-end finder and its class table, or None without numba."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.text.sentence_ends import CLASS, end_positions

    return end_positions, CLASS


def _sentence_ends(text: str) -> Iterator[regex.Match[str]]:
    thai = not text.isascii() and _THAI_LAO.search(text)
    return (_SENTENCE_END if thai else _SENTENCE_END_PLAIN).finditer(text)


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    core = piece.strip()
    if core and TOKEN.search(core):
        start += len(piece) - len(piece.lstrip())
        spans.append((start, start + len(core)))


def compiled_sentence_ends(text: str) -> bool:
    """Does the compiled pass (:func:`reuse.text.sentence_ends.end_positions`) find every sentence end of ``text``?
    (numba is on, and the text has no Thai or Lao, whose rule looks at the letters around a space.)"""
    return _end_kernel() is not None and (text.isascii() or not _THAI_LAO.search(text))

