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


@numba.njit(cache=True)
def _range_sum(indptr, indices, data, first, last, out):
    """``np.bincount`` of rows ``first..last`` of CSR arrays into ``out``: the same adds in the same order."""
    for e in range(indptr[first], indptr[last + 1]):
        out[indices[e]] += data[e]


@numba.njit(cache=True)
def fragment_cosine(a_rows, b_rows, a0, a1, b0, b1, va, vb):
    """``seed.fragment_similarity``: cosine of the summed rows ``a0..a1`` and ``b0..b1``.

    ``a_rows``/``b_rows``: ``(indptr, indices, data)``; ``va``/``vb``: scratch of the pair's width.
    The dense sums are bincount's, and the products BLAS's ``ddot`` as numpy's ``dot`` and
    ``linalg.norm`` take them, so the cosine is the twin's to the last bit (tested).
    """
    va[:] = 0.0
    vb[:] = 0.0
    _range_sum(a_rows[0], a_rows[1], a_rows[2], a0, a1, va)
    _range_sum(b_rows[0], b_rows[1], b_rows[2], b0, b1, vb)
    na = np.sqrt(np.dot(va, va))
    nb = np.sqrt(np.dot(vb, vb))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return np.dot(va, vb) / (na * nb)


@numba.njit(cache=True)
def extend_groups(seeds, gap_a, gap_b, min_gap, min_similarity, a_rows, b_rows, width):
    """``extend.extend`` with the fragment cosine above: ``(seeds, bounds, ranges, similarity)`` of the
    validated clusters in the twin's order before its final sort (cluster ``k`` is
    ``seeds[bounds[k, 0]:bounds[k, 1]]``, its unit ranges ``ranges[k]``)."""
    va = np.zeros(max(width, 1))[:width]
    vb = np.zeros(max(width, 1))[:width]
    todo = []
    order, bounds, ranges = split_groups(seeds, gap_a, gap_b)
    s = seeds[order]
    for k in range(len(bounds)):
        todo.append((s[bounds[k, 0] : bounds[k, 1]].copy(), ranges[k].copy(), gap_a, gap_b))
    kept = []
    sims = []
    while len(todo):
        group, r, ga, gb = todo.pop()
        sim = fragment_cosine(a_rows, b_rows, r[0], r[1], r[2], r[3], va, vb)
        if sim >= min_similarity:
            kept.append((group, r))
            sims.append(sim)
        elif max(ga, gb) > min_gap and len(group) > 1:
            na, nb = max(min_gap, ga - 1), max(min_gap, gb - 1)
            order, bounds, ranges = split_groups(group, na, nb)
            s = group[order]
            for k in range(len(bounds)):
                todo.append((s[bounds[k, 0] : bounds[k, 1]].copy(), ranges[k].copy(), na, nb))
    total = 0
    for group, _ in kept:
        total += len(group)
    out_seeds = np.empty((total, 2), np.int64)
    out_bounds = np.empty((len(kept), 2), np.int64)
    out_ranges = np.empty((len(kept), 4), np.int64)
    out_sim = np.empty(len(kept), np.float64)
    at = 0
    for k in range(len(kept)):
        group, r = kept[k]
        out_seeds[at : at + len(group)] = group
        out_bounds[k, 0], out_bounds[k, 1] = at, at + len(group)
        out_ranges[k] = r
        out_sim[k] = sims[k]
        at += len(group)
    return out_seeds, out_bounds, out_ranges, out_sim


@numba.njit(cache=True)
def _add_row(rows, u, sign, v):
    """``v += sign * row u`` over the row's entries only (the dense row is zero elsewhere: same bits)."""
    indptr, indices, data = rows
    for e in range(indptr[u], indptr[u + 1]):
        if sign > 0:
            v[indices[e]] += data[e]
        else:
            v[indices[e]] -= data[e]


@numba.njit(cache=True)
def _cosine(x, y):
    """``extend._cosine``: BLAS's ``ddot`` as numpy's ``dot`` and ``linalg.norm`` take it."""
    nx = np.sqrt(np.dot(x, x))
    ny = np.sqrt(np.dot(y, y))
    return np.dot(x, y) / (nx * ny) if nx != 0.0 and ny != 0.0 else 0.0


