"""Queries against the index: candidates from stored keys, exact offsets, ranking, errors.

That a query gives what a scan of the index and the query gives is tested end to end in
``tests/e2e/test_query_is_a_scan.py``.
"""
from __future__ import annotations

import json

from reuse.config import ReuseConfig
from reuse.index.store import Index
from reuse.model import Document
from tests.conftest import article
from tests.index.test_store import LONG_COPY, corpus_of, run, write_docs


def test_query_finds_copied_passage_with_exact_offsets(tmp_path):
    texts = corpus_of(40, seed=1, words=300)
    texts["source.txt"] = article(5, LONG_COPY, words=300)
    src = write_docs(tmp_path / "in", texts)
    db = tmp_path / "idx.db"
    assert run("index", "add", str(src), "--db", str(db), "-q").exit_code == 0
    query_text = article(6, LONG_COPY, words=400)
    (tmp_path / "new.txt").write_text(query_text, encoding="utf-8")
    res = run("query", str(tmp_path / "new.txt"), "--db", str(db), "--json")
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["doc_b"] for r in rows] == ["source.txt"]
    hit = rows[0]
    assert hit["doc_a"] == "new.txt" and hit["n_passages"] == 1 and 0 < hit["score"] <= 1
    (p,) = hit["passages"]
    assert p["kind"] == "verbatim" and p["doc_a"] == "new.txt" and p["doc_b"] == "source.txt"
    assert query_text[p["a_start"]:p["a_end"]] == p["text_a"] == LONG_COPY.rstrip(".")
    assert texts["source.txt"][p["b_start"]:p["b_end"]] == p["text_b"] == p["text_a"]
    assert {"tfidf_cosine", "jaccard", "containment_a", "containment_b", "coverage_a", "coverage_b",
            "top_terms", "kinds"} <= set(hit)


def test_query_candidates_come_from_the_stored_anchors_and_bands(tmp_path):
    """Above ``all_pairs_max_docs`` no pair is scored for its cosine alone: the copy is found
    through the anchors and band keys the add stored, and only the candidates are read."""
    texts = {f"d{k}": article(1000 + k, words=300) for k in range(30)} | {"source": article(5, LONG_COPY, words=300)}
    db = tmp_path / "idx.db"
    with Index(db, ReuseConfig(all_pairs_max_docs=0)) as idx:
        idx.add([Document(id=i, text=t) for i, t in texts.items()])
        (hit,) = idx.query(Document(id="q", text=article(6, LONG_COPY, words=400)))
    assert hit.pair.doc_b == "source" and hit.passages[0].text_a == LONG_COPY.rstrip(".")


def test_document_not_in_corpus_and_stdin(tmp_path):
    src = write_docs(tmp_path / "in", corpus_of(5))
    db = tmp_path / "idx.db"
    run("index", "add", str(src), "--db", str(db), "-q")
    res = run("query", "-", "--db", str(db), "--json", "--stdin-format", "text", input=article(500))
    assert res.exit_code == 0 and res.stdout == ""
    res = run("query", "-", "--db", str(db), "--stdin-format", "text", input=article(501))
    assert res.exit_code == 0 and "stdin: no indexed document shares a passage" in res.stdout
    same = run("query", str(src / "d001.txt"), "--db", str(db), "--json")  # an indexed document is not its own reuse
    assert same.stdout == ""


def test_query_dash_reads_json_lines_like_scan(tmp_path):
    docs = corpus_of(5)
    src = write_docs(tmp_path / "in", docs)
    db = tmp_path / "idx.db"
    run("index", "add", str(src), "--db", str(db), "-q")
    copy = (tmp_path / "in" / "d001.txt").read_text(encoding="utf-8")
    lines = [json.dumps({"id": "q1", "text": copy + " and one more sentence of our own."}),
             json.dumps({"id": "q2", "text": article(777)})]
    res = run("query", "-", "--db", str(db), "--json", input="\n".join(lines) + "\n")
    assert res.exit_code == 0, res.output
    hits = [json.loads(line) for line in res.stdout.splitlines()]
    assert {h["doc_a"] for h in hits} == {"q1"} and "d001.txt" in {h["doc_b"] for h in hits}
    plain = run("query", "-", "--db", str(db), input=copy)  # plain text where JSON lines are expected
    assert plain.exit_code == 2 and "--stdin-format text" in plain.stderr and plain.stderr.count("\n") == 1


def test_query_errors_name_the_file(tmp_path):
    res = run("query", str(tmp_path / "x.txt"), "--db", str(tmp_path / "none.db"))
    assert res.exit_code == 2 and "none.db: no such index" in res.stderr
    db = tmp_path / "idx.db"
    with Index(db) as idx:
        idx.add([Document(id="a", text=article(1))])
    res = run("query", str(tmp_path / "missing.txt"), "--db", str(db))
    assert res.exit_code == 2 and "missing.txt: no such file" in res.stderr


def test_top_limits_and_orders_matches(tmp_path):
    texts = {"short.txt": article(1, LONG_COPY, words=60), "long.txt": article(2, LONG_COPY, words=600),
             "other.txt": article(3, words=200)}
    src = write_docs(tmp_path / "in", texts)
    db = tmp_path / "idx.db"
    run("index", "add", str(src), "--db", str(db), "-q")
    (tmp_path / "q.txt").write_text(article(4, LONG_COPY), encoding="utf-8")
    rows = [json.loads(x) for x in run("query", str(tmp_path / "q.txt"), "--db", str(db), "--json").stdout.splitlines()]
    assert [r["doc_b"] for r in rows] == ["short.txt", "long.txt"]  # the copy is more of the short article
    assert rows[0]["score"] > rows[1]["score"] and rows[0]["title_b"] is None
    top1 = run("query", str(tmp_path / "q.txt"), "--db", str(db), "--json", "--top", "1").stdout.splitlines()
    assert [json.loads(x)["doc_b"] for x in top1] == ["short.txt"]
    table = run("query", str(tmp_path / "q.txt"), "--db", str(db)).stdout
    assert "2 indexed document(s) share passages" in table and table.index("short.txt") < table.index("long.txt")
