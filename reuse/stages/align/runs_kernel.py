"""numba kernels of :mod:`reuse.stages.align.runs` and :mod:`reuse.stages.align.cascade`.

Imported only when a pair is first aligned (numba's import and compilation are not paid by
``reuse --help``). Each kernel mirrors a reference function there step for step, so both give the
same arrays (tested); comments name the reference.
"""
from __future__ import annotations

import numba
import numpy as np

from reuse.text.shingle import shingles_kernel

# ruff: noqa: ANN001, ANN201, ANN202 - numba kernels take and return arrays


@numba.njit(cache=True)
def _matches(ha, hb, max_occ):
    """``seed_matches``: all (i, j) with equal hashes, occurring at most ``max_occ`` times a side.

    An open-addressing table keyed by hash holds each side's count and B's positions as a linked
    list in ascending order, so the pairs come out sorted by (i, j) with no sort.
    """
    na, nb = len(ha), len(hb)
    if na == 0 or nb == 0:
        return np.empty((0, 2), np.int64)
    size = 1
    while size < 2 * na:  # only A's hashes are stored (B's are looked up): at most half full
        size *= 2
    mask = np.uint64(size - 1)
    keys = np.empty(size, np.uint64)
    used = np.zeros(size, np.bool_)
    count_a = np.zeros(size, np.int64)
    count_b = np.zeros(size, np.int64)
    head_b = np.full(size, -1, np.int64)
    next_b = np.empty(nb, np.int64)
    slot_a = np.empty(na, np.int64)
    for i in range(na):
        h = ha[i]
        s = np.int64(h & mask)
        while used[s] and keys[s] != h:
            s = (s + 1) & (size - 1)
        if not used[s]:
            used[s] = True
            keys[s] = h
        count_a[s] += 1
        slot_a[i] = s
    for j in range(nb - 1, -1, -1):  # pushed front in reverse: lists ascend
        h = hb[j]
        s = np.int64(h & mask)
        while used[s] and keys[s] != h:
            s = (s + 1) & (size - 1)
        if not used[s]:
            continue  # not in A: no match
        count_b[s] += 1
        next_b[j] = head_b[s]
        head_b[s] = j
    total = 0
    for i in range(na):
        s = slot_a[i]
        if count_b[s] and count_a[s] <= max_occ and count_b[s] <= max_occ:
            total += count_b[s]
    out = np.empty((total, 2), np.int64)
    t = 0
    for i in range(na):
        s = slot_a[i]
        if count_b[s] and count_a[s] <= max_occ and count_b[s] <= max_occ:
            j = head_b[s]
            while j >= 0:
                out[t, 0] = i
                out[t, 1] = j
                t += 1
                j = next_b[j]
    return out


@numba.njit(cache=True)
def _runs(a_ids, b_ids, m, k):
    """``exact_runs``: seeds grouped by diagonal, extended to maximal runs, sorted, distinct."""
    n = len(m)
    na, nb = len(a_ids), len(b_ids)
    if n == 0:
        return np.empty((0, 4), np.int64)
    key = (m[:, 1] - m[:, 0] + np.int64(na)) * np.int64(na + 1) + m[:, 0]
    order = np.argsort(key)
    raw = np.empty((n, 4), np.int64)
    r = 0
    s = 0
    while s < n:
        e = s
        while e + 1 < n and key[order[e + 1]] == key[order[e]] + 1:  # same diagonal, next position
            e += 1
        i0, j0 = m[order[s], 0], m[order[s], 1]
        i1, j1 = m[order[e], 0] + k - 1, m[order[e], 1] + k - 1
        while i0 > 0 and j0 > 0 and a_ids[i0 - 1] == b_ids[j0 - 1]:
            i0 -= 1
            j0 -= 1
        while i1 + 1 < na and j1 + 1 < nb and a_ids[i1 + 1] == b_ids[j1 + 1]:
            i1 += 1
            j1 += 1
        raw[r, 0], raw[r, 1], raw[r, 2], raw[r, 3] = i0, i1, j0, j1
        r += 1
        s = e + 1
    raw = raw[:r]
    order = np.argsort(raw[:, 0] * np.int64(nb + 1) + raw[:, 2])
    out = np.empty((r, 4), np.int64)
    c = 0
    for t in range(r):
        row = raw[order[t]]
        # A run is maximal on its diagonal, so its start names it: equal starts are one run.
        if c and out[c - 1, 0] == row[0] and out[c - 1, 2] == row[2]:
            continue
        out[c] = row
        c += 1
    return out[:c]


