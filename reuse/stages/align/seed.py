"""Seeds for passage alignment: pairs of sentence units that look like reuse of one another.

Two kinds of evidence, each cheap to compute for a document pair:

* *paraphrase seeds*: two sentences whose stemmed content words agree both by tf-isf cosine and by
  Dice overlap (Sanchez-Perez et al., PAN 2014). Cosine alone lets one rare shared word dominate;
  Dice alone ignores rarity; requiring both keeps topical coincidences out.
* *copy seeds*: sentences sharing at least two exact word n-grams — verbatim or lightly edited text,
  found even when the sentence around them was rewritten.

The term weights are computed over the sentences of the two documents only (inverse *sentence*
frequency), so the aligner needs no corpus statistics and stays a pure function of the pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from scipy import sparse

from reuse.stages.align.units import Units, term_slots
from reuse.stages.score import plain_idf


@dataclass(frozen=True, slots=True)
class PairSpace:
    """Both documents' units as L2-normalised tf-isf rows, plus binary rows for Dice."""

    a: sparse.csr_matrix
    b: sparse.csr_matrix
    a_bin: sparse.csr_matrix
    b_bin: sparse.csr_matrix
    a_raw: sparse.csr_matrix  # un-normalised tf-isf, summed to compare whole fragments
    b_raw: sparse.csr_matrix


