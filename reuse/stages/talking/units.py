"""Claim units of a corpus as compact arrays, built batch by batch with no per-token Python call.

Two streaming passes over the texts, each a pure function of a batch (so the engine runs them in
its process pool, and the answer does not depend on how the corpus is cut):

1. :func:`count_batch` gathers the corpus aggregates: how often each word is capitalised in
   mid-sentence (which words are names), in how many sentences and documents each claim term
   occurs (IDF, background terms), and which lines repeat within one source (boilerplate);
2. :func:`units_batch`, given those aggregates (:class:`Model`), turns each document into its
   claim units: sentences (cut at line breaks; headings dropped) and windows of adjacent
   sentences of one paragraph, each a short array of term ids with IDF x name-discount weights,
   L2-normalised. Only sentences' arrays are kept: a window keeps its norm, and its array is
   derived from its sentences' when read (:mod:`.unit_rows`). A document's units take a few KB;
   its text is not kept.

Both passes start from the same reading of each document (:mod:`reuse.stages.talking.sentences`:
tokens, lexicon rows, capitals, sentence pieces).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from reuse.jit import ENABLED
from reuse.stages.candidates import in_sorted, sorted_unique
from reuse.stages.score import smooth_idf
from reuse.stages.talking.boilerplate import Lines, boilerplate
from reuse.stages.talking.sentences import Readings, Words, analyse_batch, name_runs
from reuse.stages.talking.unit_arrays import DocUnits as DocUnits  # the stage's other modules find them here
from reuse.stages.talking.unit_arrays import Units, narrowest
from reuse.text.distinct import distinct
from reuse.text.lexicon import FLAG_CHARACTER, FLAG_CONTENT, FLAG_DIGITS, FLAG_GLUE, FLAG_MONTH, FLAG_NUMBER

ENTRY_NAME, ENTRY_NUMBER, ENTRY_DATE = 1, 2, 4
"""Flags of a unit's term: inside a name phrase; a 2+ digit number; a month name."""

