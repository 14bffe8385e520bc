"""Talking points on Spark: the passage graph's connected components, each clustered where it lands.

The stage's clustering (:func:`~reuse.stages.talking.cluster.cluster_passages`) joins passage
sides that overlap in one document and the two sides of a passage; no merge crosses a connected
component of that graph, so any split into whole components gives the same clusters. Here the
graph is an edge RDD (a passage's two sides; per document, each side and the earlier side whose
span it overlaps, as the stage's sweep joins them), its components are found by alternating
large-star and small-star rounds (Kiveris et al., "Connected Components in MapReduce and Beyond",
2014) until every component is a star around its least side, the passages and their documents
are brought to their component's partition, and ``cluster_groups`` runs there over whole
components. The clusters are then sorted by the stage's own :func:`~reuse.stages.talking.cluster.rank`
and numbered: the local engine's list, id for id.
"""
from __future__ import annotations

import bisect
import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from reuse.model import Cluster, Document, Passage
from reuse.stages.talking.cluster import cluster_groups, rank

Side = tuple[int, int, int]
"""A passage side: ``(node, start, end)``, node ``2k`` (side A of passage ``k``) or ``2k + 1``."""

Linked = tuple[int, int, Passage, Any]
"""A final passage as the one task sends it: its documents' numbers ``(a, b)``, the passage, and its
two sides' term vectors ``((indices, values), (indices, values))`` (None without ``cluster_min_link``)."""

MAX_ROUNDS = 64
"""Large-star/small-star rounds before giving up (they take O(log n) on any graph; a guard, not a limit met)."""


def side_records(kv: tuple[int, Linked]) -> Iterator[tuple[int, Side]]:
    """A passage's two sides keyed by their document's number."""
    k, (a, b, p, _) = kv
    yield a, (2 * k, p.a_start, p.a_end)
    yield b, (2 * k + 1, p.b_start, p.b_end)


def document_edges(kv: tuple[int, Iterable[Side]]) -> Iterator[tuple[int, int]]:
    """The stage's sweep over one document's sides in start order: each side overlapping the span
    reached so far is joined to the side that reached it (the same unions, so the same components)."""
    _, sides = kv
    reach, holder = -1, -1
    for node, start, end in sorted(sides, key=lambda s: (s[1], s[0])):
        if start < reach:
            yield holder, node
        if end > reach:
            reach, holder = end, node


