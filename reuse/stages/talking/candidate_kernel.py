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

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def shared_pairs(indptr, indices, col_ptr, col_rows, doc_end, lo, hi, min_shared, count, seen, out):
    """Row pairs ``(a, b)``, ``lo <= a < hi``, ``a < b``, of different documents sharing at least
    ``min_shared`` evidence columns of a CSR matrix (``indptr``, ``indices``; its values are not
    read), written to ``out`` (2, size) in order of ``a`` (``b`` in no order): returns how many,
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
        for jj in range(indptr[a], indptr[a + 1]):
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
def column_rows(indptr, indices, col_ptr, col_rows):
    """Each column's rows, ascending, to ``col_rows`` from ``col_ptr[c]`` on (the transpose of a CSR
    matrix, for the columns given room in ``col_ptr``: a column with none is skipped), in one pass
    over the matrix's entries, rows in order. No copy of the entries or their values."""
    fill = col_ptr[:-1].copy()
    for r in range(len(indptr) - 1):
        for jj in range(indptr[r], indptr[r + 1]):
            c = indices[jj]
            if fill[c] < col_ptr[c + 1]:
                col_rows[fill[c]] = r
                fill[c] += 1
