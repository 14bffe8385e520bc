"""Machine-readable outputs: JSONL and CSV, written atomically (temporary name, then rename).

A reader never sees a half-written file: either the previous version or the complete new one.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from reuse.model import Results

PAIR_FIELDS = [
    "doc_a", "doc_b", "score", "tfidf_cosine", "jaccard", "containment_a", "containment_b",
    "n_passages", "coverage_a", "coverage_b", "kinds", "top_terms",
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
    return (p.to_record() for p in results.pairs)


def passage_records(results: Results) -> Iterator[dict[str, Any]]:
    return (p.to_record() for p in results.passages)


def skipped_records(results: Results) -> Iterator[dict[str, Any]]:
    return (s.to_record() for s in results.skipped)