def local_stars(edges: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """One partition's edges contracted: each node joined to the least node of its component among
    these edges alone (the same components across partitions, as every node keeps a path to the
    nodes it reached here); the rounds then start from stars, not from chains as long as a document's
    run of overlapping sides, so they take fewer rounds."""
    flat = np.fromiter((x for e in edges for x in e), dtype=np.int64)
    if not len(flat):
        return
    nodes, at = np.unique(flat, return_inverse=True)
    at = at.reshape(-1, 2)
    graph = sparse.coo_matrix((np.ones(len(at), np.int8), (at[:, 0], at[:, 1])), shape=(len(nodes), len(nodes)))
    _, comp = connected_components(graph, directed=False)
    least = np.full(comp.max() + 1, len(nodes), dtype=np.int64)
    np.minimum.at(least, comp, np.arange(len(nodes)))  # nodes are sorted: the first of a component is its least
    root = nodes[least[comp]]
    keep = root != nodes
    yield from zip(nodes[keep].tolist(), root[keep].tolist())


def _large_star(kv: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
    """Each larger neighbour of ``u`` joined to the least of ``u`` and its neighbours."""
    u, near = kv
    seen = set(near)
    m = min(min(seen), u)
    for v in seen:
        if v > u:
            yield v, m


def _small_star(kv: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
    """``u`` and each smaller neighbour joined to the least of them (``near``: ``u``'s smaller neighbours)."""
    u, near = kv
    seen = set(near)
    m = min(seen)
    for v in seen:
        if v != m:
            yield v, m
    yield u, m


def components(edges: Any, parts: int) -> Any:
    """``(node, least node of its component)`` for every node of ``edges`` (RDD of ``(u, v)``, ``u != v``).

    Rounds of large-star then small-star keep the components and shrink their depth; after a
    small-star round every edge is ``(child, parent)`` with ``parent < child``, and the graph is a
    set of stars (each one's centre its least node) once no child has two parents and no parent is
    a child. Each round is persisted and its predecessor let go, so the lineage stays one round long.
    Each partition's edges are contracted to stars first (:func:`local_stars`).
    """
    current = edges.mapPartitions(local_stars).distinct(parts).persist()
    for _ in range(MAX_ROUNDS):
        large = current.flatMap(lambda e: (e, (e[1], e[0]))).groupByKey(parts).flatMap(_large_star)
        small = large.groupByKey(parts).flatMap(_small_star).distinct(parts).persist()
        # one job a round: a node with two parents, or both a parent and a child, means not yet stars
        stars = small.flatMap(lambda e: ((e[0], (1, 0)), (e[1], (0, 1)))).reduceByKey(
            lambda a, b: (a[0] + b[0], a[1] + b[1]), parts).filter(
            lambda kv: kv[1][0] > 1 or (kv[1][0] and kv[1][1])).count() == 0  # not isEmpty: its take()
        # stops a Python worker mid-partition, and Spark then starts a new one
        current.unpersist()
        current = small
        if stars:
            break
    else:
        raise RuntimeError(f"connected components: no star forest after {MAX_ROUNDS} rounds")
    roots = current.values().distinct().map(lambda r: (r, r))
    return current.union(roots)


class Pieces:
    """What a component's clustering reads of one document's text: the spans its passage sides cover,
    each overlapping run of sides one piece, sliced like the whole text (members and labels are
    spans inside one piece: the stage merges a cluster's sides only where they overlap)."""

    def __init__(self, pieces: list[tuple[int, int, str]]) -> None:
        self.pieces = pieces  # (start, end, the text's [start:end]), in order, apart
        self.starts = [s for s, _, _ in pieces]

    def __getitem__(self, span: slice) -> str:
        k = bisect.bisect_right(self.starts, span.start) - 1
        if k < 0 or span.stop > self.pieces[k][1]:
            raise KeyError(f"span {span.start}:{span.stop} is not inside one piece of the text")
        at, _, text = self.pieces[k]
        return text[span.start - at : span.stop - at]


def document_pieces(kv: tuple[int, tuple[Iterable[tuple[int, int, int]], Iterable[Document]]]
                    ) -> Iterator[tuple[int, tuple]]:
    """A document's record for each component its sides are in: the document without its text, and
    the text of each run of its overlapping sides there (:class:`Pieces`), not the whole text.

    ``kv``: ``(number, (sides as (component, start, end), the document))`` (a cogroup)."""
    number, (sides, held) = kv
    held = list(held)
    if not held:
        return
    doc = held[0]
    per_comp: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for comp, start, end in sides:
        per_comp[comp].append((start, end))
    bare = dataclasses.replace(doc, text="")
    for comp, spans in per_comp.items():
        runs: list[list[int]] = []
        for start, end in sorted(spans):
            if runs and start < runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], end)
            else:
                runs.append([start, end])
        yield comp, ("d", number, bare, [(s, e, doc.text[s:e]) for s, e in runs])


def involved_bits(numbers: Iterable[int], n: int) -> np.ndarray:
    """Documents ``numbers`` (of ``n``) as a packed bitmap, bit ``k`` set for document ``k``: ``n / 8``
    bytes, what the tasks filtering the corpus are sent (not the numbers)."""
    bits = np.zeros(n, dtype=bool)
    bits[np.fromiter(numbers, dtype=np.int64)] = True
    return np.packbits(bits)


def has_bit(packed: np.ndarray, k: int) -> bool:
    """Whether bit ``k`` of an :func:`involved_bits` bitmap is set."""
    return bool((int(packed[k >> 3]) >> (7 - (k & 7))) & 1)


def cluster_partition(rows: Iterable[tuple[int, tuple]], min_link: float) -> Iterator[tuple[tuple, Cluster]]:
    """``cluster_groups`` over the whole components of one partition, each cluster keyed by its
    :func:`rank` (its first side renumbered to the whole corpus's).

    ``rows``: ``(component, ("p", k, linked))`` and ``(component, ("d", number, document, pieces))``
    (:func:`document_pieces`).
    """
    linked: dict[int, Linked] = {}
    docs: dict[int, Document] = {}
    pieces: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for _, rec in rows:
        if rec[0] == "p":
            linked[rec[1]] = rec[2]
        else:
            docs[rec[1]] = rec[2]
            pieces[rec[2].id].extend(rec[3])  # a document's components here (their sides never overlap)
    texts = {doc: Pieces(sorted(held)) for doc, held in pieces.items()}
    if not linked:
        return
    ks = sorted(linked)
    passages = [linked[k][2] for k in ks]
    vectors = None
    if min_link > 0:
        rows_of = [side for k in ks for side in linked[k][3]]
        indptr = np.r_[0, np.cumsum([len(i) for i, _ in rows_of])]
        vectors = sparse.csr_matrix((np.concatenate([v for _, v in rows_of]).astype(np.float64),
                                     np.concatenate([i for i, _ in rows_of]).astype(np.int64), indptr),
                                    shape=(len(rows_of), 1 + max((int(i.max()) for i, _ in rows_of if len(i)), default=0)))
    numbers = sorted(docs)
    order = {docs[d].id: d for d in numbers}
    for first, cluster, weight in cluster_groups(passages, [docs[d] for d in numbers], vectors=vectors,
                                                 min_link=min_link, text=texts.__getitem__):  # type: ignore[arg-type]
        whole = 2 * ks[first // 2] + first % 2
        yield rank((whole, cluster, weight), order), cluster


def clusters(linked: Any, docs: Any, n: int, parts: int, min_link: float) -> Any:
    """The clusters of the final passages, ``(ord, Cluster)`` sorted as the local engine lists them.

    ``linked``: RDD ``(k, Linked)``, passage ``k`` of the stage's final list; ``docs``: ``(number, Document)``,
    ``n`` of them. Only the documents a side is in (a broadcast bitmap of them) meet their sides, and
    each goes on to its components as the pieces of its text the sides there cover.
    """
    from pyspark import StorageLevel

    sides = linked.flatMap(side_records)  # (document, (node, start, end))
    edges = linked.map(lambda kv: (2 * kv[0], 2 * kv[0] + 1)).union(sides.groupByKey(parts).flatMap(document_edges))
    label = components(edges, parts)  # (node, component)
    passage_of = linked.map(lambda kv: (2 * kv[0], kv))
    placed = passage_of.join(label, parts).map(lambda r: (r[1][1], ("p", *r[1][0])))
    side_comp = sides.map(lambda ds: (ds[1][0], (ds[0], ds[1][1], ds[1][2]))).join(label, parts).map(
        lambda r: (r[1][0][0], (r[1][1], r[1][0][1], r[1][0][2])))  # (document, (component, start, end))
    involved = linked.context.broadcast(
        sides.keys().mapPartitions(lambda it: [involved_bits(it, n)]).reduce(np.bitwise_or))
    held = docs.filter(lambda kv: has_bit(involved.value, kv[0]))
    with_docs = side_comp.cogroup(held, parts).flatMap(document_pieces)
    # kept: sortByKey runs it once to sample its range bounds, then again to sort (each run clusters every component)
    found = placed.union(with_docs).partitionBy(parts).mapPartitions(
        lambda it: cluster_partition(it, min_link)).persist(StorageLevel.MEMORY_AND_DISK)
    return found.sortByKey(numPartitions=parts).zipWithIndex().map(
        lambda r: (r[1], dataclasses.replace(r[0][1], id=r[1] + 1)))
