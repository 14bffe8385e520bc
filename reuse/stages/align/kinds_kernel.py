"""numba kernels of :mod:`reuse.stages.align.kinds`: all of a pair's passages in one call each.

Imported only when a pair is first aligned. Each mirrors its twin there (``_run_cover``, ``_stretch``)
and gives the same arrays (tested).
"""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def _mask(runs, lo, hi, n):
    """Tokens of one side inside some run (``kinds._cover``: a difference array)."""
    delta = np.zeros(n + 1, np.int64)
    for r in range(len(runs)):
        delta[runs[r, lo]] += 1
        delta[runs[r, hi] + 1] -= 1
    out = np.empty(n, np.bool_)
    depth = 0
    for t in range(n):
        depth += delta[t]
        out[t] = depth > 0
    return out


@numba.njit(cache=True)
def run_cover(boxes, runs, n_a, n_b):
    """``kinds._run_cover``: per passage, words of each side inside runs, and whether one run holds it whole."""
    mask_a = _mask(runs, 0, 1, n_a)
    mask_b = _mask(runs, 2, 3, n_b)
    s = len(boxes)
    ca = np.zeros(s, np.int64)
    cb = np.zeros(s, np.int64)
    exact = np.zeros(s, np.bool_)
    for k in range(s):
        a0, a1, b0, b1 = boxes[k, 0], boxes[k, 1], boxes[k, 2], boxes[k, 3]
        for t in range(a0, a1 + 1):
            ca[k] += mask_a[t]
        for t in range(b0, b1 + 1):
            cb[k] += mask_b[t]
        for r in range(len(runs)):
            if runs[r, 0] <= a0 and a1 <= runs[r, 1] and runs[r, 2] <= b0 and b1 <= runs[r, 3] \
                    and runs[r, 0] - a0 == runs[r, 2] - b0:
                exact[k] = True
                break
    return ca, cb, exact


@numba.njit(cache=True)
def stretch(boxes, runs, min_words):
    """``kinds._stretch``: each box grown over the runs of ``min_words`` it overlaps, in the runs' order
    (a box no run crosses comes out as it went in: the twin's early exit changes nothing)."""
    out = boxes.copy()
    for k in range(len(boxes)):
        a0, a1, b0, b1 = boxes[k, 0], boxes[k, 1], boxes[k, 2], boxes[k, 3]
        for r in range(len(runs)):
            if runs[r, 1] - runs[r, 0] + 1 < min_words:
                continue
            if runs[r, 0] <= a1 and a0 <= runs[r, 1] and runs[r, 2] <= b1 and b0 <= runs[r, 3]:
                a0, a1 = min(a0, runs[r, 0]), max(a1, runs[r, 1])
                b0, b1 = min(b0, runs[r, 2]), max(b1, runs[r, 3])
        out[k, 0], out[k, 1], out[k, 2], out[k, 3] = a0, a1, b0, b1
    return out
