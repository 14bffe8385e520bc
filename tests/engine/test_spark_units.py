"""The stored unit matrix: chunks written at their offsets by any task read back as ``Units.join`` of them."""
from __future__ import annotations

import pickle
from dataclasses import fields, replace

import numpy as np
import pytest

from reuse.config import ReuseConfig
from reuse.engine import spark_talking as talk
from reuse.engine.spark_units import StoredUnits, chunk_sizes, lay_out, unit_rows
from reuse.model import Document
from reuse.stages.talking import units as un
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_B, ARTICLE_C, ARTICLE_D


def _chunks() -> list[un.Units]:
    config = ReuseConfig()
    docs = [Document(id=f"d{k}", text=t) for k, t in enumerate([ARTICLE_A, ARTICLE_B, ARTICLE_C, ARTICLE_D, ARTICLE_A])]
    counts = un.count_batch([d.text for d in docs], [-1] * len(docs), config.paraphrase_min_words)
    model = un.merge([counts], min_docs=config.boilerplate_min_docs, background_share=config.background_share)[0]
    ranges = [np.array([[0, 5]]), np.empty((0, 2), np.int64), np.array([[2, 9], [0, 3]]), np.empty((0, 2), np.int64),
              np.array([[1, 4]])]
    return [talk.units_chunk((docs[s:e], ranges[s:e]), model, config) for s, e in ((0, 2), (2, 3), (3, 5))]


def test_chunks_written_in_any_order_read_back_as_their_join(tmp_path):
    parts = _chunks()
    stored = StoredUnits(str(tmp_path / "units"))
    offsets = stored.create([chunk_sizes(k, u) for k, u in reversed(list(enumerate(parts)))])
    stored.write([(2, parts[2]), (0, parts[0])], offsets)  # two tasks, each its own chunks
    stored.write([(1, parts[1])], offsets)
    stored.finish()
    want, got = un.Units.join(parts), stored.load()
    for f in fields(un.Units):
        x, y = getattr(want, f.name), getattr(got, f.name)
        assert x.dtype == y.dtype and np.array_equal(x, y), f.name
    assert stored.done() and stored.totals() == {"docs": 5, "rows": len(want.words), "entries": len(want.terms),
                                                 "claims": len(want.claim_words)}


def test_chunks_of_different_widths_stored_at_the_widest(tmp_path):
    """A chunk whose positions or spans need more bits than the first chunk's keeps its values."""
    parts = _chunks()
    parts[1] = replace(parts[1], pos=parts[1].pos.astype(np.int32) + 70_000,
                       chars=parts[1].chars.astype(np.int64) + 2**32)
    assert parts[0].pos.dtype == np.uint16 and parts[0].chars.dtype == np.int32
    stored = StoredUnits(str(tmp_path / "units"))
    offsets = stored.create([chunk_sizes(k, u) for k, u in enumerate(parts)])
    stored.write(list(enumerate(parts)), offsets)
    stored.finish()
    want, got = un.Units.join(parts), stored.load()
    for name in ("pos", "chars"):
        x, y = getattr(want, name), getattr(got, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


@pytest.mark.spark
def test_each_chunks_sizes_stored_beside_it_lay_out_the_join_read_once(tmp_path):
    """The units stage keeps each chunk's ``chunk_sizes`` in a column of its own: the layout collects
    that column alone, and each chunk is unpickled once, by the task that writes it."""
    pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'reuse[spark]'")
    from reuse.engine.spark_support import session

    parts = _chunks()
    spark = session("local[2]", {"spark.default.parallelism": "2"})
    try:
        rows = unit_rows(spark, spark.sparkContext.parallelize(list(enumerate(parts)), 2))
        rows.write.parquet(str(tmp_path / "stage"))
        table = spark.read.parquet(str(tmp_path / "stage"))
        held = sorted((r.ord, pickle.loads(r.sizes)) for r in table.select("ord", "sizes").collect())
        assert [s for _, s in held] == [chunk_sizes(k, u) for k, u in enumerate(parts)]
        stored = lay_out(table, str(tmp_path / "units"))
    finally:
        spark.stop()
    want, got = un.Units.join(parts), stored.load()
    assert stored.done()
    for f in fields(un.Units):
        x, y = getattr(want, f.name), getattr(got, f.name)
        assert x.dtype == y.dtype and np.array_equal(x, y), f.name
