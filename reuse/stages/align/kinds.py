"""A passage's kind from the exact runs inside it, and its edges stretched over the runs crossing them.

The last steps of the aligner, run on every passage of every aligned pair: ``verbatim``, ``fuzzy``
or ``paraphrase`` (:func:`classify`), and a sentence passage stretched so it never cuts a copied run
in two (:func:`cover_runs`). Both are compiled where numba is on
(:mod:`reuse.stages.align.kinds_kernel`, all of a pair's passages in one call); the numpy functions
here are their twins, and the same numbers come out either way (tested).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from reuse.model import FUZZY, PARAPHRASE, VERBATIM
from reuse.stages.align.filter import Span

FUZZY_MIN_SHARE = 0.5
"""A passage with at least this share of its words in exact runs is an edited copy, not a paraphrase."""


def classify(spans: Sequence[Span], runs: np.ndarray, n_a: int, n_b: int) -> list[tuple[str, float, int]]:
    """``(kind, score, matched_words)`` of each passage from the exact runs inside it.

    One exact run spanning both sides is ``verbatim`` (score 1.0); mostly exact words with edits
    between them is ``fuzzy`` (score: share of words inside exact runs); otherwise the passage is
    ``paraphrase`` and its score is the whole-passage tf-isf cosine the aligner validated it with.
    """
    boxes = np.array([(s.a_first, s.a_last, s.b_first, s.b_last) for s in spans], np.int64).reshape(-1, 4)
    kernel = _kernels()
    if kernel is not None:
        ca, cb, exact = kernel[0](boxes, runs, n_a, n_b)
    else:
        ca, cb, exact = _run_cover(boxes, runs, n_a, n_b)
    out = []
    for s, (a0, a1, b0, b1), x, y, one_run in zip(spans, boxes.tolist(), ca.tolist(), cb.tolist(), exact.tolist()):
        wa, wb = a1 - a0 + 1, b1 - b0 + 1
        if x == wa and y == wb and one_run:
            out.append((VERBATIM, 1.0, min(wa, wb)))
            continue
        share = (x + y) / (wa + wb)
        if share >= FUZZY_MIN_SHARE:
            out.append((FUZZY, share, min(x, y)))
        else:
            out.append((PARAPHRASE, max(share, min(1.0, s.similarity)), min(x, y)))
    return out


def _run_cover(boxes: np.ndarray, runs: np.ndarray, n_a: int, n_b: int) -> tuple[np.ndarray, ...]:
    """Per passage: words of each side inside some exact run, and whether one run holds it whole."""
    mask_a, mask_b = _cover(runs[:, 0], runs[:, 1], n_a), _cover(runs[:, 2], runs[:, 3], n_b)
    ca = np.array([int(mask_a[a0 : a1 + 1].sum()) for a0, a1 in boxes[:, :2].tolist()], np.int64)
    cb = np.array([int(mask_b[b0 : b1 + 1].sum()) for b0, b1 in boxes[:, 2:].tolist()], np.int64)
    exact = np.array([bool(np.any(
        (runs[:, 0] <= a0) & (a1 <= runs[:, 1]) & (runs[:, 2] <= b0) & (b1 <= runs[:, 3]) & (runs[:, 0] - a0 == runs[:, 2] - b0)
    )) for a0, a1, b0, b1 in boxes.tolist()], bool)
    return ca, cb, exact


def _cover(first: np.ndarray, last: np.ndarray, n: int) -> np.ndarray:
    """Tokens inside any of the inclusive ranges ``first..last`` (a difference array, no loop)."""
    delta = np.bincount(first, minlength=n + 1) - np.bincount(last + 1, minlength=n + 1)
    return np.cumsum(delta[:n]) > 0


def cover_runs(spans: Sequence[Span], runs: np.ndarray, min_words: int) -> list[Span]:
    """Each sentence passage stretched over the exact runs of ``min_words`` crossing its edges:
    copied words are never cut off.

    Sentence units of the two documents need not break at the same places (a missing space after a
    full stop), so a passage built from units can stop short of a copy's true end.
    """
    if not spans:
        return []
    boxes = np.array([(s.a_first, s.a_last, s.b_first, s.b_last) for s in spans], np.int64)
    kernel = _kernels()
    stretched = kernel[1](boxes, runs, min_words) if kernel is not None else _stretch(boxes, runs, min_words)
    return [s if (a0, a1, b0, b1) == (s.a_first, s.a_last, s.b_first, s.b_last)
            else Span(a0, a1, b0, b1, s.similarity, s.origin, s.units)
            for s, (a0, a1, b0, b1) in zip(spans, stretched.tolist())]


def _stretch(boxes: np.ndarray, runs: np.ndarray, min_words: int) -> np.ndarray:
    """The twin of :func:`cover_runs`' kernel: each box grown run by run, in the runs' order."""
    runs = runs[runs[:, 1] - runs[:, 0] + 1 >= min_words]
    out = boxes.copy()
    for k, (a0, a1, b0, b1) in enumerate(boxes.tolist()):
        crossing = (runs[:, 0] <= a1) & (a0 <= runs[:, 1]) & (runs[:, 2] <= b1) & (b0 <= runs[:, 3])
        inside = (a0 <= runs[:, 0]) & (runs[:, 1] <= a1) & (b0 <= runs[:, 2]) & (runs[:, 3] <= b1)
        if not np.any(crossing & ~inside):
            continue  # runs touching the passage all lie inside it: none can stretch it
        for ra0, ra1, rb0, rb1 in runs.tolist():
            if ra0 <= a1 and a0 <= ra1 and rb0 <= b1 and b0 <= rb1:
                a0, a1, b0, b1 = min(a0, ra0), max(a1, ra1), min(b0, rb0), max(b1, rb1)
        out[k] = (a0, a1, b0, b1)
    return out


@cache
def _kernels() -> Any:
    """The compiled ``(run_cover, stretch)``, or None without numba (imported on first use)."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.stages.align.kinds_kernel import run_cover, stretch

    return run_cover, stretch
