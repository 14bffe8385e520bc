"""The persistent index: add documents once, then ask of any new article "where have we seen this?".

The index stores what the stages of a scan need to treat an indexed document as part of the
corpus (one SQLite file, see :data:`~reuse.index.schema.INDEX_DDL`), and nothing of its own:

* ``documents``: id, content hash, the text as read (the aligner pins passages to exact offsets
  in it at query time) and metadata;
* ``bands``: the document's whole-document LSH band keys, salted by band (near-duplicates);
* ``anchors``: its anchors, the sampled shingles of the scan's passage join;
* ``terms``: the document frequency of every token id over the indexed documents, kept up to
  date on add and remove, so a query's TF-IDF uses the IDF a scan of the index would.

``bands`` and ``anchors`` are ``WITHOUT ROWID`` tables clustered on the key, so a query is one
B-tree seek per key. Rows are computed by the scan's sketch stage (:mod:`reuse.index.keys`) in the
engine's process pool, chunks of :data:`CHUNK` documents per task, while one writer thread
commits; every batch of an add is one transaction (a crash leaves whole batches). A query runs
the stages of :mod:`reuse.index.query` over what is stored here.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.engine.local import LocalEngine
from reuse.index.codec import keys_from_sql, keys_to_sql
from reuse.index.keys import CONFIG_FIELDS, IndexParams, IndexRows, content_hash, index_rows
from reuse.index.schema import (
    INDEX_DDL,
    INDEX_KIND,
    INDEX_SCHEMA_VERSION,
    StoreError,
    check_kind_and_version,
    check_tables,
    connect,
    read_meta,
    transaction,
)
from reuse.model import Document, Progress, Skip, unique_documents
from reuse.stages.sketch import merge_counts
from reuse.version import __version__

if TYPE_CHECKING:
    from reuse.index.query import QueryHit

CHUNK = 1000
"""Documents per worker task of an add: a transaction's batch is split so that all cores share it."""


