"""Claim units of a corpus as compact arrays, built batch by batch with no per-token Python call.

Two streaming passes over the texts, each a pure function of a batch (so the engine runs them in
its process pool, and the answer does not depend on how the corpus is cut):

1. :func:`count_batch` gathers the corpus aggregates: how often each word is capitalised in
   mid-sentence (which words are names), in how many sentences and documents each claim term
   occurs (IDF, background terms), and which lines repeat within one source (boilerplate);
2. :func:`units_batch`, given those aggregates (:class:`Model`), turns each document into its
   claim units: sentences (cut at line breaks; headings dropped) and windows of adjacent
   sentences of one paragraph, each a short array of term ids with IDF x name-discount weights,
   L2-normalised. A document's units take a few KB; its text is not kept.

Both passes start from the same reading of each document (:mod:`reuse.stages.talking.sentences`:
tokens, lexicon rows, capitals, sentence pieces).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reuse.stages.candidates import in_sorted
from reuse.stages.score import smooth_idf
from reuse.stages.talking.sentences import Analysed, Read, Readings, Words, analyse_batch, line_hashes, name_runs
from reuse.text.lexicon import FLAG_CHARACTER, FLAG_CONTENT, FLAG_DIGITS, FLAG_GLUE, FLAG_MONTH, FLAG_NUMBER

ENTRY_NAME, ENTRY_NUMBER, ENTRY_DATE = 1, 2, 4
"""Flags of a unit's term: inside a name phrase; a 2+ digit number; a month name."""

NAME_SHARE = 0.5
"""A word is a name when the corpus writes it capitalised mid-sentence more than this share of the time."""


@dataclass(frozen=True, slots=True)
class DocUnits:
    """One document's claim units: sentences first, then windows of 2+ adjacent sentences.

    ``words`` and ``chars`` are each unit's token range (inclusive) and character span; unit
    ``u``'s terms are ``terms[indptr[u]:indptr[u+1]]`` with ``weights`` (L2-normalised), the token
    position of each (``pos``; a name word's is its phrase's first word) and ``flags`` (``ENTRY_*``).
    ``claim_words`` answers the requested token ranges (see :func:`units_batch`).
    """

    words: np.ndarray
    chars: np.ndarray
    n_sentences: int
    indptr: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    pos: np.ndarray
    flags: np.ndarray
    claim_words: np.ndarray

    def __len__(self) -> int:
        return len(self.words)

    def unit(self, u: int) -> slice:
        return slice(int(self.indptr[u]), int(self.indptr[u + 1]))


@dataclass(frozen=True, slots=True)
class Counts:
    """What one batch contributes to the corpus aggregates (summed by :func:`merge`)."""

    n_docs: int
    n_units: int
    name_ids: np.ndarray  # uint64 token ids seen mid-sentence
    name_seen: np.ndarray
    name_upper: np.ndarray
    terms: np.ndarray  # uint64 term hashes
    unit_df: np.ndarray
    doc_df: np.ndarray
    lines: np.ndarray  # uint64 line hashes of documents with a source
    line_src: np.ndarray  # int64 source code of each
    readings: Readings  # the batch as analysed, for the units pass (:func:`units_batch`)


@dataclass(frozen=True, slots=True)
class Model:
    """The corpus aggregates a unit needs: names, term ids and IDF, boilerplate lines."""

    names: np.ndarray  # sorted uint64 token ids that are names
    vocab: np.ndarray  # sorted uint64 term hashes in >= 2 sentences (the only ones two units can share)
    idf: np.ndarray  # float64 per vocab entry
    hapax_idf: float  # idf of a term of one sentence
    boiler: np.ndarray  # sorted uint64 hashes of boilerplate lines


# --- pass 1: corpus aggregates -------------------------------------------------------------------


