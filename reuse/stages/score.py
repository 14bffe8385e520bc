"""Document-pair scores: the one TF-IDF, exact shingle Jaccard and containment, and the headline.

**TF-IDF** (every cosine a user sees): a document's terms are its normalised tokens that are not
stop words nor single characters (:func:`reuse.text.stopwords.is_term`), keyed by token id;
weights are sublinear tf ``1 + ln tf`` times the smoothed idf ``ln((1 + n) / (1 + df)) + 1``
(scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``), rows L2-normalised. Document frequencies
come from the whole corpus (a scan) or from the index plus the query (a query), never from the
handful of documents being compared. The same :func:`smooth_idf` weighs the sentences of the
talking-points stage; the aligner's two-document space uses :func:`plain_idf` (tf-isf).

The headline ``score`` (in [0, 1]) reads as "the share of the more-reused document's text that is
reused, counted by how much of its wording survives". It is the larger of the two *weighted
coverages* (the share of a document's word characters inside reported passages, each character
counted at its passage's :func:`passage_weight`) plus a small topical term, so that among pairs
sharing little text, closer topics rank higher without passing a pair with real shared passages:

    score = C + (1 - C) * TOPIC_WEIGHT * tfidf_cosine,   C = max(weighted_coverage_a, weighted_coverage_b)

A verbatim passage counts in full, an edited (``fuzzy``) one at its share of words in exact runs,
and a ``paraphrase`` by how far its similarity exceeds ``PARAPHRASE_FLOOR`` (rescaled to [0, 1]):
texts written independently on one topic share sentences up to about that similarity from topic
words alone, so such matches add nothing. The constants were chosen on graded data
(:mod:`reuse.eval.graded`, ``reuse eval graded``): fitted on half of it, checked on the other half.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reuse.model import PARAPHRASE
from reuse.stages.candidates import common_sorted, grouped
from reuse.text.stopwords import is_stop_id
from reuse.text.tokens import LazyNorms, TokenBatch, Tokens, character_mask, token_batch

TOPIC_WEIGHT = 0.05
"""How much TF-IDF cosine alone can contribute to the headline score (at most 0.05)."""
PARAPHRASE_FLOOR = 0.3
"""Paraphrase similarity that counts nothing: what sentences on one topic reach by shared words alone."""


def smooth_idf(n: float, df: np.ndarray) -> np.ndarray:
    """``ln((1 + n) / (1 + df)) + 1``: scikit-learn's ``smooth_idf`` over ``n`` documents (or units)."""
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def plain_idf(n: float, df: np.ndarray) -> np.ndarray:
    """``ln(n / df)`` (``df`` at least 1): the tf-isf weight of a small closed set of sentences."""
    return np.log(n / np.maximum(df, 1.0))


def sublinear_tf(counts: np.ndarray) -> np.ndarray:
    """``1 + ln tf``: a term said five times is not five times the evidence."""
    return 1.0 + np.log(counts)


@dataclass(frozen=True, slots=True)
class Idf:
    """Document frequencies keyed by token id, over ``n_docs`` documents: the IDF half of TF-IDF."""

    n_docs: int
    terms: np.ndarray  # uint64 sorted
    docs: np.ndarray  # int64

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """:func:`smooth_idf` of each id (an id never seen has ``df`` 0)."""
        df = np.zeros(len(ids), dtype=np.float64)
        if len(self.terms):
            pos = np.minimum(np.searchsorted(self.terms, ids), len(self.terms) - 1)
            hit = self.terms[pos] == ids
            df[hit] = self.docs[pos[hit]]
        return smooth_idf(self.n_docs, df)


@dataclass(frozen=True, slots=True)
class TermVector:
    """A document's L2-normalised TF-IDF weights over its terms, keyed by token id."""

    ids: np.ndarray  # uint64 sorted
    weights: np.ndarray  # float64
    positions: np.ndarray  # a token position holding each id
    norms: Sequence[str]  # the document's normalised tokens (looked up only for the top terms)


_EMPTY = TermVector(np.empty(0, np.uint64), np.empty(0), np.empty(0, np.int64), ())


def term_vector(tokens: Tokens, idf: Idf) -> TermVector:
    """The document's TF-IDF vector (see the module docstring), computed for this document only."""
    return term_vectors(token_batch([tokens]), idf)[0]


