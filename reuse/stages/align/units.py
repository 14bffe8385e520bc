"""Sentence units of one document, with the content terms the paraphrase aligner compares.

Edited and paraphrased reuse keeps a passage's *content words* (often reordered, inflected
differently, some replaced) while its word sequence changes; so the paraphrase side of the aligner
compares sentences as bags of stemmed content words. Units are token ranges, so every passage built
from them starts and ends on word edges and maps back to exact character offsets.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from reuse.text.stopwords import FUNCTION_WORDS
from reuse.text.terms import stem
from reuse.text.tokens import Tokens, sentence_spans


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
    pair's term matrices needs no per-term Python work (see :func:`reuse.align_seed.pair_space`).
    """

    first: np.ndarray  # int64
    last: np.ndarray  # int64
    terms: tuple[tuple[str, ...], ...]
    vocab: tuple[str, ...] = ()
    term_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    term_rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def __len__(self) -> int:
        return len(self.first)

    def unit_of_token(self, n_tokens: int) -> np.ndarray:
        """For every token, the unit holding it."""
        out = np.zeros(n_tokens, dtype=np.int64)
        for u, (f, l) in enumerate(zip(self.first, self.last)):
            out[f : l + 1] = u
        return out


def sentence_units(text: str, tokens: Tokens, *, min_terms: int, max_words: int) -> Units:
    """Sentences as token ranges; short ones joined to the next, long ones cut into pieces.

    A sentence with fewer than ``min_terms`` content terms (a heading, "Yes.") carries too little
    to compare on its own, so it joins the following sentence. Text without sentence punctuation
    (lists, tables) would otherwise form one huge unit that matches everything weakly, so units
    longer than ``max_words`` are cut into equal pieces.
    """
    n = len(tokens)
    if n == 0:
        return Units(np.empty(0, np.int64), np.empty(0, np.int64), ())
    spans = np.asarray(sentence_spans(text), dtype=np.int64).reshape(-1, 2)
    # Token range of each sentence, looked up for all sentences at once.
    firsts_of = np.searchsorted(tokens.starts, spans[:, 0], side="left").tolist()
    lasts_of = (np.searchsorted(tokens.ends, spans[:, 1], side="right") - 1).tolist()
    bounds = [(f, l) for f, l in zip(firsts_of, lasts_of) if f <= l]
    # Cover any token the splitter left out (cannot normally happen) by stretching neighbours.
    fixed: list[tuple[int, int]] = []
    nxt = 0
    for _f, l in bounds:
        if l < nxt:
            continue
        fixed.append((nxt, l))
        nxt = l + 1
    if nxt < n:
        if fixed:
            fixed[-1] = (fixed[-1][0], n - 1)
        else:
            fixed.append((0, n - 1))
    pieces: list[tuple[int, int]] = []
    for f, l in fixed:
        size = l - f + 1
        k = -(-size // max_words)
        step = -(-size // k)
        pieces.extend((s, min(l, s + step - 1)) for s in range(f, l + 1, step))
    all_terms = [content_term(w) for w in tokens.norms]
    firsts, lasts, terms = [], [], []
    pending: int | None = None
    for f, l in pieces:
        start = f if pending is None else pending
        t = [x for x in all_terms[start : l + 1] if x is not None]
        if len(t) < min_terms and (l + 1) < n:
            pending = start
            continue
        pending = None
        firsts.append(start)
        lasts.append(l)
        terms.append(tuple(t))  # the last piece always closes a unit, short or not
    index: dict[str, int] = {}
    ids = [index.setdefault(t, len(index)) for unit_terms in terms for t in unit_terms]
    rows = np.repeat(np.arange(len(terms), dtype=np.int64), [len(t) for t in terms])
    return Units(np.asarray(firsts, np.int64), np.asarray(lasts, np.int64), tuple(terms),
                 tuple(index), np.asarray(ids, dtype=np.int64), rows)


_CACHE_SIZE = 64
_cache: OrderedDict[tuple[int, int, int], tuple[str, Tokens, Units]] = OrderedDict()


def cached_sentence_units(text: str, tokens: Tokens, *, min_terms: int, max_words: int) -> Units:
    """:func:`sentence_units`, remembered for the last few documents.

    A document is aligned against every candidate it pairs with, and its units are the costliest
    per-document part of the aligner (sentence splitting, stemming every word), so they are kept
    for the most recently seen documents. The entry holds the very ``tokens`` object and text it
    was built from and is used only for those same objects (an ``is`` test, so a recycled ``id``
    cannot match): the result is exactly what :func:`sentence_units` returns.
    """
    key = (id(tokens), min_terms, max_words)
    hit = _cache.get(key)
    if hit is not None and hit[1] is tokens and (hit[0] is text or hit[0] == text):
        _cache.move_to_end(key)
        return hit[2]
    units = sentence_units(text, tokens, min_terms=min_terms, max_words=max_words)
    _cache[key] = (text, tokens, units)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return units
