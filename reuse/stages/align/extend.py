"""Extension: grow seeds into passages by clustering them on both documents' sentence axes.

A reused passage shows up as a band of seeds close together in *both* documents, though not on one
diagonal: obfuscation shuffles, splits and merges sentences. Following Sanchez-Perez et al. (PAN
2014), seeds are split wherever consecutive seeds lie more than ``gap`` units apart along one
document, then along the other within each group, alternating until no group splits. A cluster
whose two fragments are not similar as wholes has bridged unrelated text: it is clustered again
with a smaller gap, down to ``min_gap``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from reuse.jit import ENABLED

if TYPE_CHECKING:
    from reuse.stages.align.seed import RawRows


@dataclass(frozen=True, slots=True)
class Cluster:
    """Seeds that form one passage; ``a``/``b`` are inclusive unit ranges on each side."""

    seeds: np.ndarray  # (m, 2) unit pairs
    a: tuple[int, int]
    b: tuple[int, int]
    similarity: float = 0.0

    @property
    def a_units(self) -> int:
        return self.a[1] - self.a[0] + 1

    @property
    def b_units(self) -> int:
        return self.b[1] - self.b[0] + 1


def _split(seeds: np.ndarray, side: int, gap: int) -> list[np.ndarray]:
    """``seeds`` sorted (stably) along ``side`` and cut wherever consecutive ones are over ``gap`` apart.

    Called for every group at every level of the recursive split, mostly on tiny groups, so the
    one-seed case and the slicing avoid numpy's per-call overhead (same pieces as ``np.split``).
    """
    if len(seeds) < 2:
        return [seeds]
    s = seeds[np.argsort(seeds[:, side], kind="stable")]
    cuts = np.flatnonzero(np.diff(s[:, side]) > gap) + 1
    if not len(cuts):
        return [s]
    edges = [0, *cuts.tolist(), len(s)]
    return [s[i:j] for i, j in zip(edges[:-1], edges[1:])]


Group = tuple[np.ndarray, tuple[int, int], tuple[int, int]]
"""A group of seeds with its inclusive unit ranges on side a and side b."""


def cluster_seeds(seeds: np.ndarray, gap_a: int, gap_b: int) -> list[Group]:
    """Groups of seeds no more than ``gap_a``/``gap_b`` units apart on each side, split recursively,
    each with its unit ranges; compiled where numba is on (:mod:`.extend_kernel`), same groups either way."""
    if len(seeds) == 0:
        return []
    if not ENABLED:
        return [(g, *_ranges(g)) for g in _split_groups(seeds, gap_a, gap_b)]
    from reuse.stages.align.extend_kernel import split_groups

    order, bounds, ranges = split_groups(np.ascontiguousarray(seeds, dtype=np.int64), gap_a, gap_b)
    s = seeds[order]
    return [(s[lo:hi], (a0, a1), (b0, b1)) for (lo, hi), (a0, a1, b0, b1) in zip(bounds.tolist(), ranges.tolist())]


def _split_groups(seeds: np.ndarray, gap_a: int, gap_b: int) -> list[np.ndarray]:
    """The numpy twin of the kernel: split along side b, then a, alternating until no group splits."""
    done: list[np.ndarray] = []
    todo: list[tuple[np.ndarray, int, bool]] = [(seeds, 1, False)]
    while todo:
        group, side, split_before = todo.pop()
        parts = _split(group, side, gap_b if side == 1 else gap_a)
        if len(parts) == 1 and split_before:
            done.append(group)
            continue
        for p in parts:
            todo.append((p, 1 - side, True))
    return done


def _ranges(group: np.ndarray) -> tuple[tuple[int, int], tuple[int, int]]:
    return (int(group[:, 0].min()), int(group[:, 0].max())), (int(group[:, 1].min()), int(group[:, 1].max()))


def extend(
    seeds: np.ndarray, *, gap_a: int, gap_b: int, min_gap: int, min_similarity: float,
    similarity: Callable[[tuple[int, int], tuple[int, int]], float] | None = None, space: RawRows | None = None,
) -> list[Cluster]:
    """Validated clusters: each cluster's fragments have whole-passage similarity >= ``min_similarity``.

    The similarity of two unit ranges is ``similarity(a, b)``, or the fragment cosine over the
    pair's tf-isf rows ``space`` (:func:`reuse.stages.align.seed.fragment_similarity`): with
    ``space``, the whole loop runs in one compiled call where numba is on
    (:func:`reuse.stages.align.extend_kernel.extend_groups`; a long pair re-splits hundreds of groups).
    """
    if space is not None and ENABLED and len(seeds):
        from reuse.stages.align.extend_kernel import extend_groups

        rows = [(r.indptr, r.indices, r.data) for r in (space.a_raw, space.b_raw)]
        s, bounds, ranges, sims = extend_groups(np.ascontiguousarray(seeds, dtype=np.int64), gap_a, gap_b, min_gap,
                                                min_similarity, rows[0], rows[1], space.a_raw.shape[1])
        found = [Cluster(s[lo:hi], (a0, a1), (b0, b1), sim) for (lo, hi), (a0, a1, b0, b1), sim
                 in zip(bounds.tolist(), ranges.tolist(), sims.tolist())]
        return sorted(found, key=lambda c: (c.a, c.b))
    if similarity is None:
        from reuse.stages.align.seed import fragment_similarity

        def similarity(a: tuple[int, int], b: tuple[int, int]) -> float:
            return fragment_similarity(space, a, b)

    out: list[Cluster] = []
    todo = [(g, gap_a, gap_b) for g in cluster_seeds(seeds, gap_a, gap_b)]
    while todo:
        (group, a, b), ga, gb = todo.pop()
        sim = similarity(a, b)
        if sim >= min_similarity:
            out.append(Cluster(group, a, b, sim))
        elif max(ga, gb) > min_gap and len(group) > 1:
            na, nb = max(min_gap, ga - 1), max(min_gap, gb - 1)
            todo.extend((g, na, nb) for g in cluster_seeds(group, na, nb))
    return sorted(out, key=lambda c: (c.a, c.b))


def _cosine(x: np.ndarray, y: np.ndarray) -> float:
    """Cosine of two dense term vectors; 0 when either is empty."""
    nx, ny = float(np.linalg.norm(x)), float(np.linalg.norm(y))
    return float(x @ y) / (nx * ny) if nx and ny else 0.0

def trim(
    a: tuple[int, int], b: tuple[int, int], rows_a: np.ndarray, rows_b: np.ndarray, *,
    trim_a: bool = True, trim_b: bool = True, min_gain: float = 1e-6,
) -> tuple[tuple[int, int], tuple[int, int], float]:
    """Drop edge units while that raises the whole-passage cosine; returns the new ranges and cosine.

    Clustering keeps any seed within the gap, so a passage can swallow a neighbouring sentence that
    happens to share a few words. Such a sentence dilutes the cosine of the two fragments; a
    sentence that is part of the reuse raises it. So the edges are peeled greedily, one unit at a
    time, while the cosine improves. ``rows_a``/``rows_b`` are the dense tf-isf rows of the units in
    ``a`` and ``b`` (in order).
    """
    lo_a, hi_a, lo_b, hi_b = 0, len(rows_a) - 1, 0, len(rows_b) - 1
    va, vb = rows_a.sum(axis=0), rows_b.sum(axis=0)

    best = _cosine(va, vb)
    while True:
        options = []
        if trim_a and hi_a > lo_a:
            options += [(_cosine(va - rows_a[lo_a], vb), "a_lo"), (_cosine(va - rows_a[hi_a], vb), "a_hi")]
        if trim_b and hi_b > lo_b:
            options += [(_cosine(va, vb - rows_b[lo_b]), "b_lo"), (_cosine(va, vb - rows_b[hi_b]), "b_hi")]
        if not options:
            break
        value, move = max(options)
        if value <= best + min_gain:
            break
        best = value
        if move == "a_lo":
            va = va - rows_a[lo_a]; lo_a += 1
        elif move == "a_hi":
            va = va - rows_a[hi_a]; hi_a -= 1
        elif move == "b_lo":
            vb = vb - rows_b[lo_b]; lo_b += 1
        else:
            vb = vb - rows_b[hi_b]; hi_b -= 1
    return (a[0] + lo_a, a[0] + hi_a), (b[0] + lo_b, b[0] + hi_b), best


def grow(
    a: tuple[int, int], b: tuple[int, int], row_a: Callable[[int], np.ndarray], row_b: Callable[[int], np.ndarray],
    n_a: int, n_b: int, *, max_steps: int, min_gain: float = 1e-6,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Add neighbouring units while that raises the whole-passage cosine (the mirror of :func:`trim`).

    Obfuscation can leave a sentence of the reused passage with no seed of its own (its words
    shuffled, replaced or split across two sentences); it still shares the passage's vocabulary,
    so taking it in raises the cosine, while an unrelated neighbour lowers it.
    """
    va = sum(row_a(u) for u in range(a[0], a[1] + 1))
    vb = sum(row_b(u) for u in range(b[0], b[1] + 1))

    best = _cosine(va, vb)
    (a0, a1), (b0, b1) = a, b
    for _ in range(max_steps):
        options = []
        if a0 > 0:
            options.append((_cosine(va + row_a(a0 - 1), vb), "a_lo"))
        if a1 + 1 < n_a:
            options.append((_cosine(va + row_a(a1 + 1), vb), "a_hi"))
        if b0 > 0:
            options.append((_cosine(va, vb + row_b(b0 - 1)), "b_lo"))
        if b1 + 1 < n_b:
            options.append((_cosine(va, vb + row_b(b1 + 1)), "b_hi"))
        if not options:
            break
        value, move = max(options)
        if value <= best + min_gain:
            break
        best = value
        if move == "a_lo":
            a0 -= 1; va = va + row_a(a0)
        elif move == "a_hi":
            a1 += 1; va = va + row_a(a1)
        elif move == "b_lo":
            b0 -= 1; vb = vb + row_b(b0)
        else:
            b1 += 1; vb = vb + row_b(b1)
    return (a0, a1), (b0, b1)


