"""A query: the scan's stages for one new document against the persistent index.

A query of document ``q`` is a scan (:func:`reuse.engine.plan.scan`) of the indexed documents, in
the order they were added, followed by ``q``, kept to the pairs of ``q`` that have a passage and
turned so that ``q`` is side A. Stage by stage:

    read -> tokens -> sketches     q alone (the indexed documents' sketches are stored)
    candidates                     the scan's rules on the stored band keys and anchors, the
                                   query counted in each bucket; on an index small enough for a
                                   scan to score every pair (``all_pairs_max_docs``), the scan's
                                   ``small_corpus_pairs`` of ``q``: aligned (a shared run of
                                   words) and listed (nearest neighbours)
    cheap scores                   IDF over the index plus ``q`` (stored document frequencies + 1
                                   for each word of ``q``), as a scan of both would count them
    alignment                      the scan's ``score_chunk``
    talking points                 over the query and the indexed documents it was scored with,
                                   which on a small index are all those sharing a topic with it

The stored statistics give the scan's candidates, verification, cosines and aligner passages for
any index size. The talking-points stage (names, per-source boilerplate, sentence rarity) reads
corpus-wide statistics the index does not keep: it runs over the query's neighbourhood, so the
answer is the scan's exactly whenever that neighbourhood is the whole index (the seeds, tested),
and otherwise can differ where the neighbourhood's statistics differ from the whole corpus's.
(Keeping them would mean keeping every document's tokens, or an O(index) pass per query.) An
indexed document with the query's id and content is the query itself: it is not a candidate.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from reuse.config import ReuseConfig
from reuse.engine.plan import all_pairs_above_floor, finish, small_corpus_pairs
from reuse.index.codec import keys_to_sql
from reuse.index.keys import band_salts, content_hash
from reuse.model import Document, Pair, Passage
from reuse.stages import candidates
from reuse.stages.pair import score_chunk
from reuse.stages.score import Idf
from reuse.stages.sketch import Sketch, merge_counts, sketch_batch
from reuse.stages.talking.points import CorpusAccess
from reuse.text.scan import batch_token_ids


class IndexReader(Protocol):
    """What a query reads from an index (:class:`reuse.index.store.Index`)."""

    def __len__(self) -> int: ...
    def snapshot(self) -> Any: ...
    def owners(self, table: str, keys: np.ndarray, limit: int) -> dict[int, list[int]]: ...
    def document_frequencies(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...
    def rowids(self) -> list[int]: ...
    def documents(self, rowids: list[int]) -> list[tuple[int, str, Document]]: ...


@dataclass(frozen=True)
class QueryHit:
    """One indexed document sharing passages with the query (the query is ``pair.doc_a``)."""

    pair: Pair
    passages: list[Passage]
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None

    def to_record(self) -> dict[str, Any]:
        rec = self.pair.to_record()
        rec.update(title_b=self.title, source_b=self.source, url_b=self.url, date_b=self.date)
        rec["passages"] = [p.to_record() for p in self.passages]
        return rec


def query(index: IndexReader, doc: Document, config: ReuseConfig, *, top: int = 10,
          max_candidates: int | None = None) -> list[QueryHit]:
    """Indexed documents sharing passages with ``doc``, best first (at most ``top``; see module docstring).

    ``max_candidates`` caps the candidates aligned, keeping those sharing most keys (a latency
    guard for boilerplate-heavy queries; ``None``, the default, keeps the scan's candidates).
    """
    sketch = sketch_batch([doc.text], 0, config)  # read -> tokens -> sketches
    with index.snapshot():
        n = len(index) + 1
        every = n <= config.all_pairs_max_docs
        found = _candidates(index, sketch, config, max_candidates)
        rows = index.documents(index.rowids() if every else sorted(found))
        rows = [r for r in rows if not (r[2].id == doc.id and r[1] == content_hash(doc))]
        docs = [d for _, _, d in rows] + [doc]
        idf = _idf(index, docs, sketch, n)
    q = len(docs) - 1
    none = np.empty((0, 2), np.int64)
    runs, listed = small_corpus_pairs(docs, idf, config, with_row=q) if every and q else (none, none)
    chosen = np.array([[k, q] for k, (rowid, _, _) in enumerate(rows) if rowid in found], dtype=np.int64).reshape(-1, 2)
    to_score, how = candidates.pairs_to_score(chosen, runs, len(docs), listed)
    aligned = score_chunk(to_score, how, dict(enumerate(docs)), idf, config).aligned  # alignment
    # The talking points of the query's neighbourhood: it, what it was scored with and, on a small
    # index, every document sharing a topic with it.
    topic = all_pairs_above_floor(docs, idf, config, with_row=q) if every and q else none
    keep = sorted({int(i) for i in to_score.ravel()} | {int(i) for i in topic.ravel()} | {q})
    renumber = {k: m for m, k in enumerate(keep)}
    context = [docs[k] for k in keep]
    aligned = [dataclasses.replace(a, i=renumber[a.i], j=renumber[a.j]) for a in aligned]
    final = finish(aligned, context, CorpusAccess(context), config)
    return _hits(final.pairs, final.passages, {d.id: d for d in docs}, doc.id, top)


def _candidates(index: IndexReader, sk: Sketch, config: ReuseConfig, max_candidates: int | None) -> set[int]:
    """Row ids of the indexed documents a scan would pair with the query (LSH bands, anchors).

    A key held by more than ``max_bucket`` documents, the query included, joins nothing.
    """
    limit = config.max_bucket - 1
    near: set[int] = set()
    if sk.has_shingles[0]:
        salted = keys_to_sql(sk.band_keys[0] ^ band_salts(sk.band_keys.shape[1]))
        near = {d for docs in index.owners("bands", salted, limit).values() for d in docs}
    anchors, _ = sk.document_anchors()
    owners = index.owners("anchors", keys_to_sql(candidates.sorted_unique(anchors)), limit)
    shared = Counter(d for docs in owners.values() for d in docs)
    found = near | {d for d, c in shared.items() if c >= config.min_shared_anchors}
    if max_candidates is not None and len(found) > max_candidates:
        found = set(sorted(found, key=lambda d: (d not in near, -shared[d], d))[:max_candidates])
    return found


def _idf(index: IndexReader, docs: list[Document], sketch: Sketch, n: int) -> Idf:
    """Document frequencies of every word of ``docs`` over the index plus the query (``sketch``)."""
    ids = np.unique(batch_token_ids([d.text for d in docs])[0])
    return Idf(n, *merge_counts([index.document_frequencies(ids), (sketch.terms, sketch.term_docs)]))


def _hits(pairs: list[Pair], passages: list[Passage], docs: dict[str, Document], query: str, top: int) -> list[QueryHit]:
    """The query's pairs with passages, best first, turned so that the query (``doc_b``: it comes
    last) is side A. The talking-points stage may also pair two indexed documents: not asked for."""
    by_pair: dict[tuple[str, str], list[Passage]] = {}
    for p in passages:
        if p.doc_b == query:
            by_pair.setdefault((p.doc_a, p.doc_b), []).append(p)
    hits = []
    for pair in pairs:
        found = by_pair.get((pair.doc_a, pair.doc_b)) if pair.doc_b == query else None
        if found:
            d = docs[pair.doc_a]
            hits.append(QueryHit(pair.swapped(), [p.swapped() for p in found], d.title, d.source, d.url, d.date))
    return hits[:top]
