"""The Spark engine gives the local engine's results, record for record, floats bit for bit.

One ``local[2]`` session serves the module (a JVM start is seconds); corpora are small, but one is
10,000 synthetic articles. The standalone-cluster run is in ``test_spark_cluster.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'reuse[spark]'")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from benchmarks.synth import generate  # noqa: E402
from reuse.api import find_reuse_stream  # noqa: E402
from reuse.config import ReuseConfig  # noqa: E402
from reuse.engine import plan  # noqa: E402
from reuse.engine import spark as spark_engine  # noqa: E402
from reuse.errors import ConfigError  # noqa: E402
from reuse.io.readers import iter_paths  # noqa: E402
from reuse.outputs.records import document_records  # noqa: E402
from reuse.outputs.registry import parse_formats, write_outputs  # noqa: E402

pytestmark = pytest.mark.spark

OUTPUTS = "jsonl,csv,parquet"


@pytest.fixture(scope="module")
def spark():
    from reuse.engine.spark_support import session

    s = session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "2"})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def synth_parquet(tmp_path_factory) -> Path:
    """120 synthetic articles with planted reuse, plus a duplicate id and a row with a null text."""
    rows = [{k: r.get(k) for k in ("id", "text", "source", "date")} for r in generate(120, seed=3)]
    rows.insert(40, {"id": "broken", "text": None, "source": "x", "date": None})
    rows.append({**rows[7], "text": rows[7]["text"][::-1]})  # a later record reusing an id: skipped
    path = tmp_path_factory.mktemp("synth") / "corpus.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=25)
    return path


def _both(paths, config, spark, **kw):
    want = find_reuse_stream(iter_paths(paths), config, jobs=2, batch_size=32)
    got = spark_engine.run(iter_paths(paths), config, spark=spark, **kw)
    return want, got


def _assert_same(want, got, tmp_path: Path) -> None:
    """Objects equal (floats exactly), and every output file byte for byte."""
    assert list(got.pairs) == list(want.pairs)
    assert list(got.passages) == list(want.passages)
    assert list(got.clusters) == list(want.clusters)
    assert got.skipped == want.skipped
    assert [d.id for d in got.documents] == [d.id for d in want.documents]
    for name, results in (("local", want), ("spark", got)):
        write_outputs(results, tmp_path / name, parse_formats(OUTPUTS))
    for f in sorted((tmp_path / "local").iterdir()):
        assert (tmp_path / "spark" / f.name).read_bytes() == f.read_bytes(), f.name


def test_seeds_give_the_same_results_on_both_engines(spark, seeds_dir, tmp_path):
    want, got = _both([seeds_dir], ReuseConfig(), spark)
    assert want.pairs and want.clusters and want.stats["paraphrases"]
    _assert_same(want, got, tmp_path)
    assert got.stats["engine"] == "spark" and got.stats["paraphrases"] == want.stats["paraphrases"]
    assert got.document_rows is not None and want.document_rows is None  # documents.jsonl made on the executors
    assert got.pair_rows is not None and want.pair_rows is None  # and pairs.jsonl's records
    assert set(got.stats["seconds"]) == {"ingest", "sketch", "idf", "candidates", "align", "talking_points", "results"}
    assert got.stats["peak_rss_mb"]["driver"] > 0 and json.dumps(got.stats)  # plain values, as reports write them


def test_a_synthetic_corpus_from_parquet_gives_the_same_results_at_scale_settings(spark, synth_parquet, tmp_path):
    # Above the small-corpus limit: candidates only from LSH and anchors, verified; results keep
    # only the documents in pairs (the path a large corpus takes).
    config = ReuseConfig(all_pairs_max_docs=0)
    want, got = _both([synth_parquet], config, spark)
    assert len(want.pairs) >= 10 and want.clusters and want.stats["verified"] > 0
    assert [s.reason.split(" ")[-1] for s in want.skipped[:1]] == ["null"] and "duplicate id" in want.skipped[1].reason
    _assert_same(want, got, tmp_path)
    for key in ("documents", "candidates", "near_duplicate_candidates", "passage_candidates", "verified", "tokens"):
        assert got.stats[key] == want.stats[key], key


def test_a_synthetic_corpus_with_small_corpus_stages_gives_the_same_results(spark, synth_parquet, tmp_path):
    # Every pair above the cosine floor scored (all_pair_cosines in one task).
    want, got = _both([synth_parquet], ReuseConfig(), spark)
    _assert_same(want, got, tmp_path)


def test_a_checkpointed_run_resumes_from_its_stages(spark, seeds_dir, tmp_path):
    config = ReuseConfig()
    first = spark_engine.run(iter_paths([seeds_dir]), config, spark=spark, checkpoint=tmp_path / "work", input_key="seeds")
    assert (tmp_path / "work" / "input.parquet").is_file()
    for stage in ("sketches", "candidates", "aligned", "results/pairs"):
        assert (tmp_path / "work" / stage / "_SUCCESS").exists(), stage

    def no_input():
        raise AssertionError("the input was read again")
        yield

    again = spark_engine.run(no_input(), config, spark=spark, checkpoint=tmp_path / "work", input_key="seeds")
    assert list(again.pairs) == list(first.pairs) and list(again.clusters) == list(first.clusters)
    with pytest.raises(ConfigError, match="holds another run"):
        spark_engine.run(iter_paths([seeds_dir]), config.replace(min_claim_words=4), spark=spark,
                         checkpoint=tmp_path / "work", input_key="seeds")


def test_scope_rules_give_the_same_results(spark, synth_parquet, tmp_path):
    # A reference stream (never compared with itself), pairs across sources only, and a score floor:
    # the rules of reuse.stages.scope applied where the Spark engine meets the pairs.
    from reuse.io.parquet import iter_parquet
    from reuse.io.records import Fields

    items = list(iter_parquet(synth_parquet, "corpus.parquet", fields=Fields()))
    config = ReuseConfig(all_pairs_max_docs=0, across_sources=True, min_score=0.05)
    want = find_reuse_stream(iter(items[:80]), config, jobs=1, reference=iter(items[80:]))
    got = spark_engine.run(iter(items[:80]), config, spark=spark, reference=iter(items[80:]))
    assert want.pairs and want.stats["reference_documents"] == got.stats["reference_documents"] > 0
    _assert_same(want, got, tmp_path)


def test_the_plan_runs_on_the_spark_engine_interface(spark, seeds_dir):
    # map as Spark jobs, group_by_key as partitionBy, broadcast as Spark broadcasts: same results
    want = find_reuse_stream(iter_paths([seeds_dir]), ReuseConfig(), jobs=1)
    with spark_engine.SparkEngine(spark=spark) as engine:
        assert engine.jobs == 2
        got = plan.scan(iter_paths([seeds_dir]), ReuseConfig(), engine, batch_size=2)
    assert got.pairs == want.pairs and got.passages == want.passages and got.clusters == want.clusters
    assert not spark.sparkContext._jsc.sc().isStopped()  # a session passed in is left running


def test_ten_thousand_synthetic_articles_give_the_same_records(spark, tmp_path):
    path = tmp_path / "synth-10k.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for r in generate(10_000, seed=7):
            fh.write(json.dumps({k: r[k] for k in ("id", "text", "source", "date")}) + "\n")
    want, got = _both([path], ReuseConfig(), spark)
    assert len(want.pairs) > 100 and want.stats["documents"] == got.stats["documents"] == 10_000

    def records(results, kind):  # sorted records, compared field by field
        found = document_records(results) if kind == "documents" else (r.to_record() for r in getattr(results, kind))
        return sorted(found, key=lambda r: json.dumps(r, sort_keys=True))

    for kind in ("pairs", "passages", "clusters", "documents"):
        mine, theirs = records(got, kind), records(want, kind)
        assert len(mine) == len(theirs), kind
        for a, b in zip(mine, theirs):
            assert a.keys() == b.keys() and all(a[k] == b[k] for k in b), (kind, a, b)
