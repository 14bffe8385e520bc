"""Record files: one JSON object per line (JSONL), fields mapped onto :class:`~reuse.model.Document`.

Values keep their JSON spelling: an id written ``7`` is ``"7"`` (not ``"7.0"``), ``7.50`` stays
``"7.50"``, a list or object given as a title or source stays JSON text (``["a", "b"]``, not a
Python repr), and ``true`` stays ``"true"``. Anything that is not a usable record is a
:class:`~reuse.model.Skip` naming the line: a malformed line, a line of another type, a missing id,
a text that is missing, null or not a string.
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reuse.io.decode import GZIP_ERRORS, encoding_hint, has_surrogates, is_utf8
from reuse.model import Document, Skip, checked


@dataclass(frozen=True, slots=True)
class Fields:
    """Names of the record fields read from JSONL and CSV inputs."""

    id: str = "id"
    text: str = "text"
    source: str = "source"
    title: str = "title"
    date: str = "date"
    url: str = "url"


class JsonFloat(float):
    """A JSON number with a fraction or exponent, remembering how it was written (``7.50``, ``1e3``)."""

    def __new__(cls, spelling: str | float) -> JsonFloat:
        obj = super().__new__(cls, spelling)
        obj.spelling = spelling if isinstance(spelling, str) else repr(float(spelling))
        return obj


def loads(line: str) -> Any:
    """``json.loads`` that keeps the spelling of non-integer numbers (see :class:`JsonFloat`)."""
    return json.loads(line, parse_float=JsonFloat)


def spell(value: Any) -> str | None:
    """A field value as text, in its JSON spelling; None for null or an empty string."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, JsonFloat):
        return value.spelling
    return json.dumps(plain(value), ensure_ascii=False)


def plain(value: Any) -> Any:
    """``value`` with every :class:`JsonFloat` turned back into a float (metadata is kept as JSON values)."""
    if isinstance(value, JsonFloat):
        return float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def from_record(record: dict[str, Any], where: str, fields: Fields) -> Document | Skip:
    """A document from one record, or the reason it cannot be one."""
    raw_id = record.get(fields.id)
    if isinstance(raw_id, (list, dict)):
        return Skip(where, f"{fields.id!r} is a JSON {'list' if isinstance(raw_id, list) else 'object'}, "
                           "expected a string or a number")
    doc_id = spell(raw_id)
    if doc_id is None:
        return Skip(where, f"record has no {fields.id!r} field")
    if fields.text not in record or record[fields.text] == "":
        return Skip(where, f"record has no {fields.text!r} field", doc_id)
    text = record[fields.text]
    if text is None:
        return Skip(where, f"{fields.text!r} is null", doc_id)
    if not isinstance(text, str):
        kind = "number" if isinstance(text, (int, float)) and not isinstance(text, bool) else type(text).__name__
        return Skip(where, f"{fields.text!r} is a {kind}, expected a string", doc_id)
    named = {fields.id, fields.text, fields.source, fields.title, fields.date, fields.url}
    extra = {k: plain(v) for k, v in record.items() if k not in named}
    return checked(Document(
        id=doc_id, text=text, source=spell(record.get(fields.source)), title=spell(record.get(fields.title)),
        date=spell(record.get(fields.date)), url=spell(record.get(fields.url)), origin=where, meta=extra,
    ))


def jsonl_record(line: str, where: str, fields: Fields) -> Document | Skip:
    """One JSONL line (not blank) as a document or a skip."""
    try:
        record = loads(line)
    except json.JSONDecodeError as exc:
        return Skip(where, f"malformed JSON line: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return Skip(where, "malformed JSON line: nested too deeply")
    if not isinstance(record, dict):
        kind = {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(record), "number")
        return Skip(where, f"expected a JSON object, got a {kind}")
    return from_record(record, where, fields)


def iter_jsonl_bytes(lines: Iterable[bytes], origin: str, fields: Fields, encoding: str) -> Iterator[Document | Skip]:
    """JSONL from byte lines (a file, a gzip stream, stdin), each decoded on its own.

    A line that does not decode is skipped with its number; the others are read. A UTF-8
    byte-order mark before the first record belongs to the file and is dropped. A truncated or
    damaged gzip stream ends the file with one skip naming the line where it broke.
    """
    lineno = records = 0
    it = iter(lines)
    while True:
        try:
            raw = next(it)
        except StopIteration:
            if not records:
                yield Skip(origin, "no records (an empty file, or only blank lines)")
            return
        except GZIP_ERRORS as exc:
            yield Skip(f"{origin}:{lineno + 1}", f"damaged or truncated compressed data ({exc}); the rest of the file is not read")
            return
        lineno += 1
        if lineno == 1 and is_utf8(encoding) and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            yield Skip(f"{origin}:{lineno}",
                       f"invalid {exc.encoding} at byte {exc.start} of the line ({exc.reason}){encoding_hint(encoding)}")
            continue
        if line.strip():
            records += 1
            yield jsonl_record(line, f"{origin}:{lineno}", fields)


def iter_jsonl_text(lines: Iterable[str], origin: str, fields: Fields) -> Iterator[Document | Skip]:
    """JSONL from text lines (already decoded); lines carrying undecodable bytes are skipped."""
    records = 0
    for lineno, line in enumerate(lines, start=1):
        if lineno == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip():
            continue
        records += 1
        where = f"{origin}:{lineno}"
        if has_surrogates(line):
            yield Skip(where, "invalid bytes for the input encoding (undecodable bytes on the line)")
            continue
        yield jsonl_record(line, where, fields)
    if not records:
        yield Skip(origin, "no records (an empty file, or only blank lines)")
