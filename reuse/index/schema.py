"""Table definitions, schema versions and the one way both databases are opened.

Every connection: WAL journal (readers never block the writer and see only committed
transactions), ``synchronous=NORMAL`` (a killed process loses at most the transaction in flight,
never consistency), foreign keys on, and a busy timeout so a reader waiting on a checkpoint
retries instead of failing. Transactions are explicit (``isolation_level=None``).

Each database records what it is (``kind``) and its schema version in a ``meta`` table; opening
one of another kind or version is a one-line :class:`StoreError` naming the file.
"""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from reuse.errors import ReuseError

INDEX_KIND = "reuse-index"
REPORT_KIND = "reuse-report"
INDEX_SCHEMA_VERSION = 1
REPORT_SCHEMA_VERSION = 2
CACHE_KIB = int(os.environ.get("REUSE_SQLITE_CACHE_MIB", "1024")) * 1024
"""SQLite page cache per connection in KiB (``REUSE_SQLITE_CACHE_MIB``, default 1 GiB, used lazily)."""


class StoreError(ReuseError):
    """A database file is unusable for what was asked (wrong kind, version or parameters)."""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open ``path`` with the settings every reader and writer uses (see module docstring).

    ``check_same_thread`` is off because an index add writes from one writer thread; a
    connection is still only ever used by one thread at a time.
    """
    path = Path(path)
    try:
        if readonly:
            uri = f"file:{quote(str(path.resolve()))}?mode=ro"  # quoted: '?' or '#' in a name stay a name
            con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
        else:
            con = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        con.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA foreign_keys = ON")
        # Page cache (allocated only as used): an add rewrites band pages spread over the whole
        # table, so a cache that holds the table saves rereading it for every batch.
        con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open as SQLite database: {exc}") from None
    return con


@contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error: all of a batch or none of it."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def read_meta(con: sqlite3.Connection, path: str | Path) -> dict[str, str] | None:
    """The ``meta`` table as a dict; None for an empty (new) database."""
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a SQLite database ({exc})") from None
    if not tables:
        return None
    if "meta" not in tables:
        raise StoreError(f"{path}: not a reuse database (no meta table); give a new file or a reuse index")
    return dict(con.execute("SELECT key, value FROM meta"))


def check_tables(con: sqlite3.Connection, path: str | Path, ddl: str, kind: str) -> None:
    """Refuse a database missing a table its schema creates (dropped by hand, or a damaged file).

    Checked on open, so a damaged index is one line naming what is missing rather than a sqlite
    traceback halfway through a query or a removal.
    """
    expected = re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", ddl)
    have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in expected if t not in have]
    if missing:
        raise StoreError(f"{path}: damaged {kind}: table{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                         f"missing; rebuild it into a new file")


def check_kind_and_version(meta: dict[str, str], path: str | Path, kind: str, version: int) -> None:
    """Refuse a database of another kind or schema version with a message saying what to do."""
    found = meta.get("kind")
    if found != kind:
        raise StoreError(f"{path}: is a {found or 'unknown'} database, not a {kind}; give another file")
    have = int(meta.get("schema_version", "0"))
    if have != version:
        raise StoreError(
            f"{path}: {kind} schema version {have}, but this reuse reads version {version}; "
            f"rebuild it into a new file (reuse {meta.get('reuse_version', '?')} wrote it)"
        )


# --- the query index -------------------------------------------------------------------------
# bands has no FOREIGN KEY on purpose: deleting a document would then scan the whole band table
# for children. Its rows are deleted by recomputing the document's keys instead (see index.py).
INDEX_DDL = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
    doc          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    text         TEXT NOT NULL,
    title        TEXT,
    source       TEXT,
    url          TEXT,
    date         TEXT,
    n_words      INTEGER NOT NULL,
    n_windows    INTEGER NOT NULL,
    signature    BLOB NOT NULL,
    added_at     TEXT NOT NULL
);

CREATE TABLE bands (
    key INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (key, doc)
) WITHOUT ROWID;

CREATE TABLE terms (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;
"""

