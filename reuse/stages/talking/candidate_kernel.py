"""numba kernel of the evidence index (:func:`reuse.stages.talking.candidates.candidate_pairs`).

Imported on first use. The index's candidates are the unit pairs of different documents sharing
at least two evidence terms. A sparse product of the evidence matrix with its transpose counts
every pair sharing one term, both ways round and within documents too, and merges those counts
in two passes; on a hundred thousand articles that product was most of the stage's time in the
driver. This walks the inverted lists once, row by row, counting each pair once (its second
row after its first, in another document) in a dense counter. Its twin is the product itself:
``candidate_pairs`` runs it when numba is off, and the tests hold the two equal.
"""
from __future__ import annotations

import numba
import numpy as np

from reuse.stages.talking.row_kernel import expand_row

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def shared_pairs(indptr, indices, base, col_ptr, col_rows, doc_end, lo, hi, min_shared, count, seen, out):
    """Row pairs ``(a, b)``, ``lo <= a < hi``, ``a < b``, of different documents sharing at least
    ``min_shared`` evidence columns of a CSR matrix (``indptr``, ``indices``: its rows from ``base``
    on, made whole, :meth:`.unit_rows.UnitRows.block`; its values are not read), written to ``out`` (2, size) in order of ``a`` (``b`` in no order): returns how many,
    and the row it stopped before (``hi``, or the first row whose pairs did not fit).

    ``col_ptr``, ``col_rows``: the evidence columns' rows, ascending (the transpose, where every
    other column has no rows: so the matrix itself is walked, not a copy of its evidence columns);
    ``doc_end[a]``: the first row after row ``a``'s document (a document's rows are consecutive).
    ``count`` (zeros, one slot per row) and ``seen`` (a slot per row one row's columns can reach),
    lent by the caller (left as they came).
    No allocation and no branch in the inner loop: it runs at memory speed.
    """
    m = 0
    for a in range(lo, hi):
        k = 0
        for jj in range(indptr[a - base], indptr[a - base + 1]):
            c = indices[jj]
            if col_ptr[c] == col_ptr[c + 1]:  # not an evidence column
                continue
            q = np.searchsorted(col_rows[col_ptr[c] : col_ptr[c + 1]], doc_end[a]) + col_ptr[c]
            for qq in range(q, col_ptr[c + 1]):  # the column's rows in later documents
                b = col_rows[qq]
                v = count[b]
                seen[k] = b  # kept (k moves on) the first time b is met
                k += v == 0
                count[b] = v + 1
        if m + k > out.shape[1]:
            for s in range(k):
                count[seen[s]] = 0
            return m, a
        for s in range(k):
            b = seen[s]
            out[0, m] = a
            out[1, m] = b
            m += count[b] >= min_shared
            count[b] = 0
    return m, hi



@numba.njit(cache=True)
def column_rows(indptr, indices, base, col_ptr, col_rows, fill):
    """Each column's rows, ascending, to ``col_rows`` from ``fill[c]`` on (the transpose of a CSR
    matrix, for the columns given room in ``col_ptr``: a column with none is skipped), in one pass
    over the entries of a block of its rows (``indptr``, ``indices``: rows ``base`` on), rows in
    order; ``fill`` (``col_ptr[:-1]`` before the first block) moves on. No copy of the values."""
    for r in range(len(indptr) - 1):
        for jj in range(indptr[r], indptr[r + 1]):
            c = indices[jj]
            if fill[c] < col_ptr[c + 1]:
                col_rows[fill[c]] = base + r
                fill[c] += 1


@numba.njit(cache=True)
def row_dots(pairs, indptr, terms, weights, pos, flags, phrase, spans, row_doc, first_row, norm, idf, heads,
             most, zero, out):
    """Per row pair ``(a, b)`` of the units' rows (:class:`.unit_rows.UnitRows`, its arrays in order; each
    row made as it is met, :func:`.row_kernel.expand_row`, ``a``'s once for its run of pairs), the dot
    product of the two rows' float32 weights, to ``out``: the arithmetic of its twin
    ``m[a].multiply(m[b]).sum(axis=1)``, where scipy multiplies shared columns in float32 (dropping
    products that are zero) and sums each row's products as ``np.add.reduceat`` does: the first,
    plus the rest's pairwise sum (:func:`_pairwise`). No product matrix is made. ``most``: the
    longest row's bound (:attr:`.unit_rows.UnitRows.most`); ``zero``: ``[-0.0]`` in float32."""
    ta, tb = np.empty(most, terms.dtype), np.empty(most, terms.dtype)
    wa, wb = np.empty(most, np.float32), np.empty(most, np.float32)
    pa, fa = np.empty(most, pos.dtype), np.empty(most, flags.dtype)  # positions and flags: not read here
    buf = np.empty(most, np.float32)  # a pair's products
    ie, prev = 0, -1
    for k in range(len(pairs)):
        if pairs[k, 0] != prev:
            prev = pairs[k, 0]
            ie = expand_row(prev, indptr, terms, weights, pos, flags, phrase, spans, row_doc, first_row, norm, idf,
                            heads, ta, wa, pa, fa, 0)
        je = expand_row(pairs[k, 1], indptr, terms, weights, pos, flags, phrase, spans, row_doc, first_row, norm, idf,
                        heads, tb, wb, pa, fa, 0)
        i, j, n = 0, 0, 0
        while i < ie and j < je:
            ci, cj = ta[i], tb[j]
            if ci == cj:
                p = wa[i] * wb[j]
                if p != 0:
                    buf[n] = p
                    n += 1
                i += 1
                j += 1
            elif ci < cj:
                i += 1
            else:
                j += 1
        if n == 0:
            out[k] = 0
        else:
            first = buf[0]
            first += _pairwise(buf, 1, n - 1, zero)
            out[k] = first


@numba.njit(cache=True)
def _pairwise(a, lo, n, zero):
    """numpy's pairwise sum of ``a[lo:lo + n]`` in ``a``'s type (``loops_utils.h``): blocks of at
    most 128 values (:func:`_block_sum`), halved at a multiple of 8 above that, the halves' sums
    added left + right. Walked with a stack, not by recursion (a cached recursive kernel crashed)."""
    if n <= 128:
        return _block_sum(a, lo, n, zero)
    at = np.empty((130, 3), np.int64)  # (first, length, halves pushed) of the blocks pending
    sums = np.empty(130, a.dtype)  # the sums made and not yet added
    top, m = 0, 0
    at[0, 0], at[0, 1], at[0, 2] = lo, n, 0
    while top >= 0:
        first, size = at[top, 0], at[top, 1]
        if size <= 128:
            sums[m] = _block_sum(a, first, size, zero)
            m += 1
            top -= 1
        elif at[top, 2] == 0:
            at[top, 2] = 1
            half = size // 2
            half -= half % 8
            at[top + 1, 0], at[top + 1, 1], at[top + 1, 2] = first + half, size - half, 0  # right, summed second
            at[top + 2, 0], at[top + 2, 1], at[top + 2, 2] = first, half, 0  # left, summed first
            top += 2
        else:
            sums[m - 2] = sums[m - 2] + sums[m - 1]
            m -= 1
            top -= 1
    return sums[0]


@numba.njit(cache=True)
def _block_sum(a, lo, n, zero):
    """numpy's pairwise sum of at most 128 values: sequential from -0.0 below 8, else eight running sums."""
    if n < 8:
        res = zero[0]
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res
