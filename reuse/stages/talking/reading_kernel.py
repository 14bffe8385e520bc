"""numba kernel of the batch reading (:func:`reuse.stages.talking.sentences.analyse_batch`), imported on first use."""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def gap_marks(cps, starts, ends, marks):
    """Per token, the OR of ``marks`` (a table by code point; 0 beyond it) over the characters
    between the token before it (the text's start, for the first) and it: only the gaps are read."""
    out = np.zeros(len(starts), np.uint8)
    top = len(marks)
    prev = 0
    for k in range(len(starts)):
        m = np.uint8(0)
        for i in range(prev, starts[k]):
            c = cps[i]
            if c < top:
                m |= marks[c]
        out[k] = m
        prev = ends[k]
    return out
