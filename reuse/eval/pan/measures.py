"""The PAN text-alignment measures (Potthast et al., COLING 2010), on character ranges.

A case (gold) or detection is an :class:`Annotation`: a character range in a suspicious document
and one in a source document. A detection *detects* a case when both ranges overlap and the two
name the same documents. Then, following the official PAN evaluation script:

* macro recall: mean over cases of the share of the case's characters (both sides counted) that
  lie inside the detections detecting it;
* macro precision: the same with the roles of cases and detections swapped;
* granularity: mean number of detections per detected case (1 when nothing is detected);
* plagdet: F1(precision, recall) / log2(1 + granularity).

Conventions of the official script for empty sets: no cases and no detections gives recall and
precision 1; exactly one of them empty gives 0 for both.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reuse.text.spans import overlaps, union_length


@dataclass(frozen=True, slots=True)
class Annotation:
    """``[this_offset, this_offset + this_length)`` of ``this_reference`` reused from the source range."""

    this_reference: str
    this_offset: int
    this_length: int
    source_reference: str
    source_offset: int
    source_length: int

    @property
    def key(self) -> tuple[str, str]:
        return self.this_reference, self.source_reference

    @property
    def this_span(self) -> tuple[int, int]:
        return self.this_offset, self.this_offset + self.this_length

    @property
    def source_span(self) -> tuple[int, int]:
        return self.source_offset, self.source_offset + self.source_length


@dataclass(frozen=True, slots=True)
class Scores:
    """The four PAN figures plus the counts they came from."""

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int
    pairs: int = 0
    pairs_detected: int = 0  # pairs with at least one detection

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "granularity": self.granularity,
                "plagdet": self.plagdet, "cases": self.cases, "detections": self.detections,
                "pairs": self.pairs, "pairs_detected": self.pairs_detected}


def _overlaps(a: Annotation, b: Annotation) -> bool:
    return a.key == b.key and overlaps(*a.this_span, *b.this_span) and overlaps(*a.source_span, *b.source_span)


def _covered(x: Annotation, others: Iterable[Annotation]) -> int:
    """Characters of ``x`` (both sides) inside the annotations of ``others`` that overlap it."""
    this, source = [], []
    for y in others:
        if _overlaps(x, y):
            this.append(_intersection(x.this_span, y.this_span))
            source.append(_intersection(x.source_span, y.source_span))
    return union_length(this) + union_length(source)


def _intersection(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return max(a[0], b[0]), min(a[1], b[1])


def _by_key(items: Iterable[Annotation]) -> dict[tuple[str, str], list[Annotation]]:
    index: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for a in items:
        index[a.key].append(a)
    return index


def macro_recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean share of each case's characters that detections detecting it cover."""
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    dets = _by_key(detections)
    total = 0.0
    for c in cases:
        size = c.this_length + c.source_length
        if size > 0:
            total += _covered(c, dets.get(c.key, ())) / size
    return total / len(cases)


def macro_precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Macro recall with cases and detections swapped (the PAN definition)."""
    return macro_recall(detections, cases)


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of detections per detected case; 1.0 when no case is detected."""
    dets = _by_key(detections)
    counts = [sum(_overlaps(c, d) for d in dets.get(c.key, ())) for c in cases]
    detected = [n for n in counts if n > 0]
    return sum(detected) / len(detected) if detected else 1.0


def plagdet(precision: float, recall: float, gran: float) -> float:
    """F1 of precision and recall, discounted by log2(1 + granularity)."""
    if precision <= 0 or recall <= 0 or gran < 1:
        return 0.0
    return 2 * precision * recall / (precision + recall) / math.log2(1 + gran)


def evaluate(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> Scores:
    """All four measures over one set of cases and detections (a folder, or a whole corpus)."""
    p, r = macro_precision(cases, detections), macro_recall(cases, detections)
    g = granularity(cases, detections)
    return Scores(p, r, g, plagdet(p, r, g), len(cases), len(detections))