def term_vectors(batch: TokenBatch, idf: Idf) -> list[TermVector]:
    """:func:`term_vector` of every document of ``batch``, in one pass over their tokens together.

    A chunk of pairs weighs a thousand documents of a few hundred words each: numpy's cost per call
    would exceed the work done per document, so the tokens of all are filtered, counted (one sort
    by document, id and position) and weighed at once; only the normalisation is per document,
    its sum of squares taken as one document alone takes it (the same weights to the last bit).
    """
    docs, offsets = batch.docs, batch.offsets
    if not docs:
        return []
    lengths = np.concatenate([_lengths(t) for t in docs]) if len(docs) > 1 else _lengths(docs[0])
    keep = ~is_stop_id(batch.vocab)[batch.inverse] & (lengths > 1)
    single = np.flatnonzero(lengths == 1)
    if len(single):  # a Han character is a term, a lone "a" is not
        cuts = np.searchsorted(batch.owner(single), np.arange(len(docs) + 1))
        for d in np.flatnonzero(np.diff(cuts)).tolist():
            at = single[cuts[d] : cuts[d + 1]]
            keep[at] = character_mask(docs[d], at - offsets[d])
    pos = np.flatnonzero(keep)
    group, first, counts = grouped(batch.owner(pos) * len(batch.vocab) + batch.inverse[pos])
    owner, vid = np.divmod(group, max(len(batch.vocab), 1))
    w = sublinear_tf(counts) * idf.idf(batch.vocab)[vid]
    cuts = np.searchsorted(owner, np.arange(len(docs) + 1)).tolist()
    first = pos[first] - offsets[owner]
    out = []
    for d, t in enumerate(docs):
        lo, hi = cuts[d], cuts[d + 1]
        if lo == hi:
            out.append(_EMPTY)
            continue
        wd = w[lo:hi].copy()
        wd /= math.sqrt(float(np.dot(wd, wd)))
        out.append(TermVector(batch.vocab[vid[lo:hi]], wd, first[lo:hi], t.norms))
    return out


def _lengths(tokens: Tokens) -> np.ndarray:
    """Length of every normalised token (without building the strings where the norms are lazy)."""
    if isinstance(tokens.norms, LazyNorms):
        return tokens.norms.lengths()
    return np.fromiter(map(len, tokens.norms), dtype=np.int64, count=len(tokens))


def cosine_and_terms(a: TermVector, b: TermVector, n: int = 8) -> tuple[float, tuple[str, ...]]:
    """Cosine of two term vectors and the ``n`` shared words contributing most to it."""
    ia, ib = common_sorted(a.ids, b.ids)
    if len(ia) == 0:
        return 0.0, ()
    prod = a.weights[ia] * b.weights[ib]
    order = np.argsort(-prod, kind="stable")[:n]
    return float(prod.sum()), tuple(a.norms[int(a.positions[ia[k]])] for k in order.tolist())


