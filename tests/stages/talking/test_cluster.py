"""Clusters over documents whose texts are read on demand (the engine keeps them in its spill file)."""
from __future__ import annotations

from dataclasses import replace

from reuse.model import Document
from reuse.stages.talking.cluster import cluster_passages
from tests.stages.talking.test_points import _p


def test_texts_read_on_demand_give_the_same_clusters():
    docs = [Document(id=k, text=k.lower() * 100, source=s, date=None) for k, s in (("A", "x"), ("B", "y"), ("C", None))]
    passages = [_p("A", 0, 10, "B", 0, 10, terms=("bomb",)), _p("B", 5, 15, "C", 20, 30, kind="verbatim", score=1.0)]
    read: list[str] = []

    def text(doc: str) -> str:
        read.append(doc)
        return next(d.text for d in docs if d.id == doc)

    bare = [replace(d, text="") for d in docs]
    assert cluster_passages(passages, bare, text=text) == cluster_passages(passages, docs)
    assert set(read) == {"A", "B", "C"}
