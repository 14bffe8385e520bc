"""The Spark engine's dataflow: the stage plan of :mod:`reuse.engine.plan` with the data in Spark.

The stage sequence is the local engine's, and each step runs the same stage function:

    ingest        the driver streams the readers' documents into Parquet (row groups; never all held);
                  duplicate ids are found with a window over ``id``, documents numbered in input order
    sketch        ``sketch_batch`` per run of consecutive documents (``mapPartitions``)
    idf           ``merge_counts`` reduced in one task, which writes the ``Idf`` to the work folder,
                  where tasks read it (:class:`~.spark_support.StoredValue`: the driver never holds it)
    candidates    band keys grouped by key (``candidate_pairs`` per band bucket set, ``max_bucket``
                  cap), anchors grouped by hash partition (``anchor_pairs``, same cap), pair codes
                  counted where they meet (``pairs_from_codes``); on small corpora the plan's
                  ``small_corpus_pairs`` in one task
    align         candidate pairs joined with the two texts, ``score_chunk`` where they meet
    talking       the stage's two unit passes per 256-document chunk (:mod:`.spark_talking`: count
                  aggregates combined where they meet, the ``Model`` made there and stored like the
                  ``Idf``, units written as a stage, then as one stored matrix every task maps:
                  :mod:`.spark_units`); the paraphrase index's blocks and its judging as tasks
                  over it (:mod:`.spark_paraphrase`); then the plan's ``finish`` (``talking_points``
                  given the units and the matches) in one executor task up to the final passages
                  (the corpus, the aligned pairs and the matches brought to it, not to the
                  driver); the passages' clusters by connected components of the passage graph
                  (:mod:`.spark_clusters`)

Sketches, candidates, aligned pairs and units are checkpointed as Parquet in the work folder; a run given
the same folder resumes after the last finished stage. Nothing collects the corpus or the candidate
pairs on the driver: results are written by the executors and read back as a stream
(:class:`~reuse.engine.spark_support.StoredRecords`).
"""
from __future__ import annotations

import dataclasses
import json
import logging
import math
import pickle
import resource
import time
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from reuse.config import HASH_SCHEME, ReuseConfig
from reuse.engine import spark_clusters, spark_documents, spark_units
from reuse.engine import spark_paraphrase as para
from reuse.engine import spark_support as support
from reuse.engine import spark_talking as talk
from reuse.engine import spark_tasks as tasks
from reuse.engine.spark_progress import StageLog
from reuse.model import Document, Progress, Results, Skip
from reuse.stages import scope
from reuse.stages.minhash import lsh_params
from reuse.stages.score import Idf
from reuse.stages.sketch import N_PARTITIONS
from reuse.stages.talking import units as un
from reuse.version import __version__

log = logging.getLogger("reuse")