@numba.njit(cache=True)
def _chain(runs, max_gap, overlap, min_words, nb):
    """``chain_runs`` + matched-word filter + ``drop_contained``: spans and their similarity."""
    r = len(runs)
    al = np.empty((r, 4), np.int64)
    owner = np.empty(r, np.int64)
    n_al = 0
    for t in range(r):
        best, best_gap = -1, 0
        for x in range(n_al):
            ga = runs[t, 0] - al[x, 1] - 1
            gb = runs[t, 2] - al[x, 3] - 1
            if -overlap <= ga <= max_gap and -overlap <= gb <= max_gap:
                gap = max(ga, 0) + max(gb, 0)
                if best < 0 or gap < best_gap:
                    best, best_gap = x, gap
        if best < 0:
            al[n_al] = runs[t]
            best = n_al
            n_al += 1
        else:
            al[best, 1] = max(al[best, 1], runs[t, 1])
            al[best, 3] = max(al[best, 3], runs[t, 3])
        owner[t] = best
    # Distinct matched words a side: the union of the alignment's run intervals.
    ma = np.zeros(n_al, np.int64)
    mb = np.zeros(n_al, np.int64)
    for side in range(2):
        lo, hi = 2 * side, 2 * side + 1
        order = np.argsort(owner * np.int64(nb + 1 if side else 1 << 40) + runs[:, lo], kind="mergesort")
        cur, end = -1, -1
        for t in order:
            x = owner[t]
            if x != cur:
                cur, end = x, -1
            a0, a1 = runs[t, lo], runs[t, hi]
            add = a1 - max(a0, end + 1) + 1
            if add > 0:
                if side:
                    mb[x] += add
                else:
                    ma[x] += add
            end = max(end, a1)
    ok = np.flatnonzero(np.minimum(ma, mb) >= min_words)
    words = (al[ok, 1] - al[ok, 0] + 1) + (al[ok, 3] - al[ok, 2] + 1)
    by_size = ok[np.argsort(-words, kind="mergesort")]
    kept = np.empty(len(ok), np.int64)
    n_kept = 0
    for x in by_size:
        inside = False
        for y in kept[:n_kept]:
            if al[y, 0] <= al[x, 0] and al[x, 1] <= al[y, 1] and al[y, 2] <= al[x, 2] and al[x, 3] <= al[y, 3]:
                inside = True
                break
        if not inside:
            kept[n_kept] = x
            n_kept += 1
    kept = kept[:n_kept]
    kept = kept[np.argsort(al[kept, 0] * np.int64(nb + 1) + al[kept, 2], kind="mergesort")]
    spans = al[kept].copy()
    sim = np.empty(n_kept, np.float64)
    for t in range(n_kept):
        x = kept[t]
        sim[t] = (ma[x] + mb[x]) / ((al[x, 1] - al[x, 0] + 1) + (al[x, 3] - al[x, 2] + 1))
    return spans, sim


@numba.njit(cache=True)
def evidence(a_ids, b_ids, ha, hb, k, max_occ, max_gap, min_words):
    """Seeds, runs and chained spans of one pair (:func:`reuse.stages.align.runs.word_evidence`)."""
    matches = _matches(ha, hb, max_occ)
    runs = _runs(a_ids, b_ids, matches, k)
    spans, sim = _chain(runs, max_gap, k, min_words, len(b_ids))
    return matches, runs, spans, sim


