"""Parquet in and out: rows read in order with the JSONL rules, null texts skipped by row; tables round trip."""
from __future__ import annotations

import datetime
import json

import pytest

pa = pytest.importorskip("pyarrow", reason="Parquet needs pyarrow (pip install 'reuse[spark]')")
pq = pytest.importorskip("pyarrow.parquet")

from reuse.io.readers import iter_paths  # noqa: E402
from reuse.model import Document, Skip  # noqa: E402
from reuse.outputs.parquet import read_table  # noqa: E402
from reuse.outputs.registry import parse_formats, write_outputs  # noqa: E402


def _write(path, rows, row_group_size=2):
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)


def test_parquet_rows_become_documents_in_order_and_null_texts_are_skipped_by_row(tmp_path):
    path = tmp_path / "corpus.parquet"
    _write(path, [
        {"id": "a", "text": "First text here.", "source": "wire", "title": "A", "date": datetime.date(2020, 1, 1), "url": None, "lang": "en"},
        {"id": "b", "text": None, "source": None, "title": None, "date": None, "url": None, "lang": "en"},
        {"id": "c", "text": "   ", "source": None, "title": None, "date": None, "url": None, "lang": "fr"},
        {"id": "d", "text": "Fourth text.", "source": "blog", "title": None, "date": None, "url": "http://x", "lang": None},
    ])
    items = list(iter_paths([path]))
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Skip", "Document"]
    a, null, blank, d = items
    assert isinstance(a, Document) and (a.id, a.text, a.source, a.title, a.date) == ("a", "First text here.", "wire", "A", "2020-01-01")
    assert a.meta == {"lang": "en"} and a.origin == f"{path}:1"
    assert isinstance(null, Skip) and null.source == f"{path}:2" and null.id == "b" and "'text' is null" in null.reason
    assert isinstance(blank, Skip) and blank.source == f"{path}:3"
    assert isinstance(d, Document) and d.url == "http://x" and d.origin == f"{path}:4"


def test_a_parquet_file_without_the_text_column_is_one_skip(tmp_path):
    path = tmp_path / "bad.parquet"
    _write(path, [{"id": "a", "body": "x"}])
    (skip,) = list(iter_paths([path]))
    assert isinstance(skip, Skip) and "no 'text' column" in skip.reason


def test_folders_read_parquet_files_too(tmp_path):
    _write(tmp_path / "part.parquet", [{"id": "p1", "text": "Hello parquet."}])
    (tmp_path / "note.txt").write_text("Hello text.")
    assert sorted(i.id for i in iter_paths([tmp_path])) == ["note.txt", "p1"]


def test_parquet_outputs_hold_the_jsonl_records(tmp_path, seeds_dir):
    from reuse import find_reuse
    from reuse.io.readers import read_paths

    results = find_reuse(read_paths([seeds_dir]))
    write_outputs(results, tmp_path, parse_formats("jsonl,parquet"))
    for name in ("pairs", "passages", "documents", "clusters"):
        jsonl = [json.loads(line) for line in (tmp_path / f"{name}.jsonl").read_text().splitlines()]
        assert read_table(tmp_path / f"{name}.parquet") == jsonl, name
    assert jsonl, "the seeds have talking points"


def test_parquet_is_asked_for_by_name_and_not_part_of_all():
    assert "pairs.parquet" not in parse_formats("all")
    assert parse_formats("parquet") == ["pairs.parquet", "passages.parquet", "documents.parquet", "clusters.parquet"]


def test_empty_results_still_write_typed_tables(tmp_path):
    from reuse.model import Results

    write_outputs(Results(documents=[], pairs=[], passages=[], skipped=[]), tmp_path, parse_formats("parquet"))
    table = pq.read_table(tmp_path / "pairs.parquet")
    assert table.num_rows == 0 and table.schema.field("score").type == pa.float64()
