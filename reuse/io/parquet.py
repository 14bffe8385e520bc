"""Parquet input: ``reuse scan corpus.parquet``, columns named as for JSONL (id, text, source, ...).

Data lakes hold corpora as Parquet; converting them to JSONL first would double the disk and the
time. The file is read in row batches through pyarrow (only the named columns of the record are
decoded per batch), so a corpus of millions of rows streams like a JSONL file. A row whose text
is null is skipped with its row number (1-based, as ``file.parquet:ROW``), like a bad JSONL line.

pyarrow comes with the ``reuse[spark]`` extra; without it a ``.parquet`` input is one clear error.
"""
from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reuse.errors import InputError
from reuse.model import Document, Skip

if TYPE_CHECKING:
    from reuse.io.records import Fields

BATCH_ROWS = 2048
"""Rows decoded at a time: a few MB of text, whatever the file's row groups."""


def require_pyarrow() -> Any:
    """The ``pyarrow.parquet`` module, or a one-line :class:`InputError` saying how to get it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'reuse[spark]' (or pip install pyarrow)") from None
    return pq


def iter_parquet(path: Path, origin: str, *, fields: Fields) -> Iterator[Document | Skip]:
    """Documents of a Parquet file in row order; a null or empty text is a :class:`Skip` naming its row."""
    from reuse.io.records import from_record  # the JSONL/CSV rules for a record, shared

    pq = require_pyarrow()
    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) for a non-Parquet file
        yield Skip(origin, f"unreadable Parquet file: {exc}")
        return
    names = pf.schema_arrow.names
    if fields.text not in names:
        yield Skip(origin, f"Parquet file has no {fields.text!r} column (columns: {', '.join(names)})")
        return
    row = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS):
        for record in batch.to_pylist():
            row += 1
            yield from_record({k: _json_value(v) for k, v in record.items()}, f"{origin}:{row}", fields)


def _json_value(value: Any) -> Any:
    """A Parquet value as JSONL would hold it: times in ISO 8601, decimals and bytes as text."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value
