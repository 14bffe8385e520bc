"""Corpus-level numbers for the report's overview: counts, and how much each source shares with each other.

A document's source is :func:`reuse.model.source_of` (its ``source``, or its id; a folder of files is a
corpus of one-document sources). The source map answers "who reuses whom" at a glance, which the
pair list, one pair at a time, cannot.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from reuse.model import Results, source_of
from reuse.text.spans import union_length

MAX_MAP_SOURCES = 24  # sources drawn in the map: the ones sharing most; the rest are counted, not drawn


@dataclass(frozen=True, slots=True)
class SourceMap:
    """``share[i][j]``: the fraction of source i's text (characters) that is shared with documents of source j."""

    sources: tuple[str, ...]
    share: tuple[tuple[float, ...], ...]
    total_sources: int  # all sources in the corpus; ``len(sources)`` may be fewer


def source_map(results: Results, limit: int = MAX_MAP_SOURCES) -> SourceMap:
    """Share of each source's characters inside passages whose partner lies in each other source.

    Overlapping passages of one document with the same partner source are counted once (their
    union), so a share never exceeds 1.
    """
    src = {d.id: source_of(d) for d in results.documents}
    size: Counter[str] = Counter()
    for d in results.documents:
        size[source_of(d)] += len(d.text)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)  # (doc, partner source) -> spans
    for p in results.passages:
        spans[(p.doc_a, src[p.doc_b])].append((p.a_start, p.a_end))
        spans[(p.doc_b, src[p.doc_a])].append((p.b_start, p.b_end))
    shared: Counter[tuple[str, str]] = Counter()
    for (doc, other), doc_spans in spans.items():
        shared[(src[doc], other)] += union_length(doc_spans)
    weight: Counter[str] = Counter()
    for (s, t), chars in shared.items():
        weight[s] += chars
        weight[t] += chars
    chosen = sorted(weight, key=lambda s: (-weight[s], s))[:limit]
    chosen.sort()
    share = tuple(
        tuple(shared[(s, t)] / size[s] if size[s] else 0.0 for t in chosen) for s in chosen
    )
    return SourceMap(tuple(chosen), share, len(size))


def kind_counts(results: Results) -> dict[str, int]:
    """Passages per kind, in the canonical order, zeros included."""
    counts = Counter(p.kind for p in results.passages)
    return {k: counts.get(k, 0) for k in ("verbatim", "fuzzy", "paraphrase")} | {
        k: v for k, v in counts.items() if k not in ("verbatim", "fuzzy", "paraphrase")
    }
