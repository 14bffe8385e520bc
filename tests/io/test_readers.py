import io
import json
import random

import pytest

from reuse.errors import InputError
from reuse.io.readers import read_paths
from reuse.model import Corpus, Document, Skip


def test_folder_ids_are_paths_relative_to_the_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("alpha text", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("beta text", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    corpus = read_paths([tmp_path])
    assert [d.id for d in corpus.documents] == ["a.txt", "sub/b.md"]


def test_text_is_kept_exactly_as_on_disk(tmp_path):
    raw = "line one\r\nline\u00a0two “quoted”\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    [doc] = read_paths([tmp_path / "a.txt"]).documents
    assert doc.text == raw


def test_html_is_parsed_to_text_without_markup_or_scripts(tmp_path):
    (tmp_path / "p.html").write_text(
        "<html><head><title>T &amp; co</title><script>var x = 1;</script></head>"
        "<body><p>First&nbsp;para &lt;b&gt;</p><div>Second <b>bold</b> para</div></body></html>", encoding="utf-8")
    [doc] = read_paths([tmp_path]).documents
    assert doc.title == "T & co"
    assert doc.text == "First\u00a0para <b>\n\nSecond bold para"


def test_jsonl_fields_and_bad_lines_are_skipped_with_line_numbers(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "hello there", "source": "S1", "date": "2024-01-02"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "   \n"}),
        json.dumps({"id": "a", "text": "duplicate"}),
        json.dumps(["list"]),
    ]
    f = tmp_path / "docs.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = read_paths([f])
    assert [(d.id, d.source, d.date) for d in corpus.documents] == [("a", "S1", "2024-01-02")]
    reasons = {s.source: s.reason for s in corpus.skipped}
    assert "malformed JSON" in reasons[f"{f}:2"]
    assert "no 'text' field" in reasons[f"{f}:3"]
    assert "whitespace-only" in reasons[f"{f}:4"]
    assert "duplicate id 'a'" in reasons[f"{f}:5"]
    assert "JSON object" in reasons[f"{f}:6"]


def test_csv_rows_with_multiline_text_and_missing_text(tmp_path):
    f = tmp_path / "docs.csv"
    f.write_text('id,text,source\nx,"two\nlines",S\ny,,S\nz,ok text,T\n', encoding="utf-8")
    corpus = read_paths([f])
    assert [(d.id, d.text) for d in corpus.documents] == [("x", "two\nlines"), ("z", "ok text")]
    [skip] = corpus.skipped
    assert skip.source == f"{f}:4" and skip.id == "y" and "no 'text' field" in skip.reason


def test_invalid_utf8_is_skipped_with_line_or_decoded_with_encoding(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("first line\ncaf\u00e9 au lait\n".encode("latin-1"))
    corpus = read_paths([tmp_path])
    [skip] = corpus.skipped
    assert skip.source == f"{f}:2" and "invalid utf-8" in skip.reason and "--encoding" in skip.reason
    [doc] = read_paths([tmp_path], encoding="latin-1").documents
    assert "café" in doc.text


def test_binary_is_skipped_but_stray_nuls_are_text(tmp_path):
    (tmp_path / "img.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "nul.txt").write_bytes(b"ordinary words here\x00 and more words after a stray nul")
    corpus = read_paths([tmp_path])
    assert [d.id for d in corpus.documents] == ["nul.txt"]
    assert corpus.skipped[0].reason.startswith("binary")


def test_noisy_ascii_with_control_characters_is_text(tmp_path):
    # PAN13's source-document00575/01077: random printable and control characters, a few NULs;
    # cases of its evaluation, so read as text. Non-UTF-8 bytes with as many controls stay binary.
    rng = random.Random(5)
    noise = bytes(rng.choice(b" abcdefgh 0123 .,;" + bytes(range(1, 32))) for _ in range(5000)) + b"\x00" * 20
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "latin.txt").write_bytes(noise.replace(b"a", b"\xe9"))
    corpus = read_paths([tmp_path])
    assert [d.id for d in corpus.documents] == ["noise.txt"]
    assert [s.source.rsplit("/", 1)[-1] for s in corpus.skipped] == ["latin.txt"]
    assert corpus.skipped[0].reason.startswith("binary")


def test_missing_path_and_unknown_format_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_paths([tmp_path / "missing"])
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unknown format '.pdf'"):
        read_paths([tmp_path / "x.pdf"])


def test_stdin_jsonl():
    corpus = read_paths(["-"], stdin=io.StringIO('{"id": 1, "text": "from stdin"}\n'))
    assert corpus.documents[0].id == "1" and corpus.documents[0].origin == "<stdin>:1"


def test_from_texts_skips_empty():
    corpus = Corpus.from_texts({"a": "words", "b": "  "})
    assert [d.id for d in corpus.documents] == ["a"] and isinstance(corpus.skipped[0], Skip)
    assert isinstance(corpus.documents[0], Document)