INGEST_ROWS = 1024
"""Rows per Parquet row group of the staged input: Spark splits the input at row groups."""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class SparkPlan:
    """One run: the stages in order, each under a Spark job group (its name in the shuffle figures)."""

    def __init__(self, spark: Any, config: ReuseConfig, work: support.WorkFolder, tick: Progress) -> None:
        self.spark, self.sc, self.config, self.work, self.tick = spark, spark.sparkContext, config, work, tick
        self.parts = max(2, self.sc.defaultParallelism)
        self.timings: dict[str, float] = {}
        self.peaks: dict[str, float] = {}  # MB, the driver's peak RSS when each stage ended (which one grows)
        self.talking_peak: float | None = None  # MB, the Python worker of the talking task (not on a resumed run)
        self.stages = StageLog(self.sc)  # -v: Spark's stages as they start and end

    def _stage(self, name: str) -> None:
        self.sc.setJobGroup(name, f"reuse: {name}")
        self._t = time.perf_counter()
        self._name = self.stages.label = name
        log.info("stage %s: started", name)

    def _end(self) -> None:
        self.timings[self._name] = round(time.perf_counter() - self._t, 4)
        self.peaks[self._name] = round(_peak_rss_mb(), 1)
        log.info("stage %s: %.1f s (peak RSS of this process so far %.0f MB)", self._name, self.timings[self._name],
                 self.peaks[self._name])

    def _part(self, name: str) -> None:
        """A named part of the current stage, for the Spark stages' log lines."""
        self.stages.label = f"{self._name}: {name}"
        log.info("stage %s: %s, after %.1f s", self._name, name, time.perf_counter() - self._t)

    def run(self, items: Iterable[Document | Skip], reference: Iterable[Document | Skip] | None) -> Results:
        with self.stages:
            return self._run(items, reference)

    def _run(self, items: Iterable[Document | Skip], reference: Iterable[Document | Skip] | None) -> Results:
        self._stage("ingest")
        skipped = self._ingest(items, reference)
        docs = self._docs()  # RDD (index, Document), each partition a run of consecutive numbers
        n = self.work.load_json("count.json")
        self._end()
        self.tick("sketch", 0, n)

        self._stage("sketch")
        bands = lsh_params(self.config.doc_threshold, self.config.num_perm)[0]
        sketch_table = self.work.stage(self.spark, "sketches", lambda: self._sketch_table(docs))
        sketches = sketch_table.rdd.map(
            lambda row: tasks.decode_sketch(row, bands)).persist()
        self._end()
        self.tick("sketch", n, n)

        self._stage("idf")
        idf = support.StoredValue(str(self.work.path("idf.pkl")))
        if n:  # the document frequencies meet in one task, which writes the IDF where every task reads it
            n_tokens = support.store_value(
                sketches.map(lambda s: (0, (s.terms, s.term_docs, int(s.n_tokens.sum())))).reduceByKey(
                    tasks.merge_frequencies, numPartitions=1).values(),
                self.work.path("idf.pkl"), lambda f: (Idf(n, f[0], f[1]), f[2]))[0]
        else:
            n_tokens = 0
            self.work.path("idf.pkl").write_bytes(pickle.dumps(Idf(0, np.empty(0, np.uint64), np.empty(0, np.int64))))
        config = self.sc.broadcast(self.config)
        self._end()

        self._stage("candidates")
        cand = self.work.stage(self.spark, "candidates", lambda: self._candidates(sketches, docs, n, idf, config))
        counts_of = self.work.load_json("candidates.json") or {}
        sketches.unpersist()
        self._end()
        self.tick("candidates", 2, 2)

        self._stage("align")
        verified, ran = self.sc.accumulator(0), self.sc.accumulator(0)
        aligned = self.work.stage(self.spark, "aligned", lambda: support.pickled_rows(
            self.spark, self._align(cand, docs, idf, config, verified, ran)))
        if verified.value or ran.value or not self.work.load_json("verified.json"):
            self.work.save_json("verified.json", {"verified": verified.value, "aligned": ran.value})
        aligned_rdd = aligned.rdd.map(lambda r: tasks.loads(r.blob)).persist()
        self._end()
        self.tick("align", 1, 1)

        self._stage("talking_points")
        extra = self._talking(aligned_rdd, docs, n, config, idf)
        self._end()
        for held in (aligned_rdd, docs, idf, config):  # a shared session (tests, notebooks) keeps running
            held.unpersist()

        self._stage("results")  # what the output files need per document, made on the executors
        self._store_read(sketch_table)
        spark_documents.store_rows(self.spark, self.work, self.parts)
        self._end()
        dups = self._duplicates()
        skips = [s for _, s in sorted(skipped + dups, key=lambda kv: kv[0])]
        out = {name: support.StoredRecords(self.work.path(f"results/{name}"))
               for name in ("pairs", "passages", "clusters", "documents", "read", "document-rows", "pair-rows")}
        ingested = self.work.load_json("input.json")
        shuffles = support.shuffle_bytes(self.spark)
        stats = {
            "version": __version__, "engine": "spark", "master": self.sc.master, "documents": n,
            "skipped": len(skips),
            **({"out_of_scope": ingested["out_of_scope"]} if ingested["out_of_scope"] is not None else {}),
            **({"reference_documents": n - self.n_scanned} if self.n_scanned is not None else {}),
            "tokens": n_tokens, **counts_of,
            **self.work.load_json("verified.json"), "pairs": len(out["pairs"]),
            "passages": len(out["passages"]), **extra, "clusters": len(out["clusters"]),
            "seconds": self.timings, "shuffle_bytes": shuffles,
            "peak_rss_mb": {"driver": round(_peak_rss_mb(), 1),
                            **({"talking_task": self.talking_peak} if self.talking_peak else {})},
        }
        log.info("spark: %d documents; seconds %s; shuffle bytes %s; driver peak RSS MB %.1f; talking task's "
                 "worker peak RSS MB %s", n, json.dumps(self.timings), json.dumps(shuffles), _peak_rss_mb(),
                 self.talking_peak)
        log.info("spark: driver peak RSS MB at the end of each stage %s", json.dumps(self.peaks))
        return Results(documents=out["documents"], pairs=out["pairs"], passages=out["passages"], skipped=skips,
                       read=out["read"], document_rows=out["document-rows"], pair_rows=out["pair-rows"],
                       config={**self.config.to_dict(), "hash_scheme": HASH_SCHEME}, stats=stats,
                       clusters=out["clusters"])

    # --- ingest ---------------------------------------------------------------------------------

    def _ingest(self, items: Iterable[Document | Skip], reference: Iterable[Document | Skip] | None
                ) -> list[tuple[int, Skip]]:
        """Stream the in-scope documents into ``input.parquet`` (once per work folder); keep the skips.

        ``seq`` numbers documents and skips in stream order (the references after the corpus);
        documents left out by ``source``/``since``/``until`` are only counted, as locally.
        """
        held = self.work.load_json("skipped.json")
        if held is not None and self.work.path("input.parquet").exists():
            return [(seq, Skip(**s)) for seq, s in held]
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("seq", pa.int64()), *((c, pa.string()) for c in tasks.DOC_COLUMNS)])
        skipped: list[tuple[int, Skip]] = []
        tmp = self.work.path(".input.parquet.tmp")
        rows: list[dict[str, Any]] = []
        written = seq = out_of_scope = 0
        boundary = None
        restricted = scope.restricts(self.config)
        streams = [items] if reference is None else [items, reference]
        # no statistics: nothing filters this file, and a text column's min and max (up to 4 KB each per
        # row group) would make the footer the writer holds, and every task reads, grow with the corpus
        with pq.ParquetWriter(tmp, schema, write_statistics=False) as writer:
            for k, stream in enumerate(streams):
                if k == 1:
                    boundary = seq  # the first reference item
                for item in stream:
                    if isinstance(item, Skip):
                        skipped.append((seq, item))
                    elif restricted and not scope.in_scope(item, self.config):
                        out_of_scope += 1
                        continue
                    else:
                        rows.append({"seq": seq, **tasks.doc_row(item)})
                        written += 1
                    seq += 1
                    if len(rows) == INGEST_ROWS:
                        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                        rows = []
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        self.work.save_json("input.json", {"rows": written, "reference_from": boundary,
                                           "out_of_scope": out_of_scope if restricted else None})
        tmp.replace(self.work.path("input.parquet"))
        self.work.save_json("skipped.json", [(seq, dataclasses.asdict(s)) for seq, s in skipped])
        return skipped

    def _docs(self) -> Any:
        """Distinct-id documents numbered in input order: RDD ``(index, Document)``, no shuffle of texts.

        Later records reusing an id are found with a window over the narrow ``(seq, id)`` columns;
        a document's number is then its stream position less the skips before it, so each task
        numbers its own rows (Parquet splits keep file order; a sketch batch needs consecutive numbers).
        """
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        source = str(self.work.path("input.parquet"))
        if self.work.load_json("duplicates.json") is None:
            w = Window.partitionBy("id").orderBy("seq")
            dups = (self.spark.read.parquet(source).select(
                "seq", "id", "origin", F.first("origin").over(w).alias("first"), F.row_number().over(w).alias("rank"))
                .filter("rank > 1").collect())  # skip records: few, like the readers' skips the driver holds
            self.work.save_json("duplicates.json", sorted(
                (r.seq, {"source": r.origin, "reason": f"duplicate id {r.id!r} (first seen at {r.first})", "id": r.id})
                for r in dups))
        dup_seqs = [seq for seq, _ in self.work.load_json("duplicates.json")]
        gone = np.array(sorted([seq for seq, _ in self.work.load_json("skipped.json")] + dup_seqs), dtype=np.int64)
        ingested = self.work.load_json("input.json")
        if self.work.load_json("count.json") is None:
            self.work.save_json("count.json", ingested["rows"] - len(dup_seqs))
        boundary = ingested["reference_from"]  # documents numbered below n_scanned are the scanned ones
        self.n_scanned = None if boundary is None else boundary - int(np.searchsorted(gone, boundary))
        size = self.work.path("input.parquet").stat().st_size
        self.spark.conf.set("spark.sql.files.maxPartitionBytes", str(max(1 << 20, size // (2 * self.parts))))
        dropped = self.sc.broadcast((gone, frozenset(dup_seqs)))
        return self.spark.read.parquet(source).rdd.mapPartitions(
            lambda it: tasks.number_documents(it, *dropped.value)).persist()

    def _store_read(self, sketch_table: Any) -> None:
        """Every document read (``DocumentInfo``), in input order, under ``results/read``."""
        if self.work.done("results/read"):
            return
        infos = sketch_table.rdd.flatMap(lambda r: enumerate(tasks.loads(r.infos), r.first))
        support.save_results(support.pickled_rows(self.spark, infos.sortByKey(numPartitions=self.parts)),
                             self.work.path("results/read"))

    def _duplicates(self) -> list[tuple[int, Skip]]:
        """Later documents with an id already seen, as the local engine skips them."""
        return [(seq, Skip(**s)) for seq, s in self.work.load_json("duplicates.json") or []]

    # --- sketch and candidates ------------------------------------------------------------------

    def _sketch_table(self, docs: Any) -> Any:
        from pyspark.sql.types import ArrayType, BinaryType, LongType, StructField, StructType

        config = self.config
        schema = StructType([StructField("first", LongType(), False), *(
            StructField(c, BinaryType(), False) for c in ("band_keys", "has", "n_tokens", "terms", "term_docs")),
            StructField("anchors", ArrayType(BinaryType(), False), False), StructField("infos", BinaryType(), False)])
        return self.spark.createDataFrame(docs.mapPartitions(lambda rows: tasks.sketch_partition(rows, config)), schema)

    def _candidates(self, sketches: Any, docs: Any, n: int, idf: Any, config: Any) -> Any:
        """Pairs to score ``(i, j, how)``: LSH buckets, shared anchors, and (small corpora) the plan's
        ``small_corpus_pairs``."""
        from pyspark.sql.types import ByteType, LongType, StructField, StructType

        parts, cfg = self.parts, self.config
        n1 = max(n, 1)
        near = (sketches.flatMap(lambda s: tasks.band_buckets(s, parts)).partitionBy(parts, lambda k: k)
                .mapPartitions(lambda it: tasks.near_codes(it, n1, cfg.max_bucket)))
        anchor = (sketches.flatMap(lambda s: enumerate(s.anchors)).partitionBy(N_PARTITIONS, lambda k: k)
                  .mapPartitions(lambda it: tasks.anchor_codes(it, n1, cfg.max_bucket)))
        codes = near.union(anchor)
        if 2 <= n <= cfg.all_pairs_max_docs:
            codes = codes.union(docs.coalesce(1).mapPartitions(lambda it: tasks.cosine_codes(it, idf, config, n1)))
        per_part = codes.flatMap(lambda kc: tasks.split_codes(kc, parts)).partitionBy(parts, lambda k: k).mapPartitions(
            lambda it: tasks.merge_codes(it, n1, cfg.min_shared_anchors)).persist()
        totals = per_part.map(lambda r: r[1]).fold([0, 0, 0, 0], lambda a, b: [x + y for x, y in zip(a, b)])
        self.work.save_json("candidates.json", {"candidates": totals[0], "near_duplicate_candidates": totals[1],
                                                "passage_candidates": totals[2]})
        self.work.save_json("to_score.json", totals[3])
        rows = per_part.flatMap(lambda r: r[0])
        schema = StructType([StructField("i", LongType(), False), StructField("j", LongType(), False),
                             StructField("how", ByteType(), False)])
        return self.spark.createDataFrame(rows, schema)

    # --- alignment and talking points -----------------------------------------------------------

    def _align(self, cand: Any, docs: Any, idf: Any, config: Any, verified: Any, ran: Any) -> Any:
        """Each candidate pair joined with its two documents, scored by ``score_chunk`` where they meet."""
        n_pairs = self.work.load_json("to_score.json") or 0
        n_scanned = self.n_scanned
        parts = max(self.parts, math.ceil(n_pairs / (4 * tasks.SCORE_CHUNK)))
        by_i = cand.rdd.map(lambda r: (r.i, (r.j, r.how)))
        with_a = by_i.join(docs, parts).map(lambda r: (r[1][0][0], (r[0], r[1][0][1], r[1][1])))
        met = with_a.join(docs, parts).map(lambda r: ((r[1][0][0], r[0]), (r[1][0][1], r[1][0][2], r[1][1])))

        def score(rows: Iterator[Any]) -> Iterator[tuple[tuple[int, int], Any]]:
            out = tasks.score_partition(rows, idf.value, config.value, n_scanned)
            for aligned, count, aligner_ran in out:
                verified.add(count)
                ran.add(aligner_ran)
                yield from aligned

        n = max(self.work.load_json("count.json"), 1)
        return met.mapPartitions(score).map(lambda a: (a.i * n + a.j, a))

    def _talking(self, aligned: Any, docs: Any, n: int, config: Any, idf: Any) -> dict[str, Any]:
        """Final pairs, passages, clusters and documents under ``results/``; counts for the stats.

        The two unit passes run per chunk (:mod:`.spark_talking`): documents and their passage
        ranges shuffled to their chunk, the count pass's aggregates combined into the ``Model``
        in one task (stored in the work folder), the units written as a stage and laid out as one
        stored matrix. The paraphrase index and its judging run as tasks over it; the passages in
        one task, as the local engine runs them in its driver; the clusters by components of the
        passage graph (:mod:`.spark_clusters`).
        """
        if self.work.done("results/clusters") and self.work.load_json("talking.json") is not None:
            return self.work.load_json("talking.json")
        store = lambda name, rdd: support.save_results(  # noqa: E731
            support.pickled_rows(self.spark, rdd), self.work.path(f"results/{name}"))
        from pyspark import StorageLevel

        cfg = self.config
        parts = max(self.parts, math.ceil(n / (8 * talk.CHUNK)))  # about 8 chunks (2,048 documents) a task
        chunks = docs.map(talk.chunk_records).union(aligned.flatMap(talk.passage_ranges)).partitionBy(
            parts).mapPartitions(talk.gather_chunks).persist(StorageLevel.MEMORY_AND_DISK)
        held = self.work.path("talking-model.pkl")
        self._part("count pass")
        if not held.exists() or not self.work.done("unit-chunks"):
            min_docs, share = cfg.boilerplate_min_docs, cfg.background_share
            # the chunks' aggregates meet in one task, which makes the model and writes it where every
            # task reads it: the driver never holds the corpus vocabulary or its repeated lines
            if n:
                support.store_value(chunks.map(lambda c: (0, talk.count_chunk(c[1], config.value))).reduceByKey(
                    lambda a, b: talk.combine_counts(a, b, min_docs), numPartitions=1).values(), held,
                    lambda counts: (un.merge([counts], min_docs=min_docs, background_share=share), None))
            else:
                held.write_bytes(pickle.dumps((None,) * 3, protocol=5))
        t_count = time.perf_counter()
        self._part("units pass")
        model = support.StoredValue(str(held))  # (model, background, n_units)
        units = self.work.stage(self.spark, "unit-chunks", lambda: spark_units.unit_rows(self.spark, chunks.map(
            lambda c: (c[0], talk.units_chunk(c[1], model.value[0], config.value)))))
        chunks.unpersist()
        stored = spark_units.lay_out(units, str(self.work.path("unit-matrix")))
        t_units = time.perf_counter()
        self._part("paraphrase index and judging")
        matches = para.matches(self.spark, self.work, self.parts, stored, aligned, docs, n, model, self.config,
                               self.n_scanned)
        t_para = time.perf_counter()
        self._part("passages (one task)")
        n_scanned = self.n_scanned
        whole = docs.map(lambda kv: (0, ("d", *kv))).union(aligned.map(lambda a: (0, ("a", a)))).union(
            matches.rdd.map(lambda r: (0, ("f", *tasks.loads(r.blob))))).coalesce(1)
        out = whole.mapPartitions(lambda it: talk.talking_task(it, config.value, idf.value, n_scanned, model.value,
                                                               stored)).persist()
        for name in ("pairs", "passages", "documents"):
            store(name, out.filter(lambda r, name=name: r[0] == name).map(lambda r: (r[1], r[2])).coalesce(1))
        t_rest = time.perf_counter()
        self._part("clusters")
        linked = out.filter(lambda r: r[0] == "linked").map(lambda r: (r[1], r[2]))
        store("clusters", spark_clusters.clusters(linked, docs, n, self.parts, cfg.cluster_min_link))
        # collect, not first(): take() stops a Python worker mid-partition, and Spark then starts a new one
        got = dict(out.filter(lambda r: r[0] in ("stats", "peak", "peak_before")).map(lambda r: (r[0], r[2])).collect())
        extra, self.talking_peak = got["stats"], round(got["peak"], 1)
        log.info("spark talking points: the one task's Python worker peaked at %.1f MB before it, %.1f MB after "
                 "(workers are reused: a rise is the task's own)", got["peak_before"], got["peak"])
        out.unpersist()
        log.info("spark talking points: count pass %.1f s, units pass %.1f s (with the stored unit matrix), "
                 "paraphrase index and judging %.1f s, passages (one task) %.1f s, clusters %.1f s",
                 t_count - self._t, t_units - t_count, t_para - t_units, t_rest - t_para, time.perf_counter() - t_rest)
        self.work.save_json("talking.json", extra)
        return extra
