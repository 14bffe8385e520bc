"""The Spark engine's talking-points tasks: the two unit passes per chunk, the rest in one task.

The stage (:func:`~reuse.stages.talking.points.talking_points`) reads every document twice, in
batches of ``CHUNK`` documents in corpus order: a count pass whose aggregates make the corpus
:class:`~reuse.stages.talking.units.Model`, then a units pass under that model. Here both passes
run per chunk on the executors, each chunk the same documents as the local engine's batch, each
document's passage ranges brought to its chunk (:func:`chunk_records`, :func:`gather_chunks`). The
count pass's aggregates meet in a tree (:func:`combine_counts`, exact: the driver's ``merge`` of
the combined aggregate is the ``merge`` of all batches); the units pass reads its chunk again (the
local engine keeps the count pass's readings instead). The paraphrase index and its judging run as
tasks over the stored unit matrix (:mod:`.spark_units`, :mod:`.spark_paraphrase`); the passages,
re-scored pairs and their selection run in one task (:func:`talking_task`), which maps the stored
units, spills the texts to a file and reads back the few it needs; the clusters per component
(:mod:`.spark_clusters`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import resource
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from reuse.config import ReuseConfig
from reuse.engine.local import SpillFile
from reuse.engine.plan import finish
from reuse.engine.spark_units import StoredUnits
from reuse.model import Cluster, Document, Passage
from reuse.stages import scope
from reuse.stages.pair import Aligned
from reuse.stages.score import Idf
from reuse.stages.sketch import merge_counts
from reuse.stages.talking import units as un
from reuse.stages.talking.boilerplate import clip_lines
from reuse.stages.talking.evidence import UnitMatch
from reuse.stages.talking.passes import CHUNK
from reuse.stages.talking.points import CorpusAccess
from reuse.stages.talking.sentences import analyse_batch

Chunk = tuple[list[Document], list[np.ndarray]]
"""A chunk's documents in order, and each one's passage token ranges ``(m, 2)``."""


def chunk_records(kv: tuple[int, Document]) -> tuple[int, tuple]:
    """A document keyed by its chunk (``index // CHUNK``, the local engine's batch)."""
    return kv[0] // CHUNK, ("d", kv[0], kv[1])


def passage_ranges(al: Aligned) -> Iterator[tuple[int, tuple]]:
    """Each side's token range of an aligned pair's passages, keyed by its document's chunk, with the
    place the stage lists it at (pairs by ``(i, j)``, passages in order: ``talking_points``' ``ranges``)."""
    for k, p in enumerate(al.passages):
        if p.a_words is not None and p.b_words is not None:
            yield al.i // CHUNK, ("r", (al.i, al.j, k, 0), al.i, p.a_words)
            yield al.j // CHUNK, ("r", (al.i, al.j, k, 1), al.j, p.b_words)


def gather_chunks(records: Iterable[tuple[int, tuple]]) -> Iterator[tuple[int, Chunk]]:
    """The records of one partition (every chunk's whole) as ``(chunk, (documents, ranges))``."""
    docs: dict[int, list[tuple[int, Document]]] = defaultdict(list)
    ranges: dict[int, list[tuple]] = defaultdict(list)
    for c, rec in records:
        (docs[c].append(rec[1:]) if rec[0] == "d" else ranges[c].append(rec[1:]))
    for c in sorted(docs):
        held = sorted(docs.pop(c), key=lambda r: r[0])
        first = held[0][0]
        per_doc: list[list[tuple[int, int]]] = [[] for _ in held]
        for _, i, rng in sorted(ranges.pop(c, ()), key=lambda r: r[0]):
            per_doc[i - first].append(rng)
        yield c, ([d for _, d in held], [np.asarray(r, dtype=np.int64).reshape(-1, 2) for r in per_doc])


def source_code(source: str) -> int:
    """A source's code for the count pass: only equal or not matters there (boilerplate is a line of
    one source), so a 56-bit hash serves where the local engine numbers sources by first sight."""
    if not source:
        return -1
    return int.from_bytes(hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=7).digest(), "little")


