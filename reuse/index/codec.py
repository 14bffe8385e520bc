"""Keys as SQLite values, without pickle.

SQLite integers are signed 64-bit, band keys, anchors and token ids are unsigned 64-bit: we store
the same 64 bits reinterpreted as int64 (a bijection, so equality lookups stay exact).
"""
from __future__ import annotations

import numpy as np


def keys_to_sql(keys: np.ndarray) -> np.ndarray:
    """uint64 keys as the int64 values SQLite stores (same bits, no overflow)."""
    return np.ascontiguousarray(keys, dtype=np.uint64).view(np.int64)


def keys_from_sql(values: list[int]) -> np.ndarray:
    """The uint64 keys of int64 values read back from SQLite."""
    return np.array(values, dtype=np.int64).view(np.uint64)
