"""numba kernels of the units' rows (:class:`reuse.stages.talking.unit_rows.UnitRows`): a row made whole.

Imported on first use. A sentence's row is its stored entries; a window's is the merge of its
sentences' rows in term order, each term's strongest occurrence (the shortest name phrase, the
first sentence of equals) weighted afresh under the window's norm. The twin is
:func:`reuse.stages.talking.unit_rows._gather_numpy`; the tests hold the two equal.
"""
from __future__ import annotations

import numba
import numpy as np

from reuse.stages.talking.units import ENTRY_NAME

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def expand_row(r, indptr, terms, weights, pos, flags, phrase, spans, row_doc, first_row, norm, idf, heads,
               out_t, out_w, out_p, out_f, at):
    """Row ``r``'s entries written to the ``out_*`` arrays from ``at`` on; returns where they end.

    ``heads``: scratch, a slot per sentence a row spans. The weight of a window's entry is
    ``float32(discount * idf / norm)`` in float64, as the units pass computed it (``discount``:
    ``1 / sqrt(phrase)`` for a name's word, else 1)."""
    base = first_row[row_doc[r]]
    f, last = base + spans[r, 0], base + spans[r, 1]
    if f == last:
        for jj in range(indptr[f], indptr[f + 1]):
            out_t[at] = terms[jj]
            out_w[at] = weights[jj]
            out_p[at] = pos[jj]
            out_f[at] = flags[jj]
            at += 1
        return at
    k = last - f + 1
    for s in range(k):
        heads[s] = indptr[f + s]
    while True:
        best = -1
        t = 0
        for s in range(k):  # the least term at the sentences' heads, at its shortest phrase, first of equals
            h = heads[s]
            if h < indptr[f + s + 1]:
                ts = terms[h]
                if best < 0 or ts < t or (ts == t and phrase[h] < phrase[best]):
                    best, t = h, ts
        if best < 0:
            return at
        for s in range(k):
            h = heads[s]
            if h < indptr[f + s + 1] and terms[h] == t:
                heads[s] = h + 1
        discount = 1.0 / np.sqrt(np.float64(phrase[best])) if flags[best] & ENTRY_NAME else 1.0
        out_t[at] = t
        out_p[at] = pos[best]
        out_f[at] = flags[best]
        out_w[at] = np.float32(discount * idf[t] / norm[r])
        at += 1


@numba.njit(cache=True)
def gather_rows(rows, indptr, terms, weights, pos, flags, phrase, spans, row_doc, first_row, norm, idf, heads,
                out_ptr, out_t, out_w, out_p, out_f):
    """The ``rows`` made whole, one after another, to ``out_*`` (``out_ptr``: where each starts, from 0);
    returns how many entries. The ``out_*`` arrays hold each row's sentences' stored entries."""
    at = 0
    out_ptr[0] = 0
    for k in range(len(rows)):
        at = expand_row(rows[k], indptr, terms, weights, pos, flags, phrase, spans, row_doc, first_row, norm, idf,
                        heads, out_t, out_w, out_p, out_f, at)
        out_ptr[k + 1] = at
    return at
