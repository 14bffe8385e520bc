"""Talking points on Spark: the passage graph's components, and the clusters the local stage lists."""
from __future__ import annotations

import random

import numpy as np
import pytest
from scipy import sparse

from reuse.engine import spark_clusters as sc
from reuse.model import Document
from reuse.stages.talking.cluster import UnionFind, cluster_passages
from tests.stages.talking.test_points import _p

pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'reuse[spark]'")
pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    from reuse.engine.spark_support import session

    s = session("local[2]", {"spark.default.parallelism": "2"})
    yield s
    s.stop()


def test_a_documents_sides_join_where_they_overlap_the_span_reached_so_far():
    sides = [(4, 30, 40), (0, 0, 10), (2, 5, 20), (6, 20, 25)]  # 0-10 and 5-20 overlap; 20-25 touches, 30-40 apart
    assert sorted(sc.document_edges((0, sides))) == [(0, 2)]
    assert sorted(sc.document_edges((0, [(0, 0, 10), (2, 2, 4), (4, 6, 12)]))) == [(0, 2), (0, 4)]


def test_a_partitions_edges_contract_to_stars_around_each_components_least_node():
    edges = [(5, 3), (3, 8), (8, 9), (20, 11), (11, 30), (40, 41)]
    assert sorted(sc.local_stars(iter(edges))) == [(5, 3), (8, 3), (9, 3), (20, 11), (30, 11), (41, 40)]
    assert list(sc.local_stars(iter([]))) == []


@pytest.mark.parametrize("seed", [1, 2])
def test_every_node_is_labelled_with_the_least_node_of_its_component(spark, seed):
    rng = random.Random(seed)
    n = 300
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(220)]
    edges += [(k, k + 1) for k in range(100, 160)]  # a long chain: depth is what the rounds must undo
    edges = [(u, v) for u, v in edges if u != v]
    uf = UnionFind(n)
    for u, v in edges:
        uf.union(u, v)
    nodes = {x for e in edges for x in e}
    least: dict[int, int] = {}
    for x in sorted(nodes):
        least.setdefault(uf.find(x), x)
    got = dict(sc.components(spark.sparkContext.parallelize(edges, 3), 2).collect())
    assert got == {x: least[uf.find(x)] for x in nodes}


@pytest.mark.parametrize("min_link", [0.0, 0.15])
def test_clusters_are_the_local_stages_list_id_for_id(spark, min_link):
    # texts whose every span differs: a piece cut at the wrong place would show
    docs = [Document(id=k, text="".join(chr(97 + (7 * n + 3 * c + c * c) % 26) for c in range(100)), source=s)
            for n, (k, s) in enumerate(zip("ABCDEFGH", "xyxyzzxy"))]
    passages = [_p("A", 0, 10, "B", 0, 10, score=0.6), _p("E", 0, 10, "F", 0, 10, score=0.5),
                _p("C", 0, 10, "D", 0, 10, score=0.6), _p("B", 5, 10, "C", 0, 10, score=0.2),
                _p("G", 0, 10, "H", 0, 10, score=0.9), _p("A", 40, 50, "G", 40, 50, score=0.7),
                _p("E", 60, 70, "F", 60, 70, score=0.7)]
    topic = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 1, "F": 1, "G": 0, "H": 1}
    vectors = sparse.csr_matrix(np.array([[1.0, 0.0] if topic[d] == 0 else [0.0, 1.0]
                                          for p in passages for d in (p.doc_a, p.doc_b)]))
    want = cluster_passages(passages, docs, vectors=vectors, min_link=min_link)
    number = {d.id: k for k, d in enumerate(docs)}
    rows = [tuple((vectors.indices[vectors.indptr[r]:vectors.indptr[r + 1]],
                   vectors.data[vectors.indptr[r]:vectors.indptr[r + 1]]) for r in (2 * k, 2 * k + 1))
            for k in range(len(passages))]
    linked = spark.sparkContext.parallelize(
        [(k, (number[p.doc_a], number[p.doc_b], p, rows[k])) for k, p in enumerate(passages)], 2)
    corpus = [*docs, Document(id="I", text="in no passage")]
    got = sc.clusters(linked, spark.sparkContext.parallelize(list(enumerate(corpus)), 2), len(corpus), 2, min_link)
    assert [c for _, c in sorted(got.collect(), key=lambda r: r[0])] == want


def test_the_involved_documents_bitmap_has_their_bits_alone():
    packed = np.bitwise_or(sc.involved_bits(iter([0, 9, 3]), 11), sc.involved_bits(iter([9, 10]), 11))
    assert len(packed) == 2 and [k for k in range(11) if sc.has_bit(packed, k)] == [0, 3, 9, 10]
    assert not any(sc.has_bit(sc.involved_bits(iter([]), 11), k) for k in range(11))


def test_a_documents_pieces_are_its_sides_overlapping_runs_per_component():
    doc = Document(id="A", text="".join(chr(97 + c % 26) for c in range(60)))
    sides = [(1, 10, 20), (1, 15, 25), (1, 25, 30), (2, 0, 5), (1, 40, 45)]
    got = dict(sc.document_pieces((3, (sides, [doc]))))
    assert got[1] == ("d", 3, Document(id="A", text=""), [(10, 25, doc.text[10:25]), (25, 30, doc.text[25:30]),
                                                          (40, 45, doc.text[40:45])])
    pieces = sc.Pieces(got[1][3])
    assert pieces[12:22] == doc.text[12:22] and pieces[41:45] == doc.text[41:45]
    with pytest.raises(KeyError):
        pieces[20:27]  # noqa: B018 - across two pieces: never asked by the stage
    assert list(sc.document_pieces((3, (sides, [])))) == []
