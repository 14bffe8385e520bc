"""The Spark engine's helpers: values stored in the work folder, results tables read back as streams."""
from __future__ import annotations

import os
import pickle
import random
import string

import pytest

from reuse.engine.spark_support import StoredRecords, StoredValue


def test_a_stored_value_is_read_from_its_file_and_again_when_the_file_is_written_again(tmp_path):
    path = tmp_path / "idf.pkl"
    path.write_bytes(pickle.dumps({"terms": [1, 2]}))
    held = StoredValue(str(path))
    assert held.value == {"terms": [1, 2]}
    assert held.value is held.value  # read once per process, as a broadcast
    assert pickle.loads(pickle.dumps(held)) == held  # a task gets the path, not the value
    path.write_bytes(pickle.dumps({"terms": [3]}))
    os.utime(path, ns=(1, 1))  # another run's value (another time stamp)
    assert held.value == {"terms": [3]}


@pytest.mark.spark
def test_results_tables_are_written_in_small_row_groups_and_read_back_in_order(tmp_path):
    pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'reuse[spark]'")
    import pyarrow.parquet as pq

    from reuse.engine.spark_support import RESULT_ROW_GROUP_BYTES, pickled_rows, save_results, session

    spark = session("local[2]", {})
    rng = random.Random(3)
    rows = [(k, "".join(rng.choices(string.ascii_letters, k=4096))) for k in range(4000)]  # 16 MB, incompressible
    save_results(pickled_rows(spark, spark.sparkContext.parallelize(rows, 1)), tmp_path / "t")
    held = StoredRecords(tmp_path / "t")
    meta = pq.ParquetFile(held.files[0]).metadata
    assert meta.num_row_groups > 2
    assert max(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups)) < 2 * RESULT_ROW_GROUP_BYTES
    assert list(held) == [text for _, text in rows] and len(held) == len(rows)
