"""``reuse scan --db``: tables, foreign keys and their indexes, views, full-text search, Datasette metadata."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from reuse.api import find_reuse
from reuse.cli import main
from reuse.model import Cluster, Corpus, Member
from reuse.outputs.sqlite import metadata_path, write_report_db
from tests.conftest import COPIED, article

TABLE_NAMES = {"meta", "runs", "documents", "pairs", "passages", "clusters", "cluster_members", "skipped"}
VIEW_NAMES = {"top_pairs", "source_reuse", "document_reuse", "passage_details"}


@pytest.fixture
def scanned(tmp_path, seeds_dir):
    db = tmp_path / "out" / "reuse.db"
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path / "out"), "--db", str(db), "-q"])
    assert res.exit_code == 0, res.output
    return db


def test_scan_db_has_every_table_and_view(scanned):
    con = sqlite3.connect(scanned)
    names = {(t, n) for t, n in con.execute("SELECT type, name FROM sqlite_master")}
    assert {("table", n) for n in TABLE_NAMES} <= names and {("view", n) for n in VIEW_NAMES} <= names
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    assert con.execute("SELECT COUNT(*) FROM pairs").fetchone()[0] == 10
    run = con.execute("SELECT reuse_version, schema_version, n_documents, n_pairs, config FROM runs").fetchone()
    assert run[1] == 1 and run[2] == 5 and run[3] == 10 and json.loads(run[4])["shingle_size"] == 5
    for view in VIEW_NAMES:
        assert con.execute(f"SELECT * FROM {view}").fetchall(), view
    top = con.execute("SELECT score FROM top_pairs").fetchall()
    assert [r[0] for r in top] == sorted((r[0] for r in top), reverse=True)


def test_passage_offsets_index_the_stored_text(scanned):
    con = sqlite3.connect(scanned)
    rows = con.execute(
        "SELECT s.text_a, substr(da.text, s.a_start + 1, s.a_end - s.a_start),"
        "       s.text_b, substr(db.text, s.b_start + 1, s.b_end - s.b_start), p.doc_a = s.doc_a AND p.doc_b = s.doc_b"
        " FROM passages s JOIN documents da ON da.id = s.doc_a JOIN documents db ON db.id = s.doc_b"
        " JOIN pairs p ON p.id = s.pair_id").fetchall()
    assert rows and all(r[0] == r[1] and r[2] == r[3] and r[4] for r in rows)


def test_foreign_keys_are_declared_and_indexed(scanned):
    con = sqlite3.connect(scanned)
    expected = {
        "pairs": {("doc_a", "documents"), ("doc_b", "documents")},
        "passages": {("pair_id", "pairs"), ("doc_a", "documents"), ("doc_b", "documents")},
        "cluster_members": {("cluster_id", "clusters"), ("doc", "documents")},
    }
    for table, fks in expected.items():
        declared = {(r[3], r[2]) for r in con.execute(f"PRAGMA foreign_key_list({table})")}
        assert declared == fks, table
        leading = set()
        for idx in con.execute(f"PRAGMA index_list({table})").fetchall():
            cols = con.execute(f"PRAGMA index_info({idx[1]})").fetchall()
            leading.add(cols[0][2])
        assert {col for col, _ in fks} <= leading, f"{table}: foreign key without an index"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_full_text_search_on_title_and_text(scanned):
    con = sqlite3.connect(scanned)
    ids = [r[0] for r in con.execute(
        "SELECT d.id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid WHERE documents_fts MATCH 'albania'")]
    assert ids and all("albania" in con.execute("SELECT lower(text) FROM documents WHERE id = ?", (i,)).fetchone()[0]
                       for i in ids)


def test_datasette_metadata_describes_every_column(scanned):
    meta = json.loads(metadata_path(scanned).read_text(encoding="utf-8"))
    assert metadata_path(scanned).name == "reuse.metadata.json"
    tables = meta["databases"]["reuse"]["tables"]
    con = sqlite3.connect(scanned)
    for table in TABLE_NAMES - {"meta"}:
        columns = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
        assert set(tables[table]["columns"]) == columns, table
        assert all(tables[table]["columns"].values()) and tables[table]["description"]
    assert set(VIEW_NAMES) <= set(tables) and tables["documents"]["fts_table"] == "documents_fts"


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
    # A second write replaces the file whole (no leftovers of the first run).
    results.clusters = []
    write_report_db(results, db)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM clusters").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.db", "r.metadata.json"]


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