def count_batch(texts: Sequence[str], sources: Sequence[int], min_words: int) -> Counts:
    """Name, term and boilerplate counts of a batch (``sources[k]``: a source code, -1 for none),
    and the batch's :class:`Readings` for the units pass."""
    name_ids, name_up, terms, docs_of_terms, lines, line_src = [], [], [], [], [], []
    n_units = 0
    docs, words = analyse_batch(texts, min_words)
    for doc, src in zip(docs, sources):
        mid = ((doc.flags & FLAG_CONTENT) > 0) & ~doc.initial & ((doc.flags & FLAG_DIGITS) == 0)
        name_ids.append(doc.tokens.ids[mid])
        name_up.append(doc.upper[mid])
        h, u = _unit_terms(doc, words)
        n_units += len(doc.units)
        # distinct (unit, term): sort by term within unit, keep the first of each run
        order = np.lexsort((h, u))
        h, u = h[order], u[order]
        first = np.r_[True, (h[1:] != h[:-1]) | (u[1:] != u[:-1])] if len(h) else np.empty(0, bool)
        terms.append(h[first])
        docs_of_terms.append(np.unique(h))
        if src >= 0:
            lh = line_hashes(doc.tokens.ids, doc.pieces)
            lines.append(lh)
            line_src.append(np.full(len(lh), src, dtype=np.int64))
    ids, seen, up = _count(np.concatenate(name_ids or [np.empty(0, np.uint64)]),
                           np.concatenate(name_up or [np.empty(0, bool)]))
    t_unit, unit_df = np.unique(np.concatenate(terms or [np.empty(0, np.uint64)]), return_counts=True)
    t_doc, doc_df = np.unique(np.concatenate(docs_of_terms or [np.empty(0, np.uint64)]), return_counts=True)
    all_terms = np.union1d(t_unit, t_doc)
    udf = np.zeros(len(all_terms), np.int64)
    ddf = np.zeros(len(all_terms), np.int64)
    udf[np.searchsorted(all_terms, t_unit)] = unit_df
    ddf[np.searchsorted(all_terms, t_doc)] = doc_df
    return Counts(len(texts), n_units, ids, seen, up, all_terms, udf, ddf,
                  np.concatenate(lines or [np.empty(0, np.uint64)]), np.concatenate(line_src or [np.empty(0, np.int64)]),
                  Readings.of(docs, words))