# --- the scan report database ------------------------------------------------------------------
# Every row belongs to a run (``run_id``): ``scan --db`` appends one run per scan, so a dashboard
# can show how reuse grows. The plain views answer for the latest run; each has an ``*_all_runs``
# twin with a ``run_id`` column. A document's source in the views is the one rule of
# ``reuse.model.source_of``: its ``source``, or its id when it has none.
REPORT_DDL = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NOT NULL,
    reuse_version  TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    hash_scheme    TEXT,
    inputs         TEXT NOT NULL,
    reference      TEXT NOT NULL,
    n_documents    INTEGER NOT NULL,
    n_pairs        INTEGER NOT NULL,
    n_passages     INTEGER NOT NULL,
    n_clusters     INTEGER NOT NULL,
    n_skipped      INTEGER NOT NULL,
    config         TEXT NOT NULL,
    stats          TEXT NOT NULL
);

CREATE TABLE documents (
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    id      TEXT NOT NULL,
    title   TEXT,
    source  TEXT,
    url     TEXT,
    date    TEXT,
    origin  TEXT,
    n_chars INTEGER NOT NULL,
    meta    TEXT,
    text    TEXT NOT NULL,
    PRIMARY KEY (run_id, id)
);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_date ON documents(date);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='rowid'
);

CREATE TABLE pairs (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    doc_a         TEXT NOT NULL,
    doc_b         TEXT NOT NULL,
    score         REAL NOT NULL,
    tfidf_cosine  REAL NOT NULL,
    jaccard       REAL NOT NULL,
    containment_a REAL NOT NULL,
    containment_b REAL NOT NULL,
    n_passages    INTEGER NOT NULL,
    coverage_a    REAL NOT NULL,
    coverage_b    REAL NOT NULL,
    kinds         TEXT NOT NULL,
    top_terms     TEXT NOT NULL,
    UNIQUE (run_id, doc_a, doc_b),
    FOREIGN KEY (run_id, doc_a) REFERENCES documents(run_id, id),
    FOREIGN KEY (run_id, doc_b) REFERENCES documents(run_id, id)
);
CREATE INDEX pairs_doc_b ON pairs(run_id, doc_b);
CREATE INDEX pairs_score ON pairs(run_id, score DESC);

CREATE TABLE passages (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    pair_id       INTEGER NOT NULL REFERENCES pairs(id),
    doc_a         TEXT NOT NULL,
    a_start       INTEGER NOT NULL,
    a_end         INTEGER NOT NULL,
    doc_b         TEXT NOT NULL,
    b_start       INTEGER NOT NULL,
    b_end         INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    score         REAL NOT NULL,
    text_a        TEXT NOT NULL,
    text_b        TEXT NOT NULL,
    matched_words INTEGER NOT NULL,
    shared_terms  TEXT NOT NULL,
    FOREIGN KEY (run_id, doc_a) REFERENCES documents(run_id, id),
    FOREIGN KEY (run_id, doc_b) REFERENCES documents(run_id, id)
);
CREATE INDEX passages_pair ON passages(pair_id);
CREATE INDEX passages_doc_a ON passages(run_id, doc_a);
CREATE INDEX passages_doc_b ON passages(run_id, doc_b);

CREATE TABLE clusters (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id),
    number       INTEGER NOT NULL,
    label        TEXT NOT NULL,
    n_members    INTEGER NOT NULL,
    n_sources    INTEGER NOT NULL,
    sources      TEXT NOT NULL,
    first_seen   TEXT,
    last_seen    TEXT,
    kinds        TEXT NOT NULL,
    shared_terms TEXT NOT NULL,
    UNIQUE (run_id, number)
);

CREATE TABLE cluster_members (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id),
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    doc        TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    source     TEXT,
    date       TEXT,
    FOREIGN KEY (run_id, doc) REFERENCES documents(run_id, id)
);
CREATE INDEX cluster_members_cluster ON cluster_members(cluster_id);
CREATE INDEX cluster_members_doc ON cluster_members(run_id, doc);