def count_chunk(chunk: Chunk, config: ReuseConfig) -> un.Counts:
    """``count_batch`` of one chunk, without its readings, its lines cut down (:func:`combine_counts`)."""
    docs, _ = chunk
    c = un.count_batch([d.text for d in docs], [source_code(d.source) for d in docs], config.paraphrase_min_words)
    return dataclasses.replace(c, readings=None, **_clip_lines(c.lines, c.line_src, config.boilerplate_min_docs))


def combine_counts(a: un.Counts, b: un.Counts, min_docs: int) -> un.Counts:
    """Two chunks' aggregates as one, such that ``merge`` of it is ``merge`` of all the batches.

    Names and terms are summed by key (``merge`` only sums them); the lines are clipped
    (:func:`~reuse.stages.talking.boilerplate.clip_lines`), which answers ``merge`` the same however
    often they are combined and keeps the aggregate small.
    """
    names, seen = merge_counts([(a.name_ids, a.name_seen), (b.name_ids, b.name_seen)])
    _, upper = merge_counts([(a.name_ids, a.name_upper), (b.name_ids, b.name_upper)])
    terms, unit_df = merge_counts([(a.terms, a.unit_df), (b.terms, b.unit_df)])
    _, doc_df = merge_counts([(a.terms, a.doc_df), (b.terms, b.doc_df)])
    lines = _clip_lines(np.concatenate((a.lines, b.lines)), np.concatenate((a.line_src, b.line_src)), min_docs)
    return un.Counts(a.n_docs + b.n_docs, a.n_units + b.n_units, names, seen, upper, terms, unit_df, doc_df,
                     readings=None, **lines)  # type: ignore[arg-type]


def _clip_lines(h: np.ndarray, src: np.ndarray, min_docs: int) -> dict[str, np.ndarray]:
    """:func:`~reuse.stages.talking.boilerplate.clip_lines` as the ``Counts`` fields it replaces."""
    lines, line_src = clip_lines(h, src, min_docs)
    return {"lines": lines, "line_src": line_src}


def units_chunk(chunk: Chunk, model: un.Model, config: ReuseConfig) -> un.Units:
    """``units_batch`` of one chunk, its readings made again (``count_batch`` reads them so)."""
    docs, ranges = chunk
    readings = analyse_batch([d.text for d in docs], config.paraphrase_min_words)[0]
    return un.units_batch(readings, ranges, model, window=config.paraphrase_window)


@dataclasses.dataclass(frozen=True)
class _Placed:
    """Texts spilled in the order they came, read back by document number."""

    spill: SpillFile
    at: np.ndarray  # document k's text is the spill's text at[k]

    def get(self, k: int) -> str:
        return self.spill.get(int(self.at[k]))


class TaskAccess(CorpusAccess):
    """The talking-points stage's view of the corpus inside one Spark task: texts from a spill file,
    the unit passes already run, the plan's scope rules (``Reading.allowed_mask``) and new pairs'
    TF-IDF cosine (``EngineAccess.new_pair``)."""

    def __init__(self, metas: list[Document], texts: _Placed, passes: tuple, idf: Idf, config: ReuseConfig,
                 n_scanned: int | None, found: dict[tuple[int, int], list[UnitMatch]] | None = None) -> None:
        super().__init__(metas)
        self.texts, self.passes, self.idf, self.found = texts, passes, idf, found
        self.reference = np.arange(len(metas)) >= n_scanned if n_scanned is not None else None
        self.sources = scope.source_codes(metas) if config.across_sources else None
        self._cache: dict[int, str] = {}
        self.linking: sparse.csr_matrix | None = None

    def unit_passes(self) -> tuple[un.Model, np.ndarray, int, un.Units]:
        return self.passes

    def paraphrase_matches(self) -> dict[tuple[int, int], list[UnitMatch]] | None:
        """The matches the paraphrase tasks found (:mod:`.spark_paraphrase`), or None: find them here."""
        return self.found

    def cluster(self, passages: list[Passage], docs: list[Document], vectors: sparse.csr_matrix | None,
                min_link: float, text: Callable[[str], str]) -> list[Cluster]:
        """None here: the passages and their sides' vectors are kept for :mod:`.spark_clusters`,
        which clusters them on the executors by components of the passage graph."""
        self.linking = vectors
        return []

    def text(self, i: int) -> str:
        if i not in self._cache:
            if len(self._cache) >= 256:  # the stage reads a pair's two texts at a time: keep a few
                self._cache.pop(next(iter(self._cache)))
            self._cache[i] = self.texts.get(i)
        return self._cache[i]

    def allowed(self, pairs: np.ndarray) -> np.ndarray:
        if self.reference is None and self.sources is None:
            return super().allowed(pairs)
        return scope.allowed_pairs(pairs, reference=self.reference, sources=self.sources)


