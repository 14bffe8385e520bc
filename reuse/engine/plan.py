"""The stage plan: one document's way from input to results, stated once, run by any engine.

    read -> tokens -> sketches -> candidates -> cheap scores -> alignment -> talking points -> results

:func:`scan` runs it over a stream of documents; a query against the persistent index runs the same
stages with the index's stored sketches in place of the corpus's (:mod:`reuse.index.query`). Each
stage is a pure function of :mod:`reuse.stages`; the engine (:mod:`reuse.engine.base`) only maps
them over batches, groups anchors by key, broadcasts the IDF to the workers and collects results.
Results do not depend on the engine, the number of jobs or the batch size (tested).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reuse.config import HASH_SCHEME, ReuseConfig
from reuse.engine import packed
from reuse.engine.base import Broadcast, Clock, Engine, TextRef
from reuse.engine.numbered import Numbered
from reuse.model import Cluster, Document, DocumentInfo, Pair, Passage, Progress, Results, Skip, unique_documents
from reuse.stages import candidates, scope
from reuse.stages.pair import Aligned, ChunkResult, run_words, score_chunk
from reuse.stages.score import (
    Idf,
    all_pair_cosines,
    neighbour_pairs,
    pair_cosines,
    term_vectors,
)
from reuse.stages.sketch import Sketch, merge_counts, sketch_batch
from reuse.stages.talking.points import CorpusAccess, talking_points
from reuse.text.shingle import shingle_hashes
from reuse.text.tokens import token_batch, tokenize
from reuse.version import __version__

log = logging.getLogger("reuse")

DEFAULT_BATCH_SIZE = 4096
"""Documents per sketch task: large enough to amortise numpy calls, small enough to stay lean."""
SCORE_CHUNK = 512
"""Candidate pairs per alignment task."""
DF_COMPACT = 8_000_000
"""Document-frequency rows held before the per-batch tables are summed into one."""


def scan(
    items: Iterable[Document | Skip], config: ReuseConfig, engine: Engine, *,
    batch_size: int = DEFAULT_BATCH_SIZE, progress: Progress | None = None, documents: list[Document] | None = None,
    reference: Iterable[Document | Skip] | None = None,
) -> Results:
    """Find reuse in a stream of documents and skips (see :func:`reuse.find_reuse`).

    ``documents``: the corpus when the caller already holds it, so results keep every document;
    for a stream, results keep every document of a corpus small enough for the talking-points
    stage and otherwise those in at least one pair. ``reference``: a second stream, read after
    ``items``, compared with them but never with itself (:mod:`reuse.stages.scope`).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    clock = Clock(progress)
    read = Reading(config, reference is not None)
    corpus = Numbered(engine.texts(), engine.texts())
    if documents is not None and scope.restricts(config):
        documents = [d for d in documents if scope.in_scope(d, config)]
    with clock("sketch"):  # read -> tokens -> sketches
        table = SketchTable()
        stream = read.documents(items, reference, corpus)
        for sketch in engine.map(sketch_batch, corpus.batches(stream, batch_size, config)):
            table.add(sketch)
            clock.tick("sketch", table.n_docs, table.n_docs)
        corpus.close()
    n = len(corpus)
    with clock("near_duplicates"):  # candidates: documents sharing an LSH band ...
        near = candidates.near_duplicate_pairs(table.band_keys(), table.has_shingles(), max_bucket=config.max_bucket) \
            if n >= 2 else np.empty((0, 2), np.int64)
    with clock("passage_candidates"):  # ... or anchors
        passage = anchor_join(engine, table, n, config)
        clock.tick("candidates", 1, 1)
    with clock("tfidf"):  # cheap scores: the corpus IDF, and every pair's cosine on a small corpus
        idf = Idf(n, *table.document_frequencies())
        n_tokens, doc_tokens = table.n_tokens, table.tokens_per_document()
        del table  # band keys and frequencies are spent: not held through alignment and talking points
        none = np.empty((0, 2), np.int64)
        runs, listed = small_corpus_pairs(corpus.documents(range(n)), idf, config) \
            if 2 <= n <= config.all_pairs_max_docs else (none, none)
        found = candidates.union_pairs(near, passage, max(n, 1))
        to_score, how = candidates.pairs_to_score(found, runs, n, listed)
        to_score, how = read.allowed(to_score, how, corpus)
    with clock("align"):
        aligned, verified, ran = align(engine, to_score, how, corpus, engine.broadcast(idf), config, clock.tick)
    with clock("talking_points"):  # the corpus-aware stage, its batches run by the engine
        final = finish(aligned, corpus.metas, EngineAccess(engine, corpus, idf, read), config)
        del aligned  # every pair's passages as the aligner gave them: spent, not held while results are built
        talk = documents or (corpus.documents(range(n)) if n <= config.all_pairs_max_docs else None)
    counts = {"documents": n, "skipped": len(read.skipped), **read.counts(n), "tokens": n_tokens,
              "candidates": len(found), "near_duplicate_candidates": len(near), "passage_candidates": len(passage),
              "verified": verified, "aligned": ran}  # "aligned": pairs the aligner ran on (the cost)
    log.info("%s; seconds %s", json.dumps(counts), json.dumps(clock.seconds))
    kept = documents or talk or corpus.documents(final.involved(corpus.number))
    return final.results(kept, read.skipped, config, counts, clock, corpus.infos(doc_tokens))


