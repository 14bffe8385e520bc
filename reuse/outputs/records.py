"""Machine-readable outputs: JSONL and CSV, written atomically (temporary name, then rename).

A reader never sees a half-written file: either the previous version or the complete new one.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from reuse.model import DocumentInfo, Results
from reuse.stages.document_record import document_record
from reuse.stages.pair_record import pair_record, side_of

PAIR_FIELDS = [
    "doc_a", "doc_b", "score", "tfidf_cosine", "jaccard", "containment_a", "containment_b",
    "n_passages", "coverage_a", "coverage_b", "kinds", "top_terms",
    "source_a", "source_b", "url_a", "url_b",
]

DOCUMENT_FIELDS = [
    "id", "origin", "source", "title", "date", "url", "n_chars", "n_pairs", "best_score", "reused_share", "n_tokens",
]


@contextlib.contextmanager
def atomic_open(path: str | Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; outputs should read like any new file
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> int:
    n = 0
    with atomic_open(path) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_csv(path: str | Path, records: Iterable[dict[str, Any]], fieldnames: list[str]) -> int:
    n = 0
    with atomic_open(path, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: ("|".join(v) if isinstance(v, list) else v) for k, v in rec.items()})
            n += 1
    return n


def pair_records(results: Results) -> Iterator[dict[str, Any]]:
    """Pairs as written out: the :class:`~reuse.model.Pair` fields plus each side's source and URL,
    so a line of ``pairs.jsonl`` (or of ``--json``) can be filtered and linked on its own.

    Results whose engine made these records already (``results.pair_rows``: Spark, on its
    executors) are streamed as they are; otherwise a map of the documents' sides is held, which
    grows with the documents in pairs."""
    if results.pair_rows is not None:
        yield from results.pair_rows
        return
    docs = {d.id: side_of(d) for d in results.documents}  # not the texts: results may stream them
    for p in results.pairs:
        yield pair_record(p, docs.get(p.doc_a), docs.get(p.doc_b))


def passage_records(results: Results) -> Iterator[dict[str, Any]]:
    return (p.to_record() for p in results.passages)


def skipped_records(results: Results) -> Iterator[dict[str, Any]]:
    return (s.to_record() for s in results.skipped)


def document_infos(results: Results) -> list[DocumentInfo]:
    """Every document read: ``results.read``, or (results built by hand) one entry per document held."""
    if results.read:
        return results.read
    from reuse.text.tokens import tokenize

    return [DocumentInfo(d.id, d.origin, d.source, d.title, d.date, d.url, len(d.text), len(tokenize(d.text)))
            for d in results.documents]


def document_records(results: Results) -> Iterator[dict[str, Any]]:
    """One record per document read, matched or not, in input order.

    Every document read is listed (:func:`document_infos`), also on a corpus too large for the
    results to keep the texts of documents in no pair. ``reused_share`` is the share of the
    document's characters inside reported passages (their union, so overlapping passages count
    once): "how much of this article is someone else's". Results whose engine made these records
    already (``results.document_rows``: Spark, on its executors) are streamed as they are.
    """
    if results.document_rows is not None:
        yield from results.document_rows
        return
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    n_pairs: dict[str, int] = defaultdict(int)
    best: dict[str, float] = {}
    for p in results.pairs:
        for doc in (p.doc_a, p.doc_b):
            n_pairs[doc] += 1
            best[doc] = max(best.get(doc, 0.0), p.score)
    for s in results.passages:
        spans[s.doc_a].append((s.a_start, s.a_end))
        spans[s.doc_b].append((s.b_start, s.b_end))
    for d in document_infos(results):
        yield document_record(d, n_pairs.get(d.id, 0), best.get(d.id, 0.0), spans.get(d.id, ()))
