"""documents.jsonl's and pairs.jsonl's records made on Spark's side: the local engine's, in order."""
from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest

from reuse.api import find_reuse_stream
from reuse.config import ReuseConfig
from reuse.engine import spark_documents as sd
from reuse.io.readers import iter_paths
from reuse.outputs.records import document_infos, document_records, pair_records


def test_records_from_each_documents_grouped_sides_are_the_counted_ones(seeds_dir):
    results = find_reuse_stream(iter_paths([seeds_dir]), ReuseConfig())
    assert results.pairs and results.passages
    grouped: dict[str, list[tuple]] = defaultdict(list)
    keyed = [sd.info_of(kv) for kv in enumerate(document_infos(results))]
    keyed += [kv for p in results.pairs for kv in sd.pair_sides(p)]
    keyed += [kv for s in results.passages for kv in sd.passage_sides(s)]
    keyed.append(("not-read", ("p", 0.5)))  # an id in no record read makes no record
    for key, rec in reversed(keyed):  # any order within a document
        grouped[key].append(rec)
    got = sorted(kv for group in grouped.items() for kv in sd.record_of(group))
    want = list(document_records(results))
    assert [r for _, r in got] == want and [k for k, _ in got] == list(range(len(want)))
    assert any(r["n_pairs"] > 1 and 0 < r["reused_share"] < 1 for r in want)


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'reuse[spark]'")
    from reuse.engine.spark_support import session

    s = session("local[2]", {"spark.default.parallelism": "2"})
    yield s
    s.stop()


@pytest.mark.spark
def test_pairs_records_joined_with_their_documents_are_the_written_ones_in_order(spark, seeds_dir):
    results = find_reuse_stream(iter_paths([seeds_dir]), ReuseConfig())
    pairs = list(results.pairs)
    assert len(pairs) > 2
    gone = dataclasses.replace(pairs[1], doc_b="not-read")  # a document not read shows its id, no URL
    pairs = [pairs[0], gone, *pairs[2:]]
    read = spark.sparkContext.parallelize(list(enumerate(document_infos(results))), 3)
    got = sd.pair_rows(read, spark.sparkContext.parallelize(list(enumerate(pairs)), 3), 2).collect()
    want = list(pair_records(dataclasses.replace(results, pairs=pairs)))
    assert [k for k, _ in got] == list(range(len(pairs))) and [r for _, r in got] == want
    assert want[1]["source_b"] == "not-read" and want[1]["url_b"] is None
