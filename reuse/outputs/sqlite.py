"""``reuse scan --db FILE``: the scan's results as a SQLite database dashboards can read.

The file is built under a temporary name beside the target, in one transaction, then renamed
over it: a dashboard reading the old file keeps a consistent view, and a crash never leaves a
half-written database at the target path. Each scan replaces the file; ``runs`` holds that scan's
parameters, version and time (one row). Column descriptions live in :data:`TABLES` and are
written beside the database as a Datasette metadata file (``reuse.db`` -> ``reuse.metadata.json``).
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reuse.index.schema import REPORT_DDL, REPORT_KIND, REPORT_SCHEMA_VERSION, StoreError, connect, transaction
from reuse.model import Results
from reuse.version import __version__

TABLES: dict[str, dict[str, Any]] = {
    "runs": {
        "description": "The scan that wrote this database (one row): when, which version, which settings.",
        "columns": {
            "id": "Run number.", "started_at": "UTC time the scan started (ISO 8601).",
            "finished_at": "UTC time the database was written.", "reuse_version": "reuse version that ran the scan.",
            "schema_version": "Version of this database schema.", "hash_scheme": "MinHash permutation scheme (datasketch affine32).",
            "n_documents": "Documents scanned.", "n_pairs": "Rows in pairs.", "n_passages": "Rows in passages.",
            "n_clusters": "Rows in clusters.", "n_skipped": "Rows in skipped.",
            "config": "All settings of the scan as JSON.", "stats": "Counts and stage timings as JSON.",
        },
    },
    "documents": {
        "description": "Every document scanned, with its text exactly as read (offsets index it). Full-text search on title and text.",
        "columns": {
            "id": "Document id: path relative to the scanned folder, or the id field of a JSONL/CSV record.",
            "title": "Title (from the record, or the HTML <title>).", "source": "Outlet or source the document came from.",
            "url": "URL from the record.", "date": "Date from the record, as given.",
            "origin": "File (and line/row) it was read from.", "n_chars": "Length of text in characters.",
            "meta": "Other record fields as JSON.", "text": "The text as read; passages give [start, end) offsets into it.",
        },
    },
    "pairs": {
        "description": "Document pairs that share text, one row per pair, doc_a before doc_b in input order.",
        "columns": {
            "id": "Pair number.", "doc_a": "First document (documents.id).", "doc_b": "Second document (documents.id).",
            "score": "Headline score in [0, 1]: share of the more-reused side covered by passages, weighted by passage similarity, plus a small topical term.",
            "tfidf_cosine": "TF-IDF cosine of the two texts (content words).",
            "jaccard": "Exact Jaccard of the two shingle sets.",
            "containment_a": "Share of doc_a's shingles found in doc_b.", "containment_b": "Share of doc_b's shingles found in doc_a.",
            "n_passages": "Aligned passages (rows in passages).",
            "coverage_a": "Share of doc_a's word characters inside passages.", "coverage_b": "Share of doc_b's word characters inside passages.",
            "kinds": "JSON list of passage kinds present (verbatim, fuzzy, paraphrase).",
            "top_terms": "JSON list of the terms contributing most to the cosine.",
        },
    },
    "passages": {
        "description": "Aligned shared passages with exact character offsets: text_a = documents.text[a_start:a_end] of doc_a.",
        "columns": {
            "id": "Passage number.", "pair_id": "The pair it belongs to (pairs.id).",
            "doc_a": "Document A (documents.id).", "a_start": "Start offset in doc_a's text (characters).",
            "a_end": "End offset in doc_a's text (exclusive).", "doc_b": "Document B (documents.id).",
            "b_start": "Start offset in doc_b's text.", "b_end": "End offset in doc_b's text (exclusive).",
            "kind": "verbatim (one exact run), fuzzy (runs joined across small edits) or paraphrase.",
            "score": "Similarity of the two sides in [0, 1]; 1.0 for verbatim.",
            "text_a": "The passage as it reads in doc_a.", "text_b": "The passage as it reads in doc_b.",
            "matched_words": "Words matched exactly (the smaller side).", "shared_terms": "JSON list of shared content words (paraphrases).",
        },
    },
    "clusters": {
        "description": "Talking points: overlapping passages joined across two or more documents.",
        "columns": {
            "id": "Cluster number.", "label": "Its most representative sentence.",
            "n_members": "Passages in the cluster (rows in cluster_members).", "n_sources": "Distinct sources.",
            "sources": "JSON list of distinct sources (document id when a document has none).",
            "first_seen": "Earliest member date, when dates are known.", "last_seen": "Latest member date.",
            "kinds": "JSON list of passage kinds in the cluster.", "shared_terms": "JSON list of terms the members share.",
        },
    },
    "cluster_members": {
        "description": "One document's passage inside a talking-point cluster.",
        "columns": {
            "cluster_id": "The cluster (clusters.id).", "doc": "The document (documents.id).",
            "start": "Start offset in the document's text.", "end": "End offset (exclusive).",
            "text": "The passage text.", "source": "The document's source.", "date": "The document's date.",
        },
    },
    "skipped": {
        "description": "Every input that was not processed, and why.",
        "columns": {"id": "Row number.", "source": "File, or file:line / file:row.", "doc_id": "Document id when known.",
                    "reason": "Why it was skipped."},
    },
    "top_pairs": {"description": "View: pairs best first, with both documents' titles and sources."},
    "source_reuse": {"description": "View: per (source_a, source_b): pairs sharing passages, passages, mean and max score."},
    "document_reuse": {"description": "View: per document: partners it shares passages with, passages, best score."},
    "passage_details": {"description": "View: passages with both documents' titles and sources, longest first."},
}


def metadata_path(db_path: str | Path) -> Path:
    """Where the Datasette metadata of ``db_path`` is written: ``reuse.db`` -> ``reuse.metadata.json``."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.metadata.json")


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette ``metadata.json`` content: titles, table and column descriptions, FTS, default sorts."""
    tables = json.loads(json.dumps(TABLES))
    tables["documents"]["fts_table"] = "documents_fts"
    tables["pairs"]["sort_desc"] = "score"
    tables["passages"]["sort_desc"] = "matched_words"
    tables["documents_fts"] = {"hidden": True}
    return {
        "title": "reuse: shared text between documents",
        "description": "Pairs of documents that share text, the passages they share (exact offsets), talking-point "
                       "clusters and skipped inputs. Start with top_pairs, source_reuse or document_reuse.",
        "databases": {Path(db_path).stem: {"tables": tables}},
    }


def write_report_db(results: Results, path: str | Path, *, started_at: str | None = None) -> tuple[Path, Path]:
    """Write ``results`` to a new SQLite database at ``path`` (replacing it) plus its metadata file."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise StoreError(f"{path}: is a folder; --db takes a database file name such as reuse.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = connect(tmp)
        try:
            with transaction(con):
                _fill(con, results, started_at or _now())
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
    meta = metadata_path(path)
    meta_tmp = meta.with_name(f".{meta.name}.tmp")
    meta_tmp.write_text(json.dumps(datasette_metadata(path), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(meta_tmp, meta)
    return path, meta


def _fill(con: Any, r: Results, started_at: str) -> None:
    for stmt in _statements(REPORT_DDL):
        con.execute(stmt)
    con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
        ("kind", REPORT_KIND), ("schema_version", str(REPORT_SCHEMA_VERSION)), ("reuse_version", __version__),
    ])
    con.execute(
        "INSERT INTO runs (id, started_at, finished_at, reuse_version, schema_version, hash_scheme, n_documents,"
        " n_pairs, n_passages, n_clusters, n_skipped, config, stats) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (started_at, _now(), __version__, REPORT_SCHEMA_VERSION, r.config.get("hash_scheme"), len(r.documents),
         len(r.pairs), len(r.passages), len(r.clusters), len(r.skipped),
         json.dumps(r.config, sort_keys=True, default=str), json.dumps(r.stats, sort_keys=True, default=str)),
    )
    con.executemany(
        "INSERT INTO documents (id, title, source, url, date, origin, n_chars, meta, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((d.id, d.title, d.source, d.url, d.date, d.origin, len(d.text),
          json.dumps(d.meta, ensure_ascii=False, default=str) if d.meta else None, d.text) for d in r.documents),
    )
    con.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
    pair_ids: dict[tuple[str, str], int] = {}
    for n, p in enumerate(r.pairs, start=1):
        rec = p.to_record()
        pair_ids[(p.doc_a, p.doc_b)] = n
        con.execute(
            "INSERT INTO pairs (id, doc_a, doc_b, score, tfidf_cosine, jaccard, containment_a, containment_b,"
            " n_passages, coverage_a, coverage_b, kinds, top_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (n, p.doc_a, p.doc_b, rec["score"], rec["tfidf_cosine"], rec["jaccard"], rec["containment_a"],
             rec["containment_b"], p.n_passages, rec["coverage_a"], rec["coverage_b"],
             json.dumps(rec["kinds"]), json.dumps(rec["top_terms"], ensure_ascii=False)),
        )
    rows = []
    for s in r.passages:
        pid = pair_ids.get((s.doc_a, s.doc_b))
        if pid is None:
            raise StoreError(f"passage of {s.doc_a} and {s.doc_b} has no pair row; results are inconsistent")
        rec = s.to_record()
        rows.append((pid, s.doc_a, s.a_start, s.a_end, s.doc_b, s.b_start, s.b_end, s.kind, rec["score"],
                     s.text_a, s.text_b, s.matched_words, json.dumps(rec["shared_terms"], ensure_ascii=False)))
    con.executemany(
        "INSERT INTO passages (pair_id, doc_a, a_start, a_end, doc_b, b_start, b_end, kind, score, text_a, text_b,"
        " matched_words, shared_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    for c in r.clusters:
        con.execute(
            "INSERT INTO clusters (id, label, n_members, n_sources, sources, first_seen, last_seen, kinds, shared_terms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.id, c.label, len(c.members), len(c.sources), json.dumps(list(c.sources), ensure_ascii=False),
             c.first_seen, c.last_seen, json.dumps(list(c.kinds)), json.dumps(list(c.shared_terms), ensure_ascii=False)),
        )
        con.executemany(
            'INSERT INTO cluster_members (cluster_id, doc, start, "end", text, source, date) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [(c.id, m.doc, m.start, m.end, m.text, m.source, m.date) for m in c.members],
        )
    con.executemany(
        "INSERT INTO skipped (source, doc_id, reason) VALUES (?, ?, ?)", ((s.source, s.id, s.reason) for s in r.skipped)
    )
    bad = con.execute("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise StoreError(f"results refer to unknown documents ({bad[0]}); nothing written")


def _statements(ddl: str) -> Iterable[str]:
    """Split DDL on ';' at line ends (view bodies hold no ';')."""
    return (s.strip() for s in ddl.split(";\n") if s.strip())


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