class Reading:
    """The read stage: documents in scope (``source``/``since``/``until``), first of each id, the
    reference stream after the scanned one; and which pairs scope allows (:mod:`reuse.stages.scope`)."""

    def __init__(self, config: ReuseConfig, has_reference: bool) -> None:
        self.config = config
        self.restricted = scope.restricts(config)
        self.skipped: list[Skip] = []
        self.out_of_scope = 0
        self.n_scanned: int | None = None  # documents before the reference stream (None: no reference)
        self.has_reference = has_reference

    def documents(self, items: Iterable[Document | Skip], reference: Iterable[Document | Skip] | None,
                  corpus: Numbered) -> Iterator[Document]:
        def stream() -> Iterator[Document | Skip]:
            yield from self._in_scope(items)
            if reference is not None:
                self.n_scanned = len(corpus)
                yield from self._in_scope(reference)

        return unique_documents(stream(), self.skipped)

    def _in_scope(self, items: Iterable[Document | Skip]) -> Iterator[Document | Skip]:
        for item in items:
            if self.restricted and isinstance(item, Document) and not scope.in_scope(item, self.config):
                self.out_of_scope += 1
                continue
            yield item

    def allowed(self, pairs: np.ndarray, how: np.ndarray, corpus: Numbered) -> tuple[np.ndarray, np.ndarray]:
        """The pairs scope lets be compared: never two references, only across sources if asked."""
        keep = self.allowed_mask(pairs, corpus)
        return pairs[keep], how[keep]

    def allowed_mask(self, pairs: np.ndarray, corpus: Numbered) -> np.ndarray:
        if self.n_scanned is None and not self.config.across_sources:
            return np.ones(len(pairs), dtype=bool)
        is_ref = np.arange(len(corpus)) >= self.n_scanned if self.n_scanned is not None else None
        codes = scope.source_codes(corpus.metas) if self.config.across_sources else None
        return scope.allowed_pairs(pairs, reference=is_ref, sources=codes)

    def counts(self, n: int) -> dict[str, int]:
        return {**({"out_of_scope": self.out_of_scope} if self.restricted else {}),
                **({"reference_documents": n - self.n_scanned} if self.n_scanned is not None else {})}


