"""``reuse scan --db FILE``: a SQLite database of scans that dashboards can read, one run per scan.

Each scan *appends* a run (``runs``) and its documents, pairs, passages, talking points and skips,
every row keyed by ``run_id``, in one transaction: a dashboard sees the previous runs or all of
the new one, never half of it, and can chart how reuse grows from run to run. The views answer
for the latest run (``*_all_runs`` for every run).

Nothing that is not ours is ever touched: :func:`check_report_db` refuses, with one line, a path
that holds anything but a reuse report database (an index, a README, a foreign SQLite file), and
the CLI calls it before the scan starts. A new database is built under a temporary name and
renamed into place, with the permissions of any other output file (not ``mkstemp``'s 0600).
Column descriptions, facets and canned queries go beside it as Datasette metadata
(:mod:`reuse.outputs.datasette`).
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from reuse import __version__
from reuse.index.schema import REPORT_DDL, REPORT_KIND, REPORT_SCHEMA_VERSION, StoreError, connect, transaction
from reuse.model import Results
from reuse.outputs.datasette import datasette_metadata, metadata_path

__all__ = ["check_report_db", "datasette_metadata", "metadata_path", "write_report_db"]

SQLITE_HEADER = b"SQLite format 3\x00"


def check_report_db(path: str | Path) -> bool:
    """Whether ``path`` is an existing reuse report database we may append to (False: a new file).

    Raises a one-line :class:`StoreError` for anything else at that path: a folder, a file that is
    not SQLite (README.md), a SQLite file of another kind (a ``reuse index``, any other program's
    database) or an older schema. Reads only; the file is never opened for writing here.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder; --db takes a database file name such as reuse.db")
    if not path.exists():
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read it ({exc.strerror or exc}); --db needs a reuse report database") from None
    if not head:
        return False  # an empty file holds nothing to lose: it becomes the database
    refuse = f"{path}: is not a reuse report database"
    if head != SQLITE_HEADER:
        raise StoreError(f"{refuse} (not SQLite); give a new file name, nothing was changed")
    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)  # quoted: "?" stays a name
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            meta = dict(con.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{refuse} ({exc}); give a new file name, nothing was changed") from None
    kind = meta.get("kind")
    if kind != REPORT_KIND:
        what = f"a {kind} database" if kind else "a SQLite database of another program"
        raise StoreError(f"{refuse} but {what}; give a new file name, nothing was changed")
    version = int(meta.get("schema_version", "0"))
    if version != REPORT_SCHEMA_VERSION:
        raise StoreError(
            f"{path}: reuse report schema version {version}, but this reuse writes version {REPORT_SCHEMA_VERSION}; "
            f"give a new file name (reuse {meta.get('reuse_version', '?')} wrote it)"
        )
    return True


def write_report_db(
    results: Results, path: str | Path, *, inputs: Sequence[str] = (), reference: Sequence[str] = (),
    started_at: str | None = None,
) -> tuple[Path, Path]:
    """Append ``results`` as a new run to the report database at ``path`` (created when missing),
    and write its Datasette metadata beside it. Returns both paths."""
    path = Path(path)
    run = {"started_at": started_at or _now(), "inputs": list(map(str, inputs)), "reference": list(map(str, reference))}
    if check_report_db(path):
        con = connect(path)
        try:
            with transaction(con):
                _append_run(con, results, run)
        finally:
            con.close()
    else:
        _create(path, results, run)
    meta = metadata_path(path)
    with _atomic_bytes(meta) as fh:
        fh.write((json.dumps(datasette_metadata(path), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path, meta


def latest_run(path: str | Path) -> int | None:
    """The id of the newest run in a report database (None when it has none)."""
    con = connect(path, readonly=True)
    try:
        return con.execute("SELECT MAX(id) FROM runs").fetchone()[0]
    finally:
        con.close()


def _create(path: Path, results: Results, run: dict[str, Any]) -> None:
    """A new database under a temporary name beside ``path``, renamed over it when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, _file_mode())
        con = connect(tmp)
        try:
            with transaction(con):
                for stmt in _statements(REPORT_DDL):
                    con.execute(stmt)
                con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                    ("kind", REPORT_KIND), ("schema_version", str(REPORT_SCHEMA_VERSION)), ("reuse_version", __version__),
                ])
                _append_run(con, results, run)
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp + suffix)
        os.replace(tmp, path)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(tmp + suffix)
        raise


def _append_run(con: sqlite3.Connection, r: Results, run: dict[str, Any]) -> None:
    """Insert one run and every row of ``r`` keyed by it (inside the caller's transaction)."""
    cur = con.execute(
        "INSERT INTO runs (started_at, finished_at, reuse_version, schema_version, hash_scheme, inputs, reference,"
        " n_documents, n_pairs, n_passages, n_clusters, n_skipped, config, stats)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (run["started_at"], _now(), __version__, REPORT_SCHEMA_VERSION, r.config.get("hash_scheme"),
         json.dumps(run["inputs"], ensure_ascii=False), json.dumps(run["reference"], ensure_ascii=False),
         len(r.documents), len(r.pairs), len(r.passages), len(r.clusters), len(r.skipped),
         json.dumps(r.config, sort_keys=True, default=str), json.dumps(r.stats, sort_keys=True, default=str)),
    )
    run_id = cur.lastrowid
    con.executemany(
        "INSERT INTO documents (run_id, id, title, source, url, date, origin, n_chars, meta, text)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((run_id, d.id, d.title, d.source, d.url, d.date, d.origin, len(d.text),
          json.dumps(d.meta, ensure_ascii=False, default=str) if d.meta else None, d.text) for d in r.documents),
    )
    con.execute("INSERT INTO documents_fts (rowid, title, text) SELECT rowid, title, text FROM documents WHERE run_id = ?",
                (run_id,))
    pair_ids: dict[tuple[str, str], int] = {}
    for p in r.pairs:
        rec = p.to_record()
        cur = con.execute(
            "INSERT INTO pairs (run_id, doc_a, doc_b, score, tfidf_cosine, jaccard, containment_a, containment_b,"
            " n_passages, coverage_a, coverage_b, kinds, top_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, p.doc_a, p.doc_b, rec["score"], rec["tfidf_cosine"], rec["jaccard"], rec["containment_a"],
             rec["containment_b"], p.n_passages, rec["coverage_a"], rec["coverage_b"],
             json.dumps(rec["kinds"]), json.dumps(rec["top_terms"], ensure_ascii=False)),
        )
        pair_ids[(p.doc_a, p.doc_b)] = cur.lastrowid
    rows = []
    for s in r.passages:
        pid = pair_ids.get((s.doc_a, s.doc_b))
        if pid is None:
            raise StoreError(f"passage of {s.doc_a} and {s.doc_b} has no pair row; results are inconsistent")
        rec = s.to_record()
        rows.append((run_id, pid, s.doc_a, s.a_start, s.a_end, s.doc_b, s.b_start, s.b_end, s.kind, rec["score"],
                     s.text_a, s.text_b, s.matched_words, json.dumps(rec["shared_terms"], ensure_ascii=False)))
    con.executemany(
        "INSERT INTO passages (run_id, pair_id, doc_a, a_start, a_end, doc_b, b_start, b_end, kind, score, text_a,"
        " text_b, matched_words, shared_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    for c in r.clusters:
        cur = con.execute(
            "INSERT INTO clusters (run_id, number, label, n_members, n_sources, sources, first_seen, last_seen, kinds,"
            " shared_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, c.id, c.label, len(c.members), len(c.sources), json.dumps(list(c.sources), ensure_ascii=False),
             c.first_seen, c.last_seen, json.dumps(list(c.kinds)), json.dumps(list(c.shared_terms), ensure_ascii=False)),
        )
        con.executemany(
            'INSERT INTO cluster_members (cluster_id, run_id, doc, start, "end", text, source, date)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(cur.lastrowid, run_id, m.doc, m.start, m.end, m.text, m.source, m.date) for m in c.members],
        )
    con.executemany(
        "INSERT INTO skipped (run_id, source, doc_id, reason) VALUES (?, ?, ?, ?)",
        ((run_id, s.source, s.id, s.reason) for s in r.skipped),
    )
    bad = con.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise StoreError(f"results refer to unknown documents ({bad[0]}); nothing written")


@contextlib.contextmanager
def _atomic_bytes(path: Path):  # noqa: ANN202 - a context manager yielding a binary file
    """A temporary file beside ``path`` renamed over it on success, with an ordinary file mode."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode())
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode() -> int:
    """0666 less the umask: the mode ``open()`` would give a new file (0644 under the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _statements(ddl: str) -> Iterable[str]:
    """Split DDL on ';' at line ends (view bodies hold no ';')."""
    return (s.strip() for s in ddl.split(";\n") if s.strip())


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
