"""Pair records for the documents the talking-points stage pairs and the aligner never compared.

The stage asks for them one by one, in the scan's process alone, and a document recurs in many of
them: each document's distinct shingles and TF-IDF vector are kept for the next pairs (the same
counts and sums as computed afresh, tested) instead of being tokenised, hashed and weighed again.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from reuse.model import Document, Pair
from reuse.stages.candidates import common_sorted, sorted_unique
from reuse.stages.score import Idf, TermVector, cosine_and_terms, overlap_from_counts, term_vector
from reuse.text.shingle import shingle_hashes
from reuse.text.tokens import Tokens

FEATURES_KEPT = 2048
"""Documents whose shingles and term vector are kept (about 10 KB each)."""


class NewPairs:
    """:meth:`CorpusAccess.new_pair <reuse.stages.talking.points.CorpusAccess.new_pair>` with the corpus
    TF-IDF cosine: shingle overlap and cosine of documents ``docs`` (``tokens(i)``: document ``i``'s tokens)."""

    def __init__(self, docs: Sequence[Document], tokens: Callable[[int], Tokens], idf: Idf) -> None:
        self.docs, self.tokens, self.idf = docs, tokens, idf
        self._features: dict[tuple[int, int], tuple[np.ndarray, TermVector]] = {}

    def pair(self, i: int, j: int, shingle_size: int) -> Pair:
        sa, va = self._of(i, shingle_size)
        sb, vb = self._of(j, shingle_size)
        jac, ca, cb = overlap_from_counts(len(common_sorted(sa, sb)[0]), len(sa), len(sb))
        return Pair(doc_a=self.docs[i].id, doc_b=self.docs[j].id, score=0.0, tfidf_cosine=cosine_and_terms(va, vb)[0],
                    jaccard=jac, containment_a=ca, containment_b=cb, n_passages=0, coverage_a=0.0, coverage_b=0.0)

    def _of(self, i: int, shingle_size: int) -> tuple[np.ndarray, TermVector]:
        """Document ``i``'s distinct shingles (sorted) and TF-IDF vector (the last few kept)."""
        key = (i, shingle_size)
        if key not in self._features:
            if len(self._features) >= FEATURES_KEPT:
                self._features.pop(next(iter(self._features)))
            tokens = self.tokens(i)
            self._features[key] = (sorted_unique(shingle_hashes(tokens.ids, shingle_size)), term_vector(tokens, self.idf))
        return self._features[key]
