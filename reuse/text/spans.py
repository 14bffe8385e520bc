"""Arithmetic on half-open ``[start, end)`` character spans, shared by the measures and reports."""
from __future__ import annotations

from collections.abc import Iterable


def union_length(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of ``[start, end)`` spans (overlaps counted once)."""
    total, reach = 0, None
    for s, e in sorted(spans):
        if reach is None or s >= reach:
            total += e - s
            reach = e
        elif e > reach:
            total += e - reach
            reach = e
    return total


def overlaps(s0: int, e0: int, s1: int, e1: int) -> bool:
    """Whether half-open spans ``[s0, e0)`` and ``[s1, e1)`` share a position.

    Inclusive word ranges ``first..last`` are the half-open spans ``[first, last + 1)``.
    """
    return s0 < e1 and s1 < e0


def overlap_length(s0: int, e0: int, s1: int, e1: int) -> int:
    """Positions shared by half-open spans ``[s0, e0)`` and ``[s1, e1)`` (0 when apart)."""
    return max(0, min(e0, e1) - max(s0, s1))


def contains(outer: tuple[int, int], s: int, e: int) -> bool:
    """Whether half-open span ``outer`` holds all of ``[s, e)``."""
    return outer[0] <= s and e <= outer[1]