@dataclass
class SketchTable:
    """The sketches of all batches, collected: band keys in document order, anchors grouped by
    hash partition, document frequencies summed (compacted as they grow)."""

    keys: list[np.ndarray] = field(default_factory=list)
    has: list[np.ndarray] = field(default_factory=list)
    anchors: list[tuple[int, np.ndarray]] = field(default_factory=list)
    df: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    tokens: list[np.ndarray] = field(default_factory=list)
    n_docs: int = 0

    def add(self, sk: Sketch) -> None:
        self.keys.append(sk.band_keys)
        self.has.append(sk.has_shingles)
        self.anchors.extend(enumerate(sk.anchors))
        self.df.append((sk.terms, sk.term_docs))
        if sum(len(t) for t, _ in self.df) > DF_COMPACT:
            self.df = [merge_counts(self.df)]
        self.n_docs += sk.n_docs
        self.tokens.append(sk.n_tokens)

    @property
    def n_tokens(self) -> int:
        return int(sum(int(t.sum()) for t in self.tokens))

    def tokens_per_document(self) -> list[int]:
        return np.concatenate(self.tokens).tolist() if self.tokens else []

    def band_keys(self) -> np.ndarray:
        return np.concatenate(self.keys)

    def has_shingles(self) -> np.ndarray:
        return np.concatenate(self.has)

    def pop_anchors(self) -> Iterator[tuple[int, np.ndarray]]:
        """``(partition, anchor keys)`` of every batch, handed over (the table lets go of them)."""
        items, self.anchors = self.anchors, []
        items.reverse()
        while items:
            yield items.pop()

    def document_frequencies(self) -> tuple[np.ndarray, np.ndarray]:
        return merge_counts(self.df)


def anchor_join(engine: Engine, table: SketchTable, n: int, config: ReuseConfig) -> np.ndarray:
    """Passage candidates: anchors grouped by hash partition, each partition joined by a task."""
    if n < 2:
        return np.empty((0, 2), np.int64)
    parts = engine.group_by_key(table.pop_anchors())
    codes = engine.map(candidates.anchor_pairs, ((keys, n, config.max_bucket) for _, keys in parts))
    return candidates.pairs_from_codes(engine.collect(codes), n_docs=n, min_count=config.min_shared_anchors)


def all_pairs_above_floor(docs: list[Document], idf: Idf, config: ReuseConfig, *, with_row: int | None = None) -> np.ndarray:
    """Every pair of a small corpus whose TF-IDF cosine reaches ``pair_min_cosine`` (one sparse product)."""
    vectors = term_vectors(token_batch([tokenize(d.text, lazy_norms=True) for d in docs]), idf) if docs else []
    return all_pair_cosines(vectors, config.pair_min_cosine, with_row=with_row)


