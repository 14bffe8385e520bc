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
