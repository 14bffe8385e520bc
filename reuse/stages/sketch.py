"""The sketch stage: a batch of texts -> token ids -> shingles -> what candidate search and IDF need.

A pure function of the batch (no state, no order dependence beyond the batch's first document
number), so an engine runs it on any worker, in any batch size, with identical results (tested):

* **band keys** of each document's MinHash signature (whole-document LSH, near-duplicates);
* **anchors**: the shingles whose hash is 0 modulo ``anchor_rate`` and that hold a content word
  (a consistent sample: two copies of a passage sample the same shingles), as keys
  ``hash bits | document`` split into :data:`N_PARTITIONS` hash partitions for the join of
  :mod:`reuse.stages.candidates`;
* **document frequencies** of every token id, summed over batches by :func:`merge_counts` into
  the corpus IDF of :mod:`reuse.stages.score`.

No Python call per document or token (bar the rare non-ASCII word).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from reuse.config import ReuseConfig
from reuse.jit import ENABLED as NUMBA
from reuse.stages.minhash import band_keys, batch_minhash, lsh_params
from reuse.text.scan import batch_token_ids
from reuse.text.shingle import batch_shingles, hash32
from reuse.text.stopwords import STOP_IDS, is_stop_id

DOC_BITS = 26
"""Anchor keys hold the document number in their low bits: at most 2**26 (67M) documents per run."""
MAX_DOCS = 1 << DOC_BITS
DOC_MASK = np.uint64(MAX_DOCS - 1)
PARTITION_BITS = 4
"""Anchors are shuffled into 2**4 hash partitions so the join sorts one partition at a time."""
N_PARTITIONS = 1 << PARTITION_BITS


@dataclass(frozen=True, slots=True)
class Sketch:
    """What one batch of documents contributes to candidate search and to IDF."""

    first: int  # corpus number of the batch's first document
    band_keys: np.ndarray  # (n_docs, bands) uint64: whole-document LSH keys
    has_shingles: np.ndarray  # (n_docs,) bool: documents too short for a shingle have no signature
    anchors: tuple[np.ndarray, ...]  # per hash partition: uint64 keys (anchor hash bits | document)
    terms: np.ndarray  # uint64 token ids, sorted
    term_docs: np.ndarray  # int64: number of the batch's documents holding each term
    n_tokens: np.ndarray  # (n_docs,) int64

    @property
    def n_docs(self) -> int:
        return len(self.has_shingles)

    def document_anchors(self) -> tuple[np.ndarray, np.ndarray]:
        """``(anchor, document)`` of every anchor key: the hash bits and the document's number."""
        keys = np.concatenate(self.anchors) if self.anchors else np.empty(0, np.uint64)
        return keys & ~DOC_MASK, (keys & DOC_MASK).astype(np.int64)


def sketch_batch(texts: Sequence[str], first: int, config: ReuseConfig) -> Sketch:
    """Band keys, anchors and document frequencies of the documents ``first, first + 1, ...``."""
    if first + len(texts) > MAX_DOCS:
        raise ValueError(f"more than {MAX_DOCS} documents in one run")
    ids, offsets = batch_token_ids(texts)
    sh, sh_off = batch_shingles(ids, offsets, config.shingle_size)
    sigs = batch_minhash(hash32(sh), sh_off, num_perm=config.num_perm, seed=config.seed)
    b, r = lsh_params(config.doc_threshold, config.num_perm)
    keys = band_keys(sigs, bands=b, rows=r)
    anchors = _anchors(sh, sh_off, first, config.anchor_rate, ids, offsets, config.shingle_size)
    terms, term_docs = _document_frequencies(ids, offsets)
    return Sketch(first, keys, np.diff(sh_off) > 0, anchors, terms, term_docs, np.diff(offsets))