@numba.njit(cache=True)
def _shingles(ids, k):
    """``shingle_hashes(ids, k)``, inside a kernel."""
    n = max(len(ids) - k + 1, 0)
    return shingles_kernel(ids, np.array([0, len(ids)], np.int64), np.array([0, n], np.int64), k, n)


@numba.njit(cache=True)
def evidence_of_ids(a_ids, b_ids, k, max_occ, max_gap, min_words):
    """:func:`evidence` of two token-id arrays, their k-word shingles hashed here (no call per array)."""
    return evidence(a_ids, b_ids, _shingles(a_ids, k), _shingles(b_ids, k), k, max_occ, max_gap, min_words)


@numba.njit(cache=True)
def _distinct(rows, terms, width):
    """(row, term) entries as distinct keys with counts (``seed._counts``), rows ascending as given,
    each row's terms in order of first occurrence: a scratch table by term, no sort."""
    n = len(rows)
    at = np.full(width, -1, np.int64)  # where the term's entry of the current row is
    out_r = np.empty(n, np.int64)
    out_t = np.empty(n, np.int64)
    out_c = np.empty(n, np.float64)
    c = 0
    row_start = 0
    for t in range(n):
        if t and rows[t] != rows[t - 1]:
            row_start = c
        k = at[terms[t]]
        if k >= row_start:
            out_c[k] += 1.0
            continue
        at[terms[t]] = c
        out_r[c], out_t[c], out_c[c] = rows[t], terms[t], 1.0
        c += 1
    return out_r[:c], out_t[:c], out_c[:c]


@numba.njit(cache=True)
def _first_sight(gid_a, gid_b, slots):
    """Each global term id of ``gid_a`` then ``gid_b`` numbered by first sight (0, 1, ...), with
    the number of distinct terms: a pair's columns without sorting its ids. ``slots`` is scratch
    of -1s over the process-wide term ids, left as found."""
    local_a = np.empty(len(gid_a), np.int64)
    local_b = np.empty(len(gid_b), np.int64)
    width = 0
    for x in range(len(gid_a)):
        if slots[gid_a[x]] < 0:
            slots[gid_a[x]] = width
            width += 1
        local_a[x] = slots[gid_a[x]]
    for x in range(len(gid_b)):
        if slots[gid_b[x]] < 0:
            slots[gid_b[x]] = width
            width += 1
        local_b[x] = slots[gid_b[x]]
    for x in range(len(gid_a)):
        slots[gid_a[x]] = -1
    for x in range(len(gid_b)):
        slots[gid_b[x]] = -1
    return local_a, local_b, width


@numba.njit(cache=True)
def pair_rows(rows_a, ids_a, gids_a, rows_b, ids_b, gids_b, slots):
    """Per-unit term counts of a pair over the pair's columns (``seed.raw_rows``): A's vocabulary
    in order, then B's new terms in order (``seed._pair_columns``), each unit's terms in order of
    first occurrence. Returns ``(rows_a, cols_a, counts_a, rows_b, cols_b, counts_b, width)``."""
    _, cols_b, width = _first_sight(gids_a, gids_b, slots)  # A's vocabulary is distinct: its columns are 0..len-1
    ra, ka, ca = _distinct(rows_a, ids_a, max(width, 1))
    rb, kb, cb = _distinct(rows_b, cols_b[ids_b], max(width, 1))
    return ra, ka, ca, rb, kb, cb, width


@numba.njit(cache=True)
def _sort_small(x, n):
    """Sort ``x[:n]`` in place: by insertion when short (``np.sort`` allocates; one call per unit)."""
    if n > 32:
        x[:n] = np.sort(x[:n])
        return
    for i in range(1, n):
        v = x[i]
        k = i - 1
        while k >= 0 and x[k] > v:
            x[k + 1] = x[k]
            k -= 1
        x[k + 1] = v


