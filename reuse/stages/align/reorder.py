"""Reordered copies: exact copies that cross are reported one by one, never merged over the text between.

A new article may quote two sentences of an older one verbatim, in the opposite order, with its
own sentences around them. Sentence-level clustering sees two seeds close together on both axes
and makes one passage of them, sweeping in the unrelated text between on both sides, with
``text_a`` and ``text_b`` that no longer read alike. What gives it away is that the exact copies
inside cross: A has them in one order, B in the other, so they were moved, not edited in place.
Such a passage is replaced by its copies (chains of exact runs, each monotone on both sides, so
each keeps exact offsets and its own kind, ``verbatim`` or ``fuzzy``).

PAN's text-alignment gold annotates a passage whose sentences were shuffled (its "random
obfuscation") as one case; ``ReuseConfig.merge_reordered`` keeps such passages whole for it.
"""
from __future__ import annotations

from collections.abc import Sequence

from reuse.stages.align.filter import Span, crossing


def _clash(x: Span, y: Span) -> bool:
    return (x.a_first <= y.a_last and y.a_first <= x.a_last) and (x.b_first <= y.b_last and y.b_first <= x.b_last)


def moved_copies(span: Span, word_spans: Sequence[Span]) -> list[Span]:
    """The copies to report instead of ``span`` when copies inside it cross; empty when it stands."""
    inside = [w for w in word_spans if _clash(w, span)]
    return inside if crossing(inside) else []
