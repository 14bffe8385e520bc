"""Record files and stdin: encodings, byte-order marks, stray CSV quotes, JSON values that are not strings."""
from __future__ import annotations

import codecs
import io
import json
import logging

from reuse.io.meta import iter_with_meta, read_meta
from reuse.io.readers import iter_paths, read_paths
from reuse.model import Document, Skip


def _ids(corpus):
    return [d.id for d in corpus.documents]


# --- item 11: JSON values keep their JSON spelling ------------------------------------------------

def test_jsonl_ids_and_metadata_keep_their_json_spelling(tmp_path):
    f = tmp_path / "docs.jsonl"
    f.write_text(
        '{"id": 7, "text": "seven", "title": ["a", "b"], "source": {"name": "Herald"}, "date": true}\n'
        '{"id": 7.5, "text": "seven and a half"}\n'
        '{"id": 8.0, "text": "eight as written"}\n'
        '{"id": 1e3, "text": "a thousand", "score": 2.5, "tags": ["x"]}\n', encoding="utf-8")
    docs = {d.id: d for d in read_paths([f]).documents}
    assert sorted(docs) == ["1e3", "7", "7.5", "8.0"]
    assert docs["7"].title == '["a", "b"]' and docs["7"].source == '{"name": "Herald"}' and docs["7"].date == "true"
    assert docs["1e3"].meta == {"score": 2.5, "tags": ["x"]}
    assert type(docs["1e3"].meta["score"]) is float  # metadata stays plain JSON values
    json.dumps(docs["1e3"].meta)


def test_null_text_and_non_string_text_say_so(tmp_path):
    f = tmp_path / "docs.jsonl"
    f.write_text('{"id": "a", "text": null}\n{"id": "b", "text": 12}\n{"id": ["x"], "text": "t"}\n'
                 '{"id": "c"}\n', encoding="utf-8")
    reasons = {s.source.rsplit(":", 1)[1]: s.reason for s in read_paths([f]).skipped}
    assert reasons["1"] == "'text' is null"
    assert reasons["2"] == "'text' is a number, expected a string"
    assert "'id' is a JSON list" in reasons["3"]
    assert reasons["4"] == "record has no 'text' field"


# --- item 8: encodings and byte-order marks -------------------------------------------------------

def test_utf16_files_are_read_with_the_encoding_flag(tmp_path):
    text = "Caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9 words\nsecond line\n"
    (tmp_path / "a.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "r.jsonl").write_bytes(('{"id": "r1", "text": "first \u00e9"}\n{"id": "r2", "text": "second"}\n')
                                       .encode("utf-16"))
    (tmp_path / "c.csv").write_bytes("id,text\nc1,csv \u00e9 text\n".encode("utf-16"))
    plain = read_paths([tmp_path])
    assert not plain.documents and "--encoding utf-16" in plain.skipped[0].reason
    corpus = read_paths([tmp_path], encoding="utf-16")
    assert not corpus.skipped, corpus.skipped
    docs = {d.id: d.text for d in corpus.documents}
    assert docs == {"a.txt": text, "r1": "first \u00e9", "r2": "second", "c1": "csv \u00e9 text"}


def test_a_utf8_bom_is_dropped_from_record_files_but_kept_in_text_files(tmp_path):
    bom = codecs.BOM_UTF8
    (tmp_path / "excel.csv").write_bytes(bom + b"id,text\nx1,first row\nx2,second row\n")
    (tmp_path / "recs.jsonl").write_bytes(bom + b'{"id": "j1", "text": "first record"}\n')
    (tmp_path / "plain.txt").write_bytes(bom + b"plain words here")
    corpus = read_paths([tmp_path])
    assert not corpus.skipped, corpus.skipped
    docs = {d.id: d.text for d in corpus.documents}
    assert docs["x1"] == "first row" and docs["x2"] == "second row" and docs["j1"] == "first record"
    # Offsets index the text as decoded: the mark stays at offset 0, as open(..., encoding="utf-8") reads it.
    assert docs["plain.txt"] == "\ufeffplain words here"


# --- item 9: a stray quote in a CSV ---------------------------------------------------------------

