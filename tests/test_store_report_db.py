"""``reuse scan --db``: tables, foreign keys and their indexes, views, full-text search, Datasette metadata,
one run appended per scan, and never a file that is not ours replaced."""
from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from reuse.api import find_reuse
from reuse.cli import main
from reuse.model import Cluster, Corpus, Member
from reuse.outputs.sqlite import metadata_path, write_report_db

from .conftest import COPIED, SEEDS, article

TABLE_NAMES = {"meta", "runs", "documents", "pairs", "passages", "clusters", "cluster_members", "skipped"}
VIEW_NAMES = {"top_pairs", "source_reuse", "document_reuse", "passage_details"}
ALL_VIEW_NAMES = VIEW_NAMES | {f"{v}_all_runs" for v in VIEW_NAMES}


@pytest.fixture
def scanned(tmp_path, seeds_dir):
    db = tmp_path / "out" / "reuse.db"
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path / "out"), "--db", str(db), "-q"])
    assert res.exit_code == 0, res.output
    return db


def test_scan_db_has_every_table_and_view(scanned):
    con = sqlite3.connect(scanned)
    names = {(t, n) for t, n in con.execute("SELECT type, name FROM sqlite_master")}
    assert {("table", n) for n in TABLE_NAMES} <= names and {("view", n) for n in ALL_VIEW_NAMES} <= names
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    assert con.execute("SELECT COUNT(*) FROM pairs").fetchone()[0] == 10
    run = con.execute("SELECT reuse_version, schema_version, n_documents, n_pairs, config, inputs FROM runs").fetchone()
    assert run[1] == 2 and run[2] == 5 and run[3] == 10 and json.loads(run[4])["shingle_size"] == 5
    assert json.loads(run[5]) == [str(SEEDS)]
    for view in ALL_VIEW_NAMES:
        assert con.execute(f"SELECT * FROM {view}").fetchall(), view
    top = con.execute("SELECT score FROM top_pairs").fetchall()
    assert [r[0] for r in top] == sorted((r[0] for r in top), reverse=True)


def test_passage_offsets_index_the_stored_text(scanned):
    con = sqlite3.connect(scanned)
    rows = con.execute(
        "SELECT s.text_a, substr(da.text, s.a_start + 1, s.a_end - s.a_start),"
        "       s.text_b, substr(db.text, s.b_start + 1, s.b_end - s.b_start), p.doc_a = s.doc_a AND p.doc_b = s.doc_b"
        " FROM passages s JOIN documents da ON da.run_id = s.run_id AND da.id = s.doc_a"
        " JOIN documents db ON db.run_id = s.run_id AND db.id = s.doc_b"
        " JOIN pairs p ON p.id = s.pair_id").fetchall()
    assert rows and all(r[0] == r[1] and r[2] == r[3] and r[4] for r in rows)


def test_foreign_keys_are_declared_and_indexed(scanned):
    con = sqlite3.connect(scanned)
    expected = {  # every row is keyed by its run, so document references are (run_id, id)
        "documents": {(("run_id",), "runs")},
        "pairs": {(("run_id",), "runs"), (("run_id", "doc_a"), "documents"), (("run_id", "doc_b"), "documents")},
        "passages": {(("run_id",), "runs"), (("pair_id",), "pairs"), (("run_id", "doc_a"), "documents"),
                     (("run_id", "doc_b"), "documents")},
        "clusters": {(("run_id",), "runs")},
        "cluster_members": {(("run_id",), "runs"), (("cluster_id",), "clusters"), (("run_id", "doc"), "documents")},
        "skipped": {(("run_id",), "runs")},
    }
    for table, fks in expected.items():
        by_id: dict[int, tuple[str, list[str]]] = {}
        for fk_id, _seq, target, column, *_ in con.execute(f"PRAGMA foreign_key_list({table})"):
            by_id.setdefault(fk_id, (target, []))[1].append(column)
        assert {(tuple(cols), target) for target, cols in by_id.values()} == fks, table
        prefixes = set()
        for idx in con.execute(f"PRAGMA index_list({table})").fetchall():
            cols = tuple(r[2] for r in con.execute(f"PRAGMA index_info({idx[1]})"))
            prefixes |= {cols[:k] for k in range(1, len(cols) + 1)}
        assert {cols for cols, _ in fks} <= prefixes, f"{table}: foreign key without an index"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_full_text_search_on_title_and_text(scanned):
    con = sqlite3.connect(scanned)
    ids = [r[0] for r in con.execute(
        "SELECT d.id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid WHERE documents_fts MATCH 'albania'")]
    assert ids and all("albania" in con.execute("SELECT lower(text) FROM documents WHERE id = ?", (i,)).fetchone()[0]
                       for i in ids)


def test_datasette_metadata_describes_every_column_of_every_table_and_view(scanned):
    meta = json.loads(metadata_path(scanned).read_text(encoding="utf-8"))
    assert metadata_path(scanned).name == "reuse.metadata.json"
    db = meta["databases"]["reuse"]
    tables = db["tables"]
    con = sqlite3.connect(scanned)
    for name in (TABLE_NAMES | ALL_VIEW_NAMES):
        columns = {r[1] for r in con.execute(f"PRAGMA table_info({name})")}
        assert set(tables[name]["columns"]) == columns, name
        assert all(tables[name]["columns"].values()) and tables[name]["description"], name
    assert tables["documents"]["fts_table"] == "documents_fts"
    assert tables["passages"]["facets"] and tables["documents"]["facets"]
    for query in db["queries"].values():  # every canned query runs on a real scan database
        assert query["title"] and query["description"]
        con.execute(query["sql"]).fetchall()
    assert {"talking_points_this_week", "echoing_sources"} <= set(db["queries"])


