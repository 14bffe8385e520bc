"""The persistent index: incremental add, remove, parameter and schema checks, queries, crash safety."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.config import ReuseConfig
from reuse.index.codec import blob_to_sig, keys_to_sql, sig_to_blob
from reuse.index.schema import StoreError
from reuse.index.store import Index, tfidf_rows
from reuse.model import Corpus, Document
from reuse.stages.score import tfidf_matrix
from reuse.text.tokens import tokenize

from .conftest import COPIED, ROOT, article

LONG_COPY = (
    "Officials at the regional port authority confirmed on Tuesday that the dredging contract had been "
    "awarded without a public tender, a decision that opposition councillors described as a serious breach "
    "of procurement rules. The contract, worth several million euros, covers maintenance of the northern "
    "shipping channel for five years and was signed by the deputy director while the board was in recess."
)


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write_docs(folder, texts: dict[str, str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def corpus_of(n: int, seed: int = 0, words: int = 200) -> dict[str, str]:
    return {f"d{k:03d}.txt": article(1000 * seed + k, words=words) for k in range(n)}


def test_add_unchanged_updated_remove_counts(tmp_path):
    src = write_docs(tmp_path / "in", corpus_of(6))
    db = tmp_path / "idx.db"
    first = run("index", "add", str(src), "--db", str(db), "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {"added": 6, "updated": 0, "unchanged": 0, "skipped": 0}
    (src / "d002.txt").write_text(article(77), encoding="utf-8")
    (src / "d009.txt").write_text(article(78), encoding="utf-8")
    (src / "empty.txt").write_text("   ", encoding="utf-8")
    again = run("index", "add", str(src), "--db", str(db), "--json", "-q")
    assert json.loads(again.stdout) == {"added": 1, "updated": 1, "unchanged": 5, "skipped": 1}
    text = run("index", "add", str(src), "--db", str(db), "-q")
    assert text.stdout.startswith("0 added, 0 updated, 7 unchanged, 1 skipped")
    gone = run("index", "remove", "d000.txt", "nope.txt", "--db", str(db), "--json")
    assert json.loads(gone.stdout) == {"removed": 1, "missing": 1} and "nope.txt" in gone.stderr
    with Index(db) as idx:
        assert len(idx) == 6 and "d000.txt" not in idx.ids() and "d009.txt" in idx.ids()


def test_update_and_remove_leave_no_stale_rows(tmp_path):
    """Bands and document frequencies of a replaced or removed document are gone, not orphaned."""
    db = tmp_path / "idx.db"
    with Index(db) as idx:
        idx.add([Document(id="a", text=article(1, LONG_COPY)), Document(id="b", text=article(2))])
        idx.add([Document(id="a", text=article(3))])  # replaced
        idx.remove(["b"])
        idx.add([Document(id="a2", text=article(3))])
        idx.remove(["a2"])
    con = sqlite3.connect(db)
    (only,) = con.execute("SELECT doc FROM documents").fetchone()
    assert con.execute("SELECT COUNT(*) FROM bands WHERE doc != ?", (only,)).fetchone()[0] == 0
    fresh = tmp_path / "fresh.db"
    with Index(fresh) as idx:
        idx.add([Document(id="a", text=article(3))])
    con2 = sqlite3.connect(fresh)
    assert sorted(con.execute("SELECT term, df FROM terms")) == sorted(con2.execute("SELECT term, df FROM terms"))
    assert sorted(r[0] for r in con.execute("SELECT key FROM bands")) == sorted(r[0] for r in con2.execute("SELECT key FROM bands"))


def test_parameter_mismatch_is_a_clear_error(tmp_path):
    src = write_docs(tmp_path / "in", corpus_of(2))
    db = tmp_path / "idx.db"
    assert run("index", "add", str(src), "--db", str(db), "--shingle-size", "4", "-q").exit_code == 0
    # Not giving the setting uses the index's own ...
    assert run("index", "add", str(src), "--db", str(db), "-q").exit_code == 0
    # ... giving another value is refused, naming the file and the parameter.
    bad = run("index", "add", str(src), "--db", str(db), "--shingle-size", "5", "--num-perm", "64")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
    assert str(db) in bad.stderr and "shingle_size=4 (asked 5)" in bad.stderr and "num_perm=128 (asked 64)" in bad.stderr
    with pytest.raises(StoreError, match="seed=1 \\(asked 7\\)"):
        Index(db, ReuseConfig(shingle_size=4, seed=7))


def test_schema_version_and_kind_mismatch_messages(tmp_path, seeds_dir):
    db = tmp_path / "idx.db"
    with Index(db) as idx:
        idx.add([Document(id="a", text=article(1))])
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    res = run("query", str(seeds_dir / "000_4c69908819cc8651.txt"), "--db", str(db))
    assert res.exit_code == 2 and res.stderr.count("\n") == 1
    assert "schema version 99" in res.stderr and "reads version 1" in res.stderr and str(db) in res.stderr
    report = tmp_path / "report.db"
    assert run("scan", str(seeds_dir), "--out", str(tmp_path / "out"), "--db", str(report), "-q").exit_code == 0
    res = run("index", "add", str(seeds_dir), "--db", str(report))
    assert res.exit_code == 2 and "is a reuse-report database, not a reuse-index" in res.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    res = run("index", "add", str(seeds_dir), "--db", str(junk))
    assert res.exit_code == 2 and str(junk) in res.stderr


def test_query_finds_copied_passage_with_exact_offsets_from_band_tables(tmp_path):
    texts = corpus_of(40, seed=1, words=300)
    texts["source.txt"] = article(5, LONG_COPY, words=300)
    src = write_docs(tmp_path / "in", texts)
    db = tmp_path / "idx.db"
    assert run("index", "add", str(src), "--db", str(db), "-q").exit_code == 0
    query_text = article(6, LONG_COPY, words=400)
    (tmp_path / "new.txt").write_text(query_text, encoding="utf-8")
    # --max-candidates 3 < 41 documents: candidates must come from the band tables.
    res = run("query", str(tmp_path / "new.txt"), "--db", str(db), "--json", "--max-candidates", "3")
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
    assert set(p) >= {"doc_a", "a_start", "a_end", "doc_b", "b_start", "b_end", "kind", "score", "text_a", "text_b"}


def test_query_cosine_matches_a_scan_of_index_plus_query(tmp_path):
    """The stored document frequencies give the very TF-IDF a scan of index + query computes."""
    texts = {f"d{k}": article(k, COPIED) for k in range(4)}
    query = article(9, COPIED)
    token_lists = [tokenize(t).norms for t in [query, *texts.values()]]
    expected, _ = tfidf_matrix(token_lists)
    db = tmp_path / "idx.db"
    with Index(db) as idx:
        idx.add(Corpus.from_texts(texts).documents)
        hits = idx.query(Document(id="q", text=query))
    assert len(hits) == 4
    for h in hits:
        k = 1 + list(texts).index(h.pair.doc_b)
        assert h.pair.tfidf_cosine == pytest.approx(float(expected[0].multiply(expected[k]).sum()), abs=1e-5)


def test_tfidf_rows_equal_sklearn_with_the_same_frequencies():
    lists = [tokenize(article(k, COPIED)).norms for k in range(3)] + [tokenize("The water plant costs money.").norms]
    expected, terms = tfidf_matrix(lists)
    df = {t: sum(t in set(lst) for lst in lists) for t in terms}
    got, got_terms = tfidf_rows(lists, df, len(lists))
    assert list(got_terms) == list(terms)
    assert np.allclose(got.toarray(), expected.toarray(), atol=1e-6)


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


def test_codec_round_trips_without_pickle():
    keys = np.array([0, 1, 2**63 - 1, 2**63, 2**64 - 1], dtype=np.uint64)
    stored = keys_to_sql(keys)
    assert stored.dtype == np.int64 and stored[-1] == -1
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (k INTEGER)")
    con.executemany("INSERT INTO t VALUES (?)", [(int(k),) for k in stored])
    back = np.array([r[0] for r in con.execute("SELECT k FROM t")], dtype=np.int64).view(np.uint64)
    assert np.array_equal(back, keys)
    sig = np.array([0, 7, 2**32 - 1], dtype=np.uint32)
    assert sig_to_blob(sig) == b"\x00\x00\x00\x00\x07\x00\x00\x00\xff\xff\xff\xff"
    assert np.array_equal(blob_to_sig(sig_to_blob(sig)), sig)


# --- crash safety and concurrency ----------------------------------------------------------------
def _big_corpus(path, n: int) -> None:
    rng = random.Random(3)
    vocab = [f"v{k}" for k in range(3000)]
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            text = " ".join(rng.choice(vocab) for _ in range(250))
            if k % 50 == 0:  # 2 per 100 documents: under max_bucket, so never boilerplate
                text += " " + LONG_COPY
            fh.write(json.dumps({"id": f"doc{k:05d}", "text": text}) + "\n")


def _start_add(corpus, db, batch: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "reuse", "index", "add", str(corpus), "--db", str(db), "--batch-size", str(batch), "-q"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _committed(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT value FROM meta WHERE key = 'n_documents'").fetchone()[0])
        finally:
            con.close()
    except (sqlite3.OperationalError, TypeError):
        return 0


def test_kill_9_during_add_leaves_a_valid_database_of_whole_batches(tmp_path):
    corpus, db = tmp_path / "big.jsonl", tmp_path / "idx.db"
    _big_corpus(corpus, 4000)
    proc = _start_add(corpus, db, 50)
    deadline = time.monotonic() + 60
    while _committed(db) < 200 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(random.Random().uniform(0, 0.3))  # somewhere inside a batch
    assert proc.poll() is None, "add finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n_docs = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert n_docs == int(con.execute("SELECT value FROM meta WHERE key = 'n_documents'").fetchone()[0])
    assert n_docs >= 200 and n_docs % 50 == 0  # whole batches only
    assert con.execute("SELECT COUNT(*) FROM bands WHERE doc NOT IN (SELECT doc FROM documents)").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(DISTINCT doc) FROM bands").fetchone()[0] == n_docs
    con.close()
    # The interrupted add resumes: finished batches are unchanged, the rest is added.
    res = run("index", "add", str(corpus), "--db", str(db), "--json", "-q")
    assert json.loads(res.stdout) == {"added": 4000 - n_docs, "updated": 0, "unchanged": n_docs, "skipped": 0}


def test_readers_query_while_an_add_runs(tmp_path):
    corpus, db = tmp_path / "big.jsonl", tmp_path / "idx.db"
    _big_corpus(corpus, 3000)
    proc = _start_add(corpus, db, 100)
    try:
        deadline = time.monotonic() + 60
        while _committed(db) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        query = Document(id="q", text=article(42, LONG_COPY, words=200))
        during, seen = 0, []
        while proc.poll() is None and during < 15:
            with Index(db, readonly=True) as idx:
                hits = idx.query(query, top=1000, max_candidates=1000)
            seen.append(len(hits))
            during += 1
        assert during >= 3, "add finished too early to test concurrent reads"
        # every snapshot holds whole batches (2 copies per 100 documents) and they only grow
        assert all(n >= 2 and n % 2 == 0 for n in seen) and seen == sorted(seen)
    finally:
        proc.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr.read().decode()


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


def test_window_bands_are_an_index_parameter(tmp_path):
    src = write_docs(tmp_path / "in", corpus_of(3))
    db = tmp_path / "idx.db"
    assert run("index", "add", str(src), "--db", str(db), "--window-bands", "16", "-q").exit_code == 0
    with Index(db) as idx:
        assert idx.params.window_bands == 16 and idx.params.window_rows == 3
    assert run("index", "add", str(src), "--db", str(db), "-q").exit_code == 0  # stored value reused
    bad = run("index", "add", str(src), "--db", str(db), "--window-bands", "8")
    assert bad.exit_code == 2 and "window_bands=16 (asked 8)" in bad.stderr


def _index_contents(db) -> dict:
    """Everything an add stores that a query reads, keyed by document id (row ids aside)."""
    con = sqlite3.connect(db)
    try:
        ids = dict(con.execute("SELECT doc, id FROM documents"))
        return {
            "documents": sorted(con.execute("SELECT id, content_hash, text, n_words, n_windows, signature FROM documents")),
            "bands": sorted((k, ids[d]) for k, d in con.execute("SELECT key, doc FROM bands")),
            "terms": sorted(con.execute("SELECT term, df FROM terms")),
        }
    finally:
        con.close()


def test_add_stores_what_prepare_gives_whatever_the_batch_size_chunks_and_jobs(tmp_path, monkeypatch):
    """Bulk kernels in a process pool store exactly the per-document values a query computes."""
    import reuse.index.store as index_mod
    from reuse.stages.pair import prepare
    from reuse.stages.score import content_words

    texts = [article(k, words=40 + 37 * k) for k in range(9)]
    texts += ["", "Too short.", "Café Œuvre naïve “quoted” ﬁnance — déjà vu; " * 12, texts[2][:300] + LONG_COPY]
    docs = [Document(id=f"d{k}", text=t) for k, t in enumerate(texts)]
    config = ReuseConfig()
    got = []
    for batch_size, chunk, jobs in [(5000, 1000, 1), (3, 2, 2), (4, 1, 1)]:
        monkeypatch.setattr(index_mod, "CHUNK", chunk)
        db = tmp_path / f"idx-{batch_size}-{chunk}-{jobs}.db"
        with Index(db, config) as idx:
            assert idx.add(docs, batch_size=batch_size, jobs=jobs).added == len(docs)
            params = idx.params
        got.append(_index_contents(db))
    assert got[0] == got[1] == got[2]

    expected_bands, expected_df = [], {}
    for d in docs:
        p = prepare(d, config)
        row = next(r for r in got[0]["documents"] if r[0] == d.id)
        assert (row[3], row[4]) == (len(p.tokens), len(p.window_sigs))
        assert blob_to_sig(row[5]).tolist() == p.doc_sig.tolist()
        expected_bands += [(int(k), d.id) for k in index_mod.document_keys(p, params)]
        for t in set(content_words(p.tokens.norms)):
            expected_df[t] = expected_df.get(t, 0) + 1
    assert got[0]["bands"] == sorted(expected_bands) and len(expected_bands) > 100
    assert got[0]["terms"] == sorted(expected_df.items())


def test_cached_band_salts_cannot_be_changed_in_place():
    # Every caller shares the cached array: an in-place edit would silently change every later key.
    from reuse.index.store import _salts

    salts = _salts(0, 4)
    with pytest.raises(ValueError):
        salts ^= np.uint64(1)
    assert np.array_equal(_salts(0, 4), salts)
