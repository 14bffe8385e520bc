"""numba kernel of :func:`reuse.stages.align.extend.cluster_seeds`: the recursive split in one call.

Imported only when seeds are first clustered. The split is called for every sentence-level pair,
hundreds of thousands of times on a real corpus, mostly on a handful of seeds, where numpy's per-call
overhead was most of the cost. It makes the same groups as the numpy twin (``extend._split_groups``):
a split along one side cuts the seeds sorted by that side wherever two neighbours lie more than the
gap apart, so the groups depend only on the seeds' values, never on their order (tested).
"""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def split_groups(seeds, gap_a, gap_b):
    """``(order, bounds, ranges)``: group ``k`` is ``seeds[order[bounds[k, 0]:bounds[k, 1]]]``, and
    ``ranges[k]`` its first and last unit on side a, then on side b."""
    m = seeds.shape[0]
    order = np.arange(m)
    # a stack of segments of ``order`` still to split: (lo, hi, side, split before); at most one per seed
    st = np.empty((m + 1, 4), np.int64)
    st[0, 0], st[0, 1], st[0, 2], st[0, 3] = 0, m, 1, 0
    top = 1
    bounds = np.empty((m, 2), np.int64)
    n_done = 0
    cuts = np.empty(m + 1, np.int64)
    while top > 0:
        top -= 1
        lo, hi, side, before = st[top, 0], st[top, 1], st[top, 2], st[top, 3]
        n_cuts = 0
        if hi - lo >= 2:
            seg = order[lo:hi]
            keys = seeds[seg, side]
            o = np.argsort(keys, kind="mergesort")  # stable, as the twin's
            order[lo:hi] = seg[o]
            gap = gap_b if side == 1 else gap_a
            for t in range(lo + 1, hi):
                if seeds[order[t], side] - seeds[order[t - 1], side] > gap:
                    cuts[n_cuts] = t
                    n_cuts += 1
        if n_cuts == 0 and before == 1:
            bounds[n_done, 0], bounds[n_done, 1] = lo, hi
            n_done += 1
            continue
        start = lo
        for c in range(n_cuts + 1):
            end = cuts[c] if c < n_cuts else hi
            st[top, 0], st[top, 1], st[top, 2], st[top, 3] = start, end, 1 - side, 1
            top += 1
            start = end
    ranges = np.empty((n_done, 4), np.int64)
    for k in range(n_done):
        lo, hi = bounds[k, 0], bounds[k, 1]
        a0 = a1 = seeds[order[lo], 0]
        b0 = b1 = seeds[order[lo], 1]
        for t in range(lo + 1, hi):
            a, b = seeds[order[t], 0], seeds[order[t], 1]
            a0, a1, b0, b1 = min(a0, a), max(a1, a), min(b0, b), max(b1, b)
        ranges[k, 0], ranges[k, 1], ranges[k, 2], ranges[k, 3] = a0, a1, b0, b1
    return order, bounds[:n_done], ranges
