"""The units' rows as their readers see them: a window's entries derived from its sentences' when read.

A window (2+ adjacent sentences of one paragraph) is the sum of its sentences' claim terms: per
term, the strongest occurrence (of the shortest name phrase; the first of equals), weighted
``discount * idf`` and L2-normalised over the window. Stored as rows of their own, windows' entries
were 59% of the units' (each sentence's entries copied into every window holding it), and the
units' files were most of a million-document scan's memory. So only sentences' entries are stored
(with each entry's name-phrase length, ``phrase``) and each window's norm; a window's row is made
when read, by merging its sentences' rows in term order: the same terms, positions, flags and
float32 weights, bit for bit, as the stored row was.

Readers take rows a block or a gathered set at a time (:meth:`UnitRows.block`,
:meth:`UnitRows.gather`: a :class:`UnitTable`) or, in the compiled cosines, one row at a time
(:func:`.row_kernel.expand_row`). The merge is compiled where numba is on, else its numpy twin
(:func:`_gather_numpy`: the same selection as :func:`.units.units_batch` made, one sort).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from reuse.stages.talking.units import ENTRY_NAME, Units, flat_ranges


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Rows' entries as flat arrays, row ``r``'s in ``indptr[r]:indptr[r+1]``, terms ascending: what
    :func:`.evidence.judge_pairs` reads (rows made by :class:`UnitRows`)."""

    indptr: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    pos: np.ndarray
    flags: np.ndarray