def all_pair_cosines(vectors: Sequence[TermVector], min_cosine: float, *, with_row: int | None = None) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, with TF-IDF cosine >= ``min_cosine`` (small corpora only: n^2 work).

    One sparse product. ``with_row`` keeps only the pairs holding that row, computed from that
    row alone and bit for bit as the whole product computes them (a query against an index).
    """
    if len(vectors) < 2:
        return np.empty((0, 2), dtype=np.int64)
    m = _matrix(vectors)
    if with_row is None:
        sims = (m @ m.T).tocoo()
        keep = (sims.row < sims.col) & (sims.data >= min_cosine)
        pairs = np.stack((sims.row[keep], sims.col[keep]), axis=1).astype(np.int64)
    else:
        # Entry (i, j) of m @ m.T sums over row i's terms in order: for i < q take m @ m[q].T.
        q = with_row
        before = (m[:q] @ m[q].T).tocoo()
        after = (m[q] @ m[q + 1 :].T).tocoo()
        keep_b, keep_a = before.data >= min_cosine, after.data >= min_cosine
        pairs = np.concatenate((
            np.stack((before.row[keep_b], np.full(int(keep_b.sum()), q)), axis=1),
            np.stack((np.full(int(keep_a.sum()), q), after.col[keep_a] + q + 1), axis=1),
        )).astype(np.int64)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else pairs


BLOCK_ROWS = 256
"""Documents per block of the nearest-neighbour product (a dense block of ``BLOCK_ROWS x n`` cosines)."""


def neighbour_pairs(vectors: Sequence[TermVector], k: int, min_cosine: float, *, with_row: int | None = None) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, where one document is among the other's ``k`` nearest by TF-IDF
    cosine (at least ``min_cosine``; ties to the earlier document), sorted.

    The product runs in row blocks, so memory is ``BLOCK_ROWS x n`` however large ``n``.
    ``with_row`` keeps the pairs holding that document, computed as the whole corpus computes them.
    """
    n = len(vectors)
    if n < 2 or k < 1:
        return np.empty((0, 2), dtype=np.int64)
    m = _matrix(vectors)
    mt = m.T.tocsc()
    found: list[np.ndarray] = []
    for s in range(0, n, BLOCK_ROWS):
        sims = (m[s : s + BLOCK_ROWS] @ mt).toarray()
        rows = np.arange(len(sims))
        sims[rows, rows + s] = -np.inf
        a, b = np.nonzero(_top_k(sims, k) & (sims >= min_cosine))
        a += s
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
    codes = np.unique(np.concatenate(found))
    pairs = np.stack((codes // n, codes % n), axis=1).astype(np.int64)
    if with_row is not None:
        pairs = pairs[(pairs[:, 0] == with_row) | (pairs[:, 1] == with_row)]
    return pairs


def _top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Mask of each row's ``k`` largest entries, ties to the earlier column: the first ``k`` of a
    stable descending sort, found by one partition per row rather than a sort."""
    if k >= sims.shape[1]:
        return np.ones(sims.shape, dtype=bool)
    kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1 : k]  # each row's k-th largest value
    above = sims > kth
    tied = sims == kth
    room = k - above.sum(axis=1, keepdims=True)  # how many of the tied values still fit
    return above | (tied & (np.cumsum(tied, axis=1) <= room))


def pair_cosines(vectors: Sequence[TermVector | None], pairs: np.ndarray) -> np.ndarray:
    """TF-IDF cosine of each pair ``(i, j)`` of ``pairs``, vectorised (``vectors[k]`` may be None
    for a document in no pair). Each sum runs over the pair's shared terms in id order, so a pair's
    cosine does not depend on the other documents given."""
    if not len(pairs):
        return np.empty(0, dtype=np.float64)
    m = _matrix(vectors)
    return np.asarray(m[pairs[:, 0]].multiply(m[pairs[:, 1]]).sum(axis=1)).ravel()


def _matrix(vectors: Sequence[TermVector | None]):  # noqa: ANN202 - scipy.sparse.csr_matrix
    """The term vectors as rows of one CSR matrix, columns in token-id order (None: an empty row)."""
    from scipy import sparse  # loads in a second: imported where used

    present = [v if v is not None else _EMPTY for v in vectors]
    ids = np.concatenate([v.ids for v in present])
    vocab = np.unique(ids)
    rows = np.repeat(np.arange(len(present)), [len(v.ids) for v in present])
    data = np.concatenate([v.weights for v in present])
    return sparse.csr_matrix((data, (rows, np.searchsorted(vocab, ids))), shape=(len(present), max(len(vocab), 1)))


def shared_count(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int]:
    """``(shared, distinct_a, distinct_b)`` counts of two shingle-hash sets."""
    ua, ub = np.unique(a), np.unique(b)
    return len(np.intersect1d(ua, ub, assume_unique=True)), len(ua), len(ub)


def set_overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Exact ``(jaccard, containment_a, containment_b)`` of two shingle-hash sets."""
    return overlap_from_counts(*shared_count(a, b))


def overlap_from_counts(inter: int, na: int, nb: int) -> tuple[float, float, float]:
    if na == 0 or nb == 0:
        return 0.0, 0.0, 0.0
    return inter / (na + nb - inter), inter / na, inter / nb


def passage_weight(kind: str, similarity: float) -> float:
    """How much each character of a passage counts as reused in the headline score.

    ``verbatim`` passages (similarity 1.0) and edited ``fuzzy`` ones (similarity: the share of
    their words inside exact runs) count at their similarity; a ``paraphrase`` at its similarity
    above ``PARAPHRASE_FLOOR``, rescaled to [0, 1]: sentences that share only topic words reach
    about that floor, so they cannot lift independent texts to the level of revised ones.

    >>> passage_weight("verbatim", 1.0), passage_weight("fuzzy", 0.8), passage_weight("paraphrase", 0.2)
    (1.0, 0.8, 0.0)
    >>> round(passage_weight("paraphrase", 0.65), 2)
    0.5
    """
    if kind == PARAPHRASE:
        return max(0.0, similarity - PARAPHRASE_FLOOR) / (1.0 - PARAPHRASE_FLOOR)
    return similarity


def weighted_coverage(word_chars: np.ndarray, spans: Sequence[tuple[int, int, float]]) -> tuple[float, float]:
    """``(coverage, weighted_coverage)`` of one document by passages in token coordinates.

    ``word_chars[i]`` is the length of token ``i``; ``spans`` are ``(first, last, weight)`` token
    ranges. Overlapping passages count once, at the highest weight; ``coverage`` counts every
    passage, whatever its weight.
    """
    total = float(word_chars.sum())
    if total == 0 or not spans:
        return 0.0, 0.0
    weight = np.zeros(len(word_chars), dtype=np.float64)
    covered = np.zeros(len(word_chars), dtype=bool)
    for first, last, w in spans:
        np.maximum(weight[first : last + 1], w, out=weight[first : last + 1])
        covered[first : last + 1] = True
    return float(word_chars[covered].sum()) / total, float((word_chars * weight).sum()) / total


def headline(weighted_a: float, weighted_b: float, cosine: float) -> float:
    """The documented headline score (see module docstring) from the two weighted coverages."""
    c = max(weighted_a, weighted_b)
    return float(min(1.0, c + (1.0 - c) * TOPIC_WEIGHT * max(0.0, cosine)))
