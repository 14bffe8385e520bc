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


def test_clusters_are_the_same_however_the_components_are_split_and_wherever_each_part_runs(monkeypatch):
    import copy

    import numpy as np
    from scipy import sparse

    from reuse.stages.talking import cluster

    docs = [Document(id=k, text=k.lower() * 100) for k in "ABCDEF"]
    passages = [_p("A", 0, 10, "B", 0, 10, score=0.6), _p("E", 0, 10, "F", 0, 10, score=0.5),
                _p("C", 0, 10, "D", 0, 10, score=0.6), _p("B", 5, 10, "C", 0, 10, score=0.2)]
    topic = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 1, "F": 1}
    vectors = sparse.csr_matrix(np.array([[1.0, 0.0] if topic[d] == 0 else [0.0, 1.0]
                                          for p in passages for d in (p.doc_a, p.doc_b)]))
    want = cluster_passages(passages, docs, vectors=vectors, min_link=0.15)
    assert sorted(tuple(m.doc for m in c.members) for c in want) == [("A", "B"), ("C", "D"), ("E", "F")]
    parts = []

    def forked(fn, tasks, shared):  # each part on its own copy of the shared state, as a forked worker
        for task in tasks:
            parts.append(task[0])
            yield fn(*task, copy.deepcopy(shared))

    monkeypatch.setattr(cluster, "PART_SIDES", 1)
    assert cluster_passages(passages, docs, vectors=vectors, min_link=0.15, map=forked) == want
    assert parts == [[0, 1, 4, 5, 6, 7], [2, 3]]  # A-B (bridged to C-D) is one component, E-F another
