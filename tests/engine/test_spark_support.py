"""The Spark engine's helpers that need no session: values stored in the work folder."""
from __future__ import annotations

import os
import pickle

from reuse.engine.spark_support import StoredValue


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
