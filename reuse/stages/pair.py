"""One document pair, scored and aligned: the unit of work every engine runs per candidate pair.

``prepare`` gives a document's tokens, shingles and signatures (the index stores them);
``score_pair`` aligns two prepared documents and builds their :class:`~reuse.model.Pair`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from reuse.config import ReuseConfig
from reuse.model import Document, Pair, Passage
from reuse.stages.align.aligner import align_documents
from reuse.stages.score import headline, passage_weight, set_overlap, weighted_coverage
from reuse.stages.sketch import window_signatures
from reuse.text.shingle import hash32, shingle_hashes
from reuse.text.tokens import Tokens, tokenize

log = logging.getLogger("reuse")

@dataclass(frozen=True, slots=True)
class Prepared:
    """Per-document arrays every later stage reads."""

    tokens: Tokens
    shingles: np.ndarray  # uint64, one per shingle position
    doc_sig: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint32))  # uint32 (num_perm,)
    window_sigs: np.ndarray = field(default_factory=lambda: np.empty((0, 0), np.uint32))  # (n_windows, num_perm)


def prepare(doc: Document, config: ReuseConfig) -> Prepared:
    """Tokens, shingles and signatures of one document (a pure function: safe in any worker)."""
    tokens = tokenize(doc.text)
    sh = shingle_hashes(tokens.ids, config.shingle_size)
    doc_sig, win = window_signatures(
        hash32(sh), stride=config.window_stride, num_perm=config.num_perm, seed=config.seed
    )
    return Prepared(tokens, sh, doc_sig, win)


def score_pair(
    da: Document, pa: Prepared, db: Document, pb: Prepared, *, cosine: float,
    overlap: tuple[float, float, float] | None, top_terms: tuple[str, ...], config: ReuseConfig,
) -> tuple[Pair | None, list[Passage]]:
    """Align one document pair and build its :class:`Pair` (None when it shares nothing to list).

    A pure function of its arguments: the unit of work a process pool or a Spark task runs.
    """
    found = align_documents(da, pa.tokens, db, pb.tokens, config)
    if not found and cosine < config.pair_min_cosine:
        return None, []
    jac, ca, cb = overlap or set_overlap(pa.shingles, pb.shingles)
    cov_a, wa = weighted_coverage(_word_chars(pa.tokens), [(*p.a_words, passage_weight(p.kind, p.score))
                                                           for p in found if p.a_words])
    cov_b, wb = weighted_coverage(_word_chars(pb.tokens), [(*p.b_words, passage_weight(p.kind, p.score))
                                                           for p in found if p.b_words])
    pair = Pair(
        doc_a=da.id, doc_b=db.id, score=headline(wa, wb, cosine), tfidf_cosine=cosine,
        jaccard=jac, containment_a=ca, containment_b=cb, n_passages=len(found),
        coverage_a=cov_a, coverage_b=cov_b, top_terms=top_terms,
        kinds=tuple(sorted({p.kind for p in found})),
    )
    return pair, found


def _word_chars(tokens: Tokens) -> np.ndarray:
    return (tokens.ends - tokens.starts).astype(np.float64)
