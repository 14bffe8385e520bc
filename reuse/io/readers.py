"""Readers that turn paths into documents, with a ledger of everything skipped.

Readers never raise for a bad *document*: they yield a :class:`Skip` naming the file (and line or
row) and the reason, and the rest of the corpus is read as usual. They raise :class:`InputError`
only for a bad *path* (missing, unknown format), which stops the run with a one-line error.

Where a byte-order mark goes: a plain text or HTML file is kept exactly as decoded with the codec
given (a UTF-8 BOM stays as U+FEFF at offset 0, so offsets are those of
``open(f, encoding="utf-8").read()``); in a JSONL or CSV file the mark belongs to the file's
structure, not to a record, and is dropped before the first record or the header.
"""
from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from reuse.errors import InputError
from reuse.io.csvfile import iter_csv
from reuse.io.decode import (
    BINARY_SAMPLE,
    GZIP_ERRORS,
    binary_reason,
    decode,
    is_wide,
    looks_binary,
    read_bytes,
    strip_bom,
)
from reuse.io.html import extract_page
from reuse.io.records import Fields, iter_jsonl_bytes, iter_jsonl_text
from reuse.io.walk import HTML_SUFFIXES, READABLE, RECORD_SUFFIXES, format_of, readable_formats, walk
from reuse.model import Corpus, Document, Skip, checked

DEFAULT_FIELDS = Fields()

__all__ = ["Fields", "READABLE", "check_paths", "iter_file", "iter_paths", "read_paths"]


def read_paths(
    paths: Iterable[str | Path],
    *,
    fields: Fields = DEFAULT_FIELDS,
    encoding: str = "utf-8",
    stdin: IO | None = None,
    exclude: Sequence[str] = (),
    extract: str = "all",
) -> Corpus:
    """Read every path (folder, .txt/.md/.html, .jsonl, .csv, each maybe .gz, or ``-`` for JSONL on stdin).

    ``extract`` says how HTML pages become text (:mod:`reuse.io.html`: ``all`` or ``main``).
    """
    paths = check_paths(paths)
    return Corpus.from_items(iter_paths(paths, fields=fields, encoding=encoding, stdin=stdin, exclude=exclude,
                                        extract=extract))


def check_paths(paths: Iterable[str | Path]) -> list[str | Path]:
    """The paths, after checking each exists and has a readable format (:class:`InputError` if not)."""
    paths = list(paths)
    for p in paths:
        if str(p) == "-":
            continue
        path = Path(p)
        if not path.exists():
            raise InputError(f"{p}: no such file or folder")
        if path.is_file() and format_of(path) is None:
            raise InputError(
                f"{p}: unknown format {path.suffix or '(no suffix)'!r}; "
                f"reuse reads folders, {readable_formats()}, or '-' for JSONL on stdin"
            )
    return paths


def iter_paths(
    paths: Iterable[str | Path], *, fields: Fields = DEFAULT_FIELDS, encoding: str = "utf-8", stdin: IO | None = None,
    exclude: Sequence[str] = (), extract: str = "all",
) -> Iterator[Document | Skip]:
    """Stream documents and skips from paths, in a stable order (folders sorted by path).

    ``exclude``: globs matched against each folder entry's path relative to the folder and its
    name; hidden entries and ``node_modules`` are excluded by default (see :mod:`reuse.io.walk`).
    A path named here is always read, hidden or not.
    """
    for p in paths:
        if str(p) == "-":
            yield from iter_stdin(stdin if stdin is not None else sys.stdin, fields=fields, encoding=encoding)
            continue
        path = Path(p)
        if path.is_dir():
            for item in walk(path, exclude):
                if isinstance(item, Skip):
                    yield item
                else:
                    yield from iter_file(item[0], item[1], fields=fields, encoding=encoding, extract=extract)
        else:
            yield from iter_file(path, path.name, fields=fields, encoding=encoding, extract=extract)


def iter_stdin(stream: IO, *, fields: Fields, encoding: str) -> Iterator[Document | Skip]:
    """JSONL on stdin, decoded line by line like a file: a bad line is a skip, never a traceback."""
    binary = getattr(stream, "buffer", None)
    if binary is None and isinstance(stream.read(0), bytes):
        binary = stream
    if binary is None:  # a text stream handed in by a caller (e.g. io.StringIO)
        yield from iter_jsonl_text(stream, "<stdin>", fields)
    elif is_wide(encoding):
        yield from _wide_jsonl(binary.read(), "<stdin>", fields, encoding)
    else:
        yield from iter_jsonl_bytes(binary, "<stdin>", fields, encoding)


def iter_file(path: Path, doc_id: str, *, fields: Fields, encoding: str, extract: str = "all"
              ) -> Iterator[Document | Skip]:
    """One file: a text/HTML document, or a record file holding many (``.gz`` read transparently)."""
    fmt = format_of(path) or path.suffix.lower()
    origin = str(path)
    own_id = doc_id if fmt not in RECORD_SUFFIXES else None
    if fmt == ".parquet":  # row batches through pyarrow (reuse.io.parquet)
        from reuse.io.parquet import iter_parquet

        yield from iter_parquet(path, origin, fields=fields)
        return
    if fmt == ".jsonl" and not is_wide(encoding):
        yield from _jsonl_file(path, origin, fields=fields, encoding=encoding)
        return
    try:
        raw = read_bytes(path)
    except GZIP_ERRORS as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"damaged or truncated compressed file ({exc})"
        yield Skip(origin, f"unreadable: {reason}", own_id)
        return
    if fmt == ".jsonl":
        yield from _wide_jsonl(raw, origin, fields, encoding)
        return
    text, error = decode(raw, encoding)
    if error:
        line, reason = error
        yield Skip(f"{origin}:{line}" if line else origin, reason, own_id)
    elif fmt == ".csv":
        yield from iter_csv(text, origin, fields)
    elif fmt in HTML_SUFFIXES:
        page = extract_page(text, extract)
        if extract == "main" and not page.text.strip():
            yield Skip(origin, "no main text found in the page (--extract main); try --extract all", doc_id)
            return
        yield checked(Document(id=doc_id, text=page.text, title=page.title, url=page.url, date=page.date, origin=origin))
    else:
        yield checked(Document(id=doc_id, text=text, origin=origin))


def _jsonl_file(path: Path, origin: str, *, fields: Fields, encoding: str) -> Iterator[Document | Skip]:
    """A JSONL file read as a stream, line by line: a corpus of millions never sits in memory."""
    gz = path.name.lower().endswith(".gz")
    try:
        fh = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Skip(origin, f"unreadable: {exc.strerror or exc}")
        return
    with fh:
        try:
            head = fh.read(BINARY_SAMPLE)
            fh.seek(0)
        except GZIP_ERRORS as exc:
            yield Skip(origin, f"unreadable: damaged or truncated compressed file ({exc})")
            return
        if looks_binary(head):
            yield Skip(origin, binary_reason(head))
            return
        yield from iter_jsonl_bytes(fh, origin, fields, encoding)


def _wide_jsonl(raw: bytes, origin: str, fields: Fields, encoding: str) -> Iterator[Document | Skip]:
    """UTF-16/32 JSONL: decoded whole (its newlines are not the byte ``\\n``), then read line by line."""
    text, error = decode(raw, encoding)
    if error:
        yield Skip(f"{origin}:{error[0]}" if error[0] else origin, error[1])
        return
    yield from iter_jsonl_text(io.StringIO(strip_bom(text), newline=None), origin, fields)