def test_views_use_the_document_id_as_source_when_a_document_has_none(scanned):
    con = sqlite3.connect(scanned)
    sources = {r[0] for r in con.execute("SELECT source_a FROM source_reuse")}
    assert sources and sources <= {p.name for p in SEEDS.glob("*.txt")}  # the seeds have no source field


def test_clusters_and_members_are_written(tmp_path):
    corpus = Corpus.from_texts({"a": article(1, COPIED), "b": article(2, COPIED)})
    results = find_reuse(corpus)
    p = results.passages[0]
    results.clusters = [Cluster(
        id=1, label=p.text_a, sources=("a", "b"), first_seen="2024-01-01", last_seen="2024-01-02", kinds=("verbatim",),
        members=(Member("a", p.a_start, p.a_end, p.text_a, None, "2024-01-01"),
                 Member("b", p.b_start, p.b_end, p.text_b, None, "2024-01-02")),
    )]
    db, meta = write_report_db(results, tmp_path / "r.db")
    con = sqlite3.connect(db)
    assert con.execute("SELECT label, n_members, n_sources, sources FROM clusters").fetchone() == (
        p.text_a, 2, 2, '["a", "b"]')
    assert con.execute('SELECT doc, start, "end" FROM cluster_members ORDER BY doc').fetchall() == [
        ("a", p.a_start, p.a_end), ("b", p.b_start, p.b_end)]
    # A second write appends a run: the views show it, the *_all_runs views both.
    results.clusters = []
    write_report_db(results, db)
    con = sqlite3.connect(db)
    assert con.execute("SELECT id FROM runs ORDER BY id").fetchall() == [(1,), (2,)]
    assert con.execute("SELECT run_id, COUNT(*) FROM clusters GROUP BY run_id").fetchall() == [(1, 1)]
    assert con.execute("SELECT DISTINCT run_id FROM top_pairs").fetchall() == [(2,)]
    assert con.execute("SELECT run_id FROM top_pairs_all_runs ORDER BY run_id").fetchall() == [(1,), (2,)]
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "r.db", "r.metadata.json"]


def test_skipped_inputs_are_recorded(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "in" / "bad.jsonl").write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    db = tmp_path / "r.db"
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--db", str(db), "-q"])
    assert res.exit_code == 0
    rows = sqlite3.connect(db).execute("SELECT source, doc_id, reason FROM skipped ORDER BY id").fetchall()
    assert len(rows) == 2 and rows[0][1] == "x" and "malformed JSON" in rows[1][2]


def test_db_path_that_is_a_folder_is_refused(tmp_path, seeds_dir):
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path / "o"), "--db", str(tmp_path), "-q"])
    assert res.exit_code == 2 and "'--db'" in res.stderr and "is a directory" in res.stderr


def _refused(tmp_path, db, seeds_dir=SEEDS):
    before = db.read_bytes()
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path / "o"), "--db", str(db), "-q"])
    assert res.exit_code == 2, res.output
    assert res.stderr.count("\n") == 1 and str(db) in res.stderr and "not a reuse report database" in res.stderr
    assert db.read_bytes() == before  # never replaced, never touched
    assert not (tmp_path / "o").exists()  # refused before the scan, not after it
    return res.stderr


def test_scan_db_refuses_an_index(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(article(1), encoding="utf-8")
    db = tmp_path / "idx.db"
    assert CliRunner().invoke(main, ["index", "add", str(tmp_path / "in"), "--db", str(db), "-q"]).exit_code == 0
    sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    assert "reuse-index" in _refused(tmp_path, db)


def test_scan_db_refuses_a_text_file_and_a_foreign_sqlite_file(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# notes\n\nkeep me\n", encoding="utf-8")
    _refused(tmp_path, readme)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE people (name TEXT)")
    con.commit()
    con.close()
    assert "another program" in _refused(tmp_path, other)


def test_scan_db_refuses_an_older_report_schema(tmp_path):
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("kind", "reuse-report"), ("schema_version", "1")])
    con.commit()
    con.close()
    before = old.read_bytes()
    res = CliRunner().invoke(main, ["scan", str(SEEDS), "--out", str(tmp_path / "o"), "--db", str(old), "-q"])
    assert res.exit_code == 2 and "schema version 1" in res.stderr and res.stderr.count("\n") == 1
    assert old.read_bytes() == before


def test_scan_db_gets_the_mode_of_other_outputs(tmp_path):
    (tmp_path / "in").mkdir()
    for k in (1, 2):
        (tmp_path / "in" / f"{k}.txt").write_text(article(k, COPIED), encoding="utf-8")
    old = os.umask(0o022)
    try:
        res = CliRunner().invoke(main, ["scan", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                                        "--db", str(tmp_path / "o" / "r.db"), "-q"])
    finally:
        os.umask(old)
    assert res.exit_code == 0, res.output
    mode = stat.S_IMODE((tmp_path / "o" / "r.db").stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "o" / "pairs.jsonl").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "o" / "r.metadata.json").stat().st_mode) == 0o644
