"""Talking points on Spark: connected components over passage overlaps, then one cluster per component.

The local engine clusters all passages with union-find in one process
(:func:`reuse.stages.talking.cluster.cluster_passages`). Its groups are the connected components
of a graph whose nodes are passage sides, joined by their passage and by overlap within a
document; so the components can be found without one process seeing every passage
(alternating large-star / small-star rounds, Kiveris et al. 2014: O(log n) rounds of shuffles),
and each component is then handed, with its passages in the same order and its documents, to the
very same ``cluster_passages``: one component gives exactly the cluster it gives in the whole.
Clusters are then ranked as ``cluster_passages`` ranks them and numbered.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from reuse.model import Cluster, Document, Passage
from reuse.stages.talking.cluster import cluster_passages

Edge = tuple[int, int]


def _large_star(item: tuple[int, Iterable[int]]) -> Iterator[Edge]:
    """Link every larger neighbour of ``u`` to the smallest node of ``u``'s neighbourhood."""
    u, neighbours = item
    ns = set(neighbours)
    m = min(ns | {u})
    for v in ns:
        if v > u:
            yield v, m


def _small_star(item: tuple[int, Iterable[int]]) -> Iterator[Edge]:
    """Link ``u`` and its smaller neighbours to the smallest of them."""
    u, smaller = item
    ns = set(smaller) | {u}
    m = min(ns)
    for v in ns:
        if v != m:
            yield v, m


def _oriented(e: Edge) -> Edge:
    return (e[0], e[1]) if e[0] > e[1] else (e[1], e[0])


LOCAL_GRAPH_MAX = 2_000_000
"""Graphs of at most this many edges get union-find in one task (tens of MB of ints): one job,
where the rounds take a dozen; larger ones the distributed rounds. Same components either way."""


def connected_components(edges: Any, partitions: int) -> Any:
    """RDD of ``(node, component)``, the component named by its smallest node, for an RDD of edges.

    Rounds go on until a round changes no edge; each round's edges are persisted and the previous
    ones released, so lineage stays one round long.
    """
    current = edges.map(_oriented).filter(lambda e: e[0] != e[1]).distinct(partitions).persist()
    if current.count() <= LOCAL_GRAPH_MAX:
        labels = current.coalesce(1).mapPartitions(_union_find)
        current.unpersist()
        return labels
    while True:
        large = (current.flatMap(lambda e: (e, (e[1], e[0]))).groupByKey(partitions)
                 .flatMap(_large_star).distinct(partitions))
        small = large.map(_oriented).groupByKey(partitions).flatMap(_small_star).distinct(partitions).persist()
        # count(), not isEmpty(): take() stops a Python worker mid-partition, and Spark then replaces it
        changed = small.subtract(current, partitions).count() > 0 or current.subtract(small, partitions).count() > 0
        current.unpersist()
        current = small
        if not changed:
            break
    roots = current.map(lambda e: (e[1], e[1])).distinct(partitions)
    return current.union(roots)


def _union_find(edges: Iterable[Edge]) -> Iterator[tuple[int, int]]:
    """``(node, smallest node of its component)`` for every node of the edges, in one task."""
    from reuse.stages.talking.cluster import UnionFind

    pairs = list(edges)
    nodes = sorted({v for e in pairs for v in e})
    dense = {v: k for k, v in enumerate(nodes)}
    uf = UnionFind(len(nodes))
    for a, b in pairs:
        uf.union(dense[a], dense[b])
    smallest: dict[int, int] = {}
    for k in range(len(nodes)):  # nodes ascend: the first seen of each root is its smallest
        smallest.setdefault(uf.find(k), nodes[k])
    for k, v in enumerate(nodes):
        yield v, smallest[uf.find(k)]


def _sweep(item: tuple[int, Iterable[tuple[int, int, int]]]) -> Iterator[Edge]:
    """Edges between overlapping sides of one document, as ``cluster_passages`` sweeps them."""
    _, sides = item
    reach, holder = -1, -1
    for start, end, side in sorted(sides):
        if start < reach:
            yield holder, side
        if end > reach:
            reach, holder = end, side


def cluster_rdd(passages: Any, docs: Any, partitions: int) -> Any:
    """Ranked, numbered clusters (RDD of ``(rank, Cluster)``) of the passages.

    ``passages``: RDD of ``(p, (Passage, doc index a, doc index b))`` with ``p`` the passage's rank
    in the final passage order; ``docs``: RDD of ``(doc index, Document)``.
    """
    sides = passages.flatMap(lambda r: ((r[1][1], (r[1][0].a_start, r[1][0].a_end, 2 * r[0])),
                                        (r[1][2], (r[1][0].b_start, r[1][0].b_end, 2 * r[0] + 1))))
    edges = passages.map(lambda r: (2 * r[0], 2 * r[0] + 1)).union(sides.groupByKey(partitions).flatMap(_sweep))
    labels = connected_components(edges, partitions)
    component = labels.filter(lambda nl: nl[0] % 2 == 0).map(lambda nl: (nl[0] // 2, nl[1]))
    members = passages.join(component, partitions).map(lambda r: (r[1][1], (r[0], *r[1][0])))
    member_docs = (members.flatMap(lambda r: ((r[1][2], r[0]), (r[1][3], r[0]))).distinct(partitions)
                   .join(docs, partitions).map(lambda r: (r[1][0], (r[0], r[1][1]))))
    found = members.cogroup(member_docs, partitions).flatMap(_component_cluster)
    return found.sortBy(lambda kc: kc[0], numPartitions=partitions).zipWithIndex().map(
        lambda r: (r[1], replace(r[0][1], id=r[1] + 1)))


def _component_cluster(item: tuple[int, tuple[Iterable[Any], Iterable[Any]]]) -> Iterator[tuple[tuple, Cluster]]:
    """``cluster_passages`` over one component, with the key that ranks it among all clusters."""
    _, (rows, doc_rows) = item
    ordered = sorted(rows, key=lambda r: r[0])
    passages: list[Passage] = [r[1] for r in ordered]
    indexed = sorted(doc_rows, key=lambda r: r[0])
    docs: list[Document] = [d for _, d in indexed]
    index = {d.id: i for i, d in indexed}
    for cluster in cluster_passages(passages, docs):
        weight = sum(p.score for p in passages)  # as cluster_passages weighs a component: its passages in order
        first = cluster.members[0]
        key = (-len(cluster.sources), -len({m.doc for m in cluster.members}), -weight, index[first.doc], first.start)
        yield key, cluster
