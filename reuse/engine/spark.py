"""The Spark engine: the pure batch stages of :mod:`reuse.stages.batch` on a Spark cluster, same results.

The stage sequence is the local engine's, and each step runs the same kernel:

    ingest        the driver streams the readers' documents into Parquet (row groups; never all held);
                  duplicate ids are found with a window over ``id``, documents numbered in input order
    sketch        ``sketch_batch`` per run of consecutive documents (``mapPartitions``)
    idf           ``merge_counts`` as a tree reduction; the table is broadcast with the config
    candidates    band keys grouped by key (``candidate_pairs`` per band bucket set), anchors
                  grouped by hash partition (``anchor_pairs``, same ``max_bucket`` cap), pair codes
                  counted where they meet (``pairs_from_codes``); on small corpora
                  ``all_pair_cosines`` in one task
    align         candidate pairs joined with the two texts, ``score_chunk`` where they meet
    talking       small corpora (``<= talking_points_max_docs``): ``talking_points`` in one task (it
                  needs the whole corpus); larger ones: connected components over passage overlaps
                  and ``cluster_passages`` per component (:mod:`reuse.engine.spark_graph`)

Sketches, candidates and aligned pairs are checkpointed as Parquet in the work folder
(``checkpoint``); a run given the same folder resumes after the last finished stage. Nothing
collects the corpus or the candidate pairs on the driver: results are written by the executors
and read back as a stream (:class:`~reuse.engine.spark_support.StoredRecords`).
"""
from __future__ import annotations

import dataclasses
import json
import logging
import math
import resource
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from reuse import __version__
from reuse.config import HASH_SCHEME, ReuseConfig
from reuse.engine import spark_support as support
from reuse.engine.spark_graph import cluster_rdd
from reuse.model import Document, Results, Skip
from reuse.stages import batch as stages
from reuse.stages.sketch import candidate_pairs, lsh_params, sorted_unique

Progress = Callable[[str, int, int], None]
log = logging.getLogger("reuse")

DEFAULT_MASTER = "local[*]"
BATCH_SIZE = 4096
"""Documents per ``sketch_batch`` call (as the local engine)."""
SCORE_CHUNK = 512
"""Candidate pairs per ``score_chunk`` call."""
INGEST_ROWS = 4096


