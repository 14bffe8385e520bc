import csv
import json
import os

import pytest
from click.testing import CliRunner

from reuse.cli import main

from .conftest import COPIED, article


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_scan_seeds_writes_every_output_with_exact_offsets(seeds_dir, tmp_path):
    result = run("scan", str(seeds_dir), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in ["pairs.jsonl", "pairs.csv", "passages.jsonl", "documents.jsonl", "documents.csv", "skipped.jsonl",
                 "report.html"]:
        assert (tmp_path / name).exists(), name
    pairs = read_jsonl(tmp_path / "pairs.jsonl")
    assert len(pairs) == 10  # complete pair table on a small corpus
    required = {"doc_a", "doc_b", "score", "tfidf_cosine", "jaccard", "containment_a", "containment_b",
                "n_passages", "coverage_a", "coverage_b"}
    assert required <= set(pairs[0])
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    texts = {f.name: f.read_text(encoding="utf-8") for f in seeds_dir.glob("*.txt")}
    passages = read_jsonl(tmp_path / "passages.jsonl")
    assert passages
    for p in passages:
        assert texts[p["doc_a"]][p["a_start"]:p["a_end"]] == p["text_a"]
        assert texts[p["doc_b"]][p["b_start"]:p["b_end"]] == p["text_b"]
    with open(tmp_path / "pairs.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 10
    assert "documents" in result.stdout and "score" in result.stdout


def test_json_flag_writes_pairs_to_stdout(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article(1, COPIED), encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(article(2, COPIED), encoding="utf-8")
    result = run("scan", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--json", "-q")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["doc_a"] == "a.txt" and rows[0]["n_passages"] == 1


@pytest.mark.parametrize("kind", ["pairs", "passages", "clusters", "documents"])
def test_json_kind_streams_those_records_and_writes_no_folder(tmp_path, monkeypatch, kind):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": article(k, COPIED)}) + "\n" for k, i in enumerate("abc")),
                   encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    res = run("scan", str(src), "--json", kind, "-q")
    assert res.exit_code == 0, res.output
    assert os.listdir(cwd) == []  # no reports/ folder unless --out is given
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows
    with_out = run("scan", str(src), "--json", kind, "-q", "--out", str(tmp_path / "out"))
    assert with_out.stdout == res.stdout
    assert rows == read_jsonl(tmp_path / "out" / f"{kind}.jsonl")  # the same records as the file of that name


def test_bare_json_before_the_paths_means_pairs(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article(1, COPIED), encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(article(2, COPIED), encoding="utf-8")
    res = run("scan", "--json", str(tmp_path / "in"), "-q")
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["doc_b"] for line in res.stdout.splitlines()] == ["b.txt"]


def test_stdin_to_stdout_pipeline_leaves_nothing_behind(tmp_path, monkeypatch):
    lines = "".join(json.dumps({"id": i, "text": article(k, COPIED)}) + "\n" for k, i in enumerate("ab"))
    monkeypatch.chdir(tmp_path)
    res = run("scan", "-", "--json", input=lines)
    assert res.exit_code == 0 and os.listdir(tmp_path) == []
    assert json.loads(res.stdout.splitlines()[0])["doc_a"] == "a"


def test_formats_selects_outputs(tmp_path, seeds_dir):
    result = run("scan", str(seeds_dir), "--out", str(tmp_path), "--formats", "pairs.csv,html", "-q")
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".reuse-outputs.json", "pairs.csv", "report.html"]


def test_unknown_format_is_a_one_line_error(tmp_path, seeds_dir):
    result = run("scan", str(seeds_dir), "--out", str(tmp_path), "--formats", "pdf")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "unknown format 'pdf'" in result.stderr


def test_missing_path_is_exit_2_without_traceback(tmp_path):
    result = run("scan", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope'}: no such file or folder"
    assert "Traceback" not in result.output


def test_unknown_file_format_is_exit_2(tmp_path):
    (tmp_path / "doc.docx").write_bytes(b"PK")
    result = run("scan", str(tmp_path / "doc.docx"), "--out", str(tmp_path))
    assert result.exit_code == 2 and "unknown format '.docx'" in result.stderr


@pytest.fixture
def messy(tmp_path):
    d = tmp_path / "messy"
    d.mkdir()
    (d / "good1.txt").write_text(article(1, COPIED), encoding="utf-8")
    (d / "good2.txt").write_text(article(2, COPIED), encoding="utf-8")
    (d / "latin.txt").write_bytes("caf\u00e9\n".encode("latin-1"))
    (d / "empty.txt").write_text("  \n\t", encoding="utf-8")
    (d / "blob.txt").write_bytes(bytes(range(256)))
    (d / "recs.jsonl").write_text('{"id": "r1", "text": "fine record"}\n{broken\n{"id": "good1.txt", "text": "dup"}\n', encoding="utf-8")
    (d / "rows.csv").write_text("id,text\nc1,\n", encoding="utf-8")
    return d


def test_bad_documents_are_skipped_listed_and_warned_about(messy, tmp_path):
    out = tmp_path / "out"
    result = run("scan", str(messy), "--out", str(out))
    assert result.exit_code == 0
    skipped = read_jsonl(out / "skipped.jsonl")
    reasons = " | ".join(f"{s['source']} {s['reason']}" for s in skipped)
    assert len(skipped) == 6, reasons
    for needle in ["latin.txt:1 invalid utf-8", "empty.txt", "blob.txt", "recs.jsonl:2 malformed JSON",
                   "recs.jsonl:3 duplicate id 'good1.txt'", "rows.csv:2 record has no 'text' field"]:
        assert needle.split()[0] in reasons and needle.split()[-1] in reasons, needle
    assert result.stderr.count("warning: ") == 6
    assert any(p["n_passages"] == 1 for p in read_jsonl(out / "pairs.jsonl"))  # the rest still processed


def test_strict_turns_a_skip_into_exit_2(messy, tmp_path):
    result = run("scan", str(messy), "--out", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 2 and "--strict" in result.stderr and "Traceback" not in result.output


def test_encoding_flag_decodes_instead_of_skipping(tmp_path):
    (tmp_path / "a.txt").write_bytes("caf\u00e9 cr\u00e8me words\n".encode("latin-1"))
    result = run("scan", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--encoding", "latin-1", "--strict")
    assert result.exit_code == 0


def test_stdin_jsonl(tmp_path):
    data = "\n".join(json.dumps({"id": k, "text": article(k, COPIED)}) for k in (1, 2)) + "\n"
    result = run("scan", "-", "--out", str(tmp_path), "--json", "-q", input=data)
    assert json.loads(result.stdout.splitlines()[0])["n_passages"] == 1


def test_config_file_and_flag_override(tmp_path, seeds_dir):
    cfg = tmp_path / "reuse.toml"
    cfg.write_text("min_passage_words = 1000\nparaphrase = false\n", encoding="utf-8")
    result = run("scan", str(seeds_dir), "--out", str(tmp_path / "o"), "--config", str(cfg), "--json", "-q")
    assert all(json.loads(l)["n_passages"] == 0 for l in result.stdout.splitlines())
    result = run("scan", str(seeds_dir), "--out", str(tmp_path / "o"), "--config", str(cfg), "--min-words", "8", "--json", "-q")
    assert any(json.loads(l)["n_passages"] for l in result.stdout.splitlines())


def test_bad_setting_is_a_clear_error(tmp_path, seeds_dir):
    result = run("scan", str(seeds_dir), "--out", str(tmp_path), "--threshold", "1.5")
    assert result.exit_code == 2 and "doc_threshold" in result.stderr and "out of range" in result.stderr


def test_help_teaches():
    result = run("scan", "--help")
    assert "Examples" in result.output and "--formats" in result.output and "--strict" in result.output
