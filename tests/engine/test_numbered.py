"""The documents of a run: text and extra fields kept out of memory, given back exactly."""
from __future__ import annotations

import datetime

from reuse.engine.local import LocalEngine
from reuse.engine.numbered import Numbered
from reuse.model import Document


def test_documents_come_back_whole_and_metas_hold_neither_text_nor_extra_fields():
    docs = [Document("a", "first text", source="s", date="2024-01-02", origin="f:1",
                     meta={"tags": ["x", "y"], "when": datetime.date(2024, 1, 2), "pair": (1, 2)}),
            Document("b", "naïve ﬁ \ud800", origin="f:2")]
    with LocalEngine(1) as engine:
        corpus = Numbered(engine.texts(), engine.texts())
        for d in docs:
            corpus.add(d)
        corpus.close()
        assert [(m.id, m.source, m.text, m.meta) for m in corpus.metas] == [("a", "s", "", {}), ("b", None, "", {})]
        assert corpus.documents([1, 0]) == [docs[1], docs[0]]
        assert [i.characters for i in corpus.infos([2, 3])] == [10, 9]
