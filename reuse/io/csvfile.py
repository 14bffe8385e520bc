"""CSV record files: a header row naming the fields, quoted fields that may span lines.

CSV has one failure that loses data without a word: a stray opening quote makes the parser read
every following line into one field, up to the next quote or the end of the file. So rows are
parsed strictly; a row the strict parser rejects (a quote never closed, or text after a closing
quote) is skipped with the line it started on, and reading resumes on the next line, so the rows
it would have swallowed are read as rows. A quoted field that does close, but only after lines
that look like rows of their own, is kept and logged as a warning naming its lines.
"""
from __future__ import annotations

import csv
import io
import logging
import sys
from collections.abc import Iterator

from reuse.io.decode import strip_bom
from reuse.io.records import Fields, from_record
from reuse.model import Document, Skip

log = logging.getLogger("reuse")


def iter_csv(text: str, origin: str, fields: Fields) -> Iterator[Document | Skip]:
    """Documents of a CSV text; ``origin:LINE`` names the physical line each row starts on."""
    csv.field_size_limit(sys.maxsize)
    lines = io.StringIO(strip_bom(text), newline="").readlines()
    header_reader = csv.reader(iter(lines), strict=True)
    try:
        header = next(header_reader, None)
    except csv.Error as exc:
        yield Skip(f"{origin}:1", f"malformed CSV header: {exc}")
        return
    if not header:
        yield Skip(origin, "empty CSV file (no header row)")
        return
    if fields.text not in header:
        yield Skip(f"{origin}:1", f"CSV header has no {fields.text!r} column (columns: {', '.join(header)})")
        return
    start = header_reader.line_num  # lines consumed so far, over all restarts
    if not any(line.strip() for line in lines[start:]):
        yield Skip(origin, "no rows after the header")
        return
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), strict=True)
        begin = start
        try:
            for row in reader:
                first, begin = begin + 1, start + reader.line_num
                if row:
                    yield _row(row, header, origin, first, begin, fields)
            return
        except csv.Error as exc:
            broken = begin + 1
            yield Skip(f"{origin}:{broken}", f"malformed CSV row (an unbalanced quote?): {exc} at line "
                       f"{start + reader.line_num}; the lines after line {broken} are read again as rows",
                       _row_id(lines[begin], header, fields))
            start = broken


def _row(row: list[str], header: list[str], origin: str, first: int, last: int, fields: Fields) -> Document | Skip:
    where = f"{origin}:{first}"
    if len(row) > len(header):
        log.warning("%s: %d more cells than the header has columns; the extra cells are ignored",
                    where, len(row) - len(header))
    record = dict(zip(header, row + [""] * (len(header) - len(row))))
    if last > first:
        _warn_swallowed(record, header, where, first, last)
    return from_record(record, where, fields)


def _warn_swallowed(record: dict[str, str], header: list[str], where: str, first: int, last: int) -> None:
    """Warn when a multi-line field holds lines that parse as whole rows: likely a stray quote."""
    if len(header) < 2:
        return
    for name, value in record.items():
        if "\n" not in value:
            continue
        rowlike = sum(1 for line in value.splitlines()[1:] if len(next(csv.reader([line]), [])) == len(header))
        if rowlike:
            log.warning("%s: field %r runs over lines %d-%d and holds %d line(s) that look like rows of their own; "
                        "is a quote unbalanced?", where, name, first, last, rowlike)


def _row_id(line: str, header: list[str], fields: Fields) -> str | None:
    """The id cell of a broken row's first line, read leniently, for the skip ledger."""
    if fields.id not in header:
        return None
    cells = next(csv.reader([line]), [])
    k = header.index(fields.id)
    return cells[k] or None if k < len(cells) else None
