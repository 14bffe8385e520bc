"""Candidate pairs: which documents could share text, found without comparing every pair.

Two routes, both sort-based joins over keys the sketch stage produced (:mod:`reuse.stages.sketch`):

* **near-duplicates**: documents sharing a whole-document LSH band key (one sort per band);
* **passages**: documents sharing at least ``min_shared_anchors`` anchors (sampled shingles),
  joined per hash partition. Unlike whole-document MinHash this finds a paragraph copied into a
  long article; unlike a full shingle join its size is a fixed fraction of the corpus.

Keys held by more than ``max_bucket`` documents are boilerplate and join nothing (passim's
``maxDF``). On a corpus of at most ``all_pairs_max_docs`` documents every pair is scored too:
pairs sharing a run of words are aligned, each document's nearest neighbours listed
(:func:`pairs_to_score`; the pairs come from :func:`pairs_sharing`, an inverted index).
Pairs are ``(i, j)`` arrays of document numbers with ``i < j``, sorted.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reuse.stages.sketch import DOC_MASK

ALIGN, VERIFY, LIST = 0, 1, 2
"""How a pair is scored (:func:`pairs_to_score`, ``reuse.stages.pair.score_chunk``): ``ALIGN`` it as it
is (a small corpus's pairs sharing a run of words long enough for a passage), ``VERIFY`` it on
exact shared shingles first (LSH and anchor candidates), or ``LIST`` it with its TF-IDF score
alone, unaligned (a small corpus's nearest neighbours; with ``topic_pairs``, every pair above
the floor)."""


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` by sorting: numpy 2's hash-based default is several times slower here."""
    s = np.sort(a)
    if len(s) < 2:
        return s
    return s[np.concatenate(([True], s[1:] != s[:-1]))]


def grouped(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(keys, return_index=True, return_counts=True)`` of non-negative integer keys: one
    plain sort of integers, each key's index packed below it where that fits in 63 bits (numpy's
    own takes a stable argsort, several times slower on the small arrays of one document pair).

    >>> [a.tolist() for a in grouped(np.array([5, 3, 5, 5]))]
    [[3, 5], [1, 0], [1, 3]]
    """
    n = len(keys)
    if not n:
        return keys, np.empty(0, np.int64), np.empty(0, np.int64)
    if int(keys.max()) < (1 << 62) // n:
        keys, at = np.divmod(np.sort(keys.astype(np.int64) * n + np.arange(n)), n)
    else:
        at = np.argsort(keys, kind="stable")
        keys = keys[at]
    head = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[head], at[head], np.diff(np.append(head, n))


def group_pairs(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(left, right)`` of every pair inside each group ``[start, start + size)``.

    Vectorised with ``np.repeat``: element ``i`` of a group of ``s`` pairs with the ``s - 1 - i``
    elements after it. Groups must not overlap.
    """
    starts = np.asarray(starts, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    if len(sizes) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    n_elem = int(sizes.sum())
    first = np.repeat(starts, sizes)
    within = np.arange(n_elem, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    partners = np.repeat(sizes, sizes) - 1 - within
    left = np.repeat(first + within, partners)
    total = int(partners.sum())
    right = left + 1 + (np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(partners) - partners, partners))
    return left, right


def _pair_codes(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return lo[keep] * n + hi[keep]


def decode_pairs(codes: np.ndarray, n: int) -> np.ndarray:
    """Pairs ``(i, j)`` of pair codes ``i * n + j``."""
    if len(codes) == 0:
        return np.empty((0, 2), dtype=np.int64)
    return np.stack((codes // n, codes % n), axis=1).astype(np.int64)


def candidate_pairs(keys: np.ndarray, owners: np.ndarray, *, max_bucket: int) -> np.ndarray:
    """Distinct owner pairs ``(i, j)``, ``i < j``, that share a band key in any band.

    ``keys`` is ``(n_items, bands)``; ``owners[k]`` is the document of item ``k``. Buckets with
    more than ``max_bucket`` items are skipped as boilerplate (``MinHashLSH`` has no such cap: pass
    a cap above the corpus size to get exactly its candidates). One sort per band and
    ``np.repeat`` arithmetic; no Python loop over buckets. Returns an ``(m, 2)`` int64 array, sorted.
    """
    owners = np.asarray(owners, dtype=np.int64)
    if len(owners) < 2:
        return np.empty((0, 2), dtype=np.int64)
    n = int(owners.max()) + 1
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        col = keys[:, band]
        order = np.argsort(col, kind="stable")
        sk = col[order]
        starts = np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
        sizes = np.diff(np.append(starts, len(sk)))
        keep = (sizes >= 2) & (sizes <= max_bucket)
        left, right = group_pairs(starts[keep], sizes[keep])
        if len(left):
            found.append(sorted_unique(_pair_codes(owners[order[left]], owners[order[right]], n)))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return decode_pairs(sorted_unique(np.concatenate(found)), n)


def near_duplicate_pairs(keys: np.ndarray, has_shingles: np.ndarray, *, max_bucket: int) -> np.ndarray:
    """Document pairs sharing a whole-document LSH band (sorted ``(i, j)``, ``i < j``)."""
    owners = np.flatnonzero(has_shingles)
    if len(owners) < 2:
        return np.empty((0, 2), dtype=np.int64)
    return candidate_pairs(keys[owners], owners, max_bucket=max_bucket)


def anchor_pairs(keys: np.ndarray, n_docs: int, max_df: int) -> np.ndarray:
    """Pair codes ``i * n_docs + j`` (``i < j``), one per anchor the two documents share.

    ``keys`` are the anchors of one hash partition from any number of batches. An anchor in
    more than ``max_df`` documents is boilerplate and joins nothing.
    """
    keys = sorted_unique(keys)  # sorts, and drops a document's repeats of one anchor
    if len(keys) < 2:
        return np.empty(0, dtype=np.int64)
    anchor = keys & ~DOC_MASK
    starts = np.flatnonzero(np.concatenate(([True], anchor[1:] != anchor[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    keep = (sizes >= 2) & (sizes <= max_df)
    left, right = group_pairs(starts[keep], sizes[keep])
    doc = (keys & DOC_MASK).astype(np.int64)
    return doc[left] * n_docs + doc[right]  # docs ascend within an anchor: left < right


def pairs_from_codes(codes: Sequence[np.ndarray], *, n_docs: int, min_count: int) -> np.ndarray:
    """Pairs whose code occurs at least ``min_count`` times across partitions (sorted)."""
    if not codes or sum(len(c) for c in codes) == 0:
        return np.empty((0, 2), dtype=np.int64)
    u, c = np.unique(np.concatenate(codes), return_counts=True)
    u = u[c >= min_count]
    return np.stack((u // n_docs, u % n_docs), axis=1).astype(np.int64)


def pairs_sharing(keys: Sequence[np.ndarray], *, max_docs: int | None = None, with_row: int | None = None) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of documents holding at least one key in common (sorted).

    ``keys[d]`` are document ``d``'s keys (repeats allowed); only keys held by at most
    ``max_docs`` documents count (None: any). An inverted index as one sparse product of the
    document x key incidence matrix: no Python per pair, and memory bounded by the pairs found,
    however many documents share a key. ``with_row`` keeps only the pairs holding that document
    (one row of the product).
    """
    from scipy import sparse  # loads in a second: imported where used

    n = len(keys)
    none = np.empty((0, 2), dtype=np.int64)
    if n < 2:
        return none
    distinct = [sorted_unique(np.asarray(k)) for k in keys]
    flat = np.concatenate(distinct)
    docs = np.repeat(np.arange(n, dtype=np.int64), [len(k) for k in distinct])
    order = np.argsort(flat, kind="stable")
    flat, docs = flat[order], docs[order]
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1]))) if len(flat) else np.empty(0, np.int64)
    sizes = np.diff(np.append(starts, len(flat)))
    shared = np.repeat((sizes >= 2) & (sizes <= (max_docs or n)), sizes)
    cols = np.repeat(np.arange(len(starts)), sizes)[shared]
    m = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (docs[shared], cols)), shape=(n, max(len(starts), 1)))
    if with_row is None:
        prod = (m @ m.T).tocoo()
        keep = prod.row < prod.col
        pairs = np.stack((prod.row[keep], prod.col[keep]), axis=1).astype(np.int64)
    else:
        hit = np.flatnonzero(np.asarray((m @ m[with_row].T).todense()).ravel())
        hit = hit[hit != with_row]
        pairs = np.stack((np.minimum(hit, with_row), np.maximum(hit, with_row)), axis=1).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else none


def graph_numbers(pairs: np.ndarray) -> np.ndarray:
    """A new number for each document (``0..max + 1``) that puts documents paired with each other
    close together: reverse Cuthill-McKee order of the pair graph.

    Chunks of pairs cut in this numbering hold few documents each however the pairs run: an
    article copied by a later one, itself copied by a third, is in pairs far apart in (i, j).
    """
    from scipy import sparse  # loads in a second: imported where used
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    n = int(pairs.max()) + 1 if len(pairs) else 0
    ends = np.concatenate((pairs[:, 0], pairs[:, 1]))
    graph = sparse.csr_matrix((np.ones(len(ends), np.int8), (ends, np.concatenate((pairs[:, 1], pairs[:, 0])))),
                              shape=(n, n))
    at = np.empty(n, np.int64)
    at[reverse_cuthill_mckee(graph, symmetric_mode=True)] = np.arange(n)
    return at


def union_pairs(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Distinct pairs of ``a`` and ``b`` together, sorted (``n``: number of documents)."""
    codes = sorted_unique(np.concatenate((a[:, 0] * n + a[:, 1], b[:, 0] * n + b[:, 1])))
    return decode_pairs(codes, n)


def in_sorted(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``np.isin(values, table)`` for a sorted ``table`` (a corpus-wide one: never re-sorted per document)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[pos] == values


def common_sorted(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(ia, ib)`` of the values two sorted arrays of distinct values share, ascending:
    ``np.intersect1d(a, b, assume_unique=True, return_indices=True)[1:]`` by one search, not a sort."""
    if not len(a) or not len(b):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    hit = b[at] == a
    return np.flatnonzero(hit), at[hit]


def isin_pairs(pairs: np.ndarray, among: np.ndarray, n: int) -> np.ndarray:
    """Per pair of ``pairs``, whether it is one of ``among``."""
    return np.isin(pairs[:, 0] * n + pairs[:, 1], among[:, 0] * n + among[:, 1])


def pairs_to_score(candidates: np.ndarray, aligned: np.ndarray, n: int,
                   listed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(pairs, how)``: every pair to score, sorted, and how (:data:`ALIGN`, :data:`VERIFY`, :data:`LIST`).

    A candidate found by LSH or anchors only is verified on exact shared shingles before it is
    aligned; a pair of ``aligned`` (a small corpus's pairs sharing a run of words) is aligned as
    it is; a pair of ``listed`` that is neither is listed with its TF-IDF score alone.
    """
    n = max(n, 1)
    listed = np.empty((0, 2), np.int64) if listed is None else listed
    pairs = union_pairs(union_pairs(candidates, aligned, n), listed, n)
    how = np.where(isin_pairs(pairs, aligned, n), ALIGN, VERIFY).astype(np.int8)
    how[(how == VERIFY) & ~isin_pairs(pairs, candidates, n)] = LIST
    return pairs, how
