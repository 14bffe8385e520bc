"""Document metadata from a side file (``reuse scan FOLDER --meta FILE``).

Files in a folder carry no outlet, date or title, yet talking points need them: boilerplate is
what repeats *within one source*, and a talking point is reported with its sources and when it
was first and last seen. A meta file is CSV (header row) or JSONL with ``id`` and any of
``source``, ``date``, ``title``, ``url``. ``id`` is the document id (the path relative to the
scanned folder, e.g. ``000_4c69.txt``) or that id without its suffix (``000_4c69``).

A bad meta file stops the run with one line naming the file and line: metadata silently half
applied would mislabel every talking point. A row that matches no document (a typo in an id, a
file renamed since) is listed as a skip naming its line, for the same reason.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from reuse.errors import InputError
from reuse.model import Corpus, Document, Skip

META_FIELDS = ("source", "date", "title", "url")


class MetaError(InputError):
    """The ``--meta`` file is missing, of an unknown format, or has a bad line."""


class MetaRows(dict):
    """``{id: {field: value}}``, and in ``origins`` the ``file:line`` each row was read from."""

    def __init__(self) -> None:
        super().__init__()
        self.origins: dict[str, str] = {}
        self.used: set[str] = set()  # ids applied so far, over every stream the rows were applied to


def read_meta(path: str | Path, *, encoding: str = "utf-8") -> MetaRows:
    """``{id: {field: value}}`` from a CSV or JSONL meta file (empty values are left out)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise MetaError(f"{path}: meta file must be .csv or .jsonl (fields id, source, date, title, url)")
    try:
        text = path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise MetaError(f"{path}: no such meta file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MetaError(f"{path}: unreadable meta file ({exc})") from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark belongs to the file, not to its header
    rows = _jsonl_rows(text, path) if suffix == ".jsonl" else _csv_rows(text, path)
    meta = MetaRows()
    for where, record in rows:
        doc_id = record.get("id")
        if doc_id in (None, ""):
            raise MetaError(f"{where}: meta record has no 'id'")
        doc_id = str(doc_id)
        if doc_id in meta:
            raise MetaError(f"{where}: duplicate id {doc_id!r} in meta file")
        meta[doc_id] = {k: str(record[k]) for k in META_FIELDS if record.get(k) not in (None, "")}
        meta.origins[doc_id] = where
    return meta


def _jsonl_rows(text: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MetaError(f"{path}:{lineno}: malformed JSON line: {exc.msg} (column {exc.colno})") from None
        if not isinstance(record, dict):
            raise MetaError(f"{path}:{lineno}: expected a JSON object, got {type(record).__name__}")
        rows.append((f"{path}:{lineno}", record))
    return rows


def _csv_rows(text: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or "id" not in reader.fieldnames:
        raise MetaError(f"{path}:1: meta CSV header needs an 'id' column (got: {', '.join(reader.fieldnames or [])})")
    rows = []
    try:
        start = reader.line_num + 1
        for row in reader:
            rows.append((f"{path}:{start}", row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise MetaError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from None
    return rows


def apply_meta(corpus: Corpus, meta: dict[str, dict[str, str]]) -> Corpus:
    """A corpus whose documents carry the meta file's fields (they override the record's own)."""
    docs = []
    for doc in corpus.documents:
        fields = meta.get(doc.id)
        if fields is None:
            fields = meta.get(Path(doc.id).with_suffix("").as_posix())
        docs.append(replace(doc, **fields) if fields else doc)
    return Corpus(documents=docs, skipped=list(corpus.skipped))


def _key(doc_id: str, meta: dict[str, dict[str, str]]) -> str | None:
    """The meta row for a document: its id, or its id without the suffix."""
    if doc_id in meta:
        return doc_id
    bare = Path(doc_id).with_suffix("").as_posix()
    return bare if bare in meta else None


def iter_with_meta(items: Iterable[Document | Skip], meta: MetaRows, *, report_unused: bool = True
                   ) -> Iterator[Document | Skip]:
    """Documents with their meta fields applied, one at a time (the input stays a stream).

    After the last item, every meta row that matched no document is yielded as a :class:`Skip`
    naming its line: metadata meant for a document that was never read must not vanish. When
    the rows serve several streams (scanned documents, then references), only the last one
    read reports (``report_unused``): a row may match a document of either.
    """
    for item in items:
        if isinstance(item, Document):
            key = _key(item.id, meta)
            if key is not None:
                meta.used.add(key)
                if meta[key]:
                    item = replace(item, **meta[key])
        yield item
    if report_unused:
        for doc_id in meta:
            if doc_id not in meta.used:
                yield Skip(meta.origins.get(doc_id, "--meta"), f"meta row for id {doc_id!r} matches no document read",
                           doc_id)
