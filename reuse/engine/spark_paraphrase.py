"""Talking points on Spark: the paraphrase evidence index and its judging as tasks, not one task.

The stage's ``_paraphrases`` (:mod:`reuse.stages.talking.points`) builds the evidence index over
every unit of the corpus, runs its blocks of rows, keeps each candidate that is the best match of
one of its units in the other document (``best_links``), judges the rest and keeps each document
pair's strongest matches (``select_matches``). Here, over the stored unit matrix
(:mod:`.spark_units`):

1. one task makes the index's inverted lists (``evidence_columns``) and stores them beside the units;
2. tasks over ranges of rows run the index's blocks (:func:`candidate_partition`); each keeps the
   first half of the competitive linking there (all the candidates of a first unit are in its
   block), and sends each candidate to the partition of its second unit's document;
3. there (:func:`judge_partition`) every candidate of a second unit has met: the other half of the
   linking, the judging (``claim_matches``) and ``select_matches`` per document pair (all of a
   pair's candidates share its second document) run where they are, giving the stage's matches.

Each step is the stage's own function on a part that holds whatever that function compares, so the
matches are the local engine's (the talking task then takes them: ``CorpusAccess.paraphrase_matches``).
"""
from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.engine.spark_support import StoredValue, WorkFolder, pickled_rows, store_value
from reuse.engine.spark_units import StoredUnits
from reuse.model import Document, source_of
from reuse.stages import scope
from reuse.stages.candidates import in_sorted
from reuse.stages.talking import candidates as cand
from reuse.stages.talking import units as un
from reuse.stages.talking.evidence import UnitMatch, claim_matches, select_matches
from reuse.stages.talking.points import JUDGE_CHUNK
from reuse.stages.talking.unit_rows import UnitRows

ROWS_PER_TASK = 64 * cand.BLOCK_ROWS
"""Units whose candidates one task finds (the index's blocks of rows, a run of them a task)."""
DOCS_PER_PART = 8192
"""Documents per partition of the judging (at least as many partitions as the engine's parallelism)."""


@dataclass(frozen=True)
class Setting:
    """What every task of the paraphrase steps reads: where the units are, the corpus's sizes and model."""

    units: StoredUnits
    n_docs: int
    n_rows: int
    n_parts: int  # partitions of the judging, each a range of documents
    min_score: float
    min_evidence: int
    n_scanned: int | None
    sources: bool  # the scope refuses pairs within one source (stored ``sources.npy``)


def build_index(setting: Setting, model: tuple[un.Model, np.ndarray, int]) -> None:
    """Store the index's inverted lists, each row's document and the judging's ``surprise`` beside the units."""
    units = setting.units.load()
    row_doc = cand.unit_matrix(units, len(model[0].vocab))[1]
    if setting.n_rows >= 2:
        col_ptr, col_rows = cand.evidence_columns(UnitRows.of(units, model[0].idf, row_doc), model[1])
        setting.units.save("col_ptr", col_ptr)
        setting.units.save("col_rows", col_rows)
    setting.units.save("row_doc", row_doc)


def row_ranges(setting: Setting) -> list[tuple[int, int]]:
    """The rows' ranges, one a candidate task (none below two rows: the index has no pairs)."""
    n = setting.n_rows if setting.n_rows >= 2 else 0
    return [(s, min(s + ROWS_PER_TASK, n)) for s in range(0, n, ROWS_PER_TASK)]


