"""Numbers and arrays as SQLite values, without pickle.

SQLite integers are signed 64-bit, band keys are unsigned 64-bit: we store the same 64 bits
reinterpreted as int64 (a bijection, so equality lookups stay exact). Arrays become bytes of an
explicit little-endian dtype, readable from any language.
"""
from __future__ import annotations

import numpy as np

SIG_DTYPE = np.dtype("<u4")
"""MinHash signatures: uint32, little-endian (datasketch ``hashvalues`` for ``affine32``)."""


def keys_to_sql(keys: np.ndarray) -> np.ndarray:
    """uint64 keys as the int64 values SQLite stores (same bits, no overflow)."""
    return np.ascontiguousarray(keys, dtype=np.uint64).view(np.int64)


def sig_to_blob(sig: np.ndarray) -> bytes:
    return np.ascontiguousarray(sig, dtype=SIG_DTYPE).tobytes()


def blob_to_sig(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=SIG_DTYPE).astype(np.uint32)