def test_an_unclosed_quote_is_skipped_with_its_line_and_the_rows_after_it_are_read(tmp_path):
    f = tmp_path / "docs.csv"
    f.write_text('id,text\na,first row\nb,"stray quote never closed\nc,third row\nd,fourth row\n', encoding="utf-8")
    corpus = read_paths([f])
    assert _ids(corpus) == ["a", "c", "d"]
    [skip] = corpus.skipped
    assert skip.source == f"{f}:3" and skip.id == "b" and "quote" in skip.reason


def test_a_stray_quote_closed_by_a_later_quote_is_caught_too(tmp_path):
    f = tmp_path / "docs.csv"
    f.write_text('id,text\na,"stray\nb,second row\nc,"third, quoted"\nd,fourth\n', encoding="utf-8")
    corpus = read_paths([f])
    assert _ids(corpus) == ["b", "c", "d"]
    assert [s.source for s in corpus.skipped] == [f"{f}:2"]


def test_a_quoted_field_swallowing_row_like_lines_is_kept_with_a_warning(tmp_path, caplog):
    f = tmp_path / "docs.csv"
    f.write_text('id,text\na,"opened here\nb,looks like a row\nc,so does this"\nd,fourth\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="reuse"):
        corpus = read_paths([f])
    assert _ids(corpus) == ["a", "d"]  # syntactically valid: kept, nothing lost
    assert any(f"{f}:2" in r.getMessage() and "lines 2-4" in r.getMessage() for r in caplog.records)


def test_csv_header_without_the_text_column_is_one_skip(tmp_path):
    f = tmp_path / "docs.csv"
    f.write_text("id,body\n1,words\n", encoding="utf-8")
    [skip] = read_paths([f]).skipped
    assert skip.source == f"{f}:1" and "no 'text' column" in skip.reason


# --- item 5: invalid UTF-8 on stdin is skipped per line -------------------------------------------

def test_invalid_utf8_on_stdin_is_skipped_per_line():
    data = b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "caf\xe9"}\n\xff\xfe\n{"id": "c", "text": "also fine"}\n'
    corpus = read_paths(["-"], stdin=io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert _ids(corpus) == ["a", "c"]
    assert [s.source for s in corpus.skipped] == ["<stdin>:2", "<stdin>:3"]
    assert all("invalid utf-8" in s.reason for s in corpus.skipped)


def test_stdin_text_with_surrogate_escapes_is_skipped_not_passed_on():
    # What a C-locale stdin hands over: undecodable bytes as lone surrogates.
    stream = io.StringIO('{"id": "a", "text": "ok"}\n' + b'{"id": "b", "text": "caf\xe9"}\n'.decode("utf-8", "surrogateescape"))
    corpus = read_paths(["-"], stdin=stream)
    assert _ids(corpus) == ["a"] and corpus.skipped[0].source == "<stdin>:2"


# --- item 12: --meta rows that match no document --------------------------------------------------

def test_meta_rows_matching_no_document_are_listed_with_their_line(tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text("id,source\na.txt,Herald\nghost.txt,Gazette\nb,Times\n", encoding="utf-8")
    items = [Document(id="a.txt", text="x", origin="a.txt"), Document(id="b.txt", text="y", origin="b.txt")]
    out = list(iter_with_meta(iter(items), read_meta(meta)))
    docs = [i for i in out if isinstance(i, Document)]
    assert [(d.id, d.source) for d in docs] == [("a.txt", "Herald"), ("b.txt", "Times")]
    [skip] = [i for i in out if isinstance(i, Skip)]
    assert skip.source == f"{meta}:3" and skip.id == "ghost.txt" and "matches no document" in skip.reason


def test_gzipped_record_and_text_files_are_read_transparently(tmp_path):
    import gzip

    with gzip.open(tmp_path / "recs.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"id": "g1", "text": "gzipped record"}\n')
    with gzip.open(tmp_path / "rows.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("id,text\ng2,gzipped row\n")
    with gzip.open(tmp_path / "plain.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("gzipped plain text")
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(b"some text here")[:-6])
    corpus = read_paths([tmp_path])
    assert {d.id: d.text for d in corpus.documents} == {
        "plain.txt.gz": "gzipped plain text", "g1": "gzipped record", "g2": "gzipped row"}
    [skip] = corpus.skipped
    assert skip.source == str(tmp_path / "broken.txt.gz") and "compressed" in skip.reason
    assert list(iter_paths([tmp_path / "recs.jsonl.gz"]))[0].id == "g1"  # named directly, too