def small_corpus_pairs(docs: list[Document], idf: Idf, config: ReuseConfig, *,
                       with_row: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(aligned, listed)``: the pairs a small corpus scores besides its LSH and anchor candidates.

    ``listed``: every document's ``pair_neighbours`` nearest documents by TF-IDF cosine, above
    ``pair_min_cosine`` (with ``topic_pairs``, every pair above it): the talking-points stage
    knows them as related. ``aligned``: the pairs with evidence of a passage: an exact run of
    :func:`~reuse.stages.pair.run_words` words in common, or, for those nearest, a shingle no
    more documents hold than one neighbourhood. The shingle joins are vectorised (no Python per pair). Both sorted; ``with_row`` keeps the pairs
    holding that document, computed as a scan computes them.
    """
    tokens = [tokenize(d.text, lazy_norms=True) for d in docs]
    vectors = term_vectors(token_batch(tokens), idf) if tokens else []  # one pass, the same weights as one by one
    near = neighbour_pairs(vectors, config.pair_neighbours, config.pair_min_cosine, with_row=with_row)
    runs = candidates.pairs_sharing([shingle_hashes(t.ids, run_words(config)) for t in tokens], with_row=with_row)
    runs = runs[pair_cosines(vectors, runs) >= config.pair_min_cosine]
    phrase = candidates.pairs_sharing([shingle_hashes(t.ids, config.shingle_size) for t in tokens],
                                      max_docs=config.pair_neighbours + 1, with_row=with_row)
    n = max(len(docs), 1)
    aligned = candidates.union_pairs(runs, near[candidates.isin_pairs(near, phrase, n)], n)
    listed = all_pair_cosines(vectors, config.pair_min_cosine, with_row=with_row) if config.topic_pairs else near
    return aligned, listed


def align(engine: Engine, pairs: np.ndarray, how: np.ndarray, corpus: Numbered, idf: Broadcast[Idf],
          config: ReuseConfig, tick: Progress) -> tuple[list[Aligned], int, int]:
    """Verify, score and align every pair, in chunks of :data:`SCORE_CHUNK` (one task each):
    ``(aligned, verified, ran)``, ``ran`` the pairs the aligner ran on.

    Chunks are cut from the pairs in tile order (:func:`tile_order`), so a chunk reads, tokenises
    and splits into sentences few documents however dense the pairs are (a small corpus pairs
    every document with every other); the aligned pairs come back in the order given.
    """
    given = pairs
    order = tile_order(pairs)
    pairs, how = pairs[order], how[order]

    def tasks() -> Iterator[tuple]:
        for s in range(0, len(pairs), SCORE_CHUNK):
            chunk = pairs[s : s + SCORE_CHUNK]
            docs = {i: (packed.document_fields(corpus.metas[i]), corpus.texts.ref(i)) for i in np.unique(chunk).tolist()}
            yield chunk, how[s : s + SCORE_CHUNK], docs, idf, config

    aligned: list[Aligned] = []
    verified = ran = 0
    for rows, chunk_verified, chunk_ran in engine.map(_score_task, tasks()):
        aligned.extend(packed.unpack_aligned(rows))
        verified += chunk_verified
        ran += chunk_ran
        tick("align", min(len(aligned), len(pairs)), len(pairs))
    at = {(i, j): k for k, (i, j) in enumerate(given.tolist())}
    aligned.sort(key=lambda a: at[(a.i, a.j)])
    return aligned, verified, ran


TILE = 24
"""Documents a side of a tile of pairs: a chunk of a dense corpus touches about ``2 * TILE`` documents,
within the aligner's cache of sentence units (:data:`reuse.stages.align.units._CACHE_SIZE`)."""


def tile_order(pairs: np.ndarray) -> np.ndarray:
    """An order of ``pairs`` that walks them tile by tile (``TILE`` x ``TILE`` blocks of (i, j)), the
    documents numbered along the pair graph (:func:`~reuse.stages.candidates.graph_numbers`: a
    sparse corpus's copies of copies then share chunks too; a dense one's tiles are unchanged)."""
    if not len(pairs):
        return np.arange(0)
    at = candidates.graph_numbers(pairs)
    a, b = at[pairs[:, 0]], at[pairs[:, 1]]
    i, j = np.minimum(a, b), np.maximum(a, b)
    return np.lexsort((j, i, j // TILE, i // TILE))


def _score_task(pairs: np.ndarray, how: np.ndarray, docs: dict, idf: Broadcast[Idf], config: ReuseConfig
                ) -> tuple[list[tuple], int, int]:
    """``score_chunk`` on texts read back (each document's other fields come as a tuple,
    :mod:`reuse.engine.packed`): ``(rows, verified, ran)``, the aligned pairs packed; passages come back
    without their texts (the scan holds every pair's passages to the end: :meth:`Final.results` cuts
    them again from the documents)."""
    full = {i: packed.document(meta, ref.read()) for i, (meta, ref) in docs.items()}
    res: ChunkResult = score_chunk(pairs, how, full, idf.value, config)
    return packed.pack_aligned(res.aligned), res.verified, res.ran


@dataclass
class Final:
    """Pairs, passages and clusters after the talking-points stage, and what it counted."""

    pairs: list[Pair]
    passages: list[Passage]
    clusters: list[Cluster]
    extra: dict[str, object]

    def involved(self, number: dict[str, int]) -> list[int]:
        """Numbers of the documents in at least one pair, ascending."""
        return sorted({number[p.doc_a] for p in self.pairs} | {number[p.doc_b] for p in self.pairs})

    def results(self, documents: list[Document], skipped: list[Skip], config: ReuseConfig, counts: dict,
                clock: Clock, read: list[DocumentInfo]) -> Results:
        """The results; each passage's texts cut from ``documents`` (every document in a pair), see ``_score_task``."""
        texts = {d.id: d.text for d in documents}
        passages = [packed.with_texts(p, texts[p.doc_a][p.a_start : p.a_end], texts[p.doc_b][p.b_start : p.b_end])
                    for p in self.passages]
        stats = {"version": __version__, **counts, "pairs": len(self.pairs), "passages": len(self.passages),
                 **self.extra, "clusters": len(self.clusters), **clock.stats()}
        return Results(documents=documents, pairs=self.pairs, passages=passages, skipped=skipped, read=read,
                       config={**config.to_dict(), "hash_scheme": HASH_SCHEME}, stats=stats, clusters=self.clusters)


def finish(aligned: list[Aligned], docs: list[Document], access: CorpusAccess, config: ReuseConfig) -> Final:
    """The talking-points stage (:mod:`reuse.stages.talking.points`): suppression, paraphrases,
    re-scored pairs, clusters. ``docs`` may come without texts: ``access`` reads them."""
    talk = talking_points(docs, aligned, config, access)
    return Final(talk.pairs, talk.passages, talk.clusters, {"paraphrases": talk.paraphrases, "suppressed": talk.suppressed})


class EngineAccess(CorpusAccess):
    """The talking-points stage's view of a scan: texts from the engine's store, its batches mapped
    by the engine (the stage's shared model broadcast), the scope's allowed pairs, and the corpus
    TF-IDF for pairs the aligner never compared."""

    def __init__(self, engine: Engine, corpus: Numbered, idf: Idf, read: Reading) -> None:
        super().__init__(corpus.metas)
        self.engine, self.corpus, self.idf, self.read = engine, corpus, idf, read
        self._cache: dict[int, str] = {}

    def batches(self, fn: Callable[..., Any], tasks: Iterable[tuple[Sequence[int], tuple]], shared: Any) -> Iterator[Any]:
        value = self.engine.broadcast(shared)
        refs = self.corpus.texts.ref
        yield from self.engine.map(_talk_task, ((fn, [refs(i) for i in idx], args, value) for idx, args in tasks))

    def map(self, fn: Callable[..., Any], tasks: Iterable[tuple], shared: Any) -> Iterator[Any]:
        if not self.engine.forks:  # ``shared`` is the stage's own arrays, not made to be pickled
            yield from super().map(fn, tasks, shared)
            return
        # the engine keeps a broadcast value for the whole run: a box, emptied once the map is
        # done, lets this process free ``shared`` when the stage does (its workers forked with it)
        box = [shared]
        value = self.engine.broadcast(box)
        try:
            yield from self.engine.map(_shared_task, ((fn, task, value) for task in tasks))
        finally:
            box.clear()

    def text(self, i: int) -> str:
        if i not in self._cache:
            if len(self._cache) >= 256:  # the stage reads a pair's two texts at a time: keep a few
                self._cache.pop(next(iter(self._cache)))
            self._cache[i] = self.corpus.texts.get(i)
        return self._cache[i]

    def allowed(self, pairs: np.ndarray) -> np.ndarray:
        return self.read.allowed_mask(pairs, self.corpus)

    def scratch(self) -> Path | None:
        return self.engine.scratch()


def _shared_task(fn: Callable[..., Any], task: tuple, shared: Broadcast[list[Any]]) -> Any:
    return fn(*task, shared.value[0])


def _talk_task(fn: Callable[..., Any], refs: list[TextRef], args: tuple, shared: Broadcast[Any]) -> Any:
    return fn([r.read() for r in refs], *args, shared.value)