@numba.njit(cache=True)
def unit_pairs(rows_a, gid_a, n_a, rows_b, gid_b, n_b, min_cosine, slots):
    """tf-isf cosine and Dice of every pair of sentence units sharing a term (``seed.pair_space``).

    Returns ``(u, v, cosine, dice)`` for the pairs whose cosine exceeds ``min_cosine``. The same
    weights as the aligner's pair space (isf over both documents' units), summed in another order.
    ``slots``: scratch of -1s over the process-wide term ids, left as found (numbering the pair's
    terms by first sight rather than by sorting them).
    """
    local_a, local_b, width = _first_sight(gid_a, gid_b, slots)
    width = max(width, 1)
    ra, ta, ca = _distinct(rows_a, local_a, width)
    rb, tb, cb = _distinct(rows_b, local_b, width)
    df = np.zeros(width, np.float64)
    for t in ta:
        df[t] += 1.0
    for t in tb:
        df[t] += 1.0
    n = max(1, n_a + n_b)
    isf = np.log(n / np.maximum(df, 1.0))
    wa = ca * isf[ta]
    wb = cb * isf[tb]
    norm_a = np.zeros(n_a, np.float64)
    size_a = np.zeros(n_a, np.float64)
    for e in range(len(ra)):
        norm_a[ra[e]] += wa[e] * wa[e]
        size_a[ra[e]] += 1.0
    norm_b = np.zeros(n_b, np.float64)
    size_b = np.zeros(n_b, np.float64)
    for e in range(len(rb)):
        norm_b[rb[e]] += wb[e] * wb[e]
        size_b[rb[e]] += 1.0
    norm_a = np.sqrt(norm_a)
    norm_b = np.sqrt(norm_b)
    norm_a[norm_a == 0] = 1.0
    norm_b[norm_b == 0] = 1.0
    # B's entries grouped by term: the postings each A entry walks.
    start = np.zeros(width + 1, np.int64)
    for t in tb:
        start[t + 1] += 1
    start = np.cumsum(start)
    fill = start[:-1].copy()
    post = np.empty(len(tb), np.int64)
    for e in range(len(tb)):
        post[fill[tb[e]]] = e
        fill[tb[e]] += 1
    dot = np.zeros(n_b, np.float64)
    shared = np.zeros(n_b, np.float64)
    touched = np.empty(n_b, np.int64)
    cap = 64
    out_u = np.empty(cap, np.int64)
    out_v = np.empty(cap, np.int64)
    out_c = np.empty(cap, np.float64)
    out_d = np.empty(cap, np.float64)
    n_out = 0
    e = 0
    while e < len(ra):
        u = ra[e]
        n_touched = 0
        while e < len(ra) and ra[e] == u:
            t = ta[e]
            for p in range(start[t], start[t + 1]):
                v = rb[post[p]]
                if shared[v] == 0.0:
                    touched[n_touched] = v
                    n_touched += 1
                dot[v] += wa[e] * wb[post[p]]
                shared[v] += 1.0
            e += 1
        _sort_small(touched, n_touched)  # pairs come out sorted by (u, v)
        for x in range(n_touched):
            v = touched[x]
            cos = dot[v] / (norm_a[u] * norm_b[v])
            if cos > min_cosine:
                if n_out == cap:  # grow the outputs by doubling
                    cap *= 2
                    out_u = np.concatenate((out_u, np.empty(cap - n_out, np.int64)))
                    out_v = np.concatenate((out_v, np.empty(cap - n_out, np.int64)))
                    out_c = np.concatenate((out_c, np.empty(cap - n_out, np.float64)))
                    out_d = np.concatenate((out_d, np.empty(cap - n_out, np.float64)))
                out_u[n_out], out_v[n_out], out_c[n_out] = u, v, cos
                out_d[n_out] = 2.0 * shared[v] / max(size_a[u] + size_b[v], 1.0)
                n_out += 1
            dot[v] = 0.0
            shared[v] = 0.0
    return out_u[:n_out], out_v[:n_out], out_c[:n_out], out_d[:n_out]
