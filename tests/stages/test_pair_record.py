"""A line of pairs.jsonl: the pair's fields, then each side's source and URL."""
from __future__ import annotations

from reuse.model import Document, DocumentInfo, Pair
from reuse.stages.pair_record import pair_record, side_of


def test_a_pairs_line_shows_each_sides_source_and_url_or_its_id_when_not_at_hand():
    p = Pair("a", "b", 0.51234, 0.4, 0.3, 0.2, 0.1, 1, 0.5, 0.25, ("x",), ("verbatim",))
    a = side_of(Document(id="a", text="t", source="Herald", url="https://h/a"))
    assert a == side_of(DocumentInfo("a", "o", "Herald", url="https://h/a")) == ("Herald", "https://h/a")
    rec = pair_record(p, a, None)
    assert list(rec)[-4:] == ["source_a", "source_b", "url_a", "url_b"] and rec["score"] == 0.5123
    assert (rec["source_a"], rec["url_a"], rec["source_b"], rec["url_b"]) == ("Herald", "https://h/a", "b", None)
    assert side_of(Document(id="c", text="t")) == ("c", None)  # no source: its id, as source_of says