@dataclass
class IndexCounts:
    """What one ``add`` did, document by document."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skips: list[Skip] = field(default_factory=list, repr=False)

    def merge(self, other: IndexCounts) -> None:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged

    def to_record(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": len(self.skips)}


class Index:
    """A reuse index in one SQLite file. Use as a context manager, or call :meth:`close`.

    ``config`` None opens an existing index with the settings it was built with; a config whose
    index parameters differ from the stored ones is refused (:class:`StoreError`), never mixed.
    """

    def __init__(self, path: str | Path, config: ReuseConfig | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such index; create it with `reuse index add PATH --db {self.path}`")
        self.con = connect(self.path, readonly=readonly)
        try:
            self._open(config, readonly)
        except BaseException:
            self.con.close()
            raise

    def _open(self, config: ReuseConfig | None, readonly: bool) -> None:
        meta = read_meta(self.con, self.path)
        if meta is None:
            if readonly:
                raise StoreError(f"{self.path}: empty file, not a reuse index")
            self.config = config or ReuseConfig()
            self.params = IndexParams.from_config(self.config)
            self._create()
            return
        check_kind_and_version(meta, self.path, INDEX_KIND, INDEX_SCHEMA_VERSION)
        check_tables(self.con, self.path, INDEX_DDL, "index")
        stored = IndexParams(**json.loads(meta["params"]))
        self.config = config or ReuseConfig(**{k: getattr(stored, k) for k in CONFIG_FIELDS})
        self.params = IndexParams.from_config(self.config)
        if self.params != stored:
            raise StoreError(_mismatch(self.path, stored, self.params))

    @staticmethod
    def stored_settings(path: str | Path) -> dict[str, Any]:
        """The :class:`ReuseConfig` fields an existing index was built with; ``{}`` when there is none."""
        path = Path(path)
        if not path.exists() or path.stat().st_size == 0:
            return {}
        with Index(path, readonly=True) as idx:
            return {k: getattr(idx.config, k) for k in CONFIG_FIELDS}

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _create(self) -> None:
        with transaction(self.con):
            for stmt in INDEX_DDL.split(";"):
                if stmt.strip():
                    self.con.execute(stmt)
            self.con.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("kind", INDEX_KIND), ("schema_version", str(INDEX_SCHEMA_VERSION)),
                 ("reuse_version", __version__), ("created_at", _now()),
                 ("params", json.dumps(asdict(self.params), sort_keys=True)), ("n_documents", "0")],
            )

    # --- writing -------------------------------------------------------------------------------
    def add(self, items: Iterable[Document | Skip], *, batch_size: int = 5000, progress: Progress | None = None,
            jobs: int | None = None) -> IndexCounts:
        """Add or replace documents, ``batch_size`` per transaction; unchanged ones are not redone.

        ``items`` may stream (e.g. :func:`reuse.io.readers.iter_paths`); a repeated id within one call
        is skipped like :class:`reuse.model.Corpus` does (the first one wins).

        The work is the scan's: ``jobs`` worker processes (``None``: all cores; 1: this process)
        run the sketch stage over chunks of :data:`CHUNK` documents while one writer thread
        commits the batch before (SQLite releases the GIL while it updates its B-trees). Batches
        commit in order, each in its own transaction; ``jobs`` and ``batch_size`` change speed,
        never what is stored (tested).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        counts = IndexCounts()
        reader = connect(self.path, readonly=True)  # sees committed rows only: pre-filters unchanged docs
        batches: deque[tuple[list[Document], list[str], int, int]] = deque()  # docs, hashes, chunks, batch size

        def tasks() -> Iterator[tuple]:
            for batch in _batches(unique_documents(items, counts.skips), batch_size):
                docs, hashes = self._changed(batch, reader, counts)
                starts = range(0, len(docs), CHUNK)
                batches.append((docs, hashes, len(starts), len(batch)))
                for s in starts:
                    yield [d.text for d in docs[s : s + CHUNK]], self.config

        try:
            with LocalEngine(jobs) as engine, ThreadPoolExecutor(1, thread_name_prefix="reuse-index-writer") as writer:
                writing: deque[Future[IndexCounts]] = deque()
                computed: list[IndexRows] = []
                done = 0

                def commit_ready() -> None:  # hand every batch whose chunks are all computed to the writer
                    nonlocal done
                    while batches and len(computed) >= batches[0][2]:
                        docs, hashes, n_chunks, size = batches.popleft()
                        writing.append(writer.submit(self._write, docs, hashes, computed[:n_chunks]))
                        del computed[:n_chunks]
                        if len(writing) > 1:  # at most one batch waits while another is written
                            counts.merge(writing.popleft().result())
                        done += size
                        if progress:
                            progress("index", done, done)

                for rows in engine.map(index_rows, tasks()):
                    computed.append(rows)
                    commit_ready()
                commit_ready()
                while writing:
                    counts.merge(writing.popleft().result())
        finally:
            reader.close()
        counts.skipped = len(counts.skips)
        return counts

    def _changed(self, docs: list[Document], reader: sqlite3.Connection, counts: IndexCounts) -> tuple[list[Document], list[str]]:
        """The documents of a batch that are new or changed (by content hash), and their hashes."""
        hashes = [content_hash(d) for d in docs]
        known = _existing(reader, [d.id for d in docs])
        todo = [(d, h) for d, h in zip(docs, hashes) if known.get(d.id, (0, None))[1] != h]
        counts.unchanged += len(docs) - len(todo)
        return [d for d, _ in todo], [h for _, h in todo]

    def _write(self, docs: list[Document], hashes: list[str], chunks: Sequence[IndexRows]) -> IndexCounts:
        """Commit one batch in one transaction (the writer thread's only job)."""
        counts = IndexCounts()
        with transaction(self.con) as con:
            # Checked again under the write lock: another process may have written since _changed.
            existing = _existing(con, [d.id for d in docs])
            df: list[tuple[np.ndarray, np.ndarray]] = []
            base, now = 0, _now()
            for rows in chunks:
                mine = docs[base : base + len(rows)]
                rowids, keep = self._write_documents(mine, hashes[base : base + len(rows)], rows, existing, counts, df, now)
                for table, keyed in (("bands", rows.bands), ("anchors", rows.anchors)):
                    kept = keyed[keep[keyed[:, 1]]]
                    con.executemany(f"INSERT OR IGNORE INTO {table} (key, doc) VALUES (?, ?)",  # in key order
                                    zip(kept[:, 0].tolist(), rowids[kept[:, 1]].tolist()))
                df.append((rows.terms, rows.term_docs) if keep.all() else _frequencies([d.text for d, k in zip(mine, keep) if k], self.config))
                base += len(rows)
            self._apply_df(df)
            if counts.added:
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'n_documents'",
                            (counts.added,))
        return counts

    def _write_documents(self, docs: list[Document], hashes: list[str], rows: IndexRows,
                         existing: dict[str, tuple[int, str]], counts: IndexCounts,
                         df: list[tuple[np.ndarray, np.ndarray]], now: str) -> tuple[np.ndarray, np.ndarray]:
        """Insert or update the documents of one chunk: ``(row ids, written)`` per document."""
        rowids = np.zeros(len(docs), dtype=np.int64)
        keep = np.zeros(len(docs), dtype=bool)
        for k, (doc, h) in enumerate(zip(docs, hashes)):
            old = existing.get(doc.id)
            if old is not None and old[1] == h:
                counts.unchanged += 1
                continue
            values = (doc.id, h, doc.text, doc.title, doc.source, doc.url, doc.date, int(rows.n_words[k]), now)
            if old is None:
                cur = self.con.execute("INSERT INTO documents (id, content_hash, text, title, source, url, date,"
                                       " n_words, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
                rowids[k] = int(cur.lastrowid)
                counts.added += 1
            else:
                rowids[k] = old[0]
                df.append(self._forget(old[0]))
                self.con.execute("UPDATE documents SET id = ?, content_hash = ?, text = ?, title = ?, source = ?,"
                                 " url = ?, date = ?, n_words = ?, added_at = ? WHERE doc = ?", (*values, old[0]))
                counts.updated += 1
            keep[k] = True
        return rowids, keep

    def _forget(self, rowid: int) -> tuple[np.ndarray, np.ndarray]:
        """Delete a document's band and anchor rows (recomputed from its stored text); return the
        document-frequency change its removal makes (``(token ids, -1 each)``)."""
        (text,) = self.con.execute("SELECT text FROM documents WHERE doc = ?", (rowid,)).fetchone()
        rows = index_rows([text], self.config)
        for table, keyed in (("bands", rows.bands), ("anchors", rows.anchors)):
            self.con.executemany(f"DELETE FROM {table} WHERE key = ? AND doc = ?", [(int(k), rowid) for k in keyed[:, 0]])
        return rows.terms, -rows.term_docs

    def _apply_df(self, parts: list[tuple[np.ndarray, np.ndarray]]) -> None:
        ids, delta = merge_counts(parts)
        ids = keys_to_sql(ids)
        up, down = delta > 0, delta < 0
        self.con.executemany("INSERT INTO terms (id, df) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET df = df + excluded.df",
                             zip(ids[up].tolist(), delta[up].tolist()))
        self.con.executemany("UPDATE terms SET df = df + ? WHERE id = ?", zip(delta[down].tolist(), ids[down].tolist()))
        self.con.executemany("DELETE FROM terms WHERE id = ? AND df <= 0", ((i,) for i in ids[down].tolist()))

    def remove(self, ids: Iterable[str]) -> tuple[int, list[str]]:
        """Remove documents by id in one transaction; returns ``(removed, ids not in the index)``."""
        ids = list(dict.fromkeys(ids))
        with transaction(self.con) as con:
            existing = _existing(self.con, ids)
            df = []
            for doc_id in ids:
                if doc_id in existing:
                    rowid = existing[doc_id][0]
                    df.append(self._forget(rowid))
                    con.execute("DELETE FROM documents WHERE doc = ?", (rowid,))
            self._apply_df(df)
            if existing:
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) - ? WHERE key = 'n_documents'",
                            (len(existing),))
        return len(existing), [i for i in ids if i not in existing]

    # --- reading: what the query stages ask for -------------------------------------------------
    def __len__(self) -> int:
        return int(self.con.execute("SELECT value FROM meta WHERE key = 'n_documents'").fetchone()[0])

    def ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM documents ORDER BY doc")]

    @contextmanager
    def snapshot(self) -> Iterator[Index]:
        """Reads inside see one consistent state: a concurrent ``add`` is wholly visible or not at all."""
        self.con.execute("BEGIN")
        try:
            yield self
        finally:
            self.con.execute("COMMIT")

    def owners(self, table: str, keys: np.ndarray, limit: int) -> dict[int, list[int]]:
        """Row ids of the documents holding each key of ``bands`` or ``anchors``, for the keys held
        by at most ``limit`` documents (more: boilerplate, left out)."""
        assert table in ("bands", "anchors")
        found: dict[int, list[int]] = {}
        for key in keys.tolist():
            docs = [r[0] for r in self.con.execute(f"SELECT doc FROM {table} WHERE key = ? LIMIT ?", (key, limit + 1))]
            if len(docs) <= limit:
                found[key] = docs
        return found

    def document_frequencies(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(token ids, documents holding each)`` for the given ids found in the index, sorted by id."""
        found: list[tuple[int, int]] = []
        for chunk in _chunks(keys_to_sql(np.unique(ids)).tolist(), 900):
            found.extend(self.con.execute(f"SELECT id, df FROM terms WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        terms = keys_from_sql([t for t, _ in found])
        order = np.argsort(terms)
        return terms[order], np.array([d for _, d in found], dtype=np.int64)[order]

    def rowids(self) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT doc FROM documents ORDER BY doc")]

    def documents(self, rowids: Sequence[int]) -> list[tuple[int, str, Document]]:
        """``(row id, content hash, document)`` of the given row ids, in row-id order (the order added)."""
        rows: list[tuple] = []
        for chunk in _chunks(sorted(rowids), 900):
            rows.extend(self.con.execute(
                "SELECT doc, content_hash, id, text, title, source, url, date FROM documents"
                f" WHERE doc IN ({','.join('?' * len(chunk))}) ORDER BY doc", chunk))
        return [(r[0], r[1], Document(id=r[2], text=r[3], title=r[4], source=r[5], url=r[6], date=r[7],
                                      origin=str(self.path))) for r in rows]

    def query(self, doc: Document, *, top: int = 10, max_candidates: int | None = None) -> list[QueryHit]:
        """Indexed documents sharing passages with ``doc``, best first: :func:`reuse.index.query.query`."""
        from reuse.index.query import query

        return query(self, doc, self.config, top=top, max_candidates=max_candidates)


def _frequencies(texts: list[str], config: ReuseConfig) -> tuple[np.ndarray, np.ndarray]:
    rows = index_rows(texts, config)
    return rows.terms, rows.term_docs


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _existing(con: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[int, str]]:
    """``id -> (row id, content hash)`` of the given ids that are in the index."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(ids, 900):
        marks = ",".join("?" * len(chunk))
        for doc_id, rowid, h in con.execute(f"SELECT id, doc, content_hash FROM documents WHERE id IN ({marks})", chunk):
            found[doc_id] = (int(rowid), h)
    return found


def _mismatch(path: Path, stored: IndexParams, asked: IndexParams) -> str:
    diffs = [f"{f.name}={getattr(stored, f.name)!r} (asked {getattr(asked, f.name)!r})"
             for f in fields(IndexParams) if getattr(stored, f.name) != getattr(asked, f.name)]
    return (f"{path}: index was built with different parameters: {', '.join(diffs)}; "
            f"drop those settings to use the index's own, or build a new index file")


def _chunks(seq: Sequence[Any], n: int) -> Iterable[list[Any]]:
    for k in range(0, len(seq), n):
        yield list(seq[k : k + n])


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
