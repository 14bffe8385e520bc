"""numba kernel of the count pass's document frequencies (:func:`reuse.stages.talking.units.groups_per_key`),
imported on first use where numba is on."""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def runs_per_key(key, group, n_keys):
    """Per key ``0..n_keys-1``, the number of runs of equal ``group`` it occurs in: the number of
    distinct groups holding it when each group's elements are contiguous (one pass, no sort)."""
    out = np.zeros(n_keys, np.int64)
    last = np.full(n_keys, -1, np.int64)
    for i in range(len(key)):
        k = key[i]
        g = group[i]
        if last[k] != g:
            out[k] += 1
            last[k] = g
    return out