def fit(
    a: tuple[int, int], b: tuple[int, int], space: RawRows, *, grow_steps: int | None, grow_min_gain: float,
    trim_a: bool = True, trim_b: bool = True,
) -> tuple[tuple[int, int], tuple[int, int], float]:
    """A cluster's unit ranges grown (:func:`grow`, ``grow_steps`` at most; None: not grown), then
    trimmed (:func:`trim`), over the pair's tf-isf rows ``space``: the ranges and their cosine.

    One compiled call where numba is on (:func:`reuse.stages.align.extend_kernel.grow_trim`),
    the same ranges and cosine to the last bit (tested).
    """
    n_a, n_b = space.a_raw.shape[0], space.b_raw.shape[0]
    if ENABLED:
        from reuse.stages.align.extend_kernel import grow_trim

        rows = [(r.indptr, r.indices, r.data) for r in (space.a_raw, space.b_raw)]
        a0, a1, b0, b1, sim = grow_trim(a[0], a[1], b[0], b[1], rows[0], rows[1], n_a, n_b, space.a_raw.shape[1],
                                        -1 if grow_steps is None else grow_steps, grow_min_gain, trim_a, trim_b, 1e-6)
        return (a0, a1), (b0, b1), sim
    from reuse.stages.align.seed import range_vector

    def row_a(u: int) -> np.ndarray:
        return range_vector(space.a_raw, u, u)

    def row_b(u: int) -> np.ndarray:
        return range_vector(space.b_raw, u, u)

    if grow_steps is not None:
        a, b = grow(a, b, row_a, row_b, n_a, n_b, max_steps=grow_steps, min_gain=grow_min_gain)
    rows_a = np.stack([row_a(u) for u in range(a[0], a[1] + 1)])
    rows_b = np.stack([row_b(u) for u in range(b[0], b[1] + 1)])
    return trim(a, b, rows_a, rows_b, trim_a=trim_a, trim_b=trim_b)
