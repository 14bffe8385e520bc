"""Cross-document unit pairs worth judging, from an inverted index over claim evidence.

Comparing every sentence with every other is quadratic; comparing only sentences of document
pairs the aligner already found misses the reworded claim between two articles that share no
wording. Instead all units of the corpus go into one sparse matrix (rows: units, columns: term
ids), and candidate pairs come from its product restricted to *evidence* columns: terms that are
not background (:func:`units.background_terms`) and occur in at most ``cap`` units. Two units are
a candidate when they share at least ``MIN_SHARED`` such terms; only candidates get a cosine.

The cap is chosen per corpus from the distribution of those columns' frequencies so that the
pairs the index can produce stay within ``PAIR_BUDGET`` per unit: on a few hundred articles
nothing is capped; on a million, a term in thousands of sentences (a news month's "Ukraine")
still counts in cosine and evidence, it just cannot nominate pairs on its own. The product runs
in row blocks, so memory stays bounded whatever the corpus size.

The index reads the units as rows (:class:`.unit_rows.UnitRows`): a window's row is made from its
sentences' when read, a block of rows (or a gathered set) at a time, never stored whole.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse

from reuse.stages.talking.unit_rows import UnitRows, UnitTable
from reuse.stages.talking.units import Units

MIN_SHARED = 2
"""Shared evidence terms a unit pair needs to be a candidate (a single shared word is chance)."""
PAIR_BUDGET = 50
"""Index pairs allowed per unit when choosing the document-frequency cap."""
MIN_BUDGET = 2_000_000
"""Index pairs always allowed: a small corpus is never capped."""
BLOCK_ROWS = 4096
"""Units per block of the candidate product (each block is scored and filtered before the next)."""


def unit_matrix(units: Units, n_terms: int) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """All units of the corpus as rows of one CSR matrix (over the arrays of ``units``: no copy of the
    entries; a window's row is empty, see :class:`.unit_rows.UnitRows`); also each row's document and
    first row per document."""
    m = sparse.csr_matrix((units.weights, units.terms, units.indptr), shape=(int(units.first_row[-1]), n_terms))
    row_doc = np.repeat(np.arange(len(units), dtype=np.int64), np.diff(units.first_row))
    return m, row_doc, units.first_row


def evidence_cap(col_count: np.ndarray, n_rows: int, budget: int = PAIR_BUDGET) -> int:
    """The largest column frequency such that columns up to it yield at most ``budget * n_rows`` pairs
    (or ``MIN_BUDGET``, whichever is more)."""
    c = np.sort(col_count[col_count >= 2]).astype(np.float64)
    if len(c) == 0:
        return 1
    cum = np.cumsum(c * (c - 1) / 2)
    ok = np.flatnonzero(cum <= max(budget * max(n_rows, 1), MIN_BUDGET))
    if len(ok) == len(c):
        return int(c[-1])
    return int(c[ok[-1]]) if len(ok) else 1


def as_rows(m: UnitRows | sparse.csr_matrix) -> UnitRows:
    """``m`` as rows: a CSR matrix's rows are each a sentence of its own."""
    return m if isinstance(m, UnitRows) else UnitRows.plain(m)


def candidate_pairs(m: UnitRows | sparse.csr_matrix, row_doc: np.ndarray, background: np.ndarray, *, min_score: float,
                    allowed: Callable[[np.ndarray], np.ndarray] | None = None,
                    min_shared: int = MIN_SHARED) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs ``(a, b)``, ``a < b``, of different documents sharing ``min_shared`` evidence terms
    and with cosine >= ``min_score``, and those cosines.

    ``allowed`` (document pairs -> mask) applies the scan's scope. Each block of rows is scored
    and filtered before the next, so memory holds one block's candidates at a time.
    """
    index = CandidateIndex(m, row_doc, background, min_score=min_score, min_shared=min_shared)
    found = [index.block(lo, hi, allowed) for lo, hi in index.blocks()]
    return joined(found)


class CandidateIndex:
    """The evidence index of the units' rows (:func:`candidate_pairs`), built once; its blocks of rows
    are independent, so they may run in any process that shares it (the engine's pool forks its
    workers with it), and joined in block order they are :func:`candidate_pairs`."""

    def __init__(self, m: UnitRows | sparse.csr_matrix, row_doc: np.ndarray, background: np.ndarray, *,
                 min_score: float, min_shared: int = MIN_SHARED, columns: tuple[np.ndarray, np.ndarray] | None = None
                 ) -> None:
        m = as_rows(m)
        self.m, self.row_doc, self.min_score = m, row_doc, min_score
        self.n_rows = m.n_rows if m.n_rows >= 2 else 0
        if self.n_rows == 0:
            return
        # ``columns``: :func:`evidence_columns` of ``m``, made once elsewhere (Spark stores them for its tasks)
        self.shared = _SharedPairs(m, columns if columns is not None else evidence_columns(m, background), row_doc,
                                   min_shared)

    def blocks(self, rows: int = BLOCK_ROWS) -> list[tuple[int, int]]:
        """The row ranges of the blocks, in order."""
        return [(s, min(s + rows, self.n_rows)) for s in range(0, self.n_rows, rows)]

    def block(self, lo: int, hi: int, allowed: Callable[[np.ndarray], np.ndarray] | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
        """The candidates whose first row is in ``lo:hi``, in order, and their cosines."""
        pairs = self.shared(lo, hi)
        if allowed is not None and len(pairs):
            pairs = pairs[allowed(self.row_doc[pairs])]
        cos = pair_cosines(self.m, pairs)
        keep = cos >= self.min_score
        return pairs[keep], cos[keep]


def evidence_columns(m: UnitRows | sparse.csr_matrix, background: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The inverted lists of ``m``'s evidence columns (:func:`column_rows`): not background, in at least
    two rows and at most the corpus's cap (:func:`evidence_cap`). What the index is built of."""
    m = as_rows(m)
    col_count = column_counts(m)
    cap = evidence_cap(np.where(background, 0, col_count), m.n_rows)
    evidence = ~background & (col_count <= cap) & (col_count >= 2)
    return column_rows(m, evidence, col_count)


def joined(found: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Blocks' candidates and cosines (:meth:`CandidateIndex.block`), in block order, as one."""
    if not found:
        return np.empty((0, 2), dtype=np.int64), np.empty(0)
    return np.concatenate([p for p, _ in found]), np.concatenate([c for _, c in found])


def column_counts(m: UnitRows | sparse.csr_matrix, block: int | None = None) -> np.ndarray:
    """Rows per column of ``m``, counted a block of rows at a time (each block made whole, windows
    too): ``np.bincount`` makes a 64-bit copy of the 32-bit indices it counts, and of all of them at
    once that copy was the evidence index's peak of memory (about 6 GB on a million documents)."""
    m = as_rows(m)
    block = block or _BLOCK
    out = np.zeros(m.n_terms, dtype=np.int64)
    for s in range(0, m.n_rows, block):
        out += np.bincount(m.block(s, min(s + block, m.n_rows)).terms, minlength=m.n_terms)
    return out


def column_rows(m: UnitRows | sparse.csr_matrix, evidence: np.ndarray, col_count: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray]:
    """The rows of each evidence column of ``m`` (``evidence``: a mask of its columns), ascending, as
    ``(col_ptr, col_rows)``: column ``c``'s rows are ``col_rows[col_ptr[c]:col_ptr[c + 1]]``, every
    other column's none (the transpose of ``m``'s evidence entries, without values); ``col_count``:
    ``m``'s entries per column, if known.

    This is all the index copies of ``m``: the rows are walked a block at a time, made from ``m``'s
    own arrays (mapped from disk). A copy of the evidence columns with their weights, then its
    transpose, was the stage's peak of anonymous memory on a million documents. Row ids are 32-bit
    where they fit. One compiled pass over each block's entries where numba is on, else its numpy twin.
    """
    from reuse.jit import ENABLED

    m = as_rows(m)
    if col_count is None:
        col_count = column_counts(m)
    col_ptr = np.zeros(m.n_terms + 1, dtype=np.int64)
    np.cumsum(np.where(evidence, col_count, 0), out=col_ptr[1:])
    col_rows = np.empty(int(col_ptr[-1]), dtype=np.int32 if m.n_rows < 2**31 else np.int64)
    fill = col_ptr[:-1].copy()
    rows, cols = [], []
    for lo in range(0, m.n_rows, _BLOCK):
        b = m.block(lo, min(lo + _BLOCK, m.n_rows))
        if ENABLED:
            from reuse.stages.talking import candidate_kernel

            candidate_kernel.column_rows(b.indptr, b.terms, lo, col_ptr, col_rows, fill)
            continue
        kept = evidence[b.terms]
        rows.append(np.repeat(np.arange(lo, lo + len(b.indptr) - 1, dtype=col_rows.dtype), np.diff(b.indptr))[kept])
        cols.append(b.terms[kept])
    if rows:
        col_rows[:] = np.concatenate(rows)[np.argsort(np.concatenate(cols), kind="stable")]
    return col_ptr, col_rows


_BLOCK = 1 << 16
"""Rows per step of the passes over all of a matrix's entries (each step's arrays are this many rows')."""


class _SharedPairs:
    """The row pairs sharing ``min_shared`` evidence columns of ``m`` (:func:`column_rows`) across
    documents, a block of first rows at a time, in order: the compiled walk of the inverted lists
    (:mod:`.candidate_kernel`) where numba is on (and ``compiled``), else the sparse product ``e @ e.T``
    of the binary evidence matrix ``e``."""

    def __init__(self, m: UnitRows | sparse.csr_matrix, columns: tuple[np.ndarray, np.ndarray], row_doc: np.ndarray,
                 min_shared: int, *, compiled: bool = True) -> None:
        from reuse.jit import ENABLED

        m = self.rows = as_rows(m)
        self.col_ptr, self.col_rows = columns
        self.row_doc, self.min_shared = row_doc, min_shared
        if ENABLED and compiled:
            from reuse.stages.talking.candidate_kernel import shared_pairs

            self.kernel = shared_pairs
            most = _most_reached(m, np.diff(self.col_ptr))
            self.count, self.seen = np.zeros(m.n_rows, np.int32), np.empty(max(most, 1), np.int64)
            self.out = np.empty((2, 1 << 20), np.int64)
            # per row, the first row of the next document (32-bit where it fits: one of the index's few
            # arrays as long as the rows)
            ends = np.r_[np.flatnonzero(row_doc[1:] != row_doc[:-1]) + 1, len(row_doc)]
            self.doc_end = np.repeat(ends.astype(self.col_rows.dtype), np.diff(np.r_[0, ends]))
            # an empty walk loads the compiled kernel here: workers forked with this index inherit it
            self.kernel(np.zeros(1, np.int64), self.col_rows, 0, self.col_ptr, self.col_rows, self.doc_end, 0, 0,
                        min_shared, self.count, self.seen, self.out)
        else:
            self.kernel = None
            ones = np.ones(len(self.col_rows), dtype=np.float32)  # counts of shared columns, exact in float32
            self.et = sparse.csr_matrix((ones, self.col_rows, self.col_ptr), shape=(m.n_terms, m.n_rows))
            self.e = self.et.T.tocsr()

    def __call__(self, lo: int, hi: int) -> np.ndarray:
        if self.kernel is not None:
            found = []
            rows, base = self.rows.block(lo, hi), lo  # the block's rows made whole, once
            while lo < hi:
                m, at = self.kernel(rows.indptr, rows.terms, base, self.col_ptr, self.col_rows, self.doc_end, lo, hi,
                                    self.min_shared, self.count, self.seen, self.out)
                if at == lo and m == 0:  # one row's partners fill more than the buffer
                    self.out = np.empty((2, 2 * self.out.shape[1]), np.int64)
                found.append(self.out[:, :m].T.copy())
                lo = at
            pairs = np.concatenate(found) if found else np.empty((0, 2), np.int64)
            return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        block = (self.e[lo:hi] @ self.et).tocoo()
        rows = block.row.astype(np.int64) + lo
        cols = block.col.astype(np.int64)
        keep = (cols > rows) & (block.data >= self.min_shared)
        rows, cols = rows[keep], cols[keep]
        keep = self.row_doc[rows] != self.row_doc[cols]
        order = np.lexsort((cols[keep], rows[keep]))
        return np.stack((rows[keep][order], cols[keep][order]), axis=1)


def _most_reached(m: UnitRows | sparse.csr_matrix, col_rows: np.ndarray, block: int = _BLOCK) -> int:
    """The most rows any one row of ``m`` meets through its columns (``col_rows``: rows per column),
    with duplicates: the size of the kernel's scratch. Summed a block of rows at a time, so that no
    array as long as all of the entries is made."""
    m = as_rows(m)
    most = 0
    for s in range(0, m.n_rows, block):
        b = m.block(s, min(s + block, m.n_rows))
        reach = np.r_[0, np.cumsum(col_rows[b.terms], dtype=np.int64)]
        most = max(most, int((reach[b.indptr[1:]] - reach[b.indptr[:-1]]).max(initial=0)))
    return most


def pair_cosines(m: UnitRows | sparse.csr_matrix, pairs: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """Cosine (dot product of normalised rows) of each row pair: the compiled walk of the two rows,
    each made as it is met (:func:`.candidate_kernel.row_dots`; a unit's terms ascend) where numba is
    on, else its twin, the rows gathered and multiplied by scipy in chunks (the same float32 sums,
    bit for bit: see the kernel)."""
    from reuse.jit import ENABLED

    m = as_rows(m)
    if ENABLED and len(pairs):
        from reuse.stages.talking.candidate_kernel import row_dots

        pairs = np.ascontiguousarray(pairs, dtype=np.int64)
        out = np.empty(len(pairs), dtype=np.float32)
        row_dots(pairs, *m.arrays(), max(m.most, 1), np.full(1, -0.0, np.float32), out)
        return out.astype(np.float64)
    out = [np.asarray(_csr(m.gather(pairs[s : s + chunk, 0]), m.n_terms).multiply(
        _csr(m.gather(pairs[s : s + chunk, 1]), m.n_terms)).sum(axis=1)).ravel() for s in range(0, len(pairs), chunk)]
    return np.concatenate(out).astype(np.float64) if out else np.empty(0, dtype=np.float64)


def _csr(table: UnitTable, n_terms: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((table.weights, table.terms, table.indptr), shape=(len(table.indptr) - 1, n_terms))


def best_links(pairs: np.ndarray, scores: np.ndarray, row_doc: np.ndarray) -> np.ndarray:
    """Competitive linking: keep a pair only if it is the best match of one of its units in the other document.

    So one generic sentence cannot fan out to every sentence of another document.
    """
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool)
    return best_of_side(pairs, scores, row_doc, 0) | best_of_side(pairs, scores, row_doc, 1)


def best_of_side(pairs: np.ndarray, scores: np.ndarray, row_doc: np.ndarray, side: int) -> np.ndarray:
    """Which pairs are the best match of their unit on ``side`` (0 or 1) in the other side's document: one
    half of :func:`best_links`. Exact on any subset of pairs that holds every pair of each such unit
    (Spark computes each half where those pairs meet)."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool)
    key = pairs[:, side] * (int(row_doc.max()) + 1) + row_doc[pairs[:, 1 - side]]
    u, inv = np.unique(key, return_inverse=True)
    best = np.full(len(u), -np.inf)
    np.maximum.at(best, inv.ravel(), scores)
    return scores >= best[inv.ravel()]