@dataclass(frozen=True, slots=True)
class UnitRows:
    """Every unit of a corpus as a row of claim terms: sentences' rows stored, windows' derived.

    ``indptr`` ... ``phrase``: the stored entries (:class:`~.unit_arrays.Units`; a window's row empty);
    ``spans``: each row's first and last sentence in its document (``row_doc``, whose first row is
    ``first_row``); ``norm``: each row's norm; ``idf``: per term. ``widest``: the most sentences a row
    spans; ``most``: the most stored entries a row's sentences hold (the longest row's bound).
    """

    indptr: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    pos: np.ndarray
    flags: np.ndarray
    phrase: np.ndarray
    spans: np.ndarray
    norm: np.ndarray
    row_doc: np.ndarray
    first_row: np.ndarray
    idf: np.ndarray
    widest: int
    most: int

    @classmethod
    def of(cls, units: Units, idf: np.ndarray, row_doc: np.ndarray | None = None) -> UnitRows:
        """The rows of ``units`` (their own arrays, no copy) under the model's ``idf``; ``row_doc``
        each row's document, if made already (:func:`.candidates.unit_matrix`)."""
        if row_doc is None:
            row_doc = np.repeat(np.arange(len(units), dtype=np.int64), np.diff(units.first_row))
        rows = cls(units.indptr, units.terms, units.weights, units.pos, units.flags, units.phrase, units.spans,
                   units.norm, row_doc, units.first_row, np.asarray(idf, dtype=np.float64), 1, 0)
        widest = most = 0
        for s in range(0, rows.n_rows, _STEP):  # a step at a time: no array as long as the rows is made
            at = np.arange(s, min(s + _STEP, rows.n_rows))
            widest = max(widest, int((rows.spans[at, 1].astype(np.int64) - rows.spans[at, 0]).max()) + 1)
            most = max(most, int(rows.bounds(at).max()))
        return replace(rows, widest=max(widest, 1), most=most)

    @classmethod
    def plain(cls, m: sparse.csr_matrix) -> UnitRows:
        """The rows of a CSR matrix, each a sentence of its own (no windows; no positions or flags)."""
        n, nnz = m.shape[0], m.nnz
        return cls(m.indptr, m.indices, m.data.astype(np.float32), np.zeros(nnz, np.uint16), np.zeros(nnz, np.uint8),
                   np.ones(nnz, np.uint8), np.zeros((n, 2), np.uint16), np.ones(n), np.arange(n, dtype=np.int64),
                   np.arange(n + 1, dtype=np.int64), np.ones(m.shape[1]), 1, int(np.diff(m.indptr).max(initial=0)))

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @property
    def n_terms(self) -> int:
        return len(self.idf)

    def sentences(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first and last sentence row of each of ``rows`` (a sentence's: itself)."""
        base = self.first_row[self.row_doc[rows]]
        return base + self.spans[rows, 0], base + self.spans[rows, 1]

    def bounds(self, rows: np.ndarray) -> np.ndarray:
        """Per row of ``rows``, the stored entries its sentences hold (an upper bound of its own)."""
        first, last = self.sentences(rows)
        return self.indptr[last + 1].astype(np.int64) - self.indptr[first]

    def block(self, lo: int, hi: int) -> UnitTable:
        """Rows ``lo:hi`` made whole (their ``indptr`` counts from 0)."""
        return self.gather(np.arange(lo, hi, dtype=np.int64))

    def gather(self, rows: np.ndarray) -> UnitTable:
        """The rows ``rows`` (in that order, repeats allowed) made whole, as a table of their own."""
        from reuse.jit import ENABLED

        rows = np.asarray(rows, dtype=np.int64)
        if ENABLED:
            from reuse.stages.talking.row_kernel import gather_rows

            size = int(self.bounds(rows).sum())
            out = UnitTable(np.empty(len(rows) + 1, np.int64), np.empty(size, self.terms.dtype),
                            np.empty(size, np.float32), np.empty(size, self.pos.dtype), np.empty(size, self.flags.dtype))
            n = gather_rows(rows, *self.arrays(), out.indptr, out.terms, out.weights, out.pos, out.flags)
            return UnitTable(out.indptr, out.terms[:n], out.weights[:n], out.pos[:n], out.flags[:n])
        return _gather_numpy(self, rows)

    def arrays(self) -> tuple:
        """The arrays the compiled merge reads, in its order, and its scratch (one slot per spanned sentence)."""
        return (self.indptr, self.terms, self.weights, self.pos, self.flags, self.phrase, self.spans, self.row_doc,
                self.first_row, self.norm, self.idf, np.empty(max(self.widest, 1), np.int64))


_STEP = 1 << 20
"""Rows per step of :meth:`UnitRows.of`'s pass over them."""


def _gather_numpy(rows_of: UnitRows, rows: np.ndarray) -> UnitTable:
    """:meth:`UnitRows.gather` with numpy: each row's sentences' entries in sentence order, sorted
    (stably) by row, term and phrase length, the first of each (row, term) kept; a window's weight
    made afresh under its norm (the arithmetic :func:`.units.units_batch` did)."""
    first, last = rows_of.sentences(rows)
    lo, hi = rows_of.indptr[first].astype(np.int64), rows_of.indptr[last + 1].astype(np.int64)
    take = flat_ranges(lo, hi)
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), hi - lo)
    terms = rows_of.terms[take]
    order = np.lexsort((rows_of.phrase[take], terms, owner))
    owner, take, terms = owner[order], take[order], terms[order]
    keep = np.r_[True, (owner[1:] != owner[:-1]) | (terms[1:] != terms[:-1])] if len(take) else np.zeros(0, bool)
    owner, take, terms = owner[keep], take[keep], terms[keep]
    flags = rows_of.flags[take]
    window = (last != first)[owner]
    discount = np.where((flags & ENTRY_NAME) > 0, 1.0 / np.sqrt(rows_of.phrase[take].astype(np.int64)), 1.0)
    derived = (discount * rows_of.idf[terms] / rows_of.norm[rows[owner]]).astype(np.float32)
    weights = np.where(window, derived, rows_of.weights[take]).astype(np.float32)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=len(rows)), out=indptr[1:])
    return UnitTable(indptr, terms, weights, rows_of.pos[take], flags)
