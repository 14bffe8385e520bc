"""One scan over every hostile input at once: each is read or listed as skipped, and nothing crashes.

The inputs are ``tests/fixtures/hostile/`` (text cases, see ``tests/fixtures/make_hostile.py``)
plus the binary ones :func:`add_binary_cases` makes in a copy of it.
"""
from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from reuse.cli import main

from .fixtures.make_hostile import HERE as HOSTILE
from .fixtures.make_hostile import S1, S2, add_binary_cases


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _every_entry(folder: Path) -> Iterator[Path]:
    """Every file, link, FIFO... under ``folder``, without following links."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False):
            yield from _every_entry(Path(entry.path))
        else:
            yield Path(entry.path)


def _accounted(path: str, entries: list[str]) -> bool:
    return any(e == path or e.startswith(path + ":") or path.startswith(e + "/") for e in entries)


def test_every_hostile_input_is_read_or_listed_as_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(HOSTILE / "corpus", corpus)
    add_binary_cases(corpus)
    out, meta = tmp_path / "out", HOSTILE / "meta.csv"
    result = CliRunner().invoke(main, ["scan", str(corpus), "--meta", str(meta), "--out", str(out), "-j", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    docs, skips = _read(out / "documents.jsonl"), _read(out / "skipped.jsonl")
    entries = [d["origin"] for d in docs] + [s["source"] for s in skips]

    # Every file met, and every line of every JSONL file, is accounted for.
    for path in _every_entry(corpus):
        assert _accounted(str(path), entries), path
    for jsonl in corpus.glob("*.jsonl"):
        for lineno, line in enumerate(jsonl.read_bytes().split(b"\n"), 1):
            if line.strip():
                assert f"{jsonl}:{lineno}" in entries, (jsonl, lineno)
    assert f"{meta}:3" in entries  # the meta row that matches no document

    by_id = {d["id"]: d for d in docs}
    reasons = {s["source"].removeprefix(str(corpus) + "/"): s["reason"] for s in skips}
    # JSON values keep their spelling; null and non-string texts say so.
    assert {"7", "7.5"} <= set(by_id) and by_id["7"]["title"] == '["a", "list"]'
    assert reasons["values.jsonl:3"] == "'text' is null" and "a number" in reasons["values.jsonl:4"]
    # The stray quote costs one row, named by line; the rows it would have swallowed are read.
    assert {"q1", "q3", "q4"} <= set(by_id) and "q2" not in by_id and "quote" in reasons["stray_quote.csv:3"]
    # Byte-order marks belong to the files, not to the first header or record.
    assert {"b1", "b2", "bom1"} <= set(by_id)
    assert "no 'text' column" in reasons["no_text_column.csv:1"]
    # Folders: links, unknown formats, exclusions, FIFOs, gzip.
    assert "dangling" in reasons["dangling.txt"] and "inside the scanned folder" in reasons["sub/loop"]
    assert reasons[".git"].startswith("excluded") and reasons["node_modules"].startswith("excluded")
    assert "unknown format" in reasons["notes.rtf"] and "not a regular file" in reasons["pipe.txt"]
    assert "gz1" in by_id and "compressed" in reasons["truncated.txt.gz"]
    assert "--encoding utf-16" in reasons["utf16.txt"] and "stray_nuls.txt" in by_id
    assert "sub/inner.md" in by_id and sum(1 for d in docs if d["id"].endswith("inner.md")) == 1
    # Two reordered verbatim copies are two verbatim passages, exact on both sides.
    pair = [p for p in _read(out / "passages.jsonl") if {p["doc_a"], p["doc_b"]} == {"reordered_old.txt", "reordered_new.txt"}]
    assert sorted((p["kind"], p["text_a"]) for p in pair) == [("verbatim", S2), ("verbatim", S1)]


def test_hostile_bytes_on_stdin_are_skipped_line_by_line(tmp_path):
    rng = random.Random(14)
    lines = [json.dumps({"id": "s1", "text": "a good line"}).encode(), bytes(rng.randrange(256) for _ in range(300)),
             b'{"id": "s2", "text": "caf\xe9"}', b"\x00" * 50, "\ufeff".encode() + b"{}",
             json.dumps({"id": "s3", "text": "another good line"}).encode()]
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scan", "-", "--out", str(out), "-j", "1"], input=data, catch_exceptions=False)
    assert result.exit_code == 0 and "Traceback" not in result.output
    entries = [d["origin"] for d in _read(out / "documents.jsonl")] + [s["source"] for s in _read(out / "skipped.jsonl")]
    assert entries.count("<stdin>:1") == 1 and "<stdin>:6" in entries
    assert all(f"<stdin>:{k}" in entries for k in range(1, 7) if data.split(b"\n")[k - 1].strip())
