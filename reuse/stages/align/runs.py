"""Exact evidence of a document pair: shared word n-grams, chained into runs along diagonals.

This is the first step of the aligner's cascade (DESIGN.md, "effort follows evidence"): every pair
gets it, so it is compiled. :func:`word_evidence` finds the seeds (positions where the two texts
share a ``k``-word n-gram), groups seeds on one diagonal into maximal exact runs extended word by
word, and chains runs across small gaps into word spans (an edited copy is one span).

Two implementations give identical arrays: a numba kernel (under ``.[fast]``/``.[test]``) and the
plain numpy/Python reference below it (:func:`seed_matches`, :func:`exact_runs`,
:func:`chain_runs`, :func:`drop_contained`), kept as the fallback and the test oracle.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from reuse.text.shingle import shingle_hashes


@dataclass(frozen=True, slots=True)
class Run:
    """An exact match of tokens ``a_first..a_last`` with ``b_first..b_last`` (inclusive)."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int


@dataclass(slots=True)
class Alignment:
    """A passage in token coordinates: one or more runs chained across gaps."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    runs: list[Run]

    @property
    def a_words(self) -> int:
        return self.a_last - self.a_first + 1

    @property
    def b_words(self) -> int:
        return self.b_last - self.b_first + 1

    def matched(self) -> tuple[int, int]:
        """Distinct matched tokens on each side (runs may overlap after extension)."""
        a = np.zeros(self.a_words, dtype=bool)
        b = np.zeros(self.b_words, dtype=bool)
        for r in self.runs:
            a[r.a_first - self.a_first : r.a_last - self.a_first + 1] = True
            b[r.b_first - self.b_first : r.b_last - self.b_first + 1] = True
        return int(a.sum()), int(b.sum())

    @property
    def is_verbatim(self) -> bool:
        return len(self.runs) == 1

    def similarity(self) -> float:
        """Share of both sides' words inside exact runs: 1.0 for a verbatim passage."""
        ma, mb = self.matched()
        return (ma + mb) / (self.a_words + self.b_words)


@dataclass(frozen=True, slots=True)
class WordEvidence:
    """Everything exact about a pair, as arrays (token coordinates, inclusive).

    ``matches``: ``(m, 2)`` seed positions; ``runs``: ``(r, 4)`` maximal exact runs
    ``(a_first, a_last, b_first, b_last)`` sorted by ``(a_first, b_first)``; ``spans``: ``(s, 4)``
    chained runs with at least ``min_words`` matched words a side, none inside another, sorted by
    ``(a_first, b_first)``; ``similarity``: each span's share of words inside runs.
    """

    matches: np.ndarray
    runs: np.ndarray
    spans: np.ndarray
    similarity: np.ndarray


def word_evidence(
    a_ids: np.ndarray, b_ids: np.ndarray, *, k: int, max_occurrences: int, max_gap: int, min_words: int,
    use_numba: bool | None = None,
) -> WordEvidence:
    """Seeds, exact runs and chained word spans of two token-id arrays (see the module docstring)."""
    kernel = _kernel() if use_numba is None or use_numba else None
    if use_numba and kernel is None:
        raise RuntimeError("numba is not installed")
    if kernel is not None:
        matches, runs, spans, sim = kernel(a_ids, b_ids, k, max_occurrences, max_gap, min_words)
        return WordEvidence(matches, runs, spans, sim)
    matches = _matches_numpy(shingle_hashes(a_ids, k), shingle_hashes(b_ids, k), max_occurrences)
    run_list = exact_runs(a_ids, b_ids, matches, k=k)
    chained = [al for al in chain_runs(run_list, max_gap=max_gap, overlap=k) if min(al.matched()) >= min_words]
    kept = drop_contained(chained)
    runs = np.array([(r.a_first, r.a_last, r.b_first, r.b_last) for r in run_list], np.int64).reshape(-1, 4)
    spans = np.array([(al.a_first, al.a_last, al.b_first, al.b_last) for al in kept], np.int64).reshape(-1, 4)
    return WordEvidence(matches, runs, spans, np.array([al.similarity() for al in kept], np.float64))


# --- the reference implementation (numpy and Python) -------------------------------------------


def seed_matches(a_ids: np.ndarray, b_ids: np.ndarray, *, k: int, max_occurrences: int) -> np.ndarray:
    """All ``(i, j)`` where the k-gram at token ``i`` of A equals the one at ``j`` of B.

    n-grams occurring more than ``max_occurrences`` times in either text are ignored: they are
    formulaic and would anchor spurious alignments. Returns an ``(m, 2)`` int64 array.
    """
    return _matches_numpy(shingle_hashes(a_ids, k), shingle_hashes(b_ids, k), max_occurrences)


