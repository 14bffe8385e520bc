"""Documents and the readers that turn paths into them, with a ledger of everything skipped.

Readers never raise for a bad *document*: they yield a :class:`Skip` naming the file (and line or
row) and the reason, and the rest of the corpus is read as usual. They raise :class:`InputError`
only for a bad *path* (missing, unknown format), which stops the run with a one-line error.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from reuse.errors import InputError
from reuse.io.html import html_to_text
from reuse.model import Corpus, Document, Skip, checked

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".csv", ".parquet"}
READABLE = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES

_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32))
_BINARY_SAMPLE = 8192
_BINARY_SHARE = 0.10  # a few stray NULs are text (PAN13 has some); a tenth of control bytes is not


@dataclass(frozen=True, slots=True)
class Fields:
    """Names of the record fields read from JSONL and CSV inputs."""

    id: str = "id"
    text: str = "text"
    source: str = "source"
    title: str = "title"
    date: str = "date"
    url: str = "url"


def read_paths(
    paths: Iterable[str | Path],
    *,
    fields: Fields = Fields(),
    encoding: str = "utf-8",
    stdin: TextIO | None = None,
) -> Corpus:
    """Read every path (folder, .txt/.md/.html, .jsonl, .csv, or ``-`` for JSONL on stdin)."""
    paths = check_paths(paths)
    return Corpus.from_items(iter_paths(paths, fields=fields, encoding=encoding, stdin=stdin))


def check_paths(paths: Iterable[str | Path]) -> list[str | Path]:
    """The paths, after checking each exists and has a readable format (:class:`InputError` if not)."""
    paths = list(paths)
    for p in paths:
        if str(p) != "-" and not Path(p).exists():
            raise InputError(f"{p}: no such file or folder")
        if str(p) != "-" and Path(p).is_file() and Path(p).suffix.lower() not in READABLE:
            raise InputError(
                f"{p}: unknown format {Path(p).suffix or '(no suffix)'!r}; "
                f"reuse reads folders, {', '.join(sorted(READABLE))}, or '-' for JSONL on stdin"
            )
    return paths


def iter_paths(
    paths: Iterable[str | Path], *, fields: Fields = Fields(), encoding: str = "utf-8", stdin: TextIO | None = None
) -> Iterator[Document | Skip]:
    """Stream documents and skips from paths, in a stable order (folders sorted by path)."""
    for p in paths:
        if str(p) == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from iter_jsonl_lines(stream, "<stdin>", fields)
            continue
        path = Path(p)
        if path.is_dir():
            for f in sorted(x for x in path.rglob("*") if x.is_file() and x.suffix.lower() in READABLE):
                yield from iter_file(f, f.relative_to(path).as_posix(), fields=fields, encoding=encoding)
        else:
            yield from iter_file(path, path.name, fields=fields, encoding=encoding)


def iter_file(path: Path, doc_id: str, *, fields: Fields, encoding: str) -> Iterator[Document | Skip]:
    """One file: a text/HTML document, or a record file holding many."""
    suffix = path.suffix.lower()
    origin = str(path)
    if suffix == ".jsonl":
        yield from iter_jsonl_file(path, origin, fields=fields, encoding=encoding)
        return
    if suffix == ".parquet":  # row batches through pyarrow (reuse.io.parquet)
        from reuse.io.parquet import iter_parquet

        yield from iter_parquet(path, origin, fields=fields)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Skip(origin, f"unreadable: {exc.strerror or exc}", doc_id if suffix not in RECORD_SUFFIXES else None)
        return
    if _looks_binary(raw):
        yield Skip(origin, "binary content, not text", doc_id if suffix not in RECORD_SUFFIXES else None)
        return
    text, error = _decode(raw, encoding)
    if error:
        line, reason = error
        yield Skip(f"{origin}:{line}", reason, doc_id if suffix not in RECORD_SUFFIXES else None)
        return
    if suffix == ".jsonl":
        yield from iter_jsonl_lines(io.StringIO(text, newline=None), origin, fields)
    elif suffix == ".csv":
        yield from iter_csv(text, origin, fields)
    elif suffix in HTML_SUFFIXES:
        title, body = html_to_text(text)
        yield checked(Document(id=doc_id, text=body, title=title, origin=origin))
    else:
        yield checked(Document(id=doc_id, text=text, origin=origin))


def iter_jsonl_file(path: Path, origin: str, *, fields: Fields, encoding: str) -> Iterator[Document | Skip]:
    """A JSONL file read as a stream, line by line: a corpus of millions never sits in memory.

    A line that does not decode is skipped with its line number; the other lines are read.
    """
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Skip(origin, f"unreadable: {exc.strerror or exc}")
        return
    with fh:
        if _looks_binary(fh.read(_BINARY_SAMPLE)):
            yield Skip(origin, "binary content, not text")
            return
        fh.seek(0)
        hint = "" if encoding.lower().replace("_", "-") != "utf-8" else "; pass --encoding (e.g. latin-1) to decode it"
        for lineno, raw in enumerate(fh, start=1):
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                yield Skip(f"{origin}:{lineno}", f"invalid {exc.encoding} at byte {exc.start} of the line ({exc.reason}){hint}")
                continue
            if not line.strip():
                continue
            yield _jsonl_record(line, f"{origin}:{lineno}", fields)


def _jsonl_record(line: str, where: str, fields: Fields) -> Document | Skip:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skip(where, f"malformed JSON line: {exc.msg} (column {exc.colno})")
    if not isinstance(record, dict):
        return Skip(where, f"expected a JSON object, got {type(record).__name__}")
    return _from_record(record, where, fields)


def iter_jsonl_lines(stream: TextIO, origin: str, fields: Fields) -> Iterator[Document | Skip]:
    """JSON Lines: one object per line; blank lines are ignored."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(where, f"malformed JSON line: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield Skip(where, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield _from_record(record, where, fields)


def iter_csv(text: str, origin: str, fields: Fields) -> Iterator[Document | Skip]:
    """CSV with a header row naming the fields; quoted fields may span lines."""
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        yield Skip(origin, "empty CSV file (no header row)")
        return
    if fields.text not in reader.fieldnames:
        yield Skip(f"{origin}:1", f"CSV header has no {fields.text!r} column (columns: {', '.join(reader.fieldnames)})")
        return
    row_start = reader.line_num + 1
    try:
        for row in reader:
            where = f"{origin}:{row_start}"
            row_start = reader.line_num + 1
            if None in row:  # more cells than header columns
                row.pop(None)
            yield _from_record(row, where, fields)
    except csv.Error as exc:
        yield Skip(f"{origin}:{reader.line_num}", f"malformed CSV: {exc}")


def _from_record(record: dict[str, Any], where: str, fields: Fields) -> Document | Skip:
    raw_id = record.get(fields.id)
    doc_id = None if raw_id in (None, "") else str(raw_id)
    text = record.get(fields.text)
    if doc_id is None:
        return Skip(where, f"record has no {fields.id!r} field")
    if text is None or text == "":
        return Skip(where, f"record has no {fields.text!r} field", doc_id)
    if not isinstance(text, str):
        return Skip(where, f"{fields.text!r} is {type(text).__name__}, expected a string", doc_id)
    extra = {k: v for k, v in record.items() if k not in {fields.id, fields.text, fields.source, fields.title, fields.date, fields.url}}
    return checked(
        Document(
            id=doc_id,
            text=text,
            source=_opt_str(record.get(fields.source)),
            title=_opt_str(record.get(fields.title)),
            date=_opt_str(record.get(fields.date)),
            url=_opt_str(record.get(fields.url)),
            origin=where,
            meta=extra,
        )
    )


record_to_document = _from_record
"""Public name of the record rules, for the readers in other modules (Parquet)."""


def _opt_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:_BINARY_SAMPLE]
    if not sample:
        return False
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > _BINARY_SHARE


def _decode(raw: bytes, encoding: str) -> tuple[str, None] | tuple[None, tuple[int, str]]:
    """Decode strictly; on failure return ``(line, reason)`` naming the first bad byte."""
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = "" if encoding.lower().replace("_", "-") != "utf-8" else "; pass --encoding (e.g. latin-1) to decode it"
        return None, (line, f"invalid {exc.encoding} at byte {exc.start} ({exc.reason}){hint}")
