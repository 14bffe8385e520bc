"""Filtering: one passage per piece of reused text, and nothing too small to be evidence."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A candidate passage in token coordinates (inclusive) with its whole-passage similarity."""

    a_first: int
    a_last: int
    b_first: int
    b_last: int
    similarity: float
    origin: str = "sentence"  # "sentence" (cluster), "summary" (asymmetric cluster) or "run" (word runs)
    units: tuple[int, int, int, int] | None = None  # sentence-unit ranges (a first, a last, b first, b last)

    @property
    def size(self) -> int:
        return (self.a_last - self.a_first + 1) + (self.b_last - self.b_first + 1)


def _overlap(x0: int, x1: int, y0: int, y1: int) -> int:
    return max(0, min(x1, y1) - max(x0, y0) + 1)


def resolve_overlaps(spans: Sequence[Span], *, tolerance: float = 0.02) -> list[Span]:
    """Keep the stronger of passages that claim the same text on one side.

    Two candidates overlapping on one side usually mean one text was matched twice, once well and
    once by a weaker coincidental cluster: strongest (similarity, then size) first, a candidate
    overlapping a kept one is dropped unless it is as similar (within ``tolerance``) — a passage
    that really is repeated in the other document keeps both of its copies.
    """
    kept: list[Span] = []
    for s in sorted(spans, key=lambda s: (-s.similarity, -s.size)):
        clash = False
        for k in kept:
            ov_a = _overlap(s.a_first, s.a_last, k.a_first, k.a_last)
            ov_b = _overlap(s.b_first, s.b_last, k.b_first, k.b_last)
            if ov_a and ov_b:
                clash = True  # the same reuse found twice: the stronger one stands
            elif (ov_a or ov_b) and s.similarity < k.similarity - tolerance:
                clash = True
            if clash:
                break
        if not clash:
            kept.append(s)
    # A passage whose text on one side lies strictly inside a comparable passage's text there is
    # a fragment of that reuse matched again elsewhere (repeated boilerplate): drop it. A passage
    # repeated whole in the other document has an identical range and keeps both matches.
    final = [
        s for s in kept
        if not any(
            k is not s and k.similarity >= s.similarity - tolerance
            and (_inside(s.a_first, s.a_last, k.a_first, k.a_last) or _inside(s.b_first, s.b_last, k.b_first, k.b_last))
            for k in kept
        )
    ]
    return sorted(final, key=lambda s: (s.a_first, s.b_first))


def _inside(x0: int, x1: int, y0: int, y1: int) -> bool:
    """``[x0, x1]`` lies inside ``[y0, y1]`` and is not the same range."""
    return y0 <= x0 and x1 <= y1 and (x0, x1) != (y0, y1)


def crossing(spans: Sequence[Span]) -> bool:
    """Do two of ``spans`` lie in one order in document A and in the other order in document B?

    Exact copies that cross are text taken from two places and put back reordered: a passage
    holding both is not one piece of reuse, and the text between them need not be reuse at all.
    """
    ordered = sorted(spans, key=lambda s: (s.a_first, s.b_first))
    return any(
        x.a_last < y.a_first and y.b_last < x.b_first
        for i, x in enumerate(ordered) for y in ordered[i + 1:]
    )
