"""One document pair, scored and aligned: the unit of work every engine runs per candidate pair.

``prepare`` gives a document's tokens and shingles; ``score_pair`` aligns two prepared documents
and builds their :class:`~reuse.model.Pair`; ``score_chunk`` does it for a chunk of candidate pairs
(verification on exact shared shingles, TF-IDF cosine, alignment): the task an engine maps over
the candidates. On a small corpus :func:`run_words` says which pairs the aligner runs on.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.model import Document, Pair, Passage
from reuse.stages.align.aligner import align_documents
from reuse.stages.align.units import batch_token_terms
from reuse.stages.candidates import LIST, VERIFY, common_sorted, sorted_unique
from reuse.stages.score import (
    Idf,
    TermVector,
    cosine_and_terms,
    headline,
    overlap_from_counts,
    passage_weight,
    set_overlap,
    term_vectors,
    weighted_coverage,
)
from reuse.text.shingle import batch_shingles
from reuse.text.tokens import Tokens, token_batch, tokenize

log = logging.getLogger("reuse")

RUN_WORDS_MAX = 12
"""Longest exact run :func:`run_words` asks for: a longer passage with a few words edited still holds one."""


def run_words(config: ReuseConfig) -> int:
    """Words of the exact run (a word n-gram) that two documents of a small corpus must share to be
    aligned when no candidate route paired them: ``min_passage_words``, at most :data:`RUN_WORDS_MAX`.

    A small corpus scores every pair, and documents on one topic share its set phrases ("the
    appearance of", a name) but no passage: a phrase shorter than a passage cannot make one, so
    the aligner never runs for it. Reworded claims, with no exact run, are the talking-points
    stage's at every corpus size.

    >>> run_words(ReuseConfig()), run_words(ReuseConfig(min_passage_words=40))
    (8, 12)
    """
    return min(config.min_passage_words, RUN_WORDS_MAX)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Per-document arrays every later stage reads."""

    tokens: Tokens
    shingles: np.ndarray  # uint64, one per shingle position
    distinct: np.ndarray  # the distinct shingles, sorted
    vector: TermVector
    terms: np.ndarray  # each token's content term (reuse.stages.align.units.token_terms)
    word_chars: np.ndarray  # float64: each token's length in characters (for coverage)


def prepare(docs: Mapping[int, Document], idf: Idf, config: ReuseConfig) -> dict[int, Prepared]:
    """Tokens, shingles, TF-IDF vector and content terms of each document (a pure function: safe
    in any worker).

    Done for a chunk's documents together: each is a few hundred words, so numpy's cost per call,
    not the work, would dominate document by document. The normalised forms are computed when
    first read (:class:`~reuse.text.tokens.LazyNorms`): scoring reads only a handful of them.
    """
    numbers = list(docs)
    tokens = [tokenize(docs[i].text, lazy_norms=True) for i in numbers]
    batch = token_batch(tokens)
    shingles, sh_offsets = batch_shingles(batch.ids, batch.offsets, config.shingle_size)
    vectors = term_vectors(batch, idf)
    terms = batch_token_terms(batch)
    out = {}
    for k, i in enumerate(numbers):
        sh = shingles[sh_offsets[k] : sh_offsets[k + 1]]
        chars = (tokens[k].ends - tokens[k].starts).astype(np.float64)
        out[i] = Prepared(tokens[k], sh, sorted_unique(sh), vectors[k], terms[k], chars)
    return out


@dataclass(frozen=True, slots=True)
class Aligned:
    """One document pair as the aligner left it: numbers, TF-IDF cosine, pair (or None), passages."""

    i: int
    j: int
    cosine: float
    pair: Pair | None
    passages: list[Passage]


def score_pair(
    da: Document, pa: Prepared, db: Document, pb: Prepared, *, cosine: float,
    overlap: tuple[float, float, float] | None, top_terms: tuple[str, ...], config: ReuseConfig, align: bool = True,
) -> tuple[Pair | None, list[Passage]]:
    """Align one document pair and build its :class:`Pair` (None when it shares nothing to list).

    A pure function of its arguments: the unit of work a process pool or a Spark task runs.
    ``align=False`` skips the aligner: no passages, the pair listed by its TF-IDF score alone.
    """
    found = align_documents(da, pa.tokens, db, pb.tokens, config, terms=(pa.terms, pb.terms)) if align else []
    if not found and cosine < config.pair_min_cosine:
        return None, []
    jac, ca, cb = overlap or set_overlap(pa.shingles, pb.shingles)
    cov_a, wa = weighted_coverage(pa.word_chars, [(*p.a_words, passage_weight(p.kind, p.score))
                                                  for p in found if p.a_words])
    cov_b, wb = weighted_coverage(pb.word_chars, [(*p.b_words, passage_weight(p.kind, p.score))
                                                  for p in found if p.b_words])
    pair = Pair(
        doc_a=da.id, doc_b=db.id, score=headline(wa, wb, cosine), tfidf_cosine=cosine,
        jaccard=jac, containment_a=ca, containment_b=cb, n_passages=len(found),
        coverage_a=cov_a, coverage_b=cov_b, top_terms=top_terms,
        kinds=tuple(sorted({p.kind for p in found})),
    )
    return pair, found


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """What scoring one chunk of pairs produced: every aligned pair (its ``pair`` None when it
    shares nothing to list), for the corpus-aware talking-points stage that follows."""

    aligned: list[Aligned]
    verified: int
    ran: int = 0  # pairs the aligner ran on (the others kept their TF-IDF score alone)


def score_chunk(
    pairs: np.ndarray, how: np.ndarray, docs: dict[int, Document], idf: Idf, config: ReuseConfig
) -> ChunkResult:
    """Verify, score and align each pair ``(i, j)`` of ``pairs`` as ``how`` says (``ALIGN``,
    ``VERIFY``, ``LIST`` of :mod:`reuse.stages.candidates`; a boolean array reads as
    ``VERIFY``/``ALIGN``): the unit a worker runs.

    A ``VERIFY`` pair must share ``min_shared_shingles`` shingles exactly, or it is dropped; a
    ``LIST`` pair keeps its TF-IDF score alone, and is returned when it reaches ``pair_min_cosine``.
    Each document is prepared once per chunk (:func:`prepare`).
    """
    prepared = prepare({i: docs[i] for i in np.unique(pairs).tolist()}, idf, config)  # those in a pair only
    out: list[Aligned] = []
    verified = ran = 0
    shared = shared_counts(pairs, prepared).tolist()
    cosines = cosines_and_terms(pairs, prepared)
    for (i, j), mode, common, (cos, top) in zip(pairs.tolist(), np.asarray(how, dtype=np.int8).tolist(), shared, cosines):
        pa, pb = prepared[i], prepared[j]
        counts = (common, len(pa.distinct), len(pb.distinct))
        if mode == VERIFY:
            if counts[0] < config.min_shared_shingles:
                continue
            verified += 1
        ran += mode != LIST
        pair, found = score_pair(
            docs[i], pa, docs[j], pb, cosine=cos, overlap=overlap_from_counts(*counts), top_terms=top, config=config,
            align=mode != LIST,
        )
        out.append(Aligned(i, j, cos, pair, found))
    return ChunkResult(out, verified, ran)


def shared_counts(pairs: np.ndarray, prepared: Mapping[int, Prepared]) -> np.ndarray:
    """Distinct shingles each pair ``(i, j)`` shares exactly (``prepared``: the chunk's documents):
    one compiled call for the chunk where numba is on (:mod:`reuse.stages.pair_kernel`)."""
    if not len(pairs):
        return np.empty(0, np.int64)
    kernels = _kernels()
    if kernels is None:
        return np.array([len(common_sorted(prepared[i].distinct, prepared[j].distinct)[0]) for i, j in pairs.tolist()],
                        np.int64)
    sets, offsets, left, right = _side_by_side(pairs, prepared, [p.distinct for p in prepared.values()])
    return kernels.shared_counts(np.concatenate(sets), offsets, left, right)


TOP_TERMS = 8
"""Shared words listed with a pair (its ``top_terms``): those contributing most to its TF-IDF cosine."""


def cosines_and_terms(pairs: np.ndarray, prepared: Mapping[int, Prepared]) -> list[tuple[float, tuple[str, ...]]]:
    """:func:`~reuse.stages.score.cosine_and_terms` of each pair ``(i, j)`` (``prepared``: the chunk's
    documents): one compiled call for the chunk where numba is on, the same sums to the last bit;
    only the words of the top terms are looked up pair by pair."""
    kernels = _kernels()
    if kernels is None or not len(pairs):
        return [cosine_and_terms(prepared[i].vector, prepared[j].vector, TOP_TERMS) for i, j in pairs.tolist()]
    vectors = [p.vector for p in prepared.values()]
    ids, offsets, left, right = _side_by_side(pairs, prepared, [v.ids for v in vectors])
    cos, top = kernels.cosines_and_terms(np.concatenate(ids), np.concatenate([v.weights for v in vectors]), offsets,
                                         left, right, TOP_TERMS)
    out = []
    for c, (i, _), entries in zip(cos.tolist(), pairs.tolist(), top.tolist()):
        v = prepared[i].vector
        out.append((c, tuple(v.norms[int(v.positions[e])] for e in entries if e >= 0)))
    return out


def _side_by_side(pairs: np.ndarray, prepared: Mapping[int, Prepared], arrays: list[np.ndarray]
                  ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """``(arrays, offsets, left, right)``: one array per prepared document (in ``prepared``'s order)
    with the offsets of their concatenation, and each pair's two documents as indices into them."""
    numbers = np.fromiter(prepared, np.int64, len(prepared))
    order = np.argsort(numbers)
    offsets = np.zeros(len(arrays) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, arrays), np.int64, len(arrays)), out=offsets[1:])
    left, right = (order[np.searchsorted(numbers, pairs[:, k], sorter=order)] for k in (0, 1))
    return arrays, offsets, left, right


@cache
def _kernels() -> Any:
    """The compiled kernels of this module (:mod:`reuse.stages.pair_kernel`), or None without numba
    (imported on first use)."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.stages import pair_kernel

    return pair_kernel
