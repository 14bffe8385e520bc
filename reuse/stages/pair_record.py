"""A line of ``pairs.jsonl``: the pair's fields and each side's source and URL, made where they meet.

The local engine's writers make it with a map of the documents in pairs
(:func:`reuse.outputs.records.pair_records`); the Spark engine makes it on its executors, where each
pair meets its two documents (:mod:`reuse.engine.spark_documents`): one function, so one record.
"""
from __future__ import annotations

from typing import Any

from reuse.model import Document, DocumentInfo, Pair, source_of

Side = tuple[str, str | None]
"""What a pair's record shows of one of its documents: its source (:func:`~reuse.model.source_of`) and URL."""


def side_of(doc: Document | DocumentInfo) -> Side:
    return source_of(doc), doc.url  # type: ignore[arg-type]  # a DocumentInfo has both fields


def pair_record(p: Pair, side_a: Side | None, side_b: Side | None) -> dict[str, Any]:
    """A line of ``pairs.jsonl``: the pair's fields plus each side's source and URL (a document not
    at hand shows its id as source and no URL)."""
    rec = p.to_record()
    (source_a, url_a), (source_b, url_b) = side_a or (p.doc_a, None), side_b or (p.doc_b, None)
    rec["source_a"], rec["source_b"], rec["url_a"], rec["url_b"] = source_a, source_b, url_a, url_b
    return rec
