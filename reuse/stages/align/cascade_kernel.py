"""numba kernels of the aligner's cascade test (:mod:`reuse.stages.align.cascade`) and of the copy
seeds it reads (:func:`reuse.stages.align.seed.copy_seeds`).

Every pair that shares a copy runs them, and their numpy twins are chains of a dozen small array
calls each, whose overhead was most of their cost on a pair of news articles. Each kernel mirrors its
twin step for step and gives the same answer (tested); comments name the twin's steps.
"""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201, ANN202 - numba kernels take and return arrays


@numba.njit(cache=True)
def copy_seeds(matches, unit_a, unit_b, min_shared):
    """``seed.copy_seeds``: the unit pairs holding ``min_shared`` matches, sorted by ``(u, v)``."""
    m = len(matches)
    if m == 0:
        return np.empty((0, 2), np.int64)
    width = unit_b[len(unit_b) - 1] + 1
    keys = np.empty(m, np.int64)
    for t in range(m):
        keys[t] = unit_a[matches[t, 0]] * width + unit_b[matches[t, 1]]
    keys = np.sort(keys)
    out = np.empty((m, 2), np.int64)
    n = 0
    t = 0
    while t < m:
        e = t
        while e + 1 < m and keys[e + 1] == keys[t]:
            e += 1
        if e - t + 1 >= min_shared:
            out[n, 0], out[n, 1] = keys[t] // width, keys[t] % width
            n += 1
        t = e + 1
    return out[:n]


@numba.njit(cache=True)
def _apart(x0, x1, y0, y1):
    """Units between two inclusive unit ranges (0 when they touch or overlap)."""
    return max(0, max(x0 - y1, y0 - x1))


@numba.njit(cache=True)
def _explained(u, v, ranges):
    """``cascade._explained`` of one unit pair: inside one copy's unit ranges on both sides."""
    for c in range(len(ranges)):  # noqa: SIM110 - numba compiles no generator in any()
        if ranges[c, 0] <= u <= ranges[c, 1] and ranges[c, 2] <= v <= ranges[c, 3]:
            return True
    return False


@numba.njit(cache=True)
def leaves_unexplained(unit_a, unit_b, n_b, copied, copies, spans, check_reordered, u, v, cos, dice,
                       gap, para_cosine, para_dice, single):
    """``cascade.leaves_unexplained`` once the unit pairs are known (``para_cosine``, ``para_dice`` and
    ``single``: the thresholds less the twin's margin)."""
    nc = len(copies)
    ranges = np.empty((nc, 4), np.int64)  # each copy's unit range on both sides
    for c in range(nc):
        ranges[c, 0], ranges[c, 1] = unit_a[copies[c, 0]], unit_a[copies[c, 1]]
        ranges[c, 2], ranges[c, 3] = unit_b[copies[c, 2]], unit_b[copies[c, 3]]
    # _copies_adjoin
    for x in range(nc):
        for y in range(nc):
            if x != y and _apart(ranges[x, 0], ranges[x, 1], ranges[y, 0], ranges[y, 1]) <= gap \
                    and _apart(ranges[x, 2], ranges[x, 3], ranges[y, 2], ranges[y, 3]) <= gap:
                return True
    # _reordered_nearby
    ns = len(spans)
    if check_reordered and ns >= 2:
        sr = np.empty((ns, 4), np.int64)
        for s in range(ns):
            sr[s, 0], sr[s, 1] = unit_a[spans[s, 0]], unit_a[spans[s, 1]]
            sr[s, 2], sr[s, 3] = unit_b[spans[s, 2]], unit_b[spans[s, 3]]
        for x in range(ns):
            for y in range(ns):
                if not (spans[x, 1] < spans[y, 0] and spans[y, 3] < spans[x, 2]):
                    continue  # x before y in A, y before x in B: they cross
                if _apart(sr[x, 0], sr[x, 1], sr[y, 0], sr[y, 1]) <= gap \
                        and _apart(sr[x, 2], sr[x, 3], sr[y, 2], sr[y, 3]) <= gap:
                    return True
                for c in range(nc):  # both within reach of one copy
                    if _apart(ranges[c, 0], ranges[c, 1], sr[x, 0], sr[x, 1]) <= gap \
                            and _apart(ranges[c, 2], ranges[c, 3], sr[x, 2], sr[x, 3]) <= gap \
                            and _apart(ranges[c, 0], ranges[c, 1], sr[y, 0], sr[y, 1]) <= gap \
                            and _apart(ranges[c, 2], ranges[c, 3], sr[y, 2], sr[y, 3]) <= gap:
                        return True
    # paraphrase seeds no copy explains
    n_para = 0
    for k in range(len(u)):
        if cos[k] > para_cosine and dice[k] > para_dice:
            n_para += 1
            if not _explained(u[k], v[k], ranges):
                return True
    if len(copied) == 0:
        return False
    width = max(n_b, 1)
    for k in range(len(copied)):
        a, b = copied[k, 0], copied[k, 1]
        if _explained(a, b, ranges):
            continue
        # a lone copy seed: strong on its own (its unit pair's cosine; absent pairs are under the floor)
        at = np.searchsorted(u * width + v, a * width + b) if len(u) else 0
        if at < len(u) and u[at] == a and v[at] == b and cos[at] >= single:
            return True
    # a weak seed still counts beside another seed (the distinct seeds within ``gap`` on both sides)
    seeds = np.empty(len(copied) + n_para, np.int64)
    for k in range(len(copied)):
        seeds[k] = copied[k, 0] * width + copied[k, 1]
    n = len(copied)
    for k in range(len(u)):
        if cos[k] > para_cosine and dice[k] > para_dice:
            seeds[n] = u[k] * width + v[k]
            n += 1
    seeds = np.unique(seeds)
    for k in range(len(copied)):
        a, b = copied[k, 0], copied[k, 1]
        if _explained(a, b, ranges):
            continue
        near = 0
        for s in seeds:
            if abs(s // width - a) <= gap and abs(s % width - b) <= gap:
                near += 1
        if near > 1:  # itself and another
            return True
    return False
