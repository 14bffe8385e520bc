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
from .align import Alignment, align_tokens
from .config import HASH_SCHEME, ReuseConfig
from .corpus import Corpus, Document
from .results import Pair, Passage, Results
from .score import (
    all_pair_cosines,
    headline,
    pair_cosines,
    set_overlap,
    tfidf_matrix,
    top_shared_terms,
    weighted_coverage,
)
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


def _to_passage(al: Alignment, da: Document, ta: Tokens, db: Document, tb: Tokens) -> Passage:
    a0, a1 = ta.char_span(al.a_first, al.a_last)
    b0, b1 = tb.char_span(al.b_first, al.b_last)
    ma, mb = al.matched()
    return Passage(
        doc_a=da.id, a_start=a0, a_end=a1, doc_b=db.id, b_start=b0, b_end=b1,
        kind="verbatim" if al.is_verbatim else "fuzzy",
        score=1.0 if al.is_verbatim else al.similarity(),
        text_a=da.text[a0:a1], text_b=db.text[b0:b1], matched_words=min(ma, mb),
    )


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
        jac, ca, cb = set_overlap(prepared[i].shingles, prepared[j].shingles)
        shared = round(jac * (len(np.unique(prepared[i].shingles)) + len(np.unique(prepared[j].shingles))) / (1 + jac)) if jac else 0
        if shared >= config.min_shared_shingles:
            verified.append((int(i), int(j)))
            overlaps[(int(i), int(j))] = (jac, ca, cb)
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
    pair_rows: list[Pair] = []
    passages: list[Passage] = []
    for n, (i, j) in enumerate(to_align, 1):
        pa, pb = prepared[i], prepared[j]
        alignments = align_tokens(
            pa.tokens, pb.tokens,
            seed_size=config.seed_size, min_words=config.min_passage_words,
            max_gap=config.max_gap_words, max_occurrences=config.max_seed_occurrences,
        )
        found = [_to_passage(al, docs[i], pa.tokens, docs[j], pb.tokens) for al in alignments]
        cos = cosines.get((i, j))
        if cos is None:
            cos = float(pair_cosines(matrix, np.array([[i, j]]))[0])
        if not found and cos < config.pair_min_cosine:
            continue
        jac, ca, cb = overlaps.get((i, j)) or set_overlap(pa.shingles, pb.shingles)
        cov_a, wa = weighted_coverage(_word_chars(pa.tokens), [(al.a_first, al.a_last, p.score) for al, p in zip(alignments, found)])
        cov_b, wb = weighted_coverage(_word_chars(pb.tokens), [(al.b_first, al.b_last, p.score) for al, p in zip(alignments, found)])
        pair_rows.append(Pair(
            doc_a=docs[i].id, doc_b=docs[j].id, score=headline(wa, wb, cos), tfidf_cosine=cos,
            jaccard=jac, containment_a=ca, containment_b=cb, n_passages=len(found),
            coverage_a=cov_a, coverage_b=cov_b, top_terms=top_shared_terms(matrix, terms, i, j),
            kinds=tuple(sorted({p.kind for p in found})),
        ))
        passages.extend(found)
        if n % 64 == 0 or n == len(to_align):
            tick("align", n, len(to_align))
    timings["align"] = time.perf_counter() - t

    pair_rows.sort(key=lambda p: (-p.score, p.doc_a, p.doc_b))
    order = {d.id: k for k, d in enumerate(docs)}
    passages.sort(key=lambda p: (order[p.doc_a], order[p.doc_b], p.a_start, p.b_start))
    return Results(
        documents=docs, pairs=pair_rows, passages=passages, skipped=list(corpus.skipped),
        config={**config.to_dict(), "hash_scheme": HASH_SCHEME},
        stats={
            "version": __version__, "documents": len(docs), "skipped": len(corpus.skipped),
            "candidates": int(len(candidates)), "verified": len(verified), "pairs": len(pair_rows),
            "passages": len(passages), "seconds": {k: round(v, 4) for k, v in timings.items()},
        },
    )


def _word_chars(tokens: Tokens) -> np.ndarray:
    return (tokens.ends - tokens.starts).astype(np.float64)
