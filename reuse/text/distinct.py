"""The distinct values of an integer array with each element's index among them, without sorting it.

``np.unique(keys, return_index=True, return_inverse=True)`` sorts all the keys: on a batch of a
few hundred documents that is a sort of a hundred thousand tokens or entries to find ten thousand
distinct words or terms. With numba, :func:`distinct` looks each key up in a hash table instead
and sorts only the distinct ones; its numpy twin sorts as ``np.unique`` does. Both give the same
arrays (but see ``first``).
"""
from __future__ import annotations

import numpy as np

from reuse.jit import ENABLED


def distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(uniq, first, inverse)``: the distinct ``keys`` ascending, the index of an occurrence of each
    (the first where numba is on, *some* occurrence otherwise: equal keys are one value), and each
    key's index in ``uniq``. Keys are non-negative integers or uint64 (compared as uint64)."""
    keys = np.ascontiguousarray(keys)
    n = len(keys)
    if n == 0:
        return keys.copy(), np.empty(0, np.int64), np.empty(0, np.int64)
    if not ENABLED:
        return _distinct_numpy(keys)
    from reuse.text.distinct_kernel import first_seen

    as_u64 = keys.view(np.uint64) if keys.dtype.itemsize == 8 else keys.astype(np.uint64)
    found, first, code = np.empty(n, np.uint64), np.empty(n, np.int64), np.empty(n, np.int64)
    bits = max(10, (n // 4).bit_length())  # a table of about n/4 to n/2 slots, larger only when needed
    while (m := first_seen(as_u64, bits, found, first, code)) < 0:
        bits += 1
    order = np.argsort(found[:m])
    rank = np.empty(m, np.int64)
    rank[order] = np.arange(m)
    return keys[first[:m][order]], first[:m][order], rank[code]


def _distinct_numpy(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`distinct` by sorting (an unstable sort: the index is of some occurrence, at half the
    cost of the stable sort a first occurrence needs)."""
    perm = np.argsort(keys.view(np.uint64) if keys.dtype.itemsize == 8 else keys)
    s = keys[perm]
    new = np.empty(len(s), dtype=bool)
    new[:1] = True
    np.not_equal(s[1:], s[:-1], out=new[1:])
    inv = np.empty(len(s), dtype=np.int64)
    inv[perm] = np.cumsum(new) - 1
    return s[new], perm[new], inv
