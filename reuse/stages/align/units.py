"""Sentence units of one document, with the content terms the paraphrase aligner compares.

Edited and paraphrased reuse keeps a passage's *content words* (often reordered, inflected
differently, some replaced) while its word sequence changes; so the paraphrase side of the aligner
compares sentences as bags of stemmed content words. Units are token ranges, so every passage built
from them starts and ends on word edges and maps back to exact character offsets.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np

from reuse.text.stopwords import FUNCTION_WORDS
from reuse.text.terms import stem
from reuse.text.tokens import TokenBatch, Tokens, compiled_sentence_ends, sentence_starts


@lru_cache(maxsize=1 << 18)
def content_term(norm: str) -> str | None:
    """The stemmed term a normalised token contributes, or None for function words."""
    if norm in FUNCTION_WORDS or (len(norm) < 2 and not norm.isdigit()):
        return None
    return stem(norm)


@dataclass(frozen=True, slots=True)
class Units:
    """Sentence units of a document: ``first[u]..last[u]`` (inclusive) are unit ``u``'s tokens.

    ``terms[u]`` lists the content terms of unit ``u`` (with repeats). ``vocab`` holds the distinct
    terms in order of first occurrence and ``term_ids`` every unit's terms as indices into it (unit
    after unit, ``term_rows`` naming each one's unit): computed once per document, so building a
    pair's term matrices needs no per-term Python work (see :func:`reuse.stages.align.seed.pair_space`).
    ``term_gids`` numbers each vocabulary term in one process-wide table, so two documents' terms
    compare as integers (the cascade's compiled seed test, :mod:`reuse.stages.align.cascade`).
    """

    first: np.ndarray  # int64
    last: np.ndarray  # int64
    term_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    term_rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    term_gids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # vocab -> process-wide id
    of_token: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # the unit of every token

    def __len__(self) -> int:
        return len(self.first)

    @property
    def vocab(self) -> tuple[str, ...]:
        """The distinct terms, in order of first occurrence (the strings of ``term_gids``)."""
        return tuple(map(_TERMS.__getitem__, self.term_gids.tolist()))

    @property
    def terms(self) -> tuple[tuple[str, ...], ...]:
        """Each unit's content terms, in text order with repeats (built on demand: tests, debugging)."""
        cuts = np.searchsorted(self.term_rows, np.arange(len(self.first) + 1))
        words = [self.vocab[i] for i in self.term_ids.tolist()]
        return tuple(tuple(words[cuts[u] : cuts[u + 1]]) for u in range(len(self.first)))

    def unit_of_token(self, n_tokens: int) -> np.ndarray:
        """For every token (of the ``n_tokens`` the units were built from), the unit holding it."""
        if len(self.of_token) == n_tokens:
            return self.of_token
        # Units are contiguous from token 0 (sentence_units covers every token), so a token's
        # unit is the last one starting at or before it.
        return np.maximum(np.searchsorted(self.first, np.arange(n_tokens), side="right") - 1, 0)


def sentence_units(text: str, tokens: Tokens, *, min_terms: int, max_words: int, terms: np.ndarray | None = None) -> Units:
    """Sentences as token ranges; short ones joined to the next, long ones cut into pieces.

    A sentence with fewer than ``min_terms`` content terms (a heading, "Yes.") carries too little
    to compare on its own, so it joins the following sentence. Text without sentence punctuation
    (lists, tables) would otherwise form one huge unit that matches everything weakly, so units
    longer than ``max_words`` are cut into equal pieces. ``terms``: the tokens' :func:`token_terms`,
    when the caller looked them up already (for a chunk of documents at once).
    """
    n = len(tokens)
    if n == 0:
        return Units(np.empty(0, np.int64), np.empty(0, np.int64))
    gid = token_terms(tokens) if terms is None else terms
    whole = _text_kernel() if compiled_sentence_ends(text) else None
    if whole is not None:  # one compiled call from the text's code points to the units
        code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        return Units(*whole[0](code_points, whole[1], tokens.starts, gid, min_terms, max_words, term_slots()))
    starts = sentence_starts(text, tokens)
    kernel = _kernel()
    first, last, *arrays = kernel(starts, gid, min_terms, max_words, term_slots()) if kernel is not None else \
        _assemble(starts, gid, min_terms, max_words)
    return Units(first, last, *arrays, np.repeat(np.arange(len(first)), last - first + 1))


def _assemble(starts: np.ndarray, gid: np.ndarray, min_terms: int, max_words: int) -> tuple[np.ndarray, ...]:
    """``(first, last, term_ids, term_rows, term_gids)`` of the units of sentences starting at ``starts``,
    with ``gid`` each token's term (the numpy twin of :func:`reuse.stages.align.units_kernel.assemble`)."""
    n = len(gid)
    first, last = _pieces(starts, n, max_words)
    # Content terms before each token: a piece's count is a difference, not a scan.
    before = np.concatenate(([0], np.cumsum(gid >= 0))).tolist()
    firsts, lasts = [], []
    pending: int | None = None
    for f, l in zip(first.tolist(), last.tolist()):
        start = f if pending is None else pending
        if before[l + 1] - before[start] < min_terms and (l + 1) < n:
            pending = start
            continue
        pending = None
        firsts.append(start)
        lasts.append(l)  # the last piece always closes a unit, short or not
    first = np.asarray(firsts, np.int64)
    content = np.flatnonzero(gid >= 0)
    rows = np.searchsorted(first, content, side="right") - 1
    entries = gid[content]
    # The document's vocabulary in order of first occurrence, and each entry's index into it.
    uniq, at, local = np.unique(entries, return_index=True, return_inverse=True)
    order = np.argsort(at, kind="stable")
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return (first, np.asarray(lasts, np.int64), rank[local.ravel()].astype(np.int64), rows.astype(np.int64),
            uniq[order].astype(np.int64))


@cache
def _kernel() -> Any:
    """The compiled :func:`_assemble`, or None without numba (imported on first use)."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.stages.align.units_kernel import assemble

    return assemble


@cache
def _text_kernel() -> Any:
    """The compiled :func:`sentence_units` from a text's code points, with its class table, or None
    without numba (imported on first use)."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.stages.align.units_kernel import units_of_text
    from reuse.text.sentence_ends import CLASS

    return units_of_text, CLASS


def _pieces(starts: np.ndarray, n: int, max_words: int) -> tuple[np.ndarray, np.ndarray]:
    """Sentences (first tokens ``starts`` of ``n``) cut into equal pieces of at most ``max_words``.

    A sentence of ``size`` tokens becomes ``k = ceil(size / max_words)`` pieces of ``ceil(size / k)``
    tokens, the last one shorter: ``(first, last)`` token of every piece, in text order.
    """
    lasts = np.append(starts[1:] - 1, n - 1)
    size = lasts - starts + 1
    step = -(-size // -(-size // max_words))
    count = -(-size // step)
    at = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)  # piece number in its sentence
    first = np.repeat(starts, count) + at * np.repeat(step, count)
    return first, np.minimum(np.repeat(lasts, count), first + np.repeat(step, count) - 1)


def unique_unit_pairs(pairs: np.ndarray) -> np.ndarray:
    """The distinct rows of an ``(m, 2)`` array of unit pairs (seeds), in ``(u, v)`` order.

    ``np.unique(pairs, axis=0)``'s result, through one integer key per row (far cheaper).
    """
    if not len(pairs):
        return np.empty((0, 2), np.int64)
    width = int(pairs[:, 1].max()) + 1
    keys = np.unique(pairs[:, 0].astype(np.int64) * width + pairs[:, 1])
    return np.stack((keys // width, keys % width), axis=1)


def token_terms(tokens: Tokens) -> np.ndarray:
    """Process-wide id of each token's content term (:func:`content_term`), -1 for function words.

    A token's term depends only on its normalised form, which its id stands for, so it is looked
    up once per distinct token id and remembered for the process, in a sorted table searched for
    all tokens at once (ids met since the table was last rebuilt wait in a dict): no per-token
    Python call once the vocabulary is known.
    """
    ids = tokens.ids
    out = _table_terms(ids)
    miss = np.flatnonzero(out == -2)
    out[miss] = _learn_terms(ids[miss], lambda x: tokens.norms[int(miss[x])])
    _grown()
    return out


def batch_token_terms(batch: TokenBatch) -> list[np.ndarray]:
    """:func:`token_terms` of every document of ``batch``, looked up once per distinct id of the
    batch (a chunk of pairs holds a thousand documents repeating most of their words)."""
    found = _table_terms(batch.vocab)
    missing = np.flatnonzero(found == -2)
    if len(missing):  # the term of each missing id is its first token's
        where = np.flatnonzero((found == -2)[batch.inverse])
        first = where[np.unique(batch.inverse[where], return_index=True)[1]]
        found[missing] = _learn_terms(batch.vocab[missing], lambda x: batch.norm(int(first[x])))
    _grown()
    return np.split(found[batch.inverse], batch.offsets[1:-1])


def _table_terms(ids: np.ndarray) -> np.ndarray:
    """The term of each id found in the sorted table, -2 for the others."""
    out = np.full(len(ids), -2, np.int64)
    if len(_KNOWN_IDS) and len(ids):
        at = np.minimum(np.searchsorted(_KNOWN_IDS, ids), len(_KNOWN_IDS) - 1)
        hit = _KNOWN_IDS[at] == ids
        out[hit] = _KNOWN_TERMS[at[hit]]
    return out


def _learn_terms(ids: np.ndarray, norm: Callable[[int], str]) -> list[int]:
    """The term of each id not in the table (``norm(x)``: the normalised form of ``ids[x]``, read
    only for an id not met since the table was rebuilt), numbering new terms."""
    out = []
    for x, i in enumerate(ids.tolist()):
        g = _RECENT.get(i)
        if g is None:
            term = content_term(norm(x))
            g = -1 if term is None else _GLOBAL_IDS.setdefault(term, len(_GLOBAL_IDS))
            if g == len(_TERMS):
                _TERMS.append(term)
            _RECENT[i] = g
        out.append(g)
    return out


def _grown() -> None:
    """Rebuild the table once the ids waiting in the dict reach a quarter of it (amortised)."""
    if len(_RECENT) > max(1024, len(_KNOWN_IDS) // 4):
        _rebuild_table()


def _rebuild_table() -> None:
    """Move the token ids met lately into the sorted table (rebuilt as it grows by a quarter: amortised)."""
    global _KNOWN_IDS, _KNOWN_TERMS
    ids = np.concatenate((_KNOWN_IDS, np.fromiter(_RECENT.keys(), np.uint64, len(_RECENT))))
    terms = np.concatenate((_KNOWN_TERMS, np.fromiter(_RECENT.values(), np.int64, len(_RECENT))))
    order = np.argsort(ids)
    _KNOWN_IDS, _KNOWN_TERMS = ids[order], terms[order]
    _RECENT.clear()


_GLOBAL_IDS: dict[str, int] = {}
"""Every content term seen by this process, numbered on first sight (ids are only compared for
equality, so the numbering never changes a result)."""
_TERMS: list[str] = []  # id -> term
_KNOWN_IDS = np.empty(0, np.uint64)  # token ids, sorted
_KNOWN_TERMS = np.empty(0, np.int64)  # their term ids, or -1
_RECENT: dict[int, int] = {}  # token id -> term id, or -1, for ids not yet in the table


def term_slots() -> np.ndarray:
    """A scratch table of -1s, one per content term numbered so far in this process, for the
    kernels that number a document's or a pair's terms without sorting them (each leaves it as
    it found it): numba's sort costs more than all the rest of their work on a few hundred terms."""
    global _SLOTS
    if len(_SLOTS) < len(_TERMS):
        _SLOTS = np.full(max(2 * len(_SLOTS), len(_TERMS), 1024), -1, np.int64)
    return _SLOTS


_SLOTS = np.empty(0, np.int64)


_CACHE_SIZE = 1024
_cache: OrderedDict[tuple[int, int, int, int], tuple[str, Tokens, Units]] = OrderedDict()


def cached_sentence_units(text: str, tokens: Tokens, *, min_terms: int, max_words: int,
                          terms: np.ndarray | None = None) -> Units:
    """:func:`sentence_units`, remembered for the last ``_CACHE_SIZE`` documents.

    A document is aligned against every candidate it pairs with, and its units are the costliest
    per-document part of the aligner (sentence splitting, stemming every word), so they are built
    once for the documents met lately (a chunk of pairs holds up to 1,024), whichever chunk meets
    them again: a chunk tokenises its documents afresh, so an entry is found by the text's
    content, and used only when the text and the tokens' spans and ids are equal to those it was
    built from. The result is exactly what :func:`sentence_units` returns.
    """
    key = (len(text), hash(text), min_terms, max_words)
    hit = _cache.get(key)
    if hit is not None and _same(hit[0], hit[1], text, tokens):
        _cache.move_to_end(key)
        return hit[2]
    units = sentence_units(text, tokens, min_terms=min_terms, max_words=max_words, terms=terms)
    _cache[key] = (text, tokens, units)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return units


def _same(text: str, tokens: Tokens, other_text: str, other: Tokens) -> bool:
    """Equal texts and equal tokens (spans and ids): the units of one are the units of the other."""
    if tokens is other:
        return text is other_text or text == other_text
    return (text == other_text and len(tokens) == len(other) and np.array_equal(tokens.starts, other.starts)
            and np.array_equal(tokens.ends, other.ends) and np.array_equal(tokens.ids, other.ids))
