"""Records cross between the scan's process and its workers as tuples and come back the same records."""
from __future__ import annotations

import dataclasses
import pickle

from reuse.engine.packed import document, document_fields, pack_aligned, unpack_aligned, with_texts
from reuse.model import Document, Pair, Passage
from reuse.stages.pair import Aligned


def test_aligned_pairs_cross_from_a_task_packed_and_come_back_whole_without_passage_texts():
    p = Passage("a", 0, 5, "b", 3, 8, "fuzzy", 0.75, "hello", "world", 4, ("x", "y"), (0, 1), (2, 3))
    pair = Pair("a", "b", 0.5, 0.25, 0.1, 0.2, 0.3, 1, 0.4, 0.6, ("x",), ("fuzzy",))
    aligned = [Aligned(0, 1, 0.25, pair, [p, dataclasses.replace(p, a_words=None)]), Aligned(1, 2, 0.5, None, [])]
    back = unpack_aligned(pickle.loads(pickle.dumps(pack_aligned(aligned))))
    bare = [dataclasses.replace(q, text_a="", text_b="") for q in aligned[0].passages]
    assert back == [dataclasses.replace(aligned[0], passages=bare), aligned[1]]
    assert [(q.a_words, q.b_words) for q in back[0].passages] == [((0, 1), (2, 3)), (None, (2, 3))]  # not compared by ==
    again = with_texts(back[0].passages[0], "hello", "world")  # the results cut the texts again
    assert again == p and (again.a_words, again.b_words) == ((0, 1), (2, 3))


def test_a_task_gets_each_documents_fields_in_order_and_its_text_read_back():
    doc = Document(id="d1", text="", source="wire", title="T", url="http://x", date="2024-01-02", origin="o",
                   meta={"k": 1})
    assert document(document_fields(doc), "the text") == Document(id="d1", text="the text", source="wire", title="T",
                                                                    url="http://x", date="2024-01-02", origin="o",
                                                                    meta={"k": 1})
