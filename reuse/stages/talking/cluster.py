"""Talking points: passages joined into clusters wherever their member spans overlap.

Each passage links a span of one document with a span of another. Spans of the same document
that overlap are the same text, so union-find over "passage sides" joined by their passage and by
overlap within a document yields groups of spans that all make (or copy) one claim: a talking
point, reported with every document and source that carries it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import sparse

from reuse.model import PARAPHRASE, PASSAGE_KINDS, Cluster, Document, Member, Passage
from reuse.model import date_key as _date_key

_KIND_ORDER = {k: n for n, k in enumerate(PASSAGE_KINDS)}


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


Map = Callable[[Callable[..., Any], Iterable[tuple], Any], Iterable[Any]]
"""``map(fn, tasks, shared)``: ``fn(*task, shared)`` per task, results in task order (an engine's pool)."""

PART_SIDES = 4096
"""Passage sides per task of the clustering (whole components of the passage graph, in order)."""


def cluster_passages(
    passages: Sequence[Passage], documents: Sequence[Document], *, vectors: sparse.csr_matrix | None = None,
    min_link: float = 0.0, text: Callable[[str], str] | None = None, map: Map | None = None,
) -> list[Cluster]:
    """Clusters of overlapping passages spanning >= 2 documents, most widespread first.

    Sides of one document that overlap are the same text and always join. Passages then join
    their two sides, strongest first. Plain union-find chains: one weak passage between two
    talking points merges them. So when ``vectors`` is given (one L2-normalised term vector per
    passage side: passage ``k``'s side A in row ``2k``, side B in row ``2k + 1``), two groups join
    only if their spans (across documents) have an average similarity of at least ``min_link``
    (average linkage); a refused passage is still reported, it just does not merge topics.
    ``text(doc_id)``, when given, reads a document's text (``documents`` may then come without
    theirs: at 100k documents, holding every involved text at once was the stage's peak).

    No merge reaches outside a component of the graph of sides (joined by overlaps and by
    passages), so components are clustered apart: as tasks of ``map`` (the engine's pool), in
    parts of whole components, their clusters then sorted here. Any split gives the same clusters.
    """
    found = cluster_groups(passages, documents, vectors=vectors, min_link=min_link, text=text, map=map)
    order = {d.id: n for n, d in enumerate(documents)}
    found.sort(key=lambda f: rank(f, order))
    return [replace(c, id=n) for n, (_, c, _) in enumerate(found, 1)]


def cluster_groups(
    passages: Sequence[Passage], documents: Sequence[Document], *, vectors: sparse.csr_matrix | None = None,
    min_link: float = 0.0, text: Callable[[str], str] | None = None, map: Map | None = None,
) -> list[tuple[int, Cluster, float]]:
    """:func:`cluster_passages` before its ordering: each cluster with its first passage side
    (``2k`` or ``2k + 1`` for passage ``k``) and its weight, in no order, ``id`` 0.

    For an engine that clusters parts of the passage graph apart (whole components in each) and
    orders all of them itself by :func:`rank` (Spark: :mod:`reuse.engine.spark_clusters`).
    """
    plan = _Plan(passages, documents, vectors, min_link, text)
    run = map or (lambda fn, tasks, shared: (fn(*task, shared) for task in tasks))
    return [c for part in run(_cluster_part, [(ks,) for ks in plan.parts()], plan) for c in part]


def rank(found: tuple[int, Cluster, float], order: dict[str, int]) -> tuple:
    """Where a cluster of :func:`cluster_groups` goes in the report: most sources first, then most
    documents, then the most (and strongest) links, then its first member's place (``order``: a
    document's place in the corpus) and, last, its first passage side."""
    first, c, weight = found
    return (-len(c.sources), -len({m.doc for m in c.members}), -weight, order[c.members[0].doc],
            c.members[0].start, first)


class _Plan:
    """What every part of the clustering reads: the sides, joined where they overlap, and the
    components of the passage graph."""

    def __init__(self, passages: Sequence[Passage], documents: Sequence[Document],
                 vectors: sparse.csr_matrix | None, min_link: float, text: Callable[[str], str] | None) -> None:
        self.passages, self.min_link = passages, min_link
        self.by_id = {d.id: d for d in documents}
        self.text = text or (lambda doc: self.by_id[doc].text)
        self.order = {d.id: n for n, d in enumerate(documents)}
        sides: list[tuple[str, int, int]] = []
        for p in passages:
            sides.append((p.doc_a, p.a_start, p.a_end))
            sides.append((p.doc_b, p.b_start, p.b_end))
        self.sides = sides
        self.uf = uf = UnionFind(len(sides))
        per_doc: dict[str, list[int]] = defaultdict(list)
        for k, (doc, _, _) in enumerate(sides):
            per_doc[doc].append(k)
        for ks in per_doc.values():  # sweep each document's sides in start order, joining overlaps
            ks.sort(key=lambda k: sides[k][1])
            reach, holder = -1, -1
            for k in ks:
                if sides[k][1] < reach:
                    uf.union(holder, k)
                if sides[k][2] > reach:
                    reach, holder = sides[k][2], k
        self.vectors: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if vectors is not None and min_link > 0 and sides:
            if vectors.shape[0] != len(sides):
                raise ValueError(f"vectors has {vectors.shape[0]} rows for {len(sides)} passage sides (two a passage)")
            v = vectors.tocsr(copy=True)
            v.sum_duplicates()  # canonical: each row's columns sorted, once
            # (indptr, columns, values) in the types the links are computed in, converted once (not
            # each side's row copied in each part)
            self.vectors = (v.indptr, v.indices.astype(np.int64), v.data.astype(np.float64))
            self.doc_of = np.array([self.order[s[0]] for s in sides])

    def parts(self) -> list[list[int]]:
        """The sides by component (each ascending; components in order of their first side), cut
        into parts of whole components of about :data:`PART_SIDES` sides."""
        whole = UnionFind(len(self.sides))
        whole.parent, whole.size = list(self.uf.parent), list(self.uf.size)
        for k in range(0, len(self.sides), 2):
            whole.union(k, k + 1)
        comps: dict[int, list[int]] = defaultdict(list)
        for k in range(len(self.sides)):
            comps[whole.find(k)].append(k)
        parts: list[list[int]] = [[]]
        for ks in comps.values():
            if len(parts[-1]) >= PART_SIDES:
                parts.append([])
            parts[-1].extend(ks)
        return [sorted(ks) for ks in parts if ks]


def _cluster_part(ks: list[int], plan: _Plan) -> list[tuple[int, Cluster, float]]:
    """The clusters of whole components (their sides ``ks``, ascending), each with its first side
    and its weight (its passages' summed score). Joins only these sides in ``plan.uf``."""
    uf, sides, passages = plan.uf, plan.sides, plan.passages
    own = sorted({k // 2 for k in ks})
    if plan.vectors is None:
        for i in own:
            uf.union(2 * i, 2 * i + 1)
    else:
        _link_with_guard(passages, own, ks, uf, plan.vectors, plan.doc_of, plan.min_link)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in ks:
        groups[uf.find(k)].append(k)
    found: list[tuple[int, Cluster, float]] = []
    for group in groups.values():
        members = _members(group, sides, passages, plan.by_id, plan.order, plan.text)
        if len({m.doc for m in members}) < 2:
            continue
        root = uf.find(group[0])
        ps = sorted({k // 2 for k in group if uf.find(k ^ 1) == root})  # passages inside the cluster
        kinds = tuple(sorted({passages[i].kind for i in ps}, key=_KIND_ORDER.get))
        terms = Counter(t for i in ps for t in passages[i].shared_terms)
        dates = sorted({m.date for m in members if m.date}, key=_date_key)
        cluster = Cluster(
            id=0, label=_label(group, sides, passages, plan.text),
            members=tuple(members), sources=tuple(dict.fromkeys(m.source or m.doc for m in members)),
            first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
            kinds=kinds, shared_terms=tuple(t for t, _ in terms.most_common(8)),
        )
        found.append((group[0], cluster, sum(passages[i].score for i in ps)))
    return found


class _Vec:
    """A sparse vector as sorted column indices and their values: the few terms of a passage side.

    Sums and dots of these in numpy, not scipy (whose per-operation overhead dominated on vectors
    of a few dozen terms); the same arithmetic: sums element by element, dots ``np.sum`` of the
    products in column order, as scipy's ``u.multiply(v).sum()`` computes them.
    """

    __slots__ = ("idx", "val")

    def __init__(self, idx: np.ndarray, val: np.ndarray) -> None:
        self.idx, self.val = idx, val

    def __add__(self, other: _Vec) -> _Vec:
        if len(self.idx) == 0:  # nothing to add to: the sum is ``other`` (0.0 + x is x; no value is -0.0)
            return other
        idx, inv = np.unique(np.concatenate((self.idx, other.idx)), return_inverse=True)
        inv = inv.ravel()
        val = np.zeros(len(idx))
        val[inv[: len(self.idx)]] = self.val
        val[inv[len(self.idx):]] += other.val
        return _Vec(idx, val)

    def dot(self, other: _Vec) -> float:
        _, ia, ib = np.intersect1d(self.idx, other.idx, assume_unique=True, return_indices=True)
        return float(np.sum(self.val[ia] * other.val[ib]))


_ZERO = _Vec(np.empty(0, np.int64), np.empty(0))


@dataclass
class _Group:
    """Sums of a group's side vectors, in total and per document, for average cross-document links."""

    total: _Vec
    n: int
    by_doc: dict[int, tuple[_Vec, int]]

    def merge(self, other: _Group) -> _Group:
        by_doc = dict(self.by_doc)
        for d, (v, n) in other.by_doc.items():
            if d in by_doc:
                w, m = by_doc[d]
                by_doc[d] = (w + v, m + n)
            else:
                by_doc[d] = (v, n)
        return _Group(self.total + other.total, self.n + other.n, by_doc)


def _mean_cross_link(a: _Group, b: _Group) -> float | None:
    """Mean similarity over side pairs of different documents (None when there is no such pair).

    Computed from sums, so a merge costs one sparse dot per shared document, not |A| x |B|.
    """
    pairs = a.n * b.n
    dots = a.total.dot(b.total)
    for d, (v, n) in a.by_doc.items():
        if d in b.by_doc:
            w, m = b.by_doc[d]
            pairs -= n * m
            dots -= v.dot(w)
    return dots / pairs if pairs > 0 else None


def _link_with_guard(
    passages: Sequence[Passage], own: list[int], ks: list[int], uf: UnionFind,
    vecs: tuple[np.ndarray, np.ndarray, np.ndarray], doc_of: np.ndarray, min_link: float,
) -> None:
    """Union the passages ``own`` (whose sides are ``ks``, ascending) strongest first, refusing
    merges of groups that are not alike on average (``vecs``: the sides' vectors as CSR arrays,
    int64 columns and float64 values)."""
    ptr, idx, val = vecs
    rows = {k: _Vec(idx[ptr[k] : ptr[k + 1]], val[ptr[k] : ptr[k + 1]]) for k in ks}  # views: a _Vec is never written
    members: dict[int, list[int]] = defaultdict(list)
    for k in ks:
        members[uf.find(k)].append(k)
    groups: dict[int, _Group] = {}
    for root, group in members.items():
        by_doc: dict[int, tuple[_Vec, int]] = {}
        for k in group:
            d = int(doc_of[k])
            v, n = by_doc.get(d, (None, 0))
            by_doc[d] = (rows[k] if v is None else v + rows[k], n + 1)
        total = sum((v for v, _ in by_doc.values()), start=_ZERO)
        groups[root] = _Group(total, len(group), by_doc)
    for i in sorted(own, key=lambda i: (-passages[i].score, i)):
        ra, rb = uf.find(2 * i), uf.find(2 * i + 1)
        if ra == rb:
            continue
        link = _mean_cross_link(groups[ra], groups[rb])
        if link is not None and link < min_link:
            continue
        merged = groups.pop(ra).merge(groups.pop(rb))
        uf.union(ra, rb)
        groups[uf.find(ra)] = merged


def _label(ks: list[int], sides: list[tuple[str, int, int]], passages: Sequence[Passage],
           text: Callable[[str], str]) -> str:
    """The most representative sentence: the passage side with the strongest links.

    A side's strength is the summed score of every passage in the cluster touching it (in its
    document); whole sentences (paraphrase sides) are preferred over aligned fragments.
    """
    in_doc: dict[str, list[int]] = defaultdict(list)  # each document's sides (a cluster of n sides: not n x n)
    for q in ks:
        in_doc[sides[q][0]].append(q)

    def strength(k: int) -> float:
        doc, s, e = sides[k]
        return sum(passages[q // 2].score for q in in_doc[doc] if sides[q][1] < e and s < sides[q][2])

    best = max(ks, key=lambda k: (passages[k // 2].kind == PARAPHRASE, strength(k), -k))
    doc, s, e = sides[best]
    return " ".join(text(doc)[s:e].split())


def _members(
    ks: list[int], sides: list[tuple[str, int, int]], passages: Sequence[Passage],
    by_id: dict[str, Document], order: dict[str, int], text: Callable[[str], str],
) -> list[Member]:
    """Merge each document's overlapping sides into members, in document then text order."""
    spans: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for k in ks:
        doc, s, e = sides[k]
        spans[doc].append((s, e, passages[k // 2].score))
    members = []
    for doc in sorted(spans, key=order.__getitem__):
        d, body = by_id[doc], text(doc)
        merged: list[list[float]] = []
        for s, e, w in sorted(spans[doc]):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
                merged[-1][2] += w
            else:
                merged.append([s, e, w])
        for s, e, _w in merged:
            s, e = int(s), int(e)
            members.append(Member(doc=doc, start=s, end=e, text=body[s:e], source=d.source or None, date=d.date))
    return members