@numba.njit(cache=True)
def _moved(rows, u, sign, v, tmp):
    """``v + sign * row u`` in ``tmp`` (returned)."""
    tmp[:] = v
    _add_row(rows, u, sign, tmp)
    return tmp


@numba.njit(cache=True)
def _pick(c, code, value, move):
    """The better of the option so far ``(value, move)`` and ``(c, code)``: the larger cosine, and on a
    tie the larger code, as the twins' ``max`` over ``(cosine, name)`` tuples picks (names coded alphabetically)."""
    if c > value or (c == value and move < code):
        return c, code
    return value, move


@numba.njit(cache=True)
def grow_trim(a0, a1, b0, b1, a_rows, b_rows, n_a, n_b, width, grow_steps, grow_min_gain, trim_a, trim_b, trim_min_gain):
    """``extend.grow`` (when ``grow_steps`` >= 0) then ``extend.trim`` of one passage's unit ranges,
    over the pair's tf-isf rows: ``(a0, a1, b0, b1, similarity)``.

    Each step takes the best move as the twins' ``max`` does (:func:`_pick`).
    """
    va = np.zeros(max(width, 1))[:width]
    vb = np.zeros(max(width, 1))[:width]
    tmp = np.zeros(max(width, 1))[:width]
    for u in range(a0, a1 + 1):
        _add_row(a_rows, u, 1, va)
    for u in range(b0, b1 + 1):
        _add_row(b_rows, u, 1, vb)
    if grow_steps >= 0:
        best = _cosine(va, vb)
        for _ in range(grow_steps):
            value, move = -np.inf, -1  # moves: 0 a_hi, 1 a_lo, 2 b_hi, 3 b_lo (alphabetical)
            if a0 > 0:
                value, move = _pick(_cosine(_moved(a_rows, a0 - 1, 1, va, tmp), vb), 1, value, move)
            if a1 + 1 < n_a:
                value, move = _pick(_cosine(_moved(a_rows, a1 + 1, 1, va, tmp), vb), 0, value, move)
            if b0 > 0:
                value, move = _pick(_cosine(va, _moved(b_rows, b0 - 1, 1, vb, tmp)), 3, value, move)
            if b1 + 1 < n_b:
                value, move = _pick(_cosine(va, _moved(b_rows, b1 + 1, 1, vb, tmp)), 2, value, move)
            if move < 0 or value <= best + grow_min_gain:
                break
            best = value
            if move == 1:
                a0 -= 1
                _add_row(a_rows, a0, 1, va)
            elif move == 0:
                a1 += 1
                _add_row(a_rows, a1, 1, va)
            elif move == 3:
                b0 -= 1
                _add_row(b_rows, b0, 1, vb)
            else:
                b1 += 1
                _add_row(b_rows, b1, 1, vb)
        # trim sums the rows afresh (``rows.sum(axis=0)``: row after row, as here)
        va[:] = 0.0
        vb[:] = 0.0
        for u in range(a0, a1 + 1):
            _add_row(a_rows, u, 1, va)
        for u in range(b0, b1 + 1):
            _add_row(b_rows, u, 1, vb)
    best = _cosine(va, vb)
    while True:
        value, move = -np.inf, -1
        if trim_a and a1 > a0:
            value, move = _pick(_cosine(_moved(a_rows, a0, -1, va, tmp), vb), 1, value, move)
            value, move = _pick(_cosine(_moved(a_rows, a1, -1, va, tmp), vb), 0, value, move)
        if trim_b and b1 > b0:
            value, move = _pick(_cosine(va, _moved(b_rows, b0, -1, vb, tmp)), 3, value, move)
            value, move = _pick(_cosine(va, _moved(b_rows, b1, -1, vb, tmp)), 2, value, move)
        if move < 0 or value <= best + trim_min_gain:
            break
        best = value
        if move == 1:
            _add_row(a_rows, a0, -1, va)
            a0 += 1
        elif move == 0:
            _add_row(a_rows, a1, -1, va)
            a1 -= 1
        elif move == 3:
            _add_row(b_rows, b0, -1, vb)
            b0 += 1
        else:
            _add_row(b_rows, b1, -1, vb)
            b1 -= 1
    return a0, a1, b0, b1, best
