"""numba kernel of :func:`reuse.stages.align.units.sentence_units` (after the sentence starts and terms).

Imported only when sentence units are first built. It mirrors :func:`reuse.stages.align.units._assemble`
step for step (pieces, short pieces joined to the next, vocabulary in order of first occurrence), so
both give the same arrays (tested).
"""
from __future__ import annotations

import numba
import numpy as np

from reuse.text.sentence_ends import end_positions

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def assemble(starts, gid, min_terms, max_words, slots):
    """``(first, last, term_ids, term_rows, term_gids)`` of the units (see ``units._assemble``);
    ``slots``: scratch of -1s over the term ids (:func:`reuse.stages.align.units.term_slots`), left as found."""
    n = len(gid)
    before = np.zeros(n + 1, np.int64)  # content terms before each token
    for t in range(n):
        before[t + 1] = before[t] + (1 if gid[t] >= 0 else 0)
    firsts = np.empty(n, np.int64)
    lasts = np.empty(n, np.int64)
    m = 0
    pending = -1
    for s in range(len(starts)):
        f0 = starts[s]
        l0 = starts[s + 1] - 1 if s + 1 < len(starts) else n - 1
        size = l0 - f0 + 1
        k = (size + max_words - 1) // max_words
        step = (size + k - 1) // k  # equal pieces of at most max_words
        f = f0
        while f <= l0:
            last = min(l0, f + step - 1)
            start = f if pending < 0 else pending
            if before[last + 1] - before[start] < min_terms and last + 1 < n:
                pending = start  # too few content terms: joins the next piece
            else:
                pending = -1
                firsts[m] = start
                lasts[m] = last
                m += 1
            f += step
    firsts, lasts = firsts[:m], lasts[:m]
    n_terms = before[n]
    entries = np.empty(n_terms, np.int64)
    rows = np.empty(n_terms, np.int64)
    e = 0
    u = 0
    for t in range(n):
        while u + 1 < m and firsts[u + 1] <= t:
            u += 1
        if gid[t] >= 0:
            entries[e] = gid[t]
            rows[e] = u
            e += 1
    # The vocabulary in order of first occurrence, and each entry's index into it: ``slots`` (all
    # -1, one per process-wide term id) numbers each term on first sight, and is reset after.
    term_ids = np.empty(n_terms, np.int64)
    term_gids = np.empty(n_terms, np.int64)
    n_groups = 0
    for x in range(n_terms):
        g = entries[x]
        if slots[g] < 0:
            slots[g] = n_groups
            term_gids[n_groups] = g
            n_groups += 1
        term_ids[x] = slots[g]
    term_gids = term_gids[:n_groups]
    for r in range(n_groups):
        slots[term_gids[r]] = -1
    return firsts, lasts, term_ids, rows, term_gids


@numba.njit(cache=True)
def units_of_text(code_points, table, token_starts, gid, min_terms, max_words, slots):
    """``units.sentence_units`` of a text without Thai or Lao, whole: its sentence starts
    (``tokens.sentence_starts`` over :func:`reuse.text.sentence_ends.end_positions`), :func:`assemble`,
    and every token's unit. Returns ``(first, last, term_ids, term_rows, term_gids, of_token)``."""
    ends = end_positions(code_points, table)
    n = len(token_starts)
    starts = np.empty(len(ends) + 1, np.int64)
    starts[0] = 0
    m = 1
    for e in ends:  # the sentence holding each end's next word; ends ascend, so repeats are neighbours
        at = np.searchsorted(token_starts, e, side="right")
        if 0 < at < n and at != starts[m - 1]:
            starts[m] = at
            m += 1
    first, last, term_ids, term_rows, term_gids = assemble(starts[:m], gid, min_terms, max_words, slots)
    size = 0
    for u in range(len(first)):
        size += last[u] - first[u] + 1
    of_token = np.empty(size, np.int64)
    t = 0
    for u in range(len(first)):
        for _ in range(last[u] - first[u] + 1):
            of_token[t] = u
            t += 1
    return first, last, term_ids, term_rows, term_gids, of_token