NAME_SHARE = 0.5
"""A word is a name when the corpus writes it capitalised mid-sentence more than this share of the time."""


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
    readings: Readings | None  # the batch as analysed, for the units pass (:func:`units_batch`); None once kept elsewhere


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
    and the batch's :class:`Readings` for the units pass. The batch is one set of arrays, counted
    through its distinct words (``r.words``: each token's code indexes them), not sorted token by token."""
    r, initial, upper = analyse_batch(texts, min_words)
    words = r.words
    flags = words.flags[r.codes]
    content = (flags & FLAG_CONTENT) > 0
    mid = content & ~initial & ((flags & FLAG_DIGITS) == 0)
    ids, seen, up = _count(words.ids, r.codes[mid], upper[mid])
    unit_of, _ = _unit_of(r)
    sel = np.flatnonzero((unit_of >= 0) & content)
    terms, h = _present_terms(words.terms, r.codes[sel])
    tok_doc = np.repeat(np.arange(len(r)), np.diff(r.token_at))
    udf = groups_per_key(h, unit_of[sel], len(terms))  # per term, the units holding it
    ddf = groups_per_key(h, tok_doc[sel], len(terms))  # ... and the documents
    line_src = np.repeat(np.asarray(sources, dtype=np.int64).reshape(-1), np.diff(r.piece_at))
    return Counts(len(texts), len(r.units), ids, seen, up, terms, udf, ddf, r.lines[line_src >= 0],
                  line_src[line_src >= 0], r)


def groups_per_key(key: np.ndarray, group: np.ndarray, n_keys: int) -> np.ndarray:
    """Per key ``0..n_keys-1``, the number of distinct groups it occurs in; ``group`` is
    non-decreasing (the batch's units, or documents, in token order). One compiled pass where
    numba is on (a group's elements being contiguous, a new group for a key is a change of group),
    else its twin: a sort of the distinct (key, group) pairs."""
    if len(key) == 0:
        return np.zeros(n_keys, np.int64)
    if ENABLED:
        from reuse.stages.talking.count_kernel import runs_per_key

        return runs_per_key(np.ascontiguousarray(key, dtype=np.int64), np.ascontiguousarray(group, dtype=np.int64),
                            n_keys)
    width = int(group.max(initial=0)) + 1
    return np.bincount(sorted_unique(key.astype(np.int64) * width + group) // width, minlength=n_keys).astype(np.int64)


def _present_terms(word_terms: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct terms of the tokens ``codes`` (ascending) and each token's index among them, as
    ``distinct(word_terms[codes])`` gives them: found among the batch's distinct words' terms."""
    u, _, of_word = distinct(word_terms)
    present = np.bincount(of_word[codes], minlength=len(u)) > 0
    rank = np.cumsum(present) - 1
    return u[present], rank[of_word[codes]]


def _unit_of(r: Readings) -> tuple[np.ndarray, np.ndarray]:
    """Per token of the batch, its sentence unit (-1 outside units), and each unit's document.

    A batch's units are in token order and never overlap: a token's unit is the count of units
    starting at or before it, less one, where it lies inside one (a count of open units)."""
    unit_doc = np.repeat(np.arange(len(r)), np.diff(r.unit_at))
    n = len(r.codes)
    first = r.units[:, 0] + r.token_at[unit_doc]
    after = r.units[:, 1] + 1 + r.token_at[unit_doc]
    starts = np.bincount(first, minlength=n + 1)
    inside = np.cumsum(starts[:n] - np.bincount(after, minlength=n + 1)[:n]) > 0
    return np.where(inside, np.cumsum(starts[:n]) - 1, -1), unit_doc


def _count(ids: np.ndarray, codes: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words (of the sorted distinct ``ids``) the tokens ``codes`` use, how often each, and how
    often capitalised (``upper``)."""
    seen = np.bincount(codes, minlength=len(ids))
    up = np.bincount(codes[upper], minlength=len(ids))
    present = seen > 0
    return ids[present], seen[present].astype(np.int64), up[present].astype(np.int64)


COMPACT_ROWS = 4_000_000
"""Rows of per-batch counts held (names or terms) before they are summed into one table: the merge's
memory then follows the corpus's vocabulary, not its size."""


def merge(parts: Iterable[Counts], *, min_docs: int, background_share: float) -> tuple[Model, np.ndarray, int]:
    """The corpus :class:`Model` from every batch's counts, with each vocab term's background flag.

    Returns ``(model, background, n_units)``. Boilerplate lines: a line (hash) in at least
    ``min_docs`` documents of one source and in no other source. ``parts`` may stream: each is
    folded in as it comes (and may be let go of).
    """
    n_docs = n_units = 0
    name_counts, term_counts = _Tally(), _Tally()
    lines = Lines(min_docs)
    for p in parts:
        n_docs, n_units = n_docs + p.n_docs, n_units + p.n_units
        name_counts.add(p.name_ids, p.name_seen, p.name_upper)
        term_counts.add(p.terms, p.unit_df, p.doc_df)
        lines.add(p.lines, p.line_src)
    ids, (seen, up) = name_counts.total()
    names = ids[up > NAME_SHARE * seen]
    vocab, (udf, ddf) = term_counts.total()
    shared = udf >= 2
    vocab, udf, ddf = vocab[shared], udf[shared], ddf[shared]
    idf = smooth_idf(n_units, udf)
    hapax = float(smooth_idf(n_units, np.float64(1.0)))
    background = background_terms(udf, ddf, n_units, n_docs, background_share)
    return Model(names, vocab, idf, hapax, boilerplate(*lines.total(), min_docs)), background, n_units


class _Tally:
    """Two integer counts per uint64 key, summed over batches; compacted as the rows grow (sums
    of integers, so the totals do not depend on when)."""

    def __init__(self) -> None:
        self.keys: list[np.ndarray] = []
        self.values: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
        self.rows = 0

    def add(self, keys: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        self.keys.append(keys)
        self.values[0].append(a)
        self.values[1].append(b)
        self.rows += len(keys)
        if self.rows > COMPACT_ROWS and len(self.keys) > 1:
            u, (sa, sb) = self.total()
            self.keys, self.values, self.rows = [u], ([sa], [sb]), len(u)

    def total(self) -> tuple[np.ndarray, list[np.ndarray]]:
        return _sum_by_key(self.keys, *self.values)


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
    u, _, inv = distinct(k)
    sums = [np.bincount(inv, weights=np.concatenate(v or [np.empty(0)]).astype(np.float64),
                        minlength=len(u)).astype(np.int64) for v in values]
    return u, sums


# --- pass 2: the units ----------------------------------------------------------------------------


def units_batch(readings: Readings, ranges: Sequence[np.ndarray], model: Model, *, window: int) -> Units:
    """Each document's units under the corpus ``model``, from its batch's :class:`Readings` (no text).

    ``ranges[k]`` lists token ranges ``(first, last)`` of document ``k`` (its sides of aligned
    passages); ``DocUnits.claim_words`` gives, for each, its words that can carry a claim:
    content words outside names and boilerplate lines. The whole batch is one set of arrays
    (its documents' tokens end to end, a name phrase never crossing from one into the next).
    """
    r, lookup = readings, WordLookup.of(readings.words, model)
    n_docs, n = len(r), len(r.codes)
    tok_doc = np.repeat(np.arange(n_docs), np.diff(r.token_at))
    flags = r.words.flags[r.codes]
    content = (flags & FLAG_CONTENT) > 0
    breaks = np.zeros(n, dtype=bool)
    breaks[r.breaks] = True
    breaks[r.token_at[:-1][r.token_at[:-1] < n]] = True  # a document's first word starts afresh
    runs = name_runs(lookup.is_name[r.codes], (flags & FLAG_GLUE) > 0, breaks)
    boiler = np.zeros(n, dtype=bool)
    if len(model.boiler) and n:
        for f, l in r.pieces[in_sorted(r.lines, model.boiler)].tolist():
            boiler[f : l + 1] = True
    # A character token carries meaning in a claim (a copied Chinese sentence is one), though a
    # lone character is too weak to match paraphrases on: it counts here only.
    character = (flags & FLAG_CHARACTER) > 0
    claim = np.concatenate(([0], np.cumsum((content | character) & (runs < 0) & ~boiler)))
    rng = [np.asarray(x, dtype=np.int64).reshape(-1, 2) for x in ranges]
    rng_at = np.concatenate(([0], np.cumsum([len(x) for x in rng]))).astype(np.int64)
    rng_doc = np.repeat(np.arange(n_docs), np.diff(rng_at))
    rng_all = np.concatenate(rng or [np.empty((0, 2), np.int64)])
    size, t0 = np.diff(r.token_at)[rng_doc], r.token_at[:-1][rng_doc]
    claim_words = claim[t0 + np.minimum(rng_all[:, 1] + 1, size)] - claim[t0 + np.minimum(rng_all[:, 0], size)]

    unit_of, unit_doc = _unit_of(r)
    sel = np.flatnonzero((unit_of >= 0) & content & ~boiler)
    u_of, run = unit_of[sel], runs[sel]
    named = run >= 0
    # A name phrase's words share one unit of weight and one position (its first word's): one piece of evidence.
    n_runs = int(runs.max(initial=-1)) + 1
    _, _, inv = distinct(u_of * (n_runs + 1) + np.where(named, run, n_runs))
    phrase = np.where(named, np.bincount(inv)[inv], 1)  # words of its name phrase in the unit (1 outside names)
    discount = np.where(named, 1.0 / np.sqrt(phrase), 1.0)
    entry_flags = np.where(named, ENTRY_NAME, 0) | np.where((flags[sel] & FLAG_NUMBER) > 0, ENTRY_NUMBER, 0) | \
        np.where((flags[sel] & FLAG_MONTH) > 0, ENTRY_DATE, 0)
    pos = np.where(named, np.r_[np.flatnonzero((runs >= 0) & (runs != np.r_[-1, runs[:-1]])), 0][run], sel)
    codes = r.codes[sel]
    entries = (u_of, lookup.term_rank[codes], phrase, discount, pos - r.token_at[tok_doc[sel]],
               entry_flags.astype(np.uint8), codes)
    return _pack(_Layout.of(r, unit_doc, window), entries, lookup, claim_words, rng_at)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where each unit of a batch goes: a document's sentence units, then its windows (runs of 2 to
    ``window`` adjacent sentence units of one paragraph, by size, then first sentence)."""

    base: np.ndarray  # document k's units are base[k]:base[k+1]
    n_sent: np.ndarray
    sent_label: np.ndarray  # per sentence unit of the batch, its place
    win: np.ndarray  # (w, 2) first and last sentence unit of each window (batch numbering)
    win_label: np.ndarray
    words: np.ndarray  # (units, 2) document token range of each unit, in place order
    chars: np.ndarray
    spans: np.ndarray  # (units, 2) first and last sentence of each unit, counted in its document

    @classmethod
    def of(cls, r: Readings, unit_doc: np.ndarray, window: int) -> _Layout:
        n_units = len(unit_doc)
        parts = []
        for w in range(2, window + 1):
            k0 = np.arange(max(n_units - w + 1, 0))
            k1 = k0 + w - 1
            ok = (unit_doc[k1] == unit_doc[k0]) & (r.unit_lines[k1, 1] == r.unit_lines[k0, 0])
            parts.append(np.stack((k0[ok], k1[ok], np.full(int(ok.sum()), w)), axis=1))
        win = np.concatenate(parts) if parts else np.empty((0, 3), np.int64)
        win = win[np.lexsort((win[:, 0], win[:, 2], unit_doc[win[:, 0]]))][:, :2]
        n_sent = np.diff(r.unit_at)
        n_win = np.bincount(unit_doc[win[:, 0]], minlength=len(n_sent))
        base = np.concatenate(([0], np.cumsum(n_sent + n_win))).astype(np.int64)
        sent_label = base[unit_doc] + np.arange(n_units) - r.unit_at[unit_doc]
        win_doc = unit_doc[win[:, 0]]
        win_at = np.concatenate(([0], np.cumsum(n_win)))
        win_label = base[win_doc] + n_sent[win_doc] + np.arange(len(win)) - win_at[win_doc]
        words = np.empty((int(base[-1]), 2), dtype=narrowest(r.units, np.uint16, np.int32))
        chars = np.empty((int(base[-1]), 2), dtype=narrowest(r.unit_chars, np.int32, np.int64))
        words[sent_label], chars[sent_label] = r.units, r.unit_chars
        words[win_label] = np.stack((r.units[win[:, 0], 0], r.units[win[:, 1], 1]), axis=1)
        chars[win_label] = np.stack((r.unit_chars[win[:, 0], 0], r.unit_chars[win[:, 1], 1]), axis=1)
        at = np.arange(n_units) - r.unit_at[unit_doc]  # each sentence unit's place in its document
        spans = np.empty((int(base[-1]), 2), dtype=narrowest(at, np.uint16, np.int32))
        spans[sent_label] = at[:, None]
        spans[win_label] = at[win]
        return cls(base, n_sent, sent_label, win, win_label, words, chars, spans)


@dataclass(frozen=True, slots=True)
class WordLookup:
    """What the model says of each distinct word of a batch: looked up once per word, not per token."""

    words: Words
    is_name: np.ndarray
    vocab: np.ndarray  # the word's term's vocab id (meaningful where known)
    known: np.ndarray
    idf: np.ndarray
    term_rank: np.ndarray  # the rank of the word's term among the batch's terms (their order)

    @classmethod
    def of(cls, w: Words, model: Model) -> WordLookup:
        name = in_sorted(w.ids, model.names) & ((w.flags & FLAG_CONTENT) > 0) & ((w.flags & FLAG_DIGITS) == 0)
        at = np.minimum(np.searchsorted(model.vocab, w.terms), max(len(model.vocab) - 1, 0))
        known = (model.vocab[at] == w.terms) if len(model.vocab) else np.zeros(len(w.terms), bool)
        idf = np.where(known, model.idf[at] if len(model.idf) else 0.0, model.hapax_idf)
        return cls(w, name, at, known, idf, distinct(w.terms)[2])


def flat_ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(lo[k], hi[k])`` over k, without a Python loop."""
    sizes = hi - lo
    if sizes.sum() == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(lo - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return np.arange(int(sizes.sum())) + offsets


def _pack(layout: _Layout, entries: tuple, lookup: WordLookup, claim_words: np.ndarray,
          claim_at: np.ndarray) -> Units:
    unit, rank, phrase, discount, pos, flags, code = entries
    # a window's entries are its sentences' entries, relabelled (the duplicates go below)
    starts = np.searchsorted(unit, np.arange(len(layout.sent_label) + 1))
    lo, hi = starts[layout.win[:, 0]], starts[layout.win[:, 1] + 1]
    take = flat_ranges(lo, hi)
    unit = np.concatenate((layout.sent_label[unit], np.repeat(layout.win_label, hi - lo)))
    src = np.concatenate((np.arange(len(rank)), take))  # each entry's sentence entry: only the kept ones are copied
    n_units = len(layout.words)
    # one entry per (unit, term), in term order: the strongest (least discounted: of the shortest name phrase)
    # occurrence, the first of equals; one stable sort on one integer key
    group = unit * (int(rank.max(initial=0)) + 1) + rank[src]
    width = int(phrase.max(initial=0)) + 1
    order = np.argsort(group * width + phrase[src], kind="stable") if int(group.max(initial=0)) < 2**62 // width \
        else np.lexsort((phrase[src], group))
    group = group[order]
    order = order[np.r_[True, group[1:] != group[:-1]]] if len(group) else order
    unit, src = unit[order], src[order]
    discount, pos, flags, code = discount[src], pos[src], flags[src], code[src]  # ``phrase``: taken once kept
    w = discount * lookup.idf[code]
    norm = np.sqrt(np.bincount(unit, weights=w * w, minlength=n_units))
    norm[norm == 0] = 1.0
    # a window keeps its norm only: its entries are its sentences' (the strongest occurrence, the
    # first of equals), derived when read (:class:`.unit_rows.UnitRows`)
    sentence = np.zeros(n_units, dtype=bool)
    sentence[layout.sent_label] = True
    kept = lookup.known[code] & sentence[unit]
    w = (w[kept] / norm[unit[kept]]).astype(np.float32)
    unit, code, phrase = unit[kept], code[kept], phrase[src[kept]]
    ids, pos, flags = lookup.vocab[code].astype(np.int32), pos[kept], flags[kept]
    indptr = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum(np.bincount(unit, minlength=n_units), out=indptr[1:])
    return Units(layout.base, layout.n_sent, layout.words, layout.chars, layout.spans, norm,
                 indptr.astype(narrowest(indptr, np.int32, np.int64)), ids, w, pos.astype(narrowest(pos, np.uint16, np.int32)),
                 flags, phrase.astype(narrowest(phrase, np.uint8, np.uint16, np.int32)), claim_at,
                 claim_words.astype(np.int32))
