"""Fuzzing the readers with random bytes: never an exception, every record accounted for.

For JSONL (file and stdin), CSV and folders, whatever the bytes: reading never raises, and every
non-blank line (JSONL), row (CSV) or file (folder) is either a document or a skip naming it.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuse.io.readers import iter_stdin, read_paths
from reuse.io.records import Fields

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_json_line = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False), st.none(), st.lists(st.integers(), max_size=2))},
    optional={"text": st.one_of(st.text(max_size=40), st.none(), st.integers(), st.booleans()),
              "title": st.one_of(st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2), st.floats())},
).map(lambda d: json.dumps(d).encode())
_lines = st.lists(st.one_of(_json_line, st.binary(max_size=60), st.just(b""), st.just(b"\xef\xbb\xbf{}")), max_size=12)


def _entries(corpus) -> list[str]:
    return [d.origin for d in corpus.documents] + [s.source for s in corpus.skipped]


def _nonblank_lines(data: bytes) -> list[int]:
    out = []
    for k, raw in enumerate(data.split(b"\n"), 1):
        if k == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            blank = not raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            blank = False
        if not blank:
            out.append(k)
    return out


def _check_jsonl(entries: list[str], origin: str, data: bytes) -> None:
    assert all(e == origin or e.startswith(origin + ":") for e in entries)
    if origin in entries:
        return  # the whole input was refused (binary, or no record at all), with a reason
    for k in _nonblank_lines(data):
        assert f"{origin}:{k}" in entries, (k, data)


@FUZZ
@given(st.one_of(_lines.map(b"\n".join), st.binary(max_size=3000)))
def test_jsonl_files_of_random_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "f.jsonl"
        f.write_bytes(data)
        _check_jsonl(_entries(read_paths([f])), str(f), data)


@FUZZ
@given(st.one_of(_lines.map(b"\n".join), st.binary(max_size=3000)))
def test_stdin_of_random_bytes(data):
    items = list(iter_stdin(io.BytesIO(data), fields=Fields(), encoding="utf-8"))
    entries = [getattr(i, "origin", None) or i.source for i in items]
    _check_jsonl(entries, "<stdin>", data)


@FUZZ
@given(st.binary(max_size=3000))
def test_csv_files_of_random_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "f.csv"
        f.write_bytes(b"id,text\n" + data)
        corpus = read_paths([f])
        assert _entries(corpus) and all(e == str(f) or e.startswith(f"{f}:") for e in _entries(corpus))


_cell = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t\u00e9\u20ac\x00')), max_size=12)


@FUZZ
@given(st.lists(st.tuples(_cell, _cell), min_size=1, max_size=10))
def test_every_csv_row_is_a_document_or_a_skip_naming_its_line(rows):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["id", "text"])
    starts = []
    for row in rows:
        starts.append(len(io.StringIO(buf.getvalue(), newline="").readlines()) + 1)
        writer.writerow(row)
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "f.csv"
        f.write_text(buf.getvalue(), encoding="utf-8", newline="")
        entries = _entries(read_paths([f]))
    if str(f) in entries:
        return  # refused whole, with a reason (e.g. so many NULs that it reads as binary)
    for line in starts:
        assert f"{f}:{line}" in entries, (line, buf.getvalue())


_name = st.tuples(st.text(alphabet="abc.", min_size=1, max_size=5),
                  st.sampled_from([".txt", ".md", ".html", ".jsonl", ".csv", ".txt.gz", ".bin", ""]))


@FUZZ
@given(st.dictionaries(_name.map("".join), st.binary(max_size=400), max_size=6))
def test_every_file_of_a_folder_is_read_or_skipped(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        for name, data in files.items():
            if name not in (".", ".."):
                (root / name).write_bytes(data)
        entries = _entries(read_paths([root]))
        for path in root.iterdir():
            assert any(e == str(path) or e.startswith(f"{path}:") for e in entries), (path, entries)
