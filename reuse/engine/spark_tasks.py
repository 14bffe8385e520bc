"""What the Spark engine's tasks run on the executors: thin wrappers that feed the stages.

Each function takes what one partition holds (rows, arrays) and calls the stage function of
:mod:`reuse.stages` (or of the plan, :mod:`reuse.engine.plan`) that the local engine calls on the
same data, so both engines compute the same values. Module-level functions, so Spark pickles a reference, not a closure over the
driver's state.
"""
from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.engine.plan import DEFAULT_BATCH_SIZE, SCORE_CHUNK, small_corpus_pairs
from reuse.model import Document, DocumentInfo, source_of
from reuse.stages.candidates import (
    anchor_pairs,
    candidate_pairs,
    decode_pairs,
    pairs_from_codes,
    pairs_to_score,
    sorted_unique,
)
from reuse.stages.pair import score_chunk
from reuse.stages.score import Idf
from reuse.stages.sketch import Sketch, merge_counts, sketch_batch

BATCH_SIZE = DEFAULT_BATCH_SIZE
"""Documents per ``sketch_batch`` call (as the local engine)."""

DOC_COLUMNS = ("id", "text", "source", "title", "date", "url", "origin", "meta")


def doc_row(d: Document) -> dict[str, Any]:
    return {"id": d.id, "text": d.text, "source": d.source, "title": d.title, "date": d.date, "url": d.url,
            "origin": d.origin, "meta": json.dumps(d.meta, ensure_ascii=False, default=str) if d.meta else None}


def row_doc(r: Any) -> Document:
    return Document(id=r.id, text=r.text, source=r.source, title=r.title, url=r.url, date=r.date,
                    origin=r.origin or "", meta=json.loads(r.meta) if r.meta else {})


def number_documents(rows: Iterable[Any], gone: np.ndarray, dups: frozenset[int]) -> Iterator[tuple[int, Document]]:
    """``(index, Document)`` of staged rows: the stream position less the skipped items before it."""
    for r in rows:
        if r.seq not in dups:
            yield r.seq - int(np.searchsorted(gone, r.seq)), row_doc(r)


def loads(blob: bytes) -> Any:
    return pickle.loads(blob)


def merge_frequencies(a: tuple, b: tuple) -> tuple:
    """Two ``(terms, document counts, tokens)`` sums as one (``merge_counts``; order-free)."""
    return (*merge_counts([a[:2], b[:2]]), a[2] + b[2])


