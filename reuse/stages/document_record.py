"""A document's line of ``documents.jsonl``, made wherever its counters are.

The writer counts them while it streams the pairs and passages (:mod:`reuse.outputs.records`);
the Spark engine counts them on its executors, per document (:mod:`reuse.engine.spark_documents`):
one function for the record, so both give the same line.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reuse.model import DocumentInfo
from reuse.text.spans import union_length


def document_record(d: DocumentInfo, n_pairs: int, best: float, spans: Iterable[tuple[int, int]]) -> dict[str, Any]:
    """A document's line of ``documents.jsonl``: its fields, its pair count, its best pair score (0.0
    when in no pair) and the spans of its reported passages (counted once where they overlap)."""
    shared = union_length(spans)
    return {
        "id": d.id, "origin": d.origin, "source": d.source or d.id, "title": d.title, "date": d.date, "url": d.url,
        "n_chars": d.characters, "n_pairs": n_pairs, "best_score": round(best, 4),
        "reused_share": round(shared / d.characters, 4) if d.characters else 0.0, "n_tokens": d.tokens,
    }
