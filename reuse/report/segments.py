"""Cut a text into segments at passage boundaries, so each piece can be highlighted once.

Shared by the HTML report and the terminal view: both must show exactly ``text[start:end]``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    marks: tuple[int, ...]  # indices of the spans covering this segment (empty: plain text)


def segment(length: int, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """Split ``[0, length)`` at every span edge; each segment lists the spans covering it."""
    cuts = {0, length}
    for s, e in spans:
        cuts.add(max(0, min(length, s)))
        cuts.add(max(0, min(length, e)))
    edges = sorted(cuts)
    out = []
    for a, b in zip(edges, edges[1:]):
        if a == b:
            continue
        out.append(Segment(a, b, tuple(k for k, (s, e) in enumerate(spans) if s <= a and b <= e)))
    return out