def _count(ids: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    u, inv = np.unique(ids, return_inverse=True)
    inv = inv.ravel()
    return u, np.bincount(inv, minlength=len(u)).astype(np.int64), \
        np.bincount(inv, weights=upper.astype(np.float64), minlength=len(u)).astype(np.int64)


def _unit_terms(doc: Analysed, words: Words) -> tuple[np.ndarray, np.ndarray]:
    """Term hashes of the content words of each sentence unit, and the unit of each."""
    n = len(doc.tokens)
    unit_of = np.full(n, -1, dtype=np.int64)
    for u, (f, l) in enumerate(doc.units.tolist()):
        unit_of[f : l + 1] = u
    sel = (unit_of >= 0) & ((doc.flags & FLAG_CONTENT) > 0)
    return words.terms[doc.codes[sel]], unit_of[sel]


def merge(parts: Sequence[Counts], *, min_docs: int, background_share: float) -> tuple[Model, np.ndarray, int]:
    """The corpus :class:`Model` from every batch's counts, with each vocab term's background flag.

    Returns ``(model, background, n_units)``. Boilerplate lines: a line (hash) in at least
    ``min_docs`` documents of one source and in no other source.
    """
    n_docs = sum(p.n_docs for p in parts)
    n_units = sum(p.n_units for p in parts)
    ids, (seen, up) = _sum_by_key([p.name_ids for p in parts], [p.name_seen for p in parts], [p.name_upper for p in parts])
    names = ids[up > NAME_SHARE * seen]
    terms, (udf, ddf) = _sum_by_key([p.terms for p in parts], [p.unit_df for p in parts], [p.doc_df for p in parts])
    shared = udf >= 2
    vocab, udf, ddf = terms[shared], udf[shared], ddf[shared]
    idf = smooth_idf(n_units, udf)
    hapax = float(smooth_idf(n_units, np.float64(1.0)))
    background = background_terms(udf, ddf, n_units, n_docs, background_share)
    return Model(names, vocab, idf, hapax, _boilerplate(parts, min_docs)), background, n_units


MIN_DOCS_FOR_SHARE = 20
"""A share of *documents* says something about a term only in a corpus this large."""


def background_terms(unit_df: np.ndarray, doc_df: np.ndarray, n_units: int, n_docs: int, share: float) -> np.ndarray:
    """Terms that set the scene rather than make a claim: per term, True when background.

    A background term is in at least ``share`` of all units *and* recurs within the documents
    using it (on average in two or more units each), the way a topic word does ("regime" in an
    article about Iran). A claim is typically stated once per document, so a campaign's words
    stay evidence however many documents repeat them: this is not a global df cut. In a corpus
    of at least ``MIN_DOCS_FOR_SHARE`` documents, a term in ``share`` of the *documents* is
    background too: there, words like "year" are everywhere while a campaign's words are not.
    """
    topical = (unit_df >= share * n_units) & (unit_df >= 2 * np.maximum(doc_df, 1))
    widespread = (doc_df >= share * n_docs) if n_docs >= MIN_DOCS_FOR_SHARE else np.zeros(len(unit_df), bool)
    return topical | widespread


def _sum_by_key(keys: list[np.ndarray], *values: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    k = np.concatenate(keys or [np.empty(0, np.uint64)])
    u, inv = np.unique(k, return_inverse=True)
    inv = inv.ravel()
    sums = [np.bincount(inv, weights=np.concatenate(v or [np.empty(0)]).astype(np.float64),
                        minlength=len(u)).astype(np.int64) for v in values]
    return u, sums


def _boilerplate(parts: Sequence[Counts], min_docs: int) -> np.ndarray:
    h = np.concatenate([p.lines for p in parts] or [np.empty(0, np.uint64)])
    s = np.concatenate([p.line_src for p in parts] or [np.empty(0, np.int64)])
    if len(h) == 0:
        return np.empty(0, np.uint64)
    order = np.lexsort((s, h))
    h, s = h[order], s[order]
    start = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    count = np.diff(np.r_[start, len(h)])  # documents holding each line (a document's repeats included)
    one_source = np.maximum.reduceat(s, start) == np.minimum.reduceat(s, start)
    return np.sort(h[start][(count >= min_docs) & one_source])


# --- pass 2: the units ----------------------------------------------------------------------------


def units_batch(readings: Readings, ranges: Sequence[np.ndarray], model: Model, *, window: int) -> list[DocUnits]:
    """Each document's units under the corpus ``model``, from its batch's :class:`Readings` (no text).

    ``ranges[k]`` lists token ranges ``(first, last)`` of document ``k`` (its sides of aligned
    passages); ``DocUnits.claim_words`` gives, for each, its words that can carry a claim:
    content words outside names and boilerplate lines.
    """
    lookup = WordLookup.of(readings.words, model)
    return [_units(readings.doc(k), lookup, r, model, window) for k, r in enumerate(ranges)]


@dataclass(frozen=True, slots=True)
class WordLookup:
    """What the model says of each distinct word of a batch: looked up once per word, not per token."""

    words: Words
    is_name: np.ndarray
    vocab: np.ndarray  # the word's term's vocab id (meaningful where known)
    known: np.ndarray
    idf: np.ndarray

    @classmethod
    def of(cls, w: Words, model: Model) -> WordLookup:
        name = in_sorted(w.ids, model.names) & ((w.flags & FLAG_CONTENT) > 0) & ((w.flags & FLAG_DIGITS) == 0)
        at = np.minimum(np.searchsorted(model.vocab, w.terms), max(len(model.vocab) - 1, 0))
        known = (model.vocab[at] == w.terms) if len(model.vocab) else np.zeros(len(w.terms), bool)
        idf = np.where(known, model.idf[at] if len(model.idf) else 0.0, model.hapax_idf)
        return cls(w, name, at, known, idf)


def _units(doc: Read, lookup: WordLookup, ranges: np.ndarray, model: Model, window: int) -> DocUnits:
    words = lookup.words
    n = len(doc.codes)
    flags = words.flags[doc.codes]
    content = (flags & FLAG_CONTENT) > 0
    digit = (flags & FLAG_NUMBER) > 0
    is_name = lookup.is_name[doc.codes]
    runs = name_runs(is_name, (flags & FLAG_GLUE) > 0, doc.breaks)
    boiler = np.zeros(n, dtype=bool)
    if len(model.boiler) and n:
        hit = in_sorted(line_hashes(words.ids[doc.codes], doc.pieces), model.boiler)
        for f, l in doc.pieces[hit].tolist():
            boiler[f : l + 1] = True
    # A character token carries meaning in a claim (a copied Chinese sentence is one), though a
    # lone character is too weak to match paraphrases on: it counts here only.
    character = (flags & FLAG_CHARACTER) > 0
    claim = np.concatenate(([0], np.cumsum((content | character) & (runs < 0) & ~boiler)))
    rng = np.asarray(ranges, dtype=np.int64).reshape(-1, 2)
    claim_words = claim[np.minimum(rng[:, 1] + 1, n)] - claim[np.minimum(rng[:, 0], n)]

    sents = doc.units
    unit_of = np.full(n, -1, dtype=np.int64)
    for u, (f, l) in enumerate(sents.tolist()):
        unit_of[f : l + 1] = u
    sel = np.flatnonzero((unit_of >= 0) & content & ~boiler)
    u_of, run = unit_of[sel], runs[sel]
    named = run >= 0
    # A name phrase's words share one unit of weight and one position (its first word's): one piece of evidence.
    code = u_of * (n + 1) + np.where(named, run, n)
    _, inv, cnt = np.unique(code, return_inverse=True, return_counts=True)
    discount = np.where(named, 1.0 / np.sqrt(cnt[inv.ravel()]), 1.0)
    entry_flags = np.where(named, ENTRY_NAME, 0) | np.where(digit[sel], ENTRY_NUMBER, 0) | \
        np.where((flags[sel] & FLAG_MONTH) > 0, ENTRY_DATE, 0)
    pos = np.where(named, np.r_[np.flatnonzero((runs >= 0) & (runs != np.r_[-1, runs[:-1]])), 0][run], sel)
    codes = doc.codes[sel]
    entries = (u_of, words.terms[codes], discount, pos, entry_flags.astype(np.uint8), codes)

    win = _windows(doc.unit_lines, window)
    chars = doc.unit_chars
    if len(win):
        # a window's entries are its sentences' entries, relabelled (the duplicates go in _pack)
        starts = np.searchsorted(u_of, np.arange(len(sents) + 1))
        lo, hi = starts[win[:, 0]], starts[win[:, 1] + 1]
        take = flat_ranges(lo, hi)
        label = np.repeat(len(sents) + np.arange(len(win)), hi - lo)
        entries = (np.concatenate((u_of, label)),) + tuple(np.concatenate((arr, arr[take])) for arr in entries[1:])
        sents = np.concatenate((sents, np.stack((sents[win[:, 0], 0], sents[win[:, 1], 1]), axis=1)))
        chars = np.concatenate((chars, np.stack((chars[win[:, 0], 0], chars[win[:, 1], 1]), axis=1)))
    return _pack(sents, chars, len(doc.units), entries, lookup, claim_words)


def flat_ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(lo[k], hi[k])`` over k, without a Python loop."""
    sizes = hi - lo
    if sizes.sum() == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(lo - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.arange(int(sizes.sum())) + offsets


def _windows(unit_lines: np.ndarray, size: int) -> np.ndarray:
    """Runs of 2 to ``size`` adjacent sentence units inside one paragraph, as (first unit, last unit)
    (``unit_lines``: per unit, the newlines before its start and before its end)."""
    out = []
    if len(unit_lines) < 2 or size < 2:
        return np.empty((0, 2), dtype=np.int64)
    for w in range(2, size + 1):
        k0 = np.arange(len(unit_lines) - w + 1)
        k1 = k0 + w - 1
        ok = unit_lines[k1, 1] == unit_lines[k0, 0]
        out.append(np.stack((k0[ok], k1[ok]), axis=1))
    return np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)


def _pack(words: np.ndarray, chars: np.ndarray, n_sent: int, entries: tuple, lookup: WordLookup,
          claim_words: np.ndarray) -> DocUnits:
    unit, term, discount, pos, flags, code = entries
    n_units = len(words)
    # one entry per (unit, term): the strongest (least discounted) occurrence
    order = np.lexsort((-discount, term, unit))
    first = np.r_[True, (unit[order][1:] != unit[order][:-1]) | (term[order][1:] != term[order][:-1])] \
        if len(unit) else np.empty(0, bool)
    order = order[first]
    unit, discount, pos, flags, code = unit[order], discount[order], pos[order], flags[order], code[order]
    known = lookup.known[code]
    w = discount * lookup.idf[code]
    norm = np.sqrt(np.bincount(unit, weights=w * w, minlength=n_units))
    norm[norm == 0] = 1.0
    w = w / norm[unit]
    unit, ids, w, pos, flags = unit[known], lookup.vocab[code[known]], w[known], pos[known], flags[known]
    indptr = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit, minlength=n_units), out=indptr[1:])
    return DocUnits(words.astype(np.int32), chars.astype(np.int64), n_sent, indptr, ids.astype(np.int32),
                    w.astype(np.float32), pos.astype(np.int32), flags, claim_words.astype(np.int32))
