"""The pipeline's stages as pure functions over batches of records.

Each function takes plain values (texts, arrays, a config) and returns plain values, holds no
global state that changes its answer, and gives the same result however the corpus is cut into
batches: so the local engine can run it in a process pool, and a Spark engine with
``mapPartitions``/``groupBy``, with identical outputs.

    sketch_batch            texts -> doc band keys, passage anchors, document frequencies
    signature_batch         texts -> document and window MinHash signatures (the persistent index)
    near_duplicate_pairs    band keys of all docs -> pairs sharing a band (whole-document LSH)
    anchor_pairs            anchors of one hash partition -> pair codes (one per shared anchor)
    merge_counts            per-batch document frequencies -> corpus document frequencies
    score_chunk             candidate pairs + their documents -> Pairs and Passages (alignment)

Passage candidates use *anchors*: the shingles whose hash is 0 modulo ``anchor_rate`` (a
consistent sample: two copies of a passage sample the same shingles). An inverted index of
anchors, with anchors in more than ``max_bucket`` documents dropped as boilerplate, joins
documents that share at least ``min_shared_anchors`` of them. Unlike whole-document MinHash this
finds a paragraph copied into a long article; unlike a full shingle join its size is a fixed
fraction of the corpus.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reuse.config import ReuseConfig
from reuse.model import Document
from reuse.stages.score import ENGLISH_STOP_WORDS, overlap_from_counts
from reuse.stages.sketch import (
    band_keys,
    batch_minhash,
    batch_shingles,
    batch_window_signatures,
    candidate_pairs,
    group_pairs,
    lsh_params,
    sorted_unique,
)
from reuse.stages.talking.points import Aligned
from reuse.text.fast import LazyNorms, batch_token_ids, tokenize_fast
from reuse.text.shingle import hash32, shingle_hashes
from reuse.text.tokens import Tokens, character_mask, normalize, token_hash

DOC_BITS = 26
"""Anchor keys hold the document index in their low bits: at most 2**26 (67M) documents per run."""
MAX_DOCS = 1 << DOC_BITS
PARTITION_BITS = 4
"""Anchors are shuffled into 2**4 hash partitions so the join sorts one partition at a time."""
N_PARTITIONS = 1 << PARTITION_BITS
_DOC_MASK = np.uint64(MAX_DOCS - 1)


@dataclass(frozen=True, slots=True)
class Sketch:
    """What one batch of documents contributes to candidate search and to IDF."""

    first: int  # corpus index of the batch's first document
    band_keys: np.ndarray  # (n_docs, bands) uint64: whole-document LSH keys
    has_shingles: np.ndarray  # (n_docs,) bool: documents too short for a shingle have no signature
    anchors: tuple[np.ndarray, ...]  # per hash partition: uint64 keys (anchor hash bits | document)
    terms: np.ndarray  # uint64 token ids, sorted
    term_docs: np.ndarray  # int64: number of the batch's documents holding each term
    n_tokens: np.ndarray  # (n_docs,) int64

    @property
    def n_docs(self) -> int:
        return len(self.has_shingles)


def sketch_batch(texts: Sequence[str], first: int, config: ReuseConfig, *, use_numba: bool | None = None) -> Sketch:
    """Tokens -> shingles -> signatures -> band keys, anchors and document frequencies of a batch.

    No Python call per document or token (bar the rare non-ASCII word): tokens are hashed by
    :func:`reuse.text.fast.batch_token_ids`, shingles and signatures by the batch kernels of
    :mod:`reuse.stages.sketch`.
    """
    if first + len(texts) > MAX_DOCS:
        raise ValueError(f"more than {MAX_DOCS} documents in one run")
    ids, offsets = batch_token_ids(texts, use_numba=use_numba)
    sh, sh_off = batch_shingles(ids, offsets, config.shingle_size)
    sigs = batch_minhash(hash32(sh), sh_off, num_perm=config.num_perm, seed=config.seed, use_numba=use_numba)
    b, r = lsh_params(config.doc_threshold, config.num_perm)
    keys = band_keys(sigs, bands=b, rows=r)
    anchors = _anchors(sh, sh_off, first, config.anchor_rate, _has_content_word(ids, offsets, sh_off, config.shingle_size))
    terms, term_docs = _document_frequencies(ids, offsets, use_numba=use_numba)
    return Sketch(first, keys, np.diff(sh_off) > 0, anchors, terms, term_docs, np.diff(offsets))


@dataclass(frozen=True, slots=True)
class Signatures:
    """Document and window signatures of a batch: what the index stores and bands."""

    doc_sigs: np.ndarray  # (n_docs, num_perm) uint32; all EMPTY for a document without shingles
    window_sigs: np.ndarray  # (n_windows, num_perm) uint32, grouped by document
    window_offsets: np.ndarray  # (n_docs + 1,) int64 into window_sigs
    n_tokens: np.ndarray  # (n_docs,) int64
    has_shingles: np.ndarray  # (n_docs,) bool
    token_ids: np.ndarray  # uint64 ids of all tokens (as batch_token_ids gives them)
    token_offsets: np.ndarray  # (n_docs + 1,) int64 into token_ids


def signature_batch(texts: Sequence[str], config: ReuseConfig, *, use_numba: bool | None = None) -> Signatures:
    """Tokens -> shingles -> document and window signatures of a batch, with the batch kernels.

    Row ``d`` equals :func:`reuse.stages.pair.prepare` of ``texts[d]`` (``doc_sig``, ``window_sigs``,
    ``len(tokens)``), so what the index stores in bulk matches what a query computes for one
    document (tested).
    """
    ids, offsets = batch_token_ids(texts, use_numba=use_numba)
    sh, sh_off = batch_shingles(ids, offsets, config.shingle_size)
    doc, win, win_off = batch_window_signatures(hash32(sh), sh_off, stride=config.window_stride,
                                                num_perm=config.num_perm, seed=config.seed, use_numba=use_numba)
    return Signatures(doc, win, win_off, np.diff(offsets).astype(np.int64), np.diff(sh_off) > 0, ids,
                      offsets.astype(np.int64))


def _has_content_word(ids: np.ndarray, offsets: np.ndarray, sh_off: np.ndarray, k: int) -> np.ndarray:
    """Per shingle: does it hold a word that is not an English stop word?

    A shingle of stop words only ("one of the most of") recurs by chance in thousands of
    unrelated articles; as an anchor it would join them all, and the pairs it makes grow with
    the square of the corpus. Such shingles never anchor (they still count in signatures).
    """
    pos = np.minimum(np.searchsorted(_STOP_IDS, ids), len(_STOP_IDS) - 1)
    content = np.concatenate(([0], np.cumsum(_STOP_IDS[pos] != ids)))
    counts = np.diff(sh_off)
    start = np.repeat(offsets[:-1] - sh_off[:-1], counts) + np.arange(int(sh_off[-1]), dtype=np.int64)
    return (content[start + k] - content[start]) > 0


def _anchors(sh: np.ndarray, sh_off: np.ndarray, first: int, rate: int, eligible: np.ndarray) -> tuple[np.ndarray, ...]:
    """Keys ``hash bits | document`` of the sampled shingles, split by the hash's top bits."""
    if _anchors_numba is not None:
        keys, cuts = _anchors_numba(sh, sh_off.astype(np.int64), first, rate, N_PARTITIONS, eligible)
        return tuple(keys[cuts[p] : cuts[p + 1]] for p in range(N_PARTITIONS))
    pick = np.flatnonzero((sh % np.uint64(rate) == 0) & eligible)
    doc = (np.searchsorted(sh_off, pick, side="right") - 1 + first).astype(np.uint64)
    keys = (sh[pick] & ~_DOC_MASK) | doc
    part = (keys >> np.uint64(64 - PARTITION_BITS)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    cuts = np.searchsorted(part[order], np.arange(N_PARTITIONS + 1))
    ordered = keys[order]
    return tuple(ordered[cuts[p] : cuts[p + 1]] for p in range(N_PARTITIONS))


def _document_frequencies(ids: np.ndarray, offsets: np.ndarray, *, use_numba: bool | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct terms of the batch and how many of its documents hold each."""
    if (use_numba is None or use_numba) and _df_numba is not None:
        terms, counts = _df_numba(ids, offsets.astype(np.int64))
        order = np.argsort(terms)
        return terms[order], counts[order]
    else:
        doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        order = np.lexsort((ids, doc))
        s_ids, s_doc = ids[order], doc[order]
        new = np.concatenate(([True], (s_ids[1:] != s_ids[:-1]) | (s_doc[1:] != s_doc[:-1])))
        distinct = s_ids[new]
    terms, counts = np.unique(distinct, return_counts=True)
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


def near_duplicate_pairs(keys: np.ndarray, has_shingles: np.ndarray, *, max_bucket: int) -> np.ndarray:
    """Document pairs sharing a whole-document LSH band (sorted ``(i, j)``, ``i < j``)."""
    owners = np.flatnonzero(has_shingles)
    if len(owners) < 2:
        return np.empty((0, 2), dtype=np.int64)
    return candidate_pairs(keys[owners], owners, max_bucket=max_bucket)


def anchor_pairs(keys: np.ndarray, *, n_docs: int, max_df: int) -> np.ndarray:
    """Pair codes ``i * n_docs + j`` (``i < j``), one per anchor the two documents share.

    ``keys`` are the anchors of one hash partition from any number of batches. An anchor in
    more than ``max_df`` documents is boilerplate and joins nothing.
    """
    keys = sorted_unique(keys)  # sorts, and drops a document's repeats of one anchor
    if len(keys) < 2:
        return np.empty(0, dtype=np.int64)
    anchor = keys & ~_DOC_MASK
    starts = np.flatnonzero(np.concatenate(([True], anchor[1:] != anchor[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    keep = (sizes >= 2) & (sizes <= max_df)
    left, right = group_pairs(starts[keep], sizes[keep])
    doc = (keys & _DOC_MASK).astype(np.int64)
    return doc[left] * n_docs + doc[right]  # docs ascend within an anchor: left < right


def pairs_from_codes(codes: Sequence[np.ndarray], *, n_docs: int, min_count: int) -> np.ndarray:
    """Pairs whose code occurs at least ``min_count`` times across partitions (sorted)."""
    if not codes or sum(len(c) for c in codes) == 0:
        return np.empty((0, 2), dtype=np.int64)
    u, c = np.unique(np.concatenate(codes), return_counts=True)
    u = u[c >= min_count]
    return np.stack((u // n_docs, u % n_docs), axis=1).astype(np.int64)


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Idf:
    """Corpus document frequencies keyed by token id: the IDF half of TF-IDF."""

    n_docs: int
    terms: np.ndarray  # uint64 sorted
    docs: np.ndarray  # int64

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """Smoothed idf, ``ln((1 + n) / (1 + df)) + 1`` (scikit-learn's ``smooth_idf``)."""
        df = np.zeros(len(ids), dtype=np.float64)
        if len(self.terms):
            pos = np.minimum(np.searchsorted(self.terms, ids), len(self.terms) - 1)
            hit = self.terms[pos] == ids
            df[hit] = self.docs[pos[hit]]
        return np.log((1.0 + self.n_docs) / (1.0 + df)) + 1.0


_STOP_IDS = np.unique(np.array([token_hash(normalize(w)) for w in ENGLISH_STOP_WORDS], dtype=np.uint64))


@dataclass(frozen=True, slots=True)
class TermVector:
    """A document's L2-normalised TF-IDF weights over content words, keyed by token id."""

    ids: np.ndarray  # uint64 sorted
    weights: np.ndarray  # float64
    positions: np.ndarray  # a token position holding each id
    norms: Sequence[str]  # the document's normalised tokens (looked up only for the top terms)


def term_vector(tokens: Tokens, idf: Idf) -> TermVector:
    """Sublinear-tf TF-IDF over content words (no stop words, no lone Latin letter), L2 norm.

    The same weighting as :func:`reuse.stages.score.tfidf_matrix`, with IDF over the whole corpus but
    computed only for the documents that are scored: never a corpus-wide matrix.
    """
    lengths = tokens.norms.lengths() if isinstance(tokens.norms, LazyNorms) else np.fromiter(
        map(len, tokens.norms), dtype=np.int64, count=len(tokens))
    pos = np.minimum(np.searchsorted(_STOP_IDS, tokens.ids), len(_STOP_IDS) - 1)
    keep = (_STOP_IDS[pos] != tokens.ids) & (lengths > 1)
    single = np.flatnonzero(lengths == 1)
    keep[single] = character_mask(tokens, single)  # a Han character is a term, a lone "a" is not
    ids = tokens.ids[keep]
    if len(ids) == 0:
        return TermVector(np.empty(0, np.uint64), np.empty(0), np.empty(0, np.int64), ())
    u, first, counts = np.unique(ids, return_index=True, return_counts=True)
    w = (1.0 + np.log(counts)) * idf.idf(u)
    w /= math.sqrt(float(np.dot(w, w)))
    return TermVector(u, w, np.flatnonzero(keep)[first], tokens.norms)


def cosine_and_terms(a: TermVector, b: TermVector, n: int = 8) -> tuple[float, tuple[str, ...]]:
    """Cosine of two term vectors and the ``n`` shared words contributing most to it."""
    common, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    if len(common) == 0:
        return 0.0, ()
    prod = a.weights[ia] * b.weights[ib]
    order = np.argsort(-prod, kind="stable")[:n]
    return float(prod.sum()), tuple(a.norms[int(a.positions[ia[k]])] for k in order.tolist())


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """What scoring one chunk of pairs produced: every aligned pair (its ``pair`` None when it
    shares nothing to list), for the corpus-aware talking-points stage that follows."""

    aligned: list[Aligned]
    verified: int


def score_chunk(
    pairs: np.ndarray, verify: np.ndarray, docs: dict[int, Document], idf: Idf, config: ReuseConfig
) -> ChunkResult:
    """Verify, score and align each pair ``(i, j)`` of ``pairs`` (the unit a worker runs).

    Pairs with ``verify`` set came from LSH or anchors and must share ``min_shared_shingles``
    shingles exactly; the others (small corpora: every pair above the cosine floor) are aligned
    as they are. Each document is tokenised once per chunk.
    """
    from reuse.stages.pair import Prepared, score_pair  # the per-pair unit of work lives with the pipeline

    prepared: dict[int, Prepared] = {}
    vectors: dict[int, TermVector] = {}
    distinct: dict[int, np.ndarray] = {}

    def prep(i: int) -> Prepared:
        if i not in prepared:
            tokens = tokenize_fast(docs[i].text, lazy_norms=True)  # == tokenize(text), tested
            prepared[i] = Prepared(tokens, shingle_hashes(tokens.ids, config.shingle_size))
            distinct[i] = sorted_unique(prepared[i].shingles)
            vectors[i] = term_vector(tokens, idf)
        return prepared[i]

    out: list[Aligned] = []
    verified = 0
    for (i, j), check in zip(pairs.tolist(), verify.tolist()):
        pa, pb = prep(i), prep(j)
        counts = _shared_count(distinct[i], distinct[j])
        if check:
            if counts[0] < config.min_shared_shingles:
                continue
            verified += 1
        cos, top = cosine_and_terms(vectors[i], vectors[j])
        pair, found = score_pair(
            docs[i], pa, docs[j], pb, cosine=cos, overlap=overlap_from_counts(*counts), top_terms=top, config=config,
        )
        out.append(Aligned(i, j, cos, pair, found))
    return ChunkResult(out, verified)


def _shared_count(ua: np.ndarray, ub: np.ndarray) -> tuple[int, int, int]:
    """``reuse.stages.score.shared_count`` of two already-distinct sorted shingle sets."""
    return len(np.intersect1d(ua, ub, assume_unique=True)), len(ua), len(ub)


def all_pair_cosines(vectors: Sequence[TermVector], min_cosine: float) -> np.ndarray:
    """Every pair ``(i, j)``, ``i < j``, with TF-IDF cosine >= ``min_cosine`` (small corpora only)."""
    from scipy import sparse

    if len(vectors) < 2:
        return np.empty((0, 2), dtype=np.int64)
    vocab = np.unique(np.concatenate([v.ids for v in vectors]))
    rows = np.repeat(np.arange(len(vectors)), [len(v.ids) for v in vectors])
    cols = np.searchsorted(vocab, np.concatenate([v.ids for v in vectors]))
    data = np.concatenate([v.weights for v in vectors])
    m = sparse.csr_matrix((data, (rows, cols)), shape=(len(vectors), max(len(vocab), 1)))
    sims = (m @ m.T).tocoo()
    keep = (sims.row < sims.col) & (sims.data >= min_cosine)
    pairs = np.stack((sims.row[keep], sims.col[keep]), axis=1).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else pairs


try:
    import numba as _nb

    @_nb.njit(cache=True)
    def _df_numba(ids, offsets):  # noqa: ANN001, ANN202 - numba kernel
        """Document frequency of each term in one pass: an open-addressing table of
        (term, count, last document seen), so a term repeated in a document counts once."""
        size = 1 << 16
        mask = size - 1
        keys = np.zeros(size, np.uint64)
        counts = np.zeros(size, np.int64)
        last = np.full(size, -1, np.int64)  # -1: empty slot
        n_keys = 0
        for d in range(len(offsets) - 1):
            for t in range(offsets[d], offsets[d + 1]):
                key = ids[t]
                slot = np.int64((key ^ (key >> np.uint64(29))) & np.uint64(mask))
                while last[slot] != -1 and keys[slot] != key:
                    slot = (slot + 1) & mask
                if last[slot] == -1:
                    keys[slot] = key
                    n_keys += 1
                if last[slot] != d:
                    last[slot] = d
                    counts[slot] += 1
                if 2 * n_keys > size:  # grow: rehash into a table twice the size
                    size *= 2
                    mask = size - 1
                    k2 = np.zeros(size, np.uint64)
                    c2 = np.zeros(size, np.int64)
                    l2 = np.full(size, -1, np.int64)
                    for old in range(size // 2):
                        if last[old] != -1:
                            kk = keys[old]
                            s2 = np.int64((kk ^ (kk >> np.uint64(29))) & np.uint64(mask))
                            while l2[s2] != -1:
                                s2 = (s2 + 1) & mask
                            k2[s2] = kk
                            c2[s2] = counts[old]
                            l2[s2] = last[old]
                    keys, counts, last = k2, c2, l2
        out_k = np.empty(n_keys, np.uint64)
        out_c = np.empty(n_keys, np.int64)
        j = 0
        for slot in range(size):
            if last[slot] != -1:
                out_k[j] = keys[slot]
                out_c[j] = counts[slot]
                j += 1
        return out_k, out_c

    @_nb.njit(cache=True)
    def _anchors_numba(sh, sh_off, first, rate, n_parts, eligible):  # noqa: ANN001, ANN202 - numba kernel
        doc_mask = np.uint64((1 << 26) - 1)
        r = np.uint64(rate)
        shift = np.uint64(64 - 4)
        per = np.zeros(n_parts + 1, np.int64)
        n = 0
        for s in range(len(sh)):
            if eligible[s] and sh[s] % r == 0:
                per[np.int64(sh[s] >> shift) + 1] += 1
                n += 1
        cuts = np.cumsum(per)
        fill = cuts[:-1].copy()
        keys = np.empty(n, np.uint64)
        for d in range(len(sh_off) - 1):
            doc = np.uint64(first + d)
            for s in range(sh_off[d], sh_off[d + 1]):
                h = sh[s]
                if eligible[s] and h % r == 0:
                    p = np.int64(h >> shift)
                    keys[fill[p]] = (h & ~doc_mask) | doc
                    fill[p] += 1
        return keys, cuts
except ImportError:  # pragma: no cover - numba is optional
    _df_numba = _anchors_numba = None
