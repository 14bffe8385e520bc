"""``find_reuse``: the whole pipeline over an in-memory corpus, as pure stages.

document -> tokens -> shingles -> signatures (document + passage windows) -> LSH candidates
-> exact-overlap verification -> TF-IDF scores -> aligned passages -> pairs.

Library code: it never prints. Progress is reported through an optional callback
``progress(stage, done, total)`` that the CLI turns into a progress bar on stderr.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import __version__
from .align import align_documents
from .config import HASH_SCHEME, ReuseConfig
from .corpus import Corpus, Document
from .results import Pair, Passage, Results
from .score import (
    all_pair_cosines,
    headline,
    pair_cosines,
    overlap_from_counts,
    set_overlap,
    shared_count,
    tfidf_matrix,
    top_shared_terms,
    weighted_coverage,
)
from .shingle import hash32, shingle_hashes
from .sketch import band_keys, candidate_pairs, lsh_params, window_signatures
from .talking import Aligned, talking_points
from .text import Tokens, tokenize

log = logging.getLogger("reuse")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Prepared:
    """Per-document arrays every later stage reads."""

    tokens: Tokens
    shingles: np.ndarray  # uint64, one per shingle position
    doc_sig: np.ndarray  # uint32 (num_perm,)
    window_sigs: np.ndarray  # uint32 (n_windows, num_perm)


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


def find_reuse(corpus: Corpus, config: ReuseConfig | None = None, *, progress: Progress | None = None) -> Results:
    """Find every pair of documents that share text, and the passages they share.

    Candidate pairs come from LSH over document and window signatures (verified on exact shingle
    overlap); on corpora of at most ``config.all_pairs_max_docs`` documents every pair is scored,
    so the pair table is complete.
    """
    config = config or ReuseConfig()
    tick = progress or (lambda stage, done, total: None)
    docs = corpus.documents
    timings: dict[str, float] = {}

    t = time.perf_counter()
    prepared = []
    for n, doc in enumerate(docs, 1):
        prepared.append(prepare(doc, config))
        if n % 256 == 0 or n == len(docs):
            tick("sketch", n, len(docs))
    timings["sketch"] = time.perf_counter() - t

    t = time.perf_counter()
    candidates = find_candidates(prepared, config)
    overlaps = {}
    verified = []
    for i, j in candidates:
        counts = shared_count(prepared[i].shingles, prepared[j].shingles)
        if counts[0] >= config.min_shared_shingles:
            verified.append((int(i), int(j)))
            overlaps[(int(i), int(j))] = overlap_from_counts(*counts)
    timings["candidates"] = time.perf_counter() - t
    log.info("%d candidate pairs from LSH, %d verified on shared shingles", len(candidates), len(verified))

    t = time.perf_counter()
    matrix, terms = tfidf_matrix([p.tokens.norms for p in prepared]) if docs else (None, None)
    cosines: dict[tuple[int, int], float] = {}
    if docs and len(docs) <= config.all_pairs_max_docs:
        pairs, sims = all_pair_cosines(matrix, config.pair_min_cosine)
        cosines.update({(int(i), int(j)): float(s) for (i, j), s in zip(pairs, sims)})
    if verified:
        arr = np.asarray(verified, dtype=np.int64)
        cosines.update({(int(i), int(j)): float(s) for (i, j), s in zip(arr, pair_cosines(matrix, arr))})
    timings["tfidf"] = time.perf_counter() - t

    t = time.perf_counter()
    to_align = sorted(set(verified) | set(cosines) if len(docs) <= config.all_pairs_max_docs else set(verified))
    aligned: list[Aligned] = []
    for n, (i, j) in enumerate(to_align, 1):
        cos = cosines.get((i, j))
        if cos is None:
            cos = float(pair_cosines(matrix, np.array([[i, j]]))[0])
        pair, found = score_pair(
            docs[i], prepared[i], docs[j], prepared[j], cosine=cos, overlap=overlaps.get((i, j)),
            top_terms=top_shared_terms(matrix, terms, i, j), config=config,
        )
        aligned.append(Aligned(i, j, cos, pair, found))
        if n % 64 == 0 or n == len(to_align):
            tick("align", n, len(to_align))
    timings["align"] = time.perf_counter() - t

    # Corpus-aware stage: drop name/boilerplate-only passages, add paraphrases, cluster.
    t = time.perf_counter()
    talk = talking_points(docs, [p.tokens for p in prepared], [p.shingles for p in prepared], aligned, config)
    pair_rows, passages = talk.pairs, talk.passages
    timings["talking_points"] = time.perf_counter() - t
    return Results(
        documents=docs, pairs=pair_rows, passages=passages, skipped=list(corpus.skipped),
        config={**config.to_dict(), "hash_scheme": HASH_SCHEME},
        stats={
            "version": __version__, "documents": len(docs), "skipped": len(corpus.skipped),
            "candidates": int(len(candidates)), "verified": len(verified), "pairs": len(pair_rows),
            "passages": len(passages), "paraphrases": talk.paraphrases, "suppressed": talk.suppressed,
            "clusters": len(talk.clusters), "seconds": {k: round(v, 4) for k, v in timings.items()},
        },
        clusters=talk.clusters,
    )


def _word_chars(tokens: Tokens) -> np.ndarray:
    return (tokens.ends - tokens.starts).astype(np.float64)