def _matches_numpy(ha: np.ndarray, hb: np.ndarray, max_occurrences: int) -> np.ndarray:
    if len(ha) == 0 or len(hb) == 0:
        return np.empty((0, 2), dtype=np.int64)
    ua, ca = np.unique(ha, return_counts=True)
    ub, cb = np.unique(hb, return_counts=True)
    common, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    common = common[(ca[ia] <= max_occurrences) & (cb[ib] <= max_occurrences)]
    if len(common) == 0:
        return np.empty((0, 2), dtype=np.int64)
    pos_a = np.flatnonzero(np.isin(ha, common))
    pos_b = np.flatnonzero(np.isin(hb, common))
    order_b = np.argsort(hb[pos_b], kind="stable")
    pos_b, keys_b = pos_b[order_b], hb[pos_b][order_b]
    lo = np.searchsorted(keys_b, ha[pos_a], side="left")
    hi = np.searchsorted(keys_b, ha[pos_a], side="right")
    counts = hi - lo
    i = np.repeat(pos_a, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    j = pos_b[np.repeat(lo, counts) + offsets]
    return np.stack((i, j), axis=1).astype(np.int64)


def exact_runs(a_ids: np.ndarray, b_ids: np.ndarray, matches: np.ndarray, *, k: int) -> list[Run]:
    """Group seeds on the same diagonal into maximal exact runs and extend them word by word."""
    if len(matches) == 0:
        return []
    diag = matches[:, 1] - matches[:, 0]
    order = np.lexsort((matches[:, 0], diag))
    m, d = matches[order], diag[order]
    breaks = np.flatnonzero((np.diff(d) != 0) | (np.diff(m[:, 0]) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(m)])) - 1
    runs: set[Run] = set()
    na, nb = len(a_ids), len(b_ids)
    for s, e in zip(starts, ends):
        i0, j0 = int(m[s, 0]), int(m[s, 1])
        i1, j1 = int(m[e, 0]) + k - 1, int(m[e, 1]) + k - 1
        while i0 > 0 and j0 > 0 and a_ids[i0 - 1] == b_ids[j0 - 1]:
            i0, j0 = i0 - 1, j0 - 1
        while i1 + 1 < na and j1 + 1 < nb and a_ids[i1 + 1] == b_ids[j1 + 1]:
            i1, j1 = i1 + 1, j1 + 1
        runs.add(Run(i0, i1, j0, j1))
    return sorted(runs, key=lambda r: (r.a_first, r.b_first))


def chain_runs(runs: list[Run], *, max_gap: int, overlap: int) -> list[Alignment]:
    """Chain runs whose gaps on both sides are at most ``max_gap`` words into alignments.

    Each run joins the open alignment it continues with the smallest combined gap; a run that
    continues none starts a new one. ``overlap`` words of overlap are tolerated (extended runs
    of neighbouring seeds can overlap by up to ``k - 1``).
    """
    alignments: list[Alignment] = []
    for run in runs:
        best, best_gap = None, None
        for al in alignments:
            ga = run.a_first - al.a_last - 1
            gb = run.b_first - al.b_last - 1
            if -overlap <= ga <= max_gap and -overlap <= gb <= max_gap:
                gap = max(ga, 0) + max(gb, 0)
                if best_gap is None or gap < best_gap:
                    best, best_gap = al, gap
        if best is None:
            alignments.append(Alignment(run.a_first, run.a_last, run.b_first, run.b_last, [run]))
        else:
            best.runs.append(run)
            best.a_last = max(best.a_last, run.a_last)
            best.b_last = max(best.b_last, run.b_last)
    return alignments


def drop_contained(alignments: list[Alignment]) -> list[Alignment]:
    """Remove alignments lying inside a larger one on both sides (each passage reported once)."""
    ordered = sorted(alignments, key=lambda al: -(al.a_words + al.b_words))
    kept: list[Alignment] = []
    for al in ordered:
        if any(
            k.a_first <= al.a_first and al.a_last <= k.a_last and k.b_first <= al.b_first and al.b_last <= k.b_last
            for k in kept
        ):
            continue
        kept.append(al)
    return sorted(kept, key=lambda al: (al.a_first, al.b_first))


# --- the numba kernel ----------------------------------------------------------------------------


@cache
def _kernel() -> Any:
    """The compiled evidence kernel, or None without numba (imported on first use: start-up stays fast)."""
    from reuse.jit import ENABLED

    if not ENABLED:  # numba missing, or REUSE_NO_NUMBA=1: the numpy path
        return None
    from reuse.stages.align.runs_kernel import evidence_of_ids

    return evidence_of_ids
