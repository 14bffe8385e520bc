"""The local engine: the batch stages of :mod:`reuse.engine.stages` in a process pool, memory bounded.

Documents stream in (a JSONL file is never held whole): each is numbered, its text appended to a
spill file on disk, and batches of texts go to worker processes that return only compact
sketches (LSH band keys, passage anchors, document frequencies). At a million 600-word articles
the texts are ~4 GB, the sketches a few hundred MB; texts come back from the spill file only for
the documents that are scored. At most ``2 * jobs`` batches are in flight, so reading never runs
ahead of the workers.

Results do not depend on ``jobs`` or ``batch_size`` (tested): stages are pure, batches are
collected in order, and every reduction (document frequencies, pair unions) is order-free.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..config import HASH_SCHEME, ReuseConfig
from ..corpus import Document, Skip
from ..cluster import cluster_passages
from ..results import Results
from ..shingle import shingle_hashes
from ..sketch import sorted_unique
from ..talking import Aligned, talking_points
from ..tokenhash import tokenize_fast
from . import stages

Progress = Callable[[str, int, int], None]
log = logging.getLogger("reuse")

DEFAULT_BATCH_SIZE = 4096
"""Documents per sketch task: large enough to amortise numpy calls, small enough to stay lean."""
SCORE_CHUNK = 512
"""Candidate pairs per scoring task."""


def default_jobs() -> int:
    """All cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class _Inline(Executor):
    """Runs tasks in the calling process (``jobs=1``): no pickling, easy to debug and profile."""

    def __init__(self, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
        if initializer:
            initializer(*initargs)

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN201 - Executor API
        fut: Future = Future()
        fut.set_result(fn(*args, **kwargs))
        return fut


def executor(jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Executor:
    """The engine's pool: ``jobs`` forked worker processes, or this process when ``jobs`` is 1.

    Public because the persistent index runs its batch work in the same pool as a scan.
    """
    if jobs <= 1:
        return _Inline(initializer, initargs)
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=initializer, initargs=initargs)


def _ordered(ex: Executor, tasks: Iterable[tuple[Callable[..., Any], tuple]], window: int) -> Iterator[Any]:
    """Results of ``tasks`` in submission order, with at most ``window`` running at once."""
    pending: deque[Future] = deque()
    for fn, args in tasks:
        pending.append(ex.submit(fn, *args))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class SpillFile:
    """Texts appended to one file; read back by byte offset, in any process."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "texts.bin"
        self._fh = open(self.path, "wb")
        self._pos = 0
        self.offsets: list[int] = []
        self.lengths: list[int] = []

    def add(self, text: str) -> None:
        raw = text.encode("utf-8", "surrogatepass")
        self._fh.write(raw)
        self.offsets.append(self._pos)
        self.lengths.append(len(raw))
        self._pos += len(raw)

    def close(self) -> None:
        self._fh.close()


_READERS: dict[str, tuple[int, int]] = {}
"""Spill path -> (pid, file descriptor) of this process; a forked child opens its own."""


def read_spilled(path: str, offset: int, length: int) -> str:
    """One text back from a spill file, safe in any process.

    A positional read (``os.pread``) never touches a file offset, and a descriptor inherited
    through ``fork`` is never used: a child opens its own. (A shared ``seek`` + ``read`` let
    forked workers race on one offset and swap each other's texts.)
    """
    pid = os.getpid()
    entry = _READERS.get(path)
    if entry is None or entry[0] != pid:
        entry = _READERS[path] = (pid, os.open(path, os.O_RDONLY))
    raw = os.pread(entry[1], length, offset)
    if len(raw) != length:
        raise OSError(f"{path}: short read at byte {offset} ({len(raw)} of {length} bytes)")
    return raw.decode("utf-8", "surrogatepass")


def close_spilled() -> None:
    """Close this process's spill descriptors (descriptors inherited from a parent are left alone)."""
    pid = os.getpid()
    for path, (owner, fd) in list(_READERS.items()):
        if owner == pid:
            os.close(fd)
        del _READERS[path]


# --- worker-side state of the scoring pool ------------------------------------------------------

_IDF: stages.Idf | None = None


def _init_scoring(idf: stages.Idf) -> None:
    global _IDF
    _IDF = idf


def _score_task(pairs: np.ndarray, verify: np.ndarray, docs: dict[int, tuple[Document, int, int]],
                spill: str, config: ReuseConfig) -> stages.ChunkResult:
    full = {i: dataclasses.replace(d, text=read_spilled(spill, off, n)) for i, (d, off, n) in docs.items()}
    assert _IDF is not None
    return stages.score_chunk(pairs, verify, full, _IDF, config)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(
    items: Iterable[Document | Skip],
    config: ReuseConfig,
    *,
    jobs: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    documents: list[Document] | None = None,
) -> Results:
    """Find reuse in a stream of documents and skips (see :func:`reuse.find_reuse`).

    ``documents``: the corpus when the caller already holds it (``find_reuse``), so results
    keep every document; for a stream, results keep every document of a small corpus
    (``<= all_pairs_max_docs``) and otherwise those in at least one pair.
    """
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    tick = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    rss: dict[str, float] = {}
    workdir = Path(tempfile.mkdtemp(prefix="reuse-"))
    try:
        return _run(items, config, jobs, batch_size, tick, documents, workdir, timings, rss)
    finally:
        close_spilled()
        shutil.rmtree(workdir, ignore_errors=True)


def _run(items, config, jobs, batch_size, tick, documents, workdir, timings, rss) -> Results:  # noqa: ANN001, PLR0913
    t0 = time.perf_counter()
    spill = SpillFile(workdir)
    metas: list[Document] = []
    index: dict[str, int] = {}
    skipped: list[Skip] = []
    keys, has, n_tokens = [], [], []
    anchors: list[list[np.ndarray]] = [[] for _ in range(stages.N_PARTITIONS)]
    df_parts: list[tuple[np.ndarray, np.ndarray]] = []
    df_size = 0

    def batches() -> Iterator[tuple[Callable[..., Any], tuple]]:
        texts: list[str] = []
        first = 0
        for item in items:
            if isinstance(item, Skip):
                skipped.append(item)
                continue
            if item.id in index:
                where = metas[index[item.id]].origin
                skipped.append(Skip(item.origin, f"duplicate id {item.id!r} (first seen at {where})", item.id))
                continue
            index[item.id] = len(metas)
            metas.append(dataclasses.replace(item, text=""))
            spill.add(item.text)
            texts.append(item.text)
            if len(texts) == batch_size:
                yield stages.sketch_batch, (texts, first, config)
                first += len(texts)
                texts = []
        if texts:
            yield stages.sketch_batch, (texts, first, config)

    with executor(jobs) as ex:
        for sk in _ordered(ex, batches(), 2 * jobs):
            keys.append(sk.band_keys)
            has.append(sk.has_shingles)
            n_tokens.append(sk.n_tokens)
            for p, part in enumerate(sk.anchors):
                anchors[p].append(part)
            df_parts.append((sk.terms, sk.term_docs))
            df_size += len(sk.terms)
            if df_size > 8_000_000:  # keep the running document-frequency table compact
                df_parts = [stages.merge_counts(df_parts)]
                df_size = len(df_parts[0][0])
            done = sk.first + sk.n_docs
            tick("sketch", done, done)
        spill.close()
        n = len(metas)
        timings["sketch"] = time.perf_counter() - t0
        rss["sketch"] = _peak_rss_mb()

        t = time.perf_counter()
        near = (
            stages.near_duplicate_pairs(np.concatenate(keys), np.concatenate(has), max_bucket=config.max_bucket)
            if n >= 2 else np.empty((0, 2), np.int64)
        )
        del keys
        timings["near_duplicates"] = time.perf_counter() - t
        tick("candidates", 1, 2)

        t = time.perf_counter()
        tasks = []
        for p in range(stages.N_PARTITIONS):
            part = np.concatenate(anchors[p]) if anchors[p] else np.empty(0, np.uint64)
            anchors[p] = []
            tasks.append((stages.anchor_pairs, (part,), {"n_docs": max(n, 1), "max_df": config.max_bucket}))
        codes = list(_ordered(ex, ((_call_kw, (fn, a, kw)) for fn, a, kw in tasks), jobs))
        del tasks
        passage = stages.pairs_from_codes(codes, n_docs=max(n, 1), min_count=config.min_shared_anchors)
        del codes
        timings["passage_candidates"] = time.perf_counter() - t
        rss["candidates"] = _peak_rss_mb()
        tick("candidates", 2, 2)

    t = time.perf_counter()
    idf = stages.Idf(n, *stages.merge_counts(df_parts))
    del df_parts
    candidates = _union(near, passage, max(n, 1))
    texts_of = lambda i: read_spilled(str(spill.path), spill.offsets[i], spill.lengths[i])  # noqa: E731
    cosine_pairs = np.empty((0, 2), np.int64)
    if 2 <= n <= config.all_pairs_max_docs:
        vectors = [stages.term_vector(tokenize_fast(texts_of(i)), idf) for i in range(n)]
        cosine_pairs = stages.all_pair_cosines(vectors, config.pair_min_cosine)
        del vectors
    to_score = _union(candidates, cosine_pairs, max(n, 1))
    verify = ~_isin_pairs(to_score, cosine_pairs, max(n, 1))
    timings["tfidf"] = time.perf_counter() - t

    t = time.perf_counter()
    aligned: list[Aligned] = []
    verified = 0

    def chunks() -> Iterator[tuple[Callable[..., Any], tuple]]:
        for s in range(0, len(to_score), SCORE_CHUNK):
            chunk = to_score[s : s + SCORE_CHUNK]
            needed = np.unique(chunk).tolist()
            docs = {i: (metas[i], spill.offsets[i], spill.lengths[i]) for i in needed}
            yield _score_task, (chunk, verify[s : s + SCORE_CHUNK], docs, str(spill.path), config)

    done = 0
    with executor(jobs, _init_scoring, (idf,)) as ex:
        for res in _ordered(ex, chunks(), 2 * jobs):
            aligned.extend(res.aligned)
            verified += res.verified
            done = min(done + SCORE_CHUNK, len(to_score))
            tick("align", done, len(to_score))
    timings["align"] = time.perf_counter() - t
    rss["align"] = _peak_rss_mb()

    t = time.perf_counter()
    whole = documents if documents is not None else None
    if n <= config.talking_points_max_docs:
        # The corpus-aware stage needs every document's tokens: affordable on corpora this size.
        if whole is None:
            whole = [dataclasses.replace(metas[i], text=texts_of(i)) for i in range(n)]
        tokens = [tokenize_fast(d.text) for d in whole]
        shingles = [shingle_hashes(tk.ids, config.shingle_size) for tk in tokens]
        talk = talking_points(whole, tokens, shingles, aligned, config)
        del tokens, shingles
        pair_rows, passages, clusters = talk.pairs, talk.passages, talk.clusters
        extra = {"paraphrases": talk.paraphrases, "suppressed": talk.suppressed}
    else:
        # A million documents' tokens do not fit in memory: keep the aligner's passages and
        # cluster them; name/boilerplate suppression and paraphrases need the whole corpus.
        pair_rows = [a.pair for a in aligned if a.pair is not None]
        passages = [p for a in aligned if a.pair is not None for p in a.passages]
        involved = sorted({index[p.doc_a] for p in pair_rows} | {index[p.doc_b] for p in pair_rows})
        pair_docs = [dataclasses.replace(metas[i], text=texts_of(i)) for i in involved]
        clusters = cluster_passages(passages, pair_docs)
        extra = {"paraphrases": 0, "suppressed": 0,
                 "talking_points": f"skipped above talking_points_max_docs={config.talking_points_max_docs}"}
        pair_rows.sort(key=lambda p: (-p.score, index[p.doc_a], index[p.doc_b]))
        passages.sort(key=lambda p: (index[p.doc_a], index[p.doc_b], p.a_start, p.b_start))
    timings["talking_points"] = time.perf_counter() - t
    rss["talking_points"] = _peak_rss_mb()

    # "aligned": pairs the aligner ran on, the count the cost of a scan grows with (benchmarks read it).
    log.info("%d documents; %d near-duplicate and %d passage candidates; %d verified; %d aligned; seconds %s; "
             "peak RSS MB %s", n, len(near), len(passage), verified, len(aligned),
             json.dumps({k: round(v, 3) for k, v in timings.items()}), json.dumps(rss))
    if documents is None:
        if whole is not None:
            documents = whole
        else:
            keep = sorted({index[p.doc_a] for p in pair_rows} | {index[p.doc_b] for p in pair_rows})
            documents = [dataclasses.replace(metas[i], text=texts_of(i)) for i in keep]
    return Results(
        documents=documents, pairs=pair_rows, passages=passages, skipped=skipped,
        config={**config.to_dict(), "hash_scheme": HASH_SCHEME},
        stats={
            "version": __version__, "documents": n, "skipped": len(skipped),
            "tokens": int(sum(int(x.sum()) for x in n_tokens)),
            "candidates": int(len(candidates)), "near_duplicate_candidates": int(len(near)),
            "passage_candidates": int(len(passage)), "verified": verified, "pairs": len(pair_rows),
            "passages": len(passages), **extra, "clusters": len(clusters),
            "seconds": {k: round(v, 4) for k, v in timings.items()},
            "peak_rss_mb": {k: round(v, 1) for k, v in rss.items()},
        },
        clusters=clusters,
    )


def _call_kw(fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
    return fn(*args, **kwargs)


def _union(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    codes = sorted_unique(np.concatenate((a[:, 0] * n + a[:, 1], b[:, 0] * n + b[:, 1])))
    return np.stack((codes // n, codes % n), axis=1).astype(np.int64) if len(codes) else np.empty((0, 2), np.int64)


def _isin_pairs(pairs: np.ndarray, among: np.ndarray, n: int) -> np.ndarray:
    return np.isin(pairs[:, 0] * n + pairs[:, 1], among[:, 0] * n + among[:, 1])
