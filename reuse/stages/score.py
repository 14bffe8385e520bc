"""Document-pair scores: TF-IDF cosine, exact shingle Jaccard and containment, and the headline.

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

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from reuse.text.stopwords import ENGLISH_STOP_WORDS

if TYPE_CHECKING:  # scipy and scikit-learn load in seconds: imported where used
    from scipy import sparse

from reuse.text.tokens import is_character_token

TOPIC_WEIGHT = 0.05
"""How much TF-IDF cosine alone can contribute to the headline score (at most 0.05)."""
PARAPHRASE_FLOOR = 0.3
"""Paraphrase similarity that counts nothing: what sentences on one topic reach by shared words alone."""


def tfidf_matrix(token_lists: Sequence[Sequence[str]]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf) over normalised content words."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=content_words, sublinear_tf=True, norm="l2", dtype=np.float32)
    try:
        matrix = vec.fit_transform(token_lists)
    except ValueError:  # no content word anywhere (e.g. only stop words): every cosine is 0
        return sparse.csr_matrix((len(token_lists), 0), dtype=np.float32), np.array([], dtype=object)
    return matrix.tocsr(), vec.get_feature_names_out()


def content_words(tokens: Sequence[str]) -> list[str]:
    """The normalised tokens TF-IDF counts: no English stop word, no single character (but each
    character of a script without spaces, such as a Han character, counts).

    Function words say nothing about shared content; dropping them keeps the cosine and the
    "top terms" explanation about what the texts are about. Public because the persistent index
    (:mod:`reuse.index.store`) keeps document frequencies over exactly these words.
    """
    return [t for t in tokens if t not in ENGLISH_STOP_WORDS and (len(t) > 1 or is_character_token(t))]


def pair_cosines(matrix: sparse.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """Cosine of each listed row pair, without forming the full similarity matrix."""
    if len(pairs) == 0:
        return np.empty(0, dtype=np.float64)
    a = matrix[pairs[:, 0]]
    b = matrix[pairs[:, 1]]
    return np.asarray(a.multiply(b).sum(axis=1)).ravel().astype(np.float64)


def all_pair_cosines(matrix: sparse.csr_matrix, min_cosine: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``i < j`` with cosine >= ``min_cosine`` (small corpora only: n^2 work)."""
    sims = (matrix @ matrix.T).tocoo()
    keep = (sims.row < sims.col) & (sims.data >= min_cosine)
    pairs = np.stack((sims.row[keep], sims.col[keep]), axis=1).astype(np.int64)
    return pairs, sims.data[keep].astype(np.float64)


def top_shared_terms(matrix: sparse.csr_matrix, terms: np.ndarray, i: int, j: int, n: int = 8) -> tuple[str, ...]:
    """The terms contributing most to the cosine of rows ``i`` and ``j`` (what drove the score)."""
    prod = matrix[i].multiply(matrix[j]).tocoo()
    if prod.nnz == 0:
        return ()
    order = np.argsort(-prod.data)[:n]
    return tuple(str(terms[c]) for c in prod.col[order])


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
    if kind == "paraphrase":
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
