"""``find_reuse``: the whole pipeline, as pure stages run by an engine (:mod:`reuse.engine`).

document -> token ids -> shingles -> signatures -> LSH band keys + shingle anchors -> candidate
pairs -> exact-overlap verification -> TF-IDF scores -> aligned passages (``score_pair``) -> pairs.

Library code: it never prints. Progress is reported through an optional callback
``progress(stage, done, total)`` that the CLI turns into a progress bar on stderr.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .align import align_documents
from .config import ReuseConfig
from .corpus import Corpus, Document, Skip
from .results import Pair, Passage, Results
from .score import headline, set_overlap, weighted_coverage
from .shingle import hash32, shingle_hashes
from .sketch import band_keys, candidate_pairs, lsh_params, window_signatures
from .text import Tokens, tokenize

log = logging.getLogger("reuse")

Progress = Callable[[str, int, int], None]


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


def find_candidates(prepared: list[Prepared], config: ReuseConfig) -> np.ndarray:
    """Document pairs from whole-document LSH (near-duplicates) and window LSH (partial reuse)."""
    if len(prepared) < 2:
        return np.empty((0, 2), dtype=np.int64)
    found = []
    b, r = lsh_params(config.doc_threshold, config.num_perm)
    has = [i for i, p in enumerate(prepared) if len(p.shingles)]
    if len(has) >= 2:
        sigs = np.stack([prepared[i].doc_sig for i in has])
        found.append(candidate_pairs(band_keys(sigs, bands=b, rows=r), np.asarray(has), max_bucket=config.max_bucket))
    b, r = lsh_params(config.window_threshold, config.num_perm)
    owners = np.concatenate([np.full(len(p.window_sigs), i) for i, p in enumerate(prepared)])
    if len(owners):
        sigs = np.concatenate([p.window_sigs for p in prepared])
        found.append(candidate_pairs(band_keys(sigs, bands=b, rows=r), owners, max_bucket=config.max_bucket))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0)


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
    cov_a, wa = weighted_coverage(_word_chars(pa.tokens), [(*p.a_words, p.score) for p in found if p.a_words])
    cov_b, wb = weighted_coverage(_word_chars(pb.tokens), [(*p.b_words, p.score) for p in found if p.b_words])
    pair = Pair(
        doc_a=da.id, doc_b=db.id, score=headline(wa, wb, cosine), tfidf_cosine=cosine,
        jaccard=jac, containment_a=ca, containment_b=cb, n_passages=len(found),
        coverage_a=cov_a, coverage_b=cov_b, top_terms=top_terms,
        kinds=tuple(sorted({p.kind for p in found})),
    )
    return pair, found


def find_reuse(
    corpus: Corpus, config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = 1, batch_size: int | None = None,
) -> Results:
    """Find every pair of documents that share text, and the passages they share.

    Candidate pairs come from whole-document LSH (near-duplicates) and a join on sampled shingles
    (partial reuse), verified on exact shingle overlap; on corpora of at most
    ``config.all_pairs_max_docs`` documents every pair is scored, so the pair table is complete.
    ``jobs`` worker processes (``None``: all cores) and ``batch_size`` change speed and memory,
    never the results.
    """
    from .engine import local

    return local.run(
        iter([*corpus.documents, *corpus.skipped]), config or ReuseConfig(), jobs=jobs,
        batch_size=batch_size or local.DEFAULT_BATCH_SIZE, progress=progress, documents=corpus.documents,
    )


def find_reuse_stream(
    items: Iterable[Document | Skip], config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = None, batch_size: int | None = None,
) -> Results:
    """:func:`find_reuse` over a stream of documents (e.g. ``reuse.corpus.iter_paths``), memory bounded.

    Texts are spilled to a temporary file rather than held; the results keep every document of
    a small corpus and otherwise the documents that appear in a pair.
    """
    from .engine import local

    return local.run(
        items, config or ReuseConfig(), jobs=jobs, batch_size=batch_size or local.DEFAULT_BATCH_SIZE,
        progress=progress,
    )


def _word_chars(tokens: Tokens) -> np.ndarray:
    return (tokens.ends - tokens.starts).astype(np.float64)