def talking_task(rows: Iterator[Any], config: ReuseConfig, idf: Idf, n_scanned: int | None, model: tuple,
                 units: StoredUnits | None) -> Iterator[tuple[str, int, Any]]:
    """The stage after the unit passes and the paraphrase index (the plan's ``finish``), as the local
    engine runs it.

    ``rows``: ``(0, ("d", index, document))``, ``(0, ("a", aligned))`` and ``(0, ("f", i, j, matches))``
    (the paraphrase tasks' matches of document pair ``(i, j)``, :mod:`.spark_paraphrase`) in any
    order; ``model``: ``(model, background, n_units)`` of the count pass; ``units``: the stored unit
    matrix, mapped here (None: no documents). Each text goes to a spill file as it comes; what stays
    is the documents' fields, the aligned pairs and the matches.
    """
    before = _peak_mb()  # Python workers are reused: a peak above this one is this task's
    folder = Path(tempfile.mkdtemp(prefix="reuse-talk-"))
    try:
        spill = SpillFile(folder / "texts.bin")
        metas: list[tuple[int, int, Document]] = []  # (index, place in the spill file, document without text)
        aligned: list[Aligned] = []
        found: dict[tuple[int, int], list[UnitMatch]] = {}
        for _, (kind, *value) in rows:
            if kind == "d":
                metas.append((value[0], len(metas), dataclasses.replace(value[1], text="")))
                spill.add(value[1].text)
            elif kind == "a":
                aligned.append(value[0])
            else:
                found[(value[0], value[1])] = value[2]
        spill.close()
        metas.sort(key=lambda r: r[0])
        docs = [d for _, _, d in metas]
        texts = _Placed(spill, np.array([at for _, at, _ in metas], dtype=np.int64))
        del metas
        aligned.sort(key=lambda a: (a.i, a.j))
        held = units.load() if units is not None and docs else None
        access = TaskAccess(docs, texts, (*model, held), idf, config, n_scanned, found)
        final = finish(aligned, docs, access, config)
        whole = lambda k: dataclasses.replace(docs[k], text=texts.get(k))  # noqa: E731
        # results keep every document of a small corpus, else those in a pair
        kept = range(len(docs)) if len(docs) <= config.all_pairs_max_docs else \
            final.involved({d.id: k for k, d in enumerate(docs)})
        for name, records in (("pairs", final.pairs), ("passages", final.passages),
                              ("linked", _linked(final.passages, access.linking, docs)),
                              ("documents", (whole(k) for k in kept))):
            for k, rec in enumerate(records):
                yield name, k, rec
        yield "stats", 0, final.extra
        yield "peak", 0, _peak_mb()  # MB, this Python worker's
        yield "peak_before", 0, before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _linked(passages: list[Passage], vectors: sparse.csr_matrix | None, docs: list[Document]) -> Iterator[Any]:
    """Each final passage as :mod:`.spark_clusters` takes it: its documents' numbers, the passage, and
    its two sides' term vectors (rows ``2k`` and ``2k + 1``, as stored)."""
    number = {d.id: k for k, d in enumerate(docs)}
    for k, p in enumerate(passages):
        sides = None
        if vectors is not None:
            ptr = vectors.indptr
            sides = tuple((vectors.indices[ptr[r]:ptr[r + 1]].copy(), vectors.data[ptr[r]:ptr[r + 1]].copy())
                          for r in (2 * k, 2 * k + 1))
        yield number[p.doc_a], number[p.doc_b], p, sides
