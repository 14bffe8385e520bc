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

from reuse import jit
from reuse.cli import main
from reuse.config import ReuseConfig
from reuse.index.codec import keys_from_sql, keys_to_sql
from reuse.index.keys import index_rows
from reuse.index.schema import StoreError
from reuse.index.store import Index
from reuse.model import Document
from tests.conftest import ROOT, article

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
    for table in ("bands", "anchors"):
        assert con.execute(f"SELECT COUNT(*) FROM {table} WHERE doc != ?", (only,)).fetchone()[0] == 0
    fresh = tmp_path / "fresh.db"
    with Index(fresh) as idx:
        idx.add([Document(id="a", text=article(3))])
    con2 = sqlite3.connect(fresh)
    assert sorted(con.execute("SELECT id, df FROM terms")) == sorted(con2.execute("SELECT id, df FROM terms"))
    for table in ("bands", "anchors"):
        assert sorted(con.execute(f"SELECT key FROM {table}")) == sorted(con2.execute(f"SELECT key FROM {table}"))


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
    assert "schema version 99" in res.stderr and "reads version 2" in res.stderr and str(db) in res.stderr
    report = tmp_path / "report.db"
    assert run("scan", str(seeds_dir), "--out", str(tmp_path / "out"), "--db", str(report), "-q").exit_code == 0
    res = run("index", "add", str(seeds_dir), "--db", str(report))
    assert res.exit_code == 2 and "is a reuse-report database, not a reuse-index" in res.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    res = run("index", "add", str(seeds_dir), "--db", str(junk))
    assert res.exit_code == 2 and str(junk) in res.stderr


def test_keys_round_trip_through_sqlite_without_pickle():
    keys = np.array([0, 1, 2**63 - 1, 2**63, 2**64 - 1], dtype=np.uint64)
    stored = keys_to_sql(keys)
    assert stored.dtype == np.int64 and stored[-1] == -1
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (k INTEGER)")
    con.executemany("INSERT INTO t VALUES (?)", [(int(k),) for k in stored])
    assert np.array_equal(keys_from_sql([r[0] for r in con.execute("SELECT k FROM t")]), keys)


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


@pytest.mark.skipif(not jit.ENABLED, reason="timing: without the compiled kernels a query outlasts the add")
def test_readers_query_while_an_add_runs(tmp_path):
    corpus, db = tmp_path / "big.jsonl", tmp_path / "idx.db"
    # Large enough that most of the add runs past all_pairs_max_docs, where a query is quick: below
    # it a query scores the whole small index (every document's nearest neighbours).
    _big_corpus(corpus, 6000)
    query = Document(id="q", text=article(42, LONG_COPY, words=200))
    with Index(tmp_path / "warm.db") as idx:  # compile the kernels first: this test is about snapshots
        idx.add([Document(id=f"w{i}", text=article(i, LONG_COPY, words=200)) for i in range(5)])
        idx.query(query, top=10)
    proc = _start_add(corpus, db, 100)
    try:
        deadline = time.monotonic() + 60
        while _committed(db) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
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


def _index_contents(db) -> dict:
    """Everything an add stores that a query reads, keyed by document id (row ids aside)."""
    con = sqlite3.connect(db)
    try:
        ids = dict(con.execute("SELECT doc, id FROM documents"))
        return {
            "documents": sorted(con.execute("SELECT id, content_hash, text, n_words FROM documents")),
            "bands": sorted((k, ids[d]) for k, d in con.execute("SELECT key, doc FROM bands")),
            "anchors": sorted((k, ids[d]) for k, d in con.execute("SELECT key, doc FROM anchors")),
            "terms": sorted(con.execute("SELECT id, df FROM terms")),
        }
    finally:
        con.close()


def test_add_stores_what_the_sketch_stage_gives_whatever_the_batch_size_chunks_and_jobs(tmp_path, monkeypatch):
    """Chunks in a process pool store exactly the rows each document's own sketch gives."""
    import reuse.index.store as index_mod

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
        got.append(_index_contents(db))
    assert got[0] == got[1] == got[2]

    bands, anchors, df = [], [], {}
    for d in docs:
        rows = index_rows([d.text], config)
        assert next(r for r in got[0]["documents"] if r[0] == d.id)[3] == int(rows.n_words[0])
        bands += [(int(k), d.id) for k in rows.bands[:, 0]]
        anchors += [(int(k), d.id) for k in rows.anchors[:, 0]]
        for t in keys_to_sql(rows.terms).tolist():
            df[t] = df.get(t, 0) + 1
    assert got[0]["bands"] == sorted(bands) and len(bands) > 100
    assert got[0]["anchors"] == sorted(anchors) and len(anchors) > 100
    assert got[0]["terms"] == sorted(df.items())


def test_cached_band_salts_cannot_be_changed_in_place():
    # Every caller shares the cached array: an in-place edit would silently change every later key.
    from reuse.index.keys import band_salts

    salts = band_salts(4)
    with pytest.raises(ValueError):
        salts ^= np.uint64(1)
    assert np.array_equal(band_salts(4), salts)