def source_records(kv: tuple[int, Document]) -> tuple[int, int]:
    """A document's number and a 63-bit code of its source (equal exactly when the sources are, but for
    hash collisions), for ``sources.npy``."""
    code = hashlib.blake2b(source_of(kv[1]).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return kv[0], int.from_bytes(code, "little") >> 1


class _Scope:
    """The scan's scope over document pairs (``Reading.allowed_mask``, as the talking task's access)."""

    def __init__(self, setting: Setting) -> None:
        self.reference = np.arange(setting.n_docs) >= setting.n_scanned if setting.n_scanned is not None else None
        self.sources = setting.units.array("sources") if setting.sources else None

    def __call__(self, pairs: np.ndarray) -> np.ndarray:
        return scope.allowed_pairs(pairs, reference=self.reference, sources=self.sources)


def _index(setting: Setting, model: tuple[un.Model, np.ndarray, int]) -> cand.CandidateIndex:
    row_doc = setting.units.array("row_doc")
    rows = UnitRows.of(setting.units.load(), model[0].idf, row_doc)
    columns = setting.units.array("col_ptr"), setting.units.array("col_rows")
    return cand.CandidateIndex(rows, row_doc, model[1], min_score=setting.min_score, columns=columns)


def target(setting: Setting, docs: np.ndarray) -> np.ndarray:
    """The judging partition of each document: ranges of consecutive documents."""
    return docs * setting.n_parts // max(setting.n_docs, 1)


def candidate_partition(ranges: Iterable[tuple[int, int]], setting: Setting, model: tuple[un.Model, np.ndarray, int]
                        ) -> Iterator[tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """The index's candidates of each row range, with the first half of the linking, sent on as
    ``(partition, (pairs, cosines, best of the first unit))`` by their second unit's document."""
    index = restrict = None
    for lo, hi in ranges:
        if index is None:
            index = _index(setting, model)
            restrict = _Scope(setting) if setting.n_scanned is not None or setting.sources else None
        found = [index.block(s, min(s + cand.BLOCK_ROWS, hi), restrict) for s in range(lo, hi, cand.BLOCK_ROWS)]
        pairs, scores = cand.joined(found)
        if not len(pairs):
            continue
        first = cand.best_of_side(pairs, scores, index.row_doc, 0)
        part = target(setting, index.row_doc[pairs[:, 1]])
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(setting.n_parts + 1))
        for p in range(setting.n_parts):
            take = order[bounds[p] : bounds[p + 1]]
            if len(take):
                yield p, (pairs[take], scores[take], first[take])


def judge_partition(rows: Iterable[tuple[int, tuple[np.ndarray, np.ndarray, np.ndarray]]], setting: Setting,
                    model: tuple[un.Model, np.ndarray, int], nominated: StoredValue
                    ) -> Iterator[tuple[int, tuple[int, int, list[UnitMatch]]]]:
    """The claim matches of the document pairs whose second document is in this partition:
    ``(i * n + j, (i, j, matches))``, as the stage's ``_paraphrases`` gives them for ``(i, j)``.

    ``nominated``: sorted codes ``i * n + j`` of the pairs the aligner has a record of (:func:`nominated_codes`)."""
    parts = [r for _, r in rows]
    if not parts:
        return
    pairs = np.concatenate([p for p, _, _ in parts])
    scores = np.concatenate([s for _, s, _ in parts])
    first = np.concatenate([f for _, _, f in parts])
    del parts
    units = setting.units.load()
    row_doc = setting.units.array("row_doc")
    keep = first | cand.best_of_side(pairs, scores, row_doc, 1)
    pairs, scores = pairs[keep], scores[keep]
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))  # the stage's order: blocks of first rows, each sorted
    pairs, scores = pairs[order], scores[order]
    n = setting.n_docs
    known = in_sorted(row_doc[pairs[:, 0]] * n + row_doc[pairs[:, 1]], nominated.value)
    model_, background, n_units = model
    table = UnitRows.of(units, model_.idf, row_doc)
    surprise = model_.idf - 1.0
    grouped: dict[tuple[int, int], list[UnitMatch]] = {}
    for s in range(0, len(pairs), JUDGE_CHUNK):
        e = s + JUDGE_CHUNK
        for m in claim_matches(table, pairs[s:e], row_doc, units.first_row, scores[s:e], known[s:e], background,
                               surprise, setting.min_evidence, n_units):
            grouped.setdefault((m.i, m.j), []).append(m)
    for (i, j), found in sorted(grouped.items()):
        yield i * n + j, (i, j, select_matches(found, units[i], units[j]))


def nominated_codes(codes: Iterable[int]) -> Iterator[np.ndarray]:
    """The aligned pairs' codes ``i * n + j`` of one partition (all of them), sorted: one array."""
    yield np.sort(np.fromiter(codes, dtype=np.int64))


def write_at(path: str, records: Iterable[tuple[int, int]]) -> None:
    """Write each ``(index, value)`` into the stored array at ``path`` (tasks write disjoint places)."""
    out = np.load(path, mmap_mode="r+")
    for k, v in records:
        out[k] = v
    out.flush()


def matches(spark: Any, work: WorkFolder, parts: int, stored: StoredUnits, aligned: Any, docs: Any, n: int,
            model: StoredValue, config: ReuseConfig, n_scanned: int | None) -> Any:
    """The paraphrase claim matches per document pair, the ``paraphrases`` stage of ``(i * n + j, (i,
    j, matches))`` (read back when done): the index's lists made once and stored, its candidates
    found per range of rows, judged per range of second documents. ``aligned``: RDD of ``Aligned``;
    ``docs``: ``(number, Document)``; ``model``: ``(model, background, n_units)``."""
    if work.done("paraphrases"):
        return spark.read.parquet(str(work.path("paraphrases")))
    sc = spark.sparkContext
    judge_parts = max(parts, math.ceil(n / DOCS_PER_PART))
    setting = Setting(stored, n, stored.totals()["rows"] if n else 0, judge_parts, config.paraphrase_min_score,
                      config.paraphrase_min_evidence, n_scanned, config.across_sources)
    runs = config.paraphrase and n > 0
    held = work.path("nominated.pkl")
    nominated = StoredValue(str(held))
    if runs:
        sc.parallelize([0], 1).foreach(lambda _: build_index(setting, model.value))
        if config.across_sources:
            codes = str(stored.path("sources.npy"))
            np.lib.format.open_memmap(codes, mode="w+", dtype=np.int64, shape=(n,)).flush()
            docs.map(source_records).foreachPartition(lambda it: write_at(codes, it))
        store_value(aligned.filter(lambda a: a.pair is not None).map(lambda a: a.i * n + a.j).coalesce(1)
                    .mapPartitions(nominated_codes), held, lambda codes: (codes, None))
        if not held.exists():  # no partitions at all
            held.write_bytes(pickle.dumps(np.empty(0, np.int64), protocol=5))
    ranges = row_ranges(setting) if runs else []
    found = sc.parallelize(ranges, max(1, len(ranges))).mapPartitions(
        lambda it: candidate_partition(it, setting, model.value)).partitionBy(judge_parts, lambda p: p).mapPartitions(
        lambda it: judge_partition(it, setting, model.value, nominated))
    return work.stage(spark, "paraphrases", lambda: pickled_rows(spark, found))