CREATE TABLE skipped (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    doc_id TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX skipped_run ON skipped(run_id);

CREATE VIEW top_pairs_all_runs AS
SELECT p.run_id, p.id AS pair_id, p.score, p.doc_a, da.title AS title_a,
       COALESCE(NULLIF(da.source, ''), da.id) AS source_a, da.url AS url_a,
       p.doc_b, db.title AS title_b, COALESCE(NULLIF(db.source, ''), db.id) AS source_b, db.url AS url_b,
       p.n_passages, p.coverage_a, p.coverage_b, p.tfidf_cosine, p.jaccard, p.containment_a, p.containment_b,
       p.kinds, p.top_terms
FROM pairs p
JOIN documents da ON da.run_id = p.run_id AND da.id = p.doc_a
JOIN documents db ON db.run_id = p.run_id AND db.id = p.doc_b
ORDER BY p.run_id DESC, p.score DESC, p.doc_a, p.doc_b;

CREATE VIEW top_pairs AS
SELECT * FROM top_pairs_all_runs WHERE run_id = (SELECT MAX(id) FROM runs);

CREATE VIEW source_reuse_all_runs AS
SELECT p.run_id,
       COALESCE(NULLIF(da.source, ''), da.id) AS source_a,
       COALESCE(NULLIF(db.source, ''), db.id) AS source_b,
       COUNT(*) AS n_pairs,
       SUM(p.n_passages) AS n_passages,
       ROUND(AVG(p.score), 4) AS mean_score,
       ROUND(MAX(p.score), 4) AS max_score
FROM pairs p
JOIN documents da ON da.run_id = p.run_id AND da.id = p.doc_a
JOIN documents db ON db.run_id = p.run_id AND db.id = p.doc_b
WHERE p.n_passages > 0
GROUP BY 1, 2, 3
ORDER BY p.run_id DESC, n_pairs DESC, max_score DESC;

CREATE VIEW source_reuse AS
SELECT * FROM source_reuse_all_runs WHERE run_id = (SELECT MAX(id) FROM runs);

CREATE VIEW document_reuse_all_runs AS
WITH sides AS (
    SELECT run_id, doc_a AS doc, score, n_passages FROM pairs WHERE n_passages > 0
    UNION ALL
    SELECT run_id, doc_b AS doc, score, n_passages FROM pairs WHERE n_passages > 0
)
SELECT d.run_id, d.id AS doc, d.title, COALESCE(NULLIF(d.source, ''), d.id) AS source, d.url, d.date,
       COUNT(s.doc) AS n_partners,
       COALESCE(SUM(s.n_passages), 0) AS n_passages,
       ROUND(MAX(s.score), 4) AS max_score
FROM documents d
LEFT JOIN sides s ON s.run_id = d.run_id AND s.doc = d.id
GROUP BY d.run_id, d.id
ORDER BY d.run_id DESC, n_partners DESC, max_score DESC;

CREATE VIEW document_reuse AS
SELECT * FROM document_reuse_all_runs WHERE run_id = (SELECT MAX(id) FROM runs);

CREATE VIEW passage_details_all_runs AS
SELECT s.run_id, s.id AS passage_id, s.pair_id, s.kind, s.score, s.matched_words,
       s.doc_a, da.title AS title_a, COALESCE(NULLIF(da.source, ''), da.id) AS source_a, da.url AS url_a,
       s.a_start, s.a_end, s.text_a,
       s.doc_b, db.title AS title_b, COALESCE(NULLIF(db.source, ''), db.id) AS source_b, db.url AS url_b,
       s.b_start, s.b_end, s.text_b, s.shared_terms
FROM passages s
JOIN documents da ON da.run_id = s.run_id AND da.id = s.doc_a
JOIN documents db ON db.run_id = s.run_id AND db.id = s.doc_b
ORDER BY s.run_id DESC, s.matched_words DESC;

CREATE VIEW passage_details AS
SELECT * FROM passage_details_all_runs WHERE run_id = (SELECT MAX(id) FROM runs);
"""
