"""A document's line of documents.jsonl from its counters."""
from __future__ import annotations

from reuse.model import DocumentInfo
from reuse.stages.document_record import document_record


def test_overlapping_spans_count_once_and_a_document_in_no_pair_gets_zeros():
    d = DocumentInfo("a", "f.jsonl", None, "T", None, None, characters=200, tokens=30)
    rec = document_record(d, 2, 0.123456, [(0, 50), (40, 100), (150, 160)])
    assert rec["source"] == "a" and rec["n_pairs"] == 2 and rec["best_score"] == 0.1235 and rec["reused_share"] == 0.55
    alone = document_record(d, 0, 0.0, ())
    assert (alone["n_pairs"], alone["best_score"], alone["reused_share"]) == (0, 0.0, 0.0)
    assert document_record(DocumentInfo("e", "f", characters=0), 0, 0.0, ())["reused_share"] == 0.0
