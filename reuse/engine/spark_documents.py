"""``documents.jsonl`` and ``pairs.jsonl`` on Spark: what their records need of each document, met on the executors.

A line of ``documents.jsonl`` needs, per document, its pair count, its best pair score and the
union of its reported passages' spans (:func:`~reuse.stages.document_record.document_record`). Counted
in the driver while writing (as the local engine does), those counters grow with the documents in
pairs; here every pair's and passage's sides go to their document's partition with the document's
``DocumentInfo``, each record is made there, and the records are sorted by input order and stored
like the other results: the driver streams them into the file.

A line of ``pairs.jsonl`` shows each side's source and URL (:func:`~reuse.stages.pair_record.pair_record`).
Looked up in the driver while writing (as the local engine does), that map grows with the
documents in pairs, and reading it meant reading every such document's text; here each pair
meets its two documents' ``DocumentInfo`` in two joins and its record is stored in pair order
(:func:`pair_rows`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reuse.engine import spark_support as support
from reuse.engine import spark_tasks as tasks
from reuse.model import DocumentInfo, Pair, Passage
from reuse.stages.document_record import document_record
from reuse.stages.pair_record import Side, pair_record, side_of


def pair_sides(p: Pair) -> Iterator[tuple[str, tuple]]:
    """A pair's score for each of its two documents."""
    yield p.doc_a, ("p", p.score)
    yield p.doc_b, ("p", p.score)


def passage_sides(s: Passage) -> Iterator[tuple[str, tuple]]:
    """A passage's span in each of its two documents."""
    yield s.doc_a, ("s", s.a_start, s.a_end)
    yield s.doc_b, ("s", s.b_start, s.b_end)


def info_of(kv: tuple[int, DocumentInfo]) -> tuple[str, tuple]:
    """A document read, keyed by its id, with its place in input order."""
    k, d = kv
    return d.id, ("d", k, d)


def record_of(kv: tuple[str, Iterable[tuple]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """A document's ``(place in input order, record)`` from its grouped sides and info (ids in pairs
    but not read make none, as the local engine lists only documents read)."""
    _, held = kv
    n_pairs, best, spans, info = 0, 0.0, [], None
    for rec in held:
        if rec[0] == "p":
            n_pairs += 1
            best = max(best, rec[1])
        elif rec[0] == "s":
            spans.append((rec[1], rec[2]))
        else:
            info = rec[1:]
    if info is not None:
        yield info[0], document_record(info[1], n_pairs, best, spans)


def document_rows(read: Any, pairs: Any, passages: Any, parts: int) -> Any:
    """RDD ``(place, record)`` of every document read, sorted in input order.

    ``read``: RDD ``(place, DocumentInfo)``; ``pairs``, ``passages``: RDDs of the final ``Pair`` and
    ``Passage`` objects."""
    return read.map(info_of).union(pairs.flatMap(pair_sides)).union(passages.flatMap(passage_sides)).groupByKey(
        parts).flatMap(record_of).sortByKey(numPartitions=parts)


def side_record(kv: tuple[int, DocumentInfo]) -> tuple[str, Side]:
    """A document read, keyed by its id, as a pair's record shows it."""
    return kv[1].id, side_of(kv[1])


def pair_rows(read: Any, pairs: Any, parts: int) -> Any:
    """RDD ``(place, record)`` of ``pairs.jsonl`` in the pairs' order.

    ``read``: RDD ``(place, DocumentInfo)``; ``pairs``: RDD ``(place, Pair)``. Outer joins: a pair
    whose document was not read shows its id as source, as :func:`~reuse.outputs.records.pair_records`."""
    sides = read.map(side_record)
    with_a = pairs.map(lambda kp: (kp[1].doc_a, kp)).leftOuterJoin(sides, parts).map(
        lambda r: (r[1][0][1].doc_b, (r[1][0], r[1][1])))  # (doc_b, ((place, pair), side a))
    return with_a.leftOuterJoin(sides, parts).map(
        lambda r: (r[1][0][0][0], pair_record(r[1][0][0][1], r[1][0][1], r[1][1]))).sortByKey(numPartitions=parts)


def store_rows(spark: Any, work: support.WorkFolder, parts: int) -> None:
    """``documents.jsonl``'s and ``pairs.jsonl``'s records under ``results/document-rows`` and
    ``results/pair-rows`` (each kept when already complete: a resumed run), from the stored results."""
    def stored(name: str) -> Any:  # RDD (place, object) of a results table, read by the executors
        return spark.read.parquet(str(work.path(f"results/{name}"))).rdd.map(lambda r: (r.ord, tasks.loads(r.blob)))

    if not work.done("results/document-rows"):
        rows = document_rows(stored("read"), stored("pairs").values(), stored("passages").values(), parts)
        support.save_results(support.pickled_rows(spark, rows), work.path("results/document-rows"))
    if not work.done("results/pair-rows"):
        rows = pair_rows(stored("read"), stored("pairs"), parts)
        support.save_results(support.pickled_rows(spark, rows), work.path("results/pair-rows"))