def _csr(data: np.ndarray, indices: np.ndarray, rows: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """A CSR matrix from entries already in row order (``rows`` names each entry's row)."""
    indptr = np.zeros(shape[0] + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return sparse.csr_matrix((data, indices.astype(np.int32, copy=False), indptr), shape=shape)


def _counts(units: Units, cols: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term counts per unit as ``(rows, columns, counts)``, sorted by row then column.

    ``cols`` maps the unit's own vocabulary to the pair's columns. This is the canonical form
    scipy gives a count matrix (duplicates summed, indices sorted), built in one pass.
    """
    keys, counts = np.unique(units.term_rows * max(width, 1) + cols[units.term_ids], return_counts=True)
    rows, columns = np.divmod(keys, max(width, 1))
    return rows, columns, counts.astype(np.float64)


def _pair_columns(ua: Units, ub: Units) -> tuple[np.ndarray, np.ndarray, int]:
    """Column of each document's terms in the pair's vocabulary: A's terms in order, then B's new ones.

    This is the order in which the terms first occur reading A then B, so the matrices (and every
    floating-point sum over them) are the same as when the vocabulary is built term by term.
    """
    ga, gb = ua.term_gids, ub.term_gids  # the terms as process-wide ids (equal ids, equal terms)
    order = np.argsort(ga)
    at = order[np.minimum(np.searchsorted(ga, gb, sorter=order), max(len(ga) - 1, 0))] if len(ga) else gb * 0
    shared = ga[at] == gb if len(ga) else np.zeros(len(gb), bool)
    cols_b = np.where(shared, at, len(ga) + np.cumsum(~shared) - 1).astype(np.int64)
    return np.arange(len(ga), dtype=np.int64), cols_b, len(ga) + int((~shared).sum())


def _reversed_rows(rows: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Positions that reverse the entries of every row, keeping rows in place."""
    pos = np.arange(len(rows))
    return indptr[rows] + indptr[rows + 1] - 1 - pos


def _raw(
    rows: np.ndarray, columns: np.ndarray, counts: np.ndarray, isf: np.ndarray, n_rows: int, width: int
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """Un-normalised tf-isf rows (``counts @ diags(isf)``: index-sorted, zero weights dropped), and their entries."""
    weights = counts * isf[columns]
    keep = weights != 0
    rows, columns, weights = rows[keep], columns[keep], weights[keep]
    raw = _csr(weights, columns, rows, (n_rows, width))
    raw.has_sorted_indices = True
    return raw, rows, columns, weights


def _weighted(
    rows: np.ndarray, columns: np.ndarray, counts: np.ndarray, isf: np.ndarray, n_rows: int, width: int
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Un-normalised tf-isf rows and their L2-normalised form, as scipy's products would leave them.

    Values and entry order are exactly those of ``counts @ diags(isf)`` (index-sorted, terms with
    zero weight dropped) and of ``diags(1 / norms) @ raw`` (each row's entries in reverse order,
    which is how scipy's sparse product emits them): the cosines summed over them later depend on
    that order to the last bit.
    """
    raw, rows, columns, weights = _raw(rows, columns, counts, isf, n_rows, width)
    norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled = (1.0 / norms)[rows] * weights
    order = _reversed_rows(rows, raw.indptr)
    unit = _csr(scaled[order], columns[order], rows, (n_rows, width))
    return raw, unit


def pair_space(ua: Units, ub: Units) -> PairSpace:
    """tf-isf vectors of every unit of both documents over their shared vocabulary."""
    (ra, ka, na), (rb, kb, nb), isf, width = _pair_counts(ua, ub)
    a_bin = _csr(np.ones(len(ka)), ka, ra, (len(ua), width))
    b_bin = _csr(np.ones(len(kb)), kb, rb, (len(ub), width))
    a_raw, a = _weighted(ra, ka, na, isf, len(ua), width)
    b_raw, b = _weighted(rb, kb, nb, isf, len(ub), width)
    return PairSpace(a, b, a_bin, b_bin, a_raw, b_raw)


@dataclass(frozen=True, slots=True)
class Rows:
    """CSR arrays without scipy's matrix around them (its constructor checks cost more than the
    sums the aligner takes over a pair's rows): what :func:`range_vector` reads."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]


@dataclass(frozen=True, slots=True)
class RawRows:
    """The un-normalised tf-isf rows of a :class:`PairSpace` alone: all the aligner sums once its
    seeds are known (whole-fragment similarity), at a fraction of the cost."""

    a_raw: Rows
    b_raw: Rows


def raw_rows(ua: Units, ub: Units, *, use_numba: bool | None = None) -> RawRows:
    """``pair_space(ua, ub)``'s ``a_raw`` and ``b_raw``: the same rows over the same columns, each
    row's entries in the order its terms first occur (sums over a range of rows, all the aligner
    takes, are the pair space's to the last bit: a row holds a column once, so each column's sum
    runs over the rows in order whatever the order inside them).

    Counted by a kernel (a scratch table by term, no sort: :func:`reuse.stages.align.runs_kernel.pair_rows`)
    where numba is on; otherwise from the pair space's own counts.
    """
    kernel = _pair_rows_kernel() if use_numba is None or use_numba else None
    if kernel is not None:
        ra, ka, na, rb, kb, nb, width = kernel(ua.term_rows, ua.term_ids, ua.term_gids, ub.term_rows, ub.term_ids,
                                               ub.term_gids, term_slots())
        df = np.bincount(ka, minlength=width).astype(np.float64) + np.bincount(kb, minlength=width).astype(np.float64)
        isf = plain_idf(max(1, len(ua) + len(ub)), df)
    else:
        (ra, ka, na), (rb, kb, nb), isf, width = _pair_counts(ua, ub)

    def rows(r: np.ndarray, k: np.ndarray, counts: np.ndarray, n: int) -> Rows:
        weights = counts * isf[k]
        keep = weights != 0
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(r[keep], minlength=n), out=indptr[1:])
        return Rows(indptr, k[keep].astype(np.int32), weights[keep], (n, width))

    return RawRows(rows(ra, ka, na, len(ua)), rows(rb, kb, nb, len(ub)))


@cache
def _pair_rows_kernel() -> Any:
    """The compiled counting of :func:`raw_rows`, or None without numba (imported on first use)."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.stages.align.runs_kernel import pair_rows

    return pair_rows


def _pair_counts(ua: Units, ub: Units) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], np.ndarray, int]:
    """Both documents' term counts per unit over the pair's columns, the columns' isf, and their number."""
    cols_a, cols_b, width = _pair_columns(ua, ub)
    (ra, ka, na), (rb, kb, nb) = _counts(ua, cols_a, width), _counts(ub, cols_b, width)
    df = np.bincount(ka, minlength=width).astype(np.float64) + np.bincount(kb, minlength=width).astype(np.float64)
    isf = plain_idf(max(1, len(ua) + len(ub)), df)
    return (ra, ka, na), (rb, kb, nb), isf, width


def paraphrase_seeds(space: PairSpace, *, min_cosine: float, min_dice: float) -> np.ndarray:
    """``(m, 2)`` unit index pairs whose cosine and Dice both exceed their thresholds."""
    if space.a.shape[0] == 0 or space.b.shape[0] == 0 or space.a.shape[1] == 0:
        return np.empty((0, 2), dtype=np.int64)
    cos = (space.a @ space.b.T).tocoo()
    keep = cos.data > min_cosine
    rows, cols = cos.row[keep], cos.col[keep]
    if len(rows) == 0:
        return np.empty((0, 2), dtype=np.int64)
    shared = np.asarray(space.a_bin[rows].multiply(space.b_bin[cols]).sum(axis=1)).ravel()
    size_a = np.asarray(space.a_bin.sum(axis=1)).ravel()[rows]
    size_b = np.asarray(space.b_bin.sum(axis=1)).ravel()[cols]
    dice = 2 * shared / np.maximum(size_a + size_b, 1)
    ok = dice > min_dice
    return np.stack((rows[ok], cols[ok]), axis=1).astype(np.int64)


BINCOUNT_MAX_KEYS = 1 << 16
"""Unit pairs up to which :func:`copy_seeds` counts matches in a table rather than by sorting them."""


def copy_seeds(matches: np.ndarray, unit_a: np.ndarray, unit_b: np.ndarray, *, min_shared: int) -> np.ndarray:
    """Unit pairs holding at least ``min_shared`` exact n-gram matches (``matches``: token pairs),
    sorted; compiled where numba is on (:func:`reuse.stages.align.cascade_kernel.copy_seeds`)."""
    kernel = _copy_seeds_kernel()
    if kernel is not None:
        return kernel(matches, unit_a, unit_b, min_shared)
    if len(matches) == 0:
        return np.empty((0, 2), dtype=np.int64)
    width = int(unit_b[-1]) + 1  # units ascend with the tokens
    keys = unit_a[matches[:, 0]] * width + unit_b[matches[:, 1]]
    if (int(unit_a[-1]) + 1) * width <= BINCOUNT_MAX_KEYS:  # a count per unit pair: no sort
        keys = np.flatnonzero(np.bincount(keys) >= min_shared)
    else:
        keys, counts = np.unique(keys, return_counts=True)
        keys = keys[counts >= min_shared]
    return np.stack((keys // width, keys % width), axis=1).astype(np.int64)


@cache
def _copy_seeds_kernel() -> Any:
    """The compiled :func:`copy_seeds`, or None without numba (imported on first use)."""
    from reuse.jit import ENABLED

    if not ENABLED:
        return None
    from reuse.stages.align.cascade_kernel import copy_seeds as kernel

    return kernel


def range_vector(m: sparse.csr_matrix | Rows, first: int, last: int) -> np.ndarray:
    """Dense sum of rows ``first..last`` of a CSR matrix, read straight off its arrays (fast)."""
    lo, hi = m.indptr[first], m.indptr[last + 1]
    return np.bincount(m.indices[lo:hi], weights=m.data[lo:hi], minlength=m.shape[1])


def fragment_similarity(space: PairSpace | RawRows, a_range: tuple[int, int], b_range: tuple[int, int]) -> float:
    """Cosine of the summed tf-isf vectors of two unit ranges (inclusive): whole-passage similarity."""
    va = range_vector(space.a_raw, *a_range)
    vb = range_vector(space.b_raw, *b_range)
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    if na == 0 or nb == 0:
        return 0.0
    return float(va @ vb) / (na * nb)
