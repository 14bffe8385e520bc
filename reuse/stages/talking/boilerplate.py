"""Boilerplate lines: the line hashes the count pass gathers, cut down as they come, and which of
them are boilerplate (a line in at least ``min_docs`` documents of one source, in no other source).

Every document's lines used to wait for the merge; only what the question needs is kept
(:func:`clip_lines`), so a line repeated across a source (the boilerplate itself) holds a
bounded number of rows however large the corpus.
"""
from __future__ import annotations

import numpy as np

COMPACT_ROWS = 4_000_000
"""Rows held before the kept rows are clipped again as one (as :data:`.units.COMPACT_ROWS` for the counts)."""


def clip_lines(h: np.ndarray, src: np.ndarray, min_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Line hashes ``h`` (one row per document holding a line) and their sources, cut down to what
    the merge (:func:`~.units.merge`) asks of them: whether at least ``min_docs`` rows hold a hash and whether their
    sources are one. A hash keeps ``min(rows, min_docs)`` rows, its least source on the first and
    its greatest on the rest: the answers are the same however often rows are clipped and
    joined, and a repeated line (the boilerplate itself) stops growing with the corpus."""
    if not len(h):
        return h, src
    order = np.lexsort((src, h))
    h, src = h[order], src[order]
    start = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    end = np.r_[start[1:], len(h)]
    keep = np.minimum(end - start, min_docs)
    out = np.repeat(src[end - 1], keep)
    out[np.r_[0, np.cumsum(keep)[:-1]]] = src[start]
    return np.repeat(h[start], keep), out


class Lines:
    """The batches' line hashes and sources, clipped (:func:`clip_lines`) as they come and again as
    the rows grow: not every document's lines kept until the merge."""

    def __init__(self, min_docs: int) -> None:
        self.min_docs = min_docs
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        self.rows = 0
        self.limit = COMPACT_ROWS

    def add(self, h: np.ndarray, src: np.ndarray) -> None:
        if len(h):
            self.parts.append(clip_lines(h, src, self.min_docs))
            self.rows += len(self.parts[-1][0])
        if self.rows > self.limit and len(self.parts) > 1:
            self.parts = [self.total()]
            self.rows = len(self.parts[0][0])
            # Lines seen once each (most of a corpus's) survive a clip: compacting again as soon as
            # the rows pass a fixed bound would re-sort them all at every batch. Twice what survived
            # keeps the memory within 2x of the kept rows and the sorting's total linear-logarithmic.
            self.limit = max(COMPACT_ROWS, 2 * self.rows)

    def total(self) -> tuple[np.ndarray, np.ndarray]:
        h = np.concatenate([p[0] for p in self.parts] or [np.empty(0, np.uint64)])
        s = np.concatenate([p[1] for p in self.parts] or [np.empty(0, np.int64)])
        return clip_lines(h, s, self.min_docs)


def boilerplate(h: np.ndarray, s: np.ndarray, min_docs: int) -> np.ndarray:
    """Lines in at least ``min_docs`` rows of ``h`` (documents: a document's repeats included), all of
    one source."""
    if len(h) == 0:
        return np.empty(0, np.uint64)
    order = np.lexsort((s, h))
    h, s = h[order], s[order]
    start = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    count = np.diff(np.r_[start, len(h)])  # documents holding each line (a document's repeats included)
    one_source = np.maximum.reduceat(s, start) == np.minimum.reduceat(s, start)
    return np.sort(h[start][(count >= min_docs) & one_source])
