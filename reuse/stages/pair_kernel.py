"""numba kernel of :func:`reuse.stages.pair.shared_counts`: a chunk's pairs in one call.

Imported only when a chunk is first scored. It counts what the numpy twin counts with
:func:`reuse.stages.candidates.common_sorted`, pair by pair (tested).
"""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def shared_counts(values, offsets, left, right):
    """Values shared by documents ``left[p]`` and ``right[p]`` (each one's sorted distinct values:
    ``values[offsets[d]:offsets[d + 1]]``), by merging the two."""
    out = np.empty(len(left), np.int64)
    for p in range(len(left)):
        x, x_end = offsets[left[p]], offsets[left[p] + 1]
        y, y_end = offsets[right[p]], offsets[right[p] + 1]
        n = 0
        while x < x_end and y < y_end:
            if values[x] < values[y]:
                x += 1
            elif values[y] < values[x]:
                y += 1
            else:
                n += 1
                x += 1
                y += 1
        out[p] = n
    return out
