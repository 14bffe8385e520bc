"""numba kernel of :func:`reuse.text.distinct.distinct` (imported on first use, where numba is on)."""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True)
def first_seen(keys, bits, found, first, code):
    """The distinct ``keys`` (uint64) in order of first occurrence: each new one's key to ``found``
    and its position to ``first``, and per key its number among them to ``code``; returns how many,
    or -1 once more than half of the ``2**bits`` slots of the table would be taken (a larger one is
    needed). An open-addressing table: a look-up per key, no sort."""
    size = 1 << bits
    mask = size - 1
    slots = np.full(size, -1, np.int64)
    shift = np.uint64(64 - bits)
    m = 0
    for i in range(len(keys)):
        x = keys[i]
        h = np.int64((x * _GOLDEN) >> shift)
        while slots[h] >= 0 and found[slots[h]] != x:
            h = (h + 1) & mask
        if slots[h] < 0:
            if 2 * (m + 1) > size:
                return -1
            slots[h] = m
            found[m] = x
            first[m] = i
            m += 1
        code[i] = slots[h]
    return m