def runs(rows: Iterable[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    """Consecutive-index runs of at most ``size`` rows (a sketch batch numbers its documents from ``first``)."""
    run: list[tuple[int, Any]] = []
    for row in sorted(rows, key=lambda r: r[0]):
        if run and (row[0] != run[-1][0] + 1 or len(run) == size):
            yield run
            run = []
        run.append(row)
    if run:
        yield run


def sketch_partition(rows: Iterable[tuple[int, Document]], config: ReuseConfig) -> Iterator[tuple]:
    for run in runs(rows, BATCH_SIZE):
        sk = sketch_batch([d.text for _, d in run], run[0][0], config)
        infos = [DocumentInfo(d.id, d.origin, d.source, d.title, d.date, d.url, len(d.text), int(t))
                 for (_, d), t in zip(run, sk.n_tokens.tolist())]  # documents.jsonl lists every document read
        yield (sk.first, bytearray(sk.band_keys.tobytes()), bytearray(sk.has_shingles.tobytes()),
               bytearray(sk.n_tokens.astype(np.int64).tobytes()), bytearray(sk.terms.tobytes()),
               bytearray(sk.term_docs.astype(np.int64).tobytes()), [bytearray(a.tobytes()) for a in sk.anchors],
               bytearray(pickle.dumps(infos, protocol=5)))


def decode_sketch(row: Any, bands: int) -> Sketch:
    has = np.frombuffer(row.has, dtype=np.bool_)
    return Sketch(
        first=row.first, band_keys=np.frombuffer(row.band_keys, dtype=np.uint64).reshape(len(has), bands),
        has_shingles=has, anchors=tuple(np.frombuffer(a, dtype=np.uint64) for a in row.anchors),
        terms=np.frombuffer(row.terms, dtype=np.uint64), term_docs=np.frombuffer(row.term_docs, dtype=np.int64),
        n_tokens=np.frombuffer(row.n_tokens, dtype=np.int64))


def band_buckets(sk: Sketch, parts: int) -> Iterator[tuple[int, tuple[int, np.ndarray, np.ndarray]]]:
    """Each band's keys of a batch, split by key so equal keys of all batches meet in one partition."""
    owners = np.flatnonzero(sk.has_shingles)
    if not len(owners):
        return
    for band in range(sk.band_keys.shape[1]):
        col = sk.band_keys[owners, band]
        where = (col % np.uint64(parts)).astype(np.int64)
        for p in np.unique(where).tolist():
            pick = where == p
            yield p, (band, col[pick], owners[pick] + sk.first)


def near_codes(records: Iterator[tuple[int, tuple[int, np.ndarray, np.ndarray]]], n: int,
                max_bucket: int) -> Iterator[tuple[str, np.ndarray]]:
    """``candidate_pairs`` per band over the buckets of this partition, as pair codes."""
    by_band: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    for _, (band, keys, owners) in records:
        by_band.setdefault(band, []).append((keys, owners))
    for parts in by_band.values():
        keys = np.concatenate([k for k, _ in parts]).reshape(-1, 1)
        owners = np.concatenate([o for _, o in parts])
        order = np.argsort(owners, kind="stable")
        pairs = candidate_pairs(keys[order], owners[order], max_bucket=max_bucket)
        yield "n", pairs[:, 0] * n + pairs[:, 1]


def anchor_codes(records: Iterator[tuple[int, np.ndarray]], n: int, max_bucket: int) -> Iterator[tuple[str, np.ndarray]]:
    """``anchor_pairs`` over one anchor hash partition (all batches' anchors meet here)."""
    parts = [a for _, a in records]
    keys = np.concatenate(parts) if parts else np.empty(0, np.uint64)
    yield "a", anchor_pairs(keys, n, max_bucket)


def cosine_codes(rows: Iterator[tuple[int, Document]], idf: Any, config: Any, n: int) -> Iterator[tuple[str, np.ndarray]]:
    """The plan's ``small_corpus_pairs`` over the whole (small) corpus, in one task, as pair codes."""
    docs = [d for _, d in sorted(rows, key=lambda r: r[0])]
    aligned, listed = small_corpus_pairs(docs, idf.value, config.value)
    yield "c", aligned[:, 0] * n + aligned[:, 1]
    yield "l", listed[:, 0] * n + listed[:, 1]


def split_codes(kind_codes: tuple[str, np.ndarray], parts: int) -> Iterator[tuple[int, tuple[str, np.ndarray]]]:
    kind, codes = kind_codes
    where = codes % parts
    for p in np.unique(where).tolist():
        yield p, (kind, codes[where == p])


def merge_codes(records: Iterator[tuple[int, tuple[str, np.ndarray]]], n: int, min_count: int) -> Iterator[Any]:
    """Pairs of one code partition and how to score them (``pairs_to_score``): near-duplicates,
    anchor pairs (``pairs_from_codes``), a small corpus's pairs sharing a run and its listed pairs."""
    got: dict[str, list[np.ndarray]] = {"n": [], "a": [], "c": [], "l": []}
    for _, (kind, codes) in records:
        got[kind].append(codes)
    cat = lambda xs: np.concatenate(xs) if xs else np.empty(0, np.int64)  # noqa: E731
    near = sorted_unique(cat(got["n"]))
    passage = pairs_from_codes(got["a"], n_docs=n, min_count=min_count)
    passage = passage[:, 0] * n + passage[:, 1]
    candidates = sorted_unique(np.concatenate((near, passage)))
    to_score, how = pairs_to_score(decode_pairs(candidates, n), decode_pairs(sorted_unique(cat(got["c"])), n), n,
                                   decode_pairs(sorted_unique(cat(got["l"])), n))
    rows = [(i, j, h) for (i, j), h in zip(to_score.tolist(), how.tolist())]
    yield rows, [len(candidates), len(near), len(passage), len(rows)]


def score_partition(rows: Iterator[Any], idf: Idf, config: ReuseConfig, n_scanned: int | None
                    ) -> Iterator[tuple[list, int, int]]:
    """``score_chunk`` over chunks of the pairs that met their texts in this partition: each chunk's
    aligned pairs, pairs verified and pairs the aligner ran on.

    Pairs the scope refuses (two references; one source, with ``across_sources``) are dropped
    first, as ``scope.allowed_pairs`` drops them locally: here both documents are at hand.
    """
    chunk: list[Any] = []

    def flush() -> tuple[list, int, int]:
        pairs = np.array([c[0] for c in chunk], dtype=np.int64).reshape(-1, 2)
        how = np.array([c[1][0] for c in chunk], dtype=np.int8)
        docs = {i: d for (i, j), (_, da, db) in chunk for i, d in ((i, da), (j, db))}
        res = score_chunk(pairs, how, docs, idf, config)
        return res.aligned, res.verified, res.ran

    for row in rows:
        (i, j), (_, da, db) = row
        if n_scanned is not None and i >= n_scanned and j >= n_scanned:
            continue
        if config.across_sources and source_of(da) == source_of(db):
            continue
        chunk.append(row)
        if len(chunk) == SCORE_CHUNK:
            yield flush()
            chunk = []
    if chunk:
        yield flush()
