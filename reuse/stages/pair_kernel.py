"""numba kernels of :func:`reuse.stages.pair.shared_counts` and :func:`reuse.stages.pair.cosines_and_terms`:
a chunk's pairs in one call each.

Imported only when a chunk is first scored. They count and sum what the numpy twins do pair by pair
with :func:`reuse.stages.candidates.common_sorted` and :func:`reuse.stages.score.cosine_and_terms`
(tested, to the last bit).
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


@numba.njit(cache=True)
def _block_sum(a, lo, n):
    """numpy's sum of at most 128 values: a plain loop under 8, else eight running sums."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r = a[lo : lo + 8].copy()
    i = 8
    while i < n - (n % 8):
        for j in range(8):
            r[j] += a[lo + i + j]
        i += 8
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@numba.njit(cache=True)
def pairwise_sum(a, lo, n):
    """``a[lo:lo + n].sum()`` to the last bit: numpy's pairwise summation of a contiguous float64
    array (blocks of at most 128 values, halves above, each half a multiple of 8), walked with a
    stack of its own: a recursive kernel crashes when numba loads it from its cache."""
    if n <= 128:
        return _block_sum(a, lo, n)
    at = np.empty(64, np.int64)  # each frame: its values' start and count, its stage, its left half's sum
    count = np.empty(64, np.int64)
    stage = np.zeros(64, np.int64)
    left = np.empty(64, np.float64)
    at[0], count[0], stage[0] = lo, n, 0
    d = 0
    while True:
        if count[d] > 128:  # a split: its left half first
            half = count[d] // 2
            half -= half % 8
            stage[d] = 1
            at[d + 1], count[d + 1], stage[d + 1] = at[d], half, 0
            d += 1
            continue
        val = _block_sum(a, at[d], count[d])
        d -= 1
        while d >= 0 and stage[d] == 2:  # right halves done: their frames sum up
            val = left[d] + val
            d -= 1
        if d < 0:
            return val
        left[d], stage[d] = val, 2  # a left half done: the right half next
        half = count[d] // 2
        half -= half % 8
        at[d + 1], count[d + 1], stage[d + 1] = at[d] + half, count[d] - half, 0
        d += 1


@numba.njit(cache=True)
def cosines_and_terms(ids, weights, offsets, left, right, n_top):
    """Per pair ``p``, the cosine of term vectors ``left[p]`` and ``right[p]`` (each one's sorted ids
    and weights: ``ids[offsets[d]:offsets[d + 1]]``) and the entries of ``left[p]``'s vector holding
    the ``n_top`` shared terms contributing most (ties to the smaller id; -1 past the last), as
    :func:`reuse.stages.score.cosine_and_terms` computes them: the products in id order, summed as
    numpy sums them."""
    cos = np.zeros(len(left), np.float64)
    top = np.full((len(left), n_top), -1, np.int64)
    width = 0
    for d in range(len(offsets) - 1):
        width = max(width, offsets[d + 1] - offsets[d])
    prod = np.empty(width, np.float64)
    at = np.empty(width, np.int64)
    best = np.empty(n_top, np.float64)
    for p in range(len(left)):
        x, x_end = offsets[left[p]], offsets[left[p] + 1]
        y, y_end = offsets[right[p]], offsets[right[p] + 1]
        m = 0
        while x < x_end and y < y_end:
            if ids[x] < ids[y]:
                x += 1
            elif ids[y] < ids[x]:
                y += 1
            else:
                prod[m] = weights[x] * weights[y]
                at[m] = x - offsets[left[p]]
                m += 1
                x += 1
                y += 1
        cos[p] = pairwise_sum(prod, 0, m)
        kept = 0
        for k in range(m):  # insertion into the top list: an equal product stays behind the earlier one
            v = prod[k]
            if kept == n_top and (n_top == 0 or not v > best[n_top - 1]):
                continue
            pos = kept if kept < n_top else n_top - 1
            while pos > 0 and best[pos - 1] < v:
                if pos < n_top:
                    best[pos] = best[pos - 1]
                    top[p, pos] = top[p, pos - 1]
                pos -= 1
            best[pos] = v
            top[p, pos] = at[k]
            if kept < n_top:
                kept += 1
    return cos, top