def run(
    items: Iterable[Document | Skip], config: ReuseConfig, *, master: str | None = DEFAULT_MASTER,
    conf: dict[str, str] | None = None, checkpoint: str | Path | None = None, input_key: Any = None,
    progress: Progress | None = None, spark: Any = None,
) -> Results:
    """Find reuse in a stream of documents on Spark; the same :class:`Results` as the local engine.

    ``checkpoint``: the work folder (kept, and resumed from when run again with the same input and
    settings); a temporary folder otherwise, removed when the results are garbage collected.
    ``input_key`` names the input in the folder's manifest (the CLI passes paths, sizes, times).
    ``spark``: an existing SparkSession to use (left running); else one is started on ``master``.
    """
    tick = progress or (lambda stage, done, total: None)
    if checkpoint is None:
        root = Path(tempfile.mkdtemp(prefix="reuse-spark-"))
    else:
        root = Path(checkpoint)
    work = support.WorkFolder(root, {"version": __version__, "config": config.to_dict(), "input": input_key})
    own = spark is None
    if own:
        spark = support.session(master, conf or {})
    try:
        results = _Plan(spark, config, work, tick).run(items)
    finally:
        if own:
            spark.stop()
    if checkpoint is None:  # the results read from the folder: remove it with them
        import shutil

        weakref.finalize(results, shutil.rmtree, str(root), True)
    return results


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class _Plan:
    """One run: the stages in order, each under a Spark job group (its name in the shuffle figures)."""

    def __init__(self, spark: Any, config: ReuseConfig, work: support.WorkFolder, tick: Progress) -> None:
        self.spark, self.sc, self.config, self.work, self.tick = spark, spark.sparkContext, config, work, tick
        self.parts = max(2, self.sc.defaultParallelism)
        self.timings: dict[str, float] = {}

    def _stage(self, name: str) -> None:
        self.sc.setJobGroup(name, f"reuse: {name}")
        self._t = time.perf_counter()
        self._name = name

    def _end(self) -> None:
        self.timings[self._name] = round(time.perf_counter() - self._t, 4)

    def run(self, items: Iterable[Document | Skip]) -> Results:
        self._stage("ingest")
        skipped = self._ingest(items)
        docs = self._docs()  # RDD (index, Document), range-partitioned by index
        n = self.work.load_json("count.json")
        self._end()
        self.tick("sketch", 0, n)

        self._stage("sketch")
        bands = lsh_params(self.config.doc_threshold, self.config.num_perm)[0]
        sketches = self.work.stage(self.spark, "sketches", lambda: self._sketch_table(docs)).rdd.map(
            lambda row: _decode_sketch(row, bands)).persist()
        self._end()
        self.tick("sketch", n, n)

        self._stage("idf")
        empty = (np.empty(0, np.uint64), np.empty(0, np.int64), 0)
        terms, counts, n_tokens = sketches.map(lambda s: (s.terms, s.term_docs, int(s.n_tokens.sum()))).treeReduce(
            _merge_frequencies, depth=2) if n else empty
        idf = self.sc.broadcast(stages.Idf(n, terms, counts))
        config = self.sc.broadcast(self.config)
        self._end()

        self._stage("candidates")
        cand = self.work.stage(self.spark, "candidates", lambda: self._candidates(sketches, docs, n, idf, config))
        counts_of = self.work.load_json("candidates.json") or {}
        sketches.unpersist()
        self._end()
        self.tick("candidates", 2, 2)

        self._stage("align")
        verified = self.sc.accumulator(0)
        aligned = self.work.stage(self.spark, "aligned", lambda: support.pickled_rows(
            self.spark, self._align(cand, docs, idf, config, verified)))
        if verified.value or not self.work.load_json("verified.json"):
            self.work.save_json("verified.json", {"verified": verified.value})
        aligned_rdd = aligned.rdd.map(lambda r: _loads(r.blob)).persist()
        self._end()
        self.tick("align", 1, 1)

        self._stage("talking_points")
        extra = self._talking(aligned_rdd, docs, n, config)
        self._end()
        aligned_rdd.unpersist()

        dups = self._duplicates()
        skips = [s for _, s in sorted(skipped + dups, key=lambda kv: kv[0])]
        out = {name: support.StoredRecords(self.work.path(f"results/{name}"))
               for name in ("pairs", "passages", "clusters", "documents")}
        shuffles = support.shuffle_bytes(self.spark)
        stats = {
            "version": __version__, "engine": "spark", "master": self.sc.master, "documents": n,
            "skipped": len(skips), "tokens": n_tokens, **counts_of,
            "verified": self.work.load_json("verified.json")["verified"], "pairs": len(out["pairs"]),
            "passages": len(out["passages"]), **extra, "clusters": len(out["clusters"]),
            "seconds": self.timings, "shuffle_bytes": shuffles,
            "peak_rss_mb": {"driver": round(_peak_rss_mb(), 1)},
        }
        log.info("spark: %d documents; seconds %s; shuffle bytes %s; driver peak RSS MB %.1f", n,
                 json.dumps(self.timings), json.dumps(shuffles), _peak_rss_mb())
        return Results(documents=out["documents"], pairs=out["pairs"], passages=out["passages"], skipped=skips,
                       config={**self.config.to_dict(), "hash_scheme": HASH_SCHEME}, stats=stats,
                       clusters=out["clusters"])

    # --- ingest ---------------------------------------------------------------------------------

    def _ingest(self, items: Iterable[Document | Skip]) -> list[tuple[int, Skip]]:
        """Stream the documents into ``input.parquet`` (once per work folder); keep the skips."""
        held = self.work.load_json("skipped.json")
        if held is not None and (self.work.path("input.parquet").exists() or self.work.done("documents")):
            return [(seq, Skip(**s)) for seq, s in held]
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("seq", pa.int64()), *((c, pa.string()) for c in _DOC_COLUMNS)])
        skipped: list[tuple[int, Skip]] = []
        tmp = self.work.path(".input.parquet.tmp")
        rows: list[dict[str, Any]] = []
        with pq.ParquetWriter(tmp, schema) as writer:
            for seq, item in enumerate(items):
                if isinstance(item, Skip):
                    skipped.append((seq, item))
                    continue
                rows.append({"seq": seq, **_doc_row(item)})
                if len(rows) == INGEST_ROWS:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    rows = []
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        tmp.replace(self.work.path("input.parquet"))
        self.work.save_json("skipped.json", [(seq, dataclasses.asdict(s)) for seq, s in skipped])
        return skipped

    def _docs(self) -> Any:
        """Distinct-id documents numbered in input order: RDD ``(index, Document)``."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        def build() -> Any:
            raw = self.spark.read.parquet(str(self.work.path("input.parquet")))
            w = Window.partitionBy("id").orderBy("seq")
            ranked = raw.withColumn("rank", F.row_number().over(w)).withColumn("first", F.first("origin").over(w))
            dups = ranked.filter("rank > 1").select("seq", "id", "origin", "first").orderBy("seq")
            self.work.save_json("duplicates.json", [  # later records reusing an id: few, streamed
                (r.seq, {"source": r.origin, "reason": f"duplicate id {r.id!r} (first seen at {r.first})", "id": r.id})
                for r in dups.toLocalIterator()])
            kept = ranked.filter("rank = 1").drop("rank", "first").orderBy("seq")
            numbered = kept.rdd.zipWithIndex().map(lambda ri: (ri[1], *(ri[0][c] for c in _DOC_COLUMNS)))
            from pyspark.sql.types import LongType, StringType, StructField, StructType

            schema = StructType([StructField("idx", LongType(), False),
                                 *(StructField(c, StringType(), True) for c in _DOC_COLUMNS)])
            return self.spark.createDataFrame(numbered, schema)

        table = self.work.stage(self.spark, "documents", build)
        if self.work.load_json("count.json") is None:
            self.work.save_json("count.json", table.count())
        self.work.path("input.parquet").unlink(missing_ok=True)  # numbered in "documents" now
        n = self.work.load_json("count.json")
        parts = max(self.parts, math.ceil(n / BATCH_SIZE))
        return table.repartitionByRange(parts, "idx").rdd.map(lambda r: (r.idx, _row_doc(r))).persist()

    def _duplicates(self) -> list[tuple[int, Skip]]:
        """Later documents with an id already seen, as the local engine skips them."""
        return [(seq, Skip(**s)) for seq, s in self.work.load_json("duplicates.json") or []]

    # --- sketch and candidates ------------------------------------------------------------------

    def _sketch_table(self, docs: Any) -> Any:
        from pyspark.sql.types import ArrayType, BinaryType, LongType, StructField, StructType

        config = self.config
        schema = StructType([StructField("first", LongType(), False), *(
            StructField(c, BinaryType(), False) for c in ("band_keys", "has", "n_tokens", "terms", "term_docs")),
            StructField("anchors", ArrayType(BinaryType(), False), False)])
        return self.spark.createDataFrame(docs.mapPartitions(lambda rows: _sketch_partition(rows, config)), schema)

    def _candidates(self, sketches: Any, docs: Any, n: int, idf: Any, config: Any) -> Any:
        """Candidate pairs ``(i, j, verify)``: LSH buckets, shared anchors, and (small corpora) cosines."""
        from pyspark.sql.types import BooleanType, LongType, StructField, StructType

        parts, cfg = self.parts, self.config
        n1 = max(n, 1)
        near = (sketches.flatMap(lambda s: _band_buckets(s, parts)).partitionBy(parts, lambda k: k)
                .mapPartitions(lambda it: _near_codes(it, n1, cfg.max_bucket)))
        anchor = (sketches.flatMap(lambda s: enumerate(s.anchors)).partitionBy(stages.N_PARTITIONS, lambda k: k)
                  .mapPartitions(lambda it: _anchor_codes(it, n1, cfg.max_bucket)))
        codes = near.union(anchor)
        if 2 <= n <= cfg.all_pairs_max_docs:
            codes = codes.union(docs.coalesce(1).mapPartitions(lambda it: _cosine_codes(it, idf, config, n1)))
        per_part = codes.flatMap(lambda kc: _split_codes(kc, parts)).partitionBy(parts, lambda k: k).mapPartitions(
            lambda it: _merge_codes(it, n1, cfg.min_shared_anchors)).persist()
        totals = per_part.map(lambda r: r[1]).fold([0, 0, 0, 0], lambda a, b: [x + y for x, y in zip(a, b)])
        self.work.save_json("candidates.json", {"candidates": totals[0], "near_duplicate_candidates": totals[1],
                                                "passage_candidates": totals[2]})
        self.work.save_json("to_score.json", totals[3])
        rows = per_part.flatMap(lambda r: r[0])
        schema = StructType([StructField("i", LongType(), False), StructField("j", LongType(), False),
                             StructField("verify", BooleanType(), False)])
        return self.spark.createDataFrame(rows, schema)

    # --- alignment and talking points -----------------------------------------------------------

    def _align(self, cand: Any, docs: Any, idf: Any, config: Any, verified: Any) -> Any:
        """Each candidate pair joined with its two documents, scored by ``score_chunk`` where they meet."""
        n_pairs = self.work.load_json("to_score.json") or 0
        parts = max(self.parts, math.ceil(n_pairs / (4 * SCORE_CHUNK)))
        by_i = cand.rdd.map(lambda r: (r.i, (r.j, r.verify)))
        with_a = by_i.join(docs, parts).map(lambda r: (r[1][0][0], (r[0], r[1][0][1], r[1][1])))
        met = with_a.join(docs, parts).map(lambda r: ((r[1][0][0], r[0]), (r[1][0][1], r[1][0][2], r[1][1])))

        def score(rows: Iterator[Any]) -> Iterator[tuple[tuple[int, int], Any]]:
            out = _score_partition(rows, idf.value, config.value)
            for aligned, count in out:
                if count:
                    verified.add(count)
                yield from aligned

        n = max(self.work.load_json("count.json"), 1)
        return met.mapPartitions(score).map(lambda a: (a.i * n + a.j, a))

    def _talking(self, aligned: Any, docs: Any, n: int, config: Any) -> dict[str, Any]:
        """Final pairs, passages, clusters and documents under ``results/``; counts for the stats."""
        if self.work.done("results/documents") and self.work.load_json("talking.json") is not None:
            return self.work.load_json("talking.json")
        store = lambda name, rdd: support.pickled_rows(self.spark, rdd).write.mode("overwrite").parquet(  # noqa: E731
            str(self.work.path(f"results/{name}")))
        if n <= self.config.talking_points_max_docs:
            # The stage needs every document's tokens (names, boilerplate, paraphrase IDF): one task.
            whole = docs.map(lambda kv: (0, ("d", kv))).union(aligned.map(lambda a: (0, ("a", a)))).coalesce(1)
            out = whole.mapPartitions(lambda it: _talking_task(it, config.value)).persist()
            for name in ("pairs", "passages", "clusters", "documents"):
                store(name, out.filter(lambda r, name=name: r[0] == name).map(lambda r: (r[1], r[2])).coalesce(1))
            (extra,) = out.filter(lambda r: r[0] == "stats").map(lambda r: r[2]).collect()  # collect, not first():
            # take() stops a Python worker mid-partition, and Spark then starts (and imports) a new one
            out.unpersist()
        else:
            parts = self.parts
            kept = aligned.filter(lambda a: a.pair is not None).persist()
            pairs = kept.sortBy(lambda a: (-a.pair.score, a.i, a.j), numPartitions=parts).zipWithIndex()
            store("pairs", pairs.map(lambda r: (r[1], r[0].pair)))
            passages = (kept.flatMap(lambda a: (((a.i, a.j, p.a_start, p.b_start, k), (p, a.i, a.j))
                                                 for k, p in enumerate(a.passages)))
                        .sortByKey(numPartitions=parts).values().zipWithIndex().map(lambda r: (r[1], r[0])).persist())
            store("passages", passages.map(lambda r: (r[0], r[1][0])))
            store("clusters", cluster_rdd(passages, docs, parts))
            involved = kept.flatMap(lambda a: (a.i, a.j)).distinct(parts).map(lambda i: (i, None))
            store("documents", involved.join(docs, parts).map(lambda r: (r[0], r[1][1])).sortByKey(numPartitions=parts))
            passages.unpersist()
            kept.unpersist()
            extra = {"paraphrases": 0, "suppressed": 0,
                     "talking_points": f"skipped above talking_points_max_docs={self.config.talking_points_max_docs}"}
        self.work.save_json("talking.json", extra)
        return extra


# --- what runs on the executors ------------------------------------------------------------------

_DOC_COLUMNS = ("id", "text", "source", "title", "date", "url", "origin", "meta")


def _doc_row(d: Document) -> dict[str, Any]:
    return {"id": d.id, "text": d.text, "source": d.source, "title": d.title, "date": d.date, "url": d.url,
            "origin": d.origin, "meta": json.dumps(d.meta, ensure_ascii=False, default=str) if d.meta else None}


def _row_doc(r: Any) -> Document:
    return Document(id=r.id, text=r.text, source=r.source, title=r.title, url=r.url, date=r.date,
                    origin=r.origin or "", meta=json.loads(r.meta) if r.meta else {})


def _loads(blob: bytes) -> Any:
    import pickle

    return pickle.loads(blob)


def _merge_frequencies(a: tuple, b: tuple) -> tuple:
    """Two ``(terms, document counts, tokens)`` sums as one (``merge_counts``; order-free)."""
    return (*stages.merge_counts([a[:2], b[:2]]), a[2] + b[2])


def _runs(rows: Iterable[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    """Consecutive-index runs of at most ``size`` rows (a sketch batch numbers its documents from ``first``)."""
    run: list[tuple[int, Any]] = []
    for row in sorted(rows, key=lambda r: r[0]):
        if run and (row[0] != run[-1][0] + 1 or len(run) == size):
            yield run
            run = []
        run.append(row)
    if run:
        yield run


def _sketch_partition(rows: Iterable[tuple[int, Document]], config: ReuseConfig) -> Iterator[tuple]:
    for run in _runs(rows, BATCH_SIZE):
        sk = stages.sketch_batch([d.text for _, d in run], run[0][0], config)
        yield (sk.first, bytearray(sk.band_keys.tobytes()), bytearray(sk.has_shingles.tobytes()),
               bytearray(sk.n_tokens.astype(np.int64).tobytes()), bytearray(sk.terms.tobytes()),
               bytearray(sk.term_docs.astype(np.int64).tobytes()), [bytearray(a.tobytes()) for a in sk.anchors])


def _decode_sketch(row: Any, bands: int) -> stages.Sketch:
    has = np.frombuffer(row.has, dtype=np.bool_)
    return stages.Sketch(
        first=row.first, band_keys=np.frombuffer(row.band_keys, dtype=np.uint64).reshape(len(has), bands),
        has_shingles=has, anchors=tuple(np.frombuffer(a, dtype=np.uint64) for a in row.anchors),
        terms=np.frombuffer(row.terms, dtype=np.uint64), term_docs=np.frombuffer(row.term_docs, dtype=np.int64),
        n_tokens=np.frombuffer(row.n_tokens, dtype=np.int64))


def _band_buckets(sk: stages.Sketch, parts: int) -> Iterator[tuple[int, tuple[int, np.ndarray, np.ndarray]]]:
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


def _near_codes(records: Iterator[tuple[int, tuple[int, np.ndarray, np.ndarray]]], n: int,
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


def _anchor_codes(records: Iterator[tuple[int, np.ndarray]], n: int, max_bucket: int) -> Iterator[tuple[str, np.ndarray]]:
    """``anchor_pairs`` over one anchor hash partition (all batches' anchors meet here)."""
    parts = [a for _, a in records]
    keys = np.concatenate(parts) if parts else np.empty(0, np.uint64)
    yield "a", stages.anchor_pairs(keys, n_docs=n, max_df=max_bucket)


def _cosine_codes(rows: Iterator[tuple[int, Document]], idf: Any, config: Any, n: int) -> Iterator[tuple[str, np.ndarray]]:
    """``all_pair_cosines`` over the whole (small) corpus, in one task, as the local engine does."""
    from reuse.text.fast import tokenize_fast

    docs = sorted(rows, key=lambda r: r[0])
    vectors = [stages.term_vector(tokenize_fast(d.text), idf.value) for _, d in docs]
    pairs = stages.all_pair_cosines(vectors, config.value.pair_min_cosine)
    yield "c", pairs[:, 0] * n + pairs[:, 1]


def _split_codes(kind_codes: tuple[str, np.ndarray], parts: int) -> Iterator[tuple[int, tuple[str, np.ndarray]]]:
    kind, codes = kind_codes
    where = codes % parts
    for p in np.unique(where).tolist():
        yield p, (kind, codes[where == p])


def _merge_codes(records: Iterator[tuple[int, tuple[str, np.ndarray]]], n: int, min_count: int) -> Iterator[Any]:
    """Candidates of one code partition: near-duplicates, anchor pairs (``pairs_from_codes``), cosines."""
    got: dict[str, list[np.ndarray]] = {"n": [], "a": [], "c": []}
    for _, (kind, codes) in records:
        got[kind].append(codes)
    cat = lambda xs: np.concatenate(xs) if xs else np.empty(0, np.int64)  # noqa: E731
    near = sorted_unique(cat(got["n"]))
    passage = stages.pairs_from_codes(got["a"], n_docs=n, min_count=min_count)
    passage = passage[:, 0] * n + passage[:, 1]
    candidates = sorted_unique(np.concatenate((near, passage)))
    cosine = sorted_unique(cat(got["c"]))
    to_score = sorted_unique(np.concatenate((candidates, cosine)))
    verify = ~np.isin(to_score, cosine)
    rows = [(int(c // n), int(c % n), bool(v)) for c, v in zip(to_score.tolist(), verify.tolist())]
    yield rows, [len(candidates), len(near), len(passage), len(rows)]


def _score_partition(rows: Iterator[Any], idf: stages.Idf, config: ReuseConfig) -> Iterator[tuple[list, int]]:
    """``score_chunk`` over chunks of the pairs that met their texts in this partition."""
    chunk: list[Any] = []

    def flush() -> tuple[list, int]:
        pairs = np.array([c[0] for c in chunk], dtype=np.int64).reshape(-1, 2)
        verify = np.array([c[1][0] for c in chunk], dtype=bool)
        docs = {i: d for (i, j), (_, da, db) in chunk for i, d in ((i, da), (j, db))}
        res = stages.score_chunk(pairs, verify, docs, idf, config)
        return res.aligned, res.verified

    for row in rows:
        chunk.append(row)
        if len(chunk) == SCORE_CHUNK:
            yield flush()
            chunk = []
    if chunk:
        yield flush()


def _talking_task(rows: Iterator[Any], config: ReuseConfig) -> Iterator[tuple[str, int, Any]]:
    """The corpus-aware talking-points stage over a small corpus, exactly as the local engine runs it."""
    from reuse.stages.talking.points import talking_points
    from reuse.text.fast import tokenize_fast
    from reuse.text.shingle import shingle_hashes

    docs, aligned = [], []
    for _, (kind, value) in rows:
        (docs if kind == "d" else aligned).append(value)
    docs.sort(key=lambda r: r[0])
    aligned.sort(key=lambda a: (a.i, a.j))
    whole = [d for _, d in docs]
    tokens = [tokenize_fast(d.text) for d in whole]
    shingles = [shingle_hashes(tk.ids, config.shingle_size) for tk in tokens]
    talk = talking_points(whole, tokens, shingles, aligned, config)
    for name, records in (("pairs", talk.pairs), ("passages", talk.passages), ("clusters", talk.clusters),
                          ("documents", whole)):
        for k, rec in enumerate(records):
            yield name, k, rec
    yield "stats", 0, {"paraphrases": talk.paraphrases, "suppressed": talk.suppressed}