def _has_content_word(ids: np.ndarray, offsets: np.ndarray, sh_off: np.ndarray, k: int) -> np.ndarray:
    """Per shingle: does it hold a word that is not an English stop word?

    A shingle of stop words only ("one of the most of") recurs by chance in thousands of
    unrelated articles; as an anchor it would join them all, and the pairs it makes grow with
    the square of the corpus. Such shingles never anchor (they still count in signatures).
    """
    content = np.concatenate(([0], np.cumsum(~is_stop_id(ids))))
    counts = np.diff(sh_off)
    start = np.repeat(offsets[:-1] - sh_off[:-1], counts) + np.arange(int(sh_off[-1]), dtype=np.int64)
    return (content[start + k] - content[start]) > 0


def _anchors(
    sh: np.ndarray, sh_off: np.ndarray, first: int, rate: int, ids: np.ndarray, offsets: np.ndarray, k: int
) -> tuple[np.ndarray, ...]:
    """Keys ``hash bits | document`` of the sampled shingles that hold a content word, split by
    the hash's top bits. The compiled kernel looks for the content word only in sampled shingles."""
    if NUMBA:
        keys, cuts = _anchors_numba(sh, sh_off.astype(np.int64), offsets.astype(np.int64), ids, *_stop_table(), first, rate, k)
        return tuple(keys[cuts[p] : cuts[p + 1]] for p in range(N_PARTITIONS))
    eligible = _has_content_word(ids, offsets, sh_off, k)
    pick = np.flatnonzero((sh % np.uint64(rate) == 0) & eligible)
    doc = (np.searchsorted(sh_off, pick, side="right") - 1 + first).astype(np.uint64)
    keys = (sh[pick] & ~DOC_MASK) | doc
    part = (keys >> np.uint64(64 - PARTITION_BITS)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    cuts = np.searchsorted(part[order], np.arange(N_PARTITIONS + 1))
    ordered = keys[order]
    return tuple(ordered[cuts[p] : cuts[p + 1]] for p in range(N_PARTITIONS))


@cache
def _stop_table() -> tuple[np.ndarray, np.ndarray]:
    """``(slots, used)``: :data:`STOP_IDS` in an open-addressing table four times their number, for
    the anchor kernel's test of each sampled shingle's words (a probe or two where a binary search
    of the sorted ids took eight mispredicted steps)."""
    size = 1 << max(4, (4 * len(STOP_IDS) - 1).bit_length())
    slots, used = np.zeros(size, np.uint64), np.zeros(size, np.bool_)
    for key in STOP_IDS.tolist():
        slot = key & (size - 1)
        while used[slot]:
            slot = (slot + 1) & (size - 1)
        slots[slot], used[slot] = key, True
    return slots, used


def _document_frequencies(ids: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct terms of the batch and how many of its documents hold each."""
    if NUMBA:
        terms, counts = _df_numba(ids, offsets.astype(np.int64))
        order = np.argsort(terms)
        return terms[order], counts[order]
    doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    order = np.lexsort((ids, doc))
    s_ids, s_doc = ids[order], doc[order]
    new = np.ones(len(s_ids), dtype=bool)  # the first of each (document, term)
    new[1:] = (s_ids[1:] != s_ids[:-1]) | (s_doc[1:] != s_doc[:-1])
    terms, counts = np.unique(s_ids[new], return_counts=True)
    return terms, counts.astype(np.int64)


def merge_counts(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sum ``(terms, counts)`` tables into one (terms sorted): corpus document frequencies."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    terms = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts])
    order = np.argsort(terms, kind="stable")
    terms, counts = terms[order], counts[order]
    starts = np.flatnonzero(np.concatenate(([True], terms[1:] != terms[:-1])))
    return terms[starts], np.add.reduceat(counts, starts)


if NUMBA:
    import numba as _nb

    @_nb.njit(cache=True)
    def _df_numba(ids, offsets):  # noqa: ANN001, ANN202 - numba kernel
        """Document frequency of each term in one pass: an open-addressing table of
        (term, count, last document seen), so a term repeated in a document counts once.

        Each slot is two adjacent words, the term and ``count << 32 | (last document + 1)`` (0: an
        empty slot), so a probe reads one cache line, not one in each of three tables: the table
        outgrows the cache on a batch's vocabulary, and the probes were the kernel's cost."""
        size = 1 << 16
        mask = size - 1
        table = np.zeros(2 * size, np.uint64)
        n_keys = 0
        low = np.uint64(0xFFFFFFFF)
        one = np.uint64(1) << np.uint64(32)
        for d in range(len(offsets) - 1):
            mark = np.uint64(d + 1)
            for t in range(offsets[d], offsets[d + 1]):
                key = ids[t]
                slot = np.int64((key ^ (key >> np.uint64(29))) & np.uint64(mask))
                while table[2 * slot + 1] != 0 and table[2 * slot] != key:
                    slot = (slot + 1) & mask
                packed = table[2 * slot + 1]
                if packed == 0:
                    table[2 * slot] = key
                    table[2 * slot + 1] = one | mark
                    n_keys += 1
                elif packed & low != mark:
                    table[2 * slot + 1] = ((packed >> np.uint64(32)) + np.uint64(1)) << np.uint64(32) | mark
                if 2 * n_keys > size:  # grow: rehash into a table twice the size
                    size *= 2
                    mask = size - 1
                    grown = np.zeros(2 * size, np.uint64)
                    for old in range(size // 2):
                        if table[2 * old + 1] != 0:
                            kk = table[2 * old]
                            s2 = np.int64((kk ^ (kk >> np.uint64(29))) & np.uint64(mask))
                            while grown[2 * s2 + 1] != 0:
                                s2 = (s2 + 1) & mask
                            grown[2 * s2] = kk
                            grown[2 * s2 + 1] = table[2 * old + 1]
                    table = grown
        out_k = np.empty(n_keys, np.uint64)
        out_c = np.empty(n_keys, np.int64)
        j = 0
        for slot in range(size):
            if table[2 * slot + 1] != 0:
                out_k[j] = table[2 * slot]
                out_c[j] = np.int64(table[2 * slot + 1] >> np.uint64(32))
                j += 1
        return out_k, out_c

    @_nb.njit(cache=True)
    def _content_at(ids, start, k, stop_slots, stop_used):  # noqa: ANN001, ANN202 - numba kernel
        """Whether tokens ``start .. start + k`` hold one that is not a stop word (``_stop_table``)."""
        mask = np.uint64(len(stop_slots) - 1)
        for t in range(start, start + k):
            key = ids[t]
            slot = np.int64(key & mask)
            while stop_used[slot] and stop_slots[slot] != key:
                slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)
            if not stop_used[slot]:
                return True
        return False

    @_nb.njit(cache=True)
    def _anchors_numba(sh, sh_off, offsets, ids, stop_slots, stop_used, first, rate, k):  # noqa: ANN001, ANN202 - numba kernel
        doc_mask = np.uint64(MAX_DOCS - 1)
        r = np.uint64(rate)
        low = np.uint64(rate - 1) if rate & (rate - 1) == 0 else np.uint64(0)  # a power of two: a mask, no division
        shift = np.uint64(64 - PARTITION_BITS)
        picked = np.zeros(len(sh), np.bool_)
        per = np.zeros(N_PARTITIONS + 1, np.int64)
        n = 0
        for d in range(len(sh_off) - 1):
            for s in range(sh_off[d], sh_off[d + 1]):
                sampled = (sh[s] & low) == 0 if low else sh[s] % r == 0
                if sampled and _content_at(ids, offsets[d] + s - sh_off[d], k, stop_slots, stop_used):
                    picked[s] = True
                    per[np.int64(sh[s] >> shift) + 1] += 1
                    n += 1
        cuts = np.cumsum(per)
        fill = cuts[:-1].copy()
        keys = np.empty(n, np.uint64)
        for d in range(len(sh_off) - 1):
            doc = np.uint64(first + d)
            for s in range(sh_off[d], sh_off[d + 1]):
                if picked[s]:
                    h = sh[s]
                    p = np.int64(h >> shift)
                    keys[fill[p]] = (h & ~doc_mask) | doc
                    fill[p] += 1
        return keys, cuts
else:  # pragma: no cover - numba is optional
    _df_numba = _anchors_numba = _content_at = None
