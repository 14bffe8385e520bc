"""Parquet output (``--formats parquet``): pairs, passages, documents and clusters as typed tables.

Data teams load results into Spark, DuckDB or a warehouse; Parquet keeps the types (lists stay
lists, numbers stay numbers) that CSV flattens. The records are exactly those of the JSONL files
(``to_record``), written in row groups as they stream, so a large result never sits in memory
twice, and atomically (temporary name, then rename) like every other output.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reuse.io.parquet import require_pyarrow
from reuse.model import Results
from reuse.outputs.records import document_records, pair_records, passage_records

ROWS_PER_GROUP = 8192


def _schemas() -> dict[str, Any]:
    """Arrow schemas of the four tables: fixed, so an empty result still has typed columns."""
    import pyarrow as pa

    s, f, i, strs = pa.string(), pa.float64(), pa.int64(), pa.list_(pa.string())
    member = pa.struct([("doc", s), ("start", i), ("end", i), ("text", s), ("source", s), ("date", s)])
    return {
        "pairs": pa.schema([("doc_a", s), ("doc_b", s), ("score", f), ("tfidf_cosine", f), ("jaccard", f),
                            ("containment_a", f), ("containment_b", f), ("n_passages", i), ("coverage_a", f),
                            ("coverage_b", f), ("top_terms", strs), ("kinds", strs), ("source_a", s), ("source_b", s),
                            ("url_a", s), ("url_b", s)]),
        "passages": pa.schema([("doc_a", s), ("a_start", i), ("a_end", i), ("doc_b", s), ("b_start", i),
                               ("b_end", i), ("kind", s), ("score", f), ("text_a", s), ("text_b", s),
                               ("matched_words", i), ("shared_terms", strs)]),
        "documents": pa.schema([("id", s), ("origin", s), ("source", s), ("title", s), ("date", s), ("url", s),
                                ("n_chars", i), ("n_pairs", i), ("best_score", f), ("reused_share", f), ("n_tokens", i)]),
        "clusters": pa.schema([("id", i), ("label", s), ("members", pa.list_(member)), ("sources", strs),
                               ("first_seen", s), ("last_seen", s), ("kinds", strs), ("shared_terms", strs)]),
    }


def write_table(path: str | Path, table: str, records: Iterable[dict[str, Any]]) -> int:
    """Write ``records`` (dicts as ``to_record`` gives them) as the Parquet table ``table``; returns rows."""
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schemas()[table]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    n = 0
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            chunk: list[dict[str, Any]] = []
            for rec in records:
                chunk.append(rec)
                if len(chunk) == ROWS_PER_GROUP:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    n += len(chunk)
                    chunk = []
            if chunk or n == 0:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return n


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_table(path: str | Path) -> list[dict[str, Any]]:
    """The records of a table written by :func:`write_table` (tests, small results)."""
    return require_pyarrow().read_table(path).to_pylist()


def _writer(table: str, records: Callable[[Results], Iterable[dict[str, Any]]]) -> Callable[[Results, Path], list[Path]]:
    def write(r: Results, out: Path) -> list[Path]:
        write_table(out / f"{table}.parquet", table, records(r))
        return [out / f"{table}.parquet"]

    return write


PARQUET_WRITERS = {
    "pairs.parquet": _writer("pairs", pair_records),
    "passages.parquet": _writer("passages", passage_records),
    "documents.parquet": _writer("documents", document_records),
    "clusters.parquet": _writer("clusters", lambda r: (c.to_record() for c in r.clusters)),
}
