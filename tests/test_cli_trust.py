"""The CLI keeps its promises on bad input: nothing lost, nothing overwritten, one-line errors (issue 14)."""
from __future__ import annotations

import importlib
import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from reuse.api import find_reuse_stream
from reuse.cli import main
from reuse.config import ReuseConfig
from reuse.model import Document
from reuse.outputs.records import document_records

from .conftest import COPIED, SEEDS, article

SCAN = importlib.import_module("reuse.cli.scan")  # the module (``reuse.cli.scan`` is also the command's name)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def pair_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(article(1, COPIED), encoding="utf-8")
    (d / "b.txt").write_text(article(2, COPIED), encoding="utf-8")
    (d / "lonely.txt").write_text(article(3), encoding="utf-8")
    return d


# --- item 3: documents.jsonl / documents.csv ------------------------------------------------------

def test_every_document_read_is_listed_matched_or_not(pair_folder, tmp_path):
    out = tmp_path / "out"
    assert run("scan", str(pair_folder), "--out", str(out), "-q").exit_code == 0
    docs = {d["id"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert list(docs) == ["a.txt", "b.txt", "lonely.txt"]
    a, lonely = docs["a.txt"], docs["lonely.txt"]
    assert a["origin"] == str(pair_folder / "a.txt") and a["n_chars"] == len(article(1, COPIED))
    pairs = read_jsonl(out / "pairs.jsonl")
    best = max(p["score"] for p in pairs if "a.txt" in (p["doc_a"], p["doc_b"]))
    assert a["n_tokens"] > 0 and a["n_pairs"] >= 1 and a["best_score"] == best and 0 < a["reused_share"] < 1
    assert lonely["n_pairs"] == sum(1 for p in pairs if "lonely.txt" in (p["doc_a"], p["doc_b"]))
    assert lonely["reused_share"] == 0
    assert (out / "documents.csv").read_text(encoding="utf-8").splitlines()[0].startswith("id,origin,source,title")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="documents"' in html and "lonely.txt" in html


def test_documents_of_a_large_streamed_corpus_all_reach_documents_jsonl():
    # Above all_pairs_max_docs the results keep only the documents in pairs.
    texts = [article(1, COPIED), article(2, COPIED), article(3), article(4), article(5)]
    docs = [Document(id=f"d{k}", text=t, origin=f"mem:{k}") for k, t in enumerate(texts)]
    config = ReuseConfig(all_pairs_max_docs=2)
    results = find_reuse_stream(iter(docs), config, jobs=1)
    assert len(results.documents) < len(docs)
    assert [r["id"] for r in document_records(results)] == [d.id for d in docs]


# --- item 5: invalid UTF-8 on stdin ---------------------------------------------------------------

def test_invalid_utf8_on_stdin_is_skipped_and_every_output_written(tmp_path):
    good = "\n".join(json.dumps({"id": k, "text": article(k, COPIED)}) for k in (1, 2)).encode("utf-8")
    data = good + b'\n{"id": "bad", "text": "caf\xe9 \xff"}\n'
    out = tmp_path / "out"
    result = run("scan", "-", "--out", str(out), input=data)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    [skip] = read_jsonl(out / "skipped.jsonl")
    assert skip["source"] == "<stdin>:3" and "invalid utf-8" in skip["reason"]
    assert (out / "report.html").exists() and len(read_jsonl(out / "documents.jsonl")) == 2


# --- item 6: unwritable --out / --db checked before any work --------------------------------------

@pytest.mark.parametrize("where", ["/proc/reuse-out", "/sys/reuse-out", "FILE/out", "FILE"])
def test_unwritable_out_is_one_line_before_any_work(where, tmp_path, monkeypatch):
    def no_work(*a, **k):
        raise AssertionError("the scan ran before the output folder was checked")

    monkeypatch.setattr(SCAN, "find_reuse_stream", no_work)
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file in the way", encoding="utf-8")
    target = where.replace("FILE", str(blocker))
    result = run("scan", str(SEEDS), "--out", target)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {target}: ")
    assert blocker.read_text(encoding="utf-8") == "a file in the way"


@pytest.mark.parametrize("where", ["/proc/reuse.db", "/sys/reuse.db", "MISSING/sub/reuse.db"])
def test_unwritable_db_is_one_line_before_any_work(where, tmp_path, monkeypatch):
    monkeypatch.setattr(SCAN, "find_reuse_stream", lambda *a, **k: pytest.fail("scanned first"))
    target = where.replace("MISSING", str(tmp_path / "missing"))
    result = run("scan", str(SEEDS), "--out", str(tmp_path / "out"), "--db", target)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {target}: ")


def test_a_db_inside_the_out_folder_to_be_created_is_fine(tmp_path):
    out = tmp_path / "new" / "out"
    result = run("scan", str(SEEDS), "--out", str(out), "--db", str(out / "reuse.db"), "-q")
    assert result.exit_code == 0, result.output
    assert (out / "reuse.db").exists()


# --- item 7: a damaged index ----------------------------------------------------------------------

@pytest.mark.parametrize("table", ["bands", "terms", "documents"])
def test_a_damaged_index_is_a_one_line_error_in_query_and_remove(table, tmp_path):
    db = tmp_path / "idx.db"
    assert run("index", "add", str(SEEDS), "--db", str(db), "-j", "1", "-q").exit_code == 0
    con = sqlite3.connect(db)
    con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()
    for args in (["query", str(SEEDS / "000_4c69908819cc8651.txt")], ["index", "remove", "000_4c69908819cc8651.txt"]):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr == f"error: {db}: damaged index: table {table} missing; rebuild it into a new file\n"


# --- item 10: --exclude, and exclusions are not failures ------------------------------------------

def test_exclusions_are_listed_but_neither_warned_about_nor_strict_failures(pair_folder, tmp_path):
    (pair_folder / ".git").mkdir()
    (pair_folder / ".git" / "x.txt").write_text("not an article", encoding="utf-8")
    (pair_folder / "draft.txt").write_text(article(9), encoding="utf-8")
    out = tmp_path / "out"
    result = run("scan", str(pair_folder), "--out", str(out), "--exclude", "draft*", "--strict")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert sorted(s["reason"] for s in read_jsonl(out / "skipped.jsonl")) == [
        "excluded by --exclude draft*", "excluded by default (hidden)"]
    assert "draft.txt" not in {d["id"] for d in read_jsonl(out / "documents.jsonl")}


# --- item 12: --meta rows that match no document --------------------------------------------------

def test_meta_rows_matching_nothing_are_warned_about_and_listed(pair_folder, tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text("id,source\na.txt,Herald\ntypo.txt,Gazette\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("scan", str(pair_folder), "--meta", str(meta), "--out", str(out))
    assert result.exit_code == 0
    assert f"warning: {meta}:3: skipped (id typo.txt): meta row for id 'typo.txt' matches no document read" in result.stderr
    assert [s["source"] for s in read_jsonl(out / "skipped.jsonl")] == [f"{meta}:3"]


# --- item 14: small promises ----------------------------------------------------------------------

def test_negative_top_is_refused(pair_folder, tmp_path):
    result = run("scan", str(pair_folder), "--out", str(tmp_path), "--top", "-1")
    assert result.exit_code == 2 and "--top" in result.stderr and "-1" in result.stderr


def test_ctrl_c_exits_130_with_one_line(pair_folder, tmp_path, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(SCAN, "find_reuse_stream", interrupted)
    result = run("scan", str(pair_folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 130 and result.stderr == "interrupted\n"


def test_strict_writes_the_ledger_then_exits_2(pair_folder, tmp_path):
    (pair_folder / "bad.txt").write_bytes(b"caf\xe9 au lait")
    out = tmp_path / "out"
    result = run("scan", str(pair_folder), "--out", str(out), "--strict")
    assert result.exit_code == 2 and "--strict" in result.stderr and "skipped.jsonl" in result.stderr
    [skip] = read_jsonl(out / "skipped.jsonl")
    assert skip["source"] == f"{pair_folder / 'bad.txt'}:1"
    assert not (out / "pairs.jsonl").exists()


def test_a_narrower_run_removes_what_reuse_wrote_before_and_nothing_else(pair_folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("scan", str(pair_folder), "--out", str(out), "-q").exit_code == 0
    assert (out / "report.html").exists()
    assert run("scan", str(pair_folder), "--out", str(out), "-q", "--formats", "jsonl").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".reuse-outputs.json", "clusters.jsonl", "documents.jsonl", "notes.txt", "pairs.jsonl", "passages.jsonl",
        "skipped.jsonl"]


def test_files_reuse_did_not_write_are_never_removed(pair_folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>someone else's report</p>", encoding="utf-8")
    assert run("scan", str(pair_folder), "--out", str(out), "-q", "--formats", "jsonl").exit_code == 0
    assert (out / "report.html").read_text(encoding="utf-8") == "<p>someone else's report</p>"
    manifest = json.loads((out / ".reuse-outputs.json").read_text(encoding="utf-8"))
    manifest["files"] += ["../outside.txt", "notes.txt"]  # a hand-edited manifest is not obeyed blindly
    (out / ".reuse-outputs.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "outside.txt").write_text("keep", encoding="utf-8")
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    assert run("scan", str(pair_folder), "--out", str(out), "-q", "--formats", "csv").exit_code == 0
    assert (tmp_path / "outside.txt").exists() and (out / "notes.txt").exists() and (out / "report.html").exists()
    assert not (out / "pairs.jsonl").exists()


# --- item 13: reuse show strips terminal control sequences ----------------------------------------

HOSTILE = ("Plain words \x1b]0;pwned title\x07 then \x1b]52;c;Y2xpcGJvYXJk\x1b\\ and \x1b[2J\x1b[H cleared "
           "\x9b31m c1 \x9d8;;http://x\x9c link \x1bPdevice\x1b\\ \x00\x08\r back\x7f end")


def test_show_strips_every_control_sequence_with_or_without_colour(tmp_path):
    pair = {"doc_a": "a\x1b]0;x\x07.txt", "doc_b": "b.txt", "score": 0.9, "coverage_a": 0.5, "coverage_b": 0.5,
            "n_passages": 1, "kinds": ["verbatim"], "top_terms": ["t\x1b[31m"]}
    passage = {"doc_a": pair["doc_a"], "doc_b": "b.txt", "a_start": 0, "a_end": len(HOSTILE), "b_start": 0,
               "b_end": len(HOSTILE), "kind": "verbatim", "score": 1.0, "text_a": HOSTILE, "text_b": HOSTILE}
    (tmp_path / "pairs.jsonl").write_text(json.dumps(pair) + "\n", encoding="utf-8")
    (tmp_path / "passages.jsonl").write_text(json.dumps(passage) + "\n", encoding="utf-8")
    for flag in ("--color", "--no-color"):
        shown = run("show", str(tmp_path), "1", flag).stdout
        ours = re.sub(r"\x1b\[[0-9;]*m", "", shown) if flag == "--color" else shown  # our own SGR colours only
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", ours), repr(ours)
        assert "pwned title" not in shown and "Y2xpcGJvYXJk" not in shown and "device" not in shown
        assert "Plain words" in shown and "back" in shown and "end" in shown
    listed = run("show", str(tmp_path)).stdout
    assert "\x1b" not in listed and "\x07" not in listed
