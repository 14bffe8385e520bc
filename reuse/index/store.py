"""The persistent index: add documents once, then ask of any new article "where have we seen this?".

Layout (one SQLite file, see :data:`~reuse.index.schema.INDEX_DDL`):

* ``documents``: id, content hash, the text as read (the aligner needs it to pin passages to
  exact offsets at query time), metadata, and the document's MinHash signature (uint32 bytes).
* ``bands``: ``(key, doc)``, a ``WITHOUT ROWID`` table clustered on the key, so a query is one
  B-tree seek per key. Each key is a band key (:func:`reuse.stages.sketch.band_keys`) salted with its band
  number and kind (document or window) and stored as the int64 holding the same 64 bits. A
  document's keys are deduplicated, so overlapping windows that agree cost one row.
* ``terms``: document frequency of every content word, kept up to date on add and remove, so a
  query's TF-IDF cosine uses the IDF of the whole index (see :func:`tfidf_rows`), not of the
  handful of candidates (an IDF over two or three documents would call every shared word common).

Document bands use the scan's ``(bands, rows)`` for ``doc_threshold``. Window bands use the
scan's rows for ``window_threshold`` but at most :data:`WINDOW_BANDS` bands: the scan's 37 bands
would mean ~1,400 rows per article. With 8 bands of 3 rows one window pair of Jaccard 0.6 is found
with probability 0.87, and a copied passage of two windows or more (~60 words) spans several
window pairs of that similarity, so it is found with probability > 0.98 (measured in
``benchmarks/bench_index.py``).

Every batch of an add is one transaction: a crash leaves whole batches, never half a document.

An add computes with the scan engine's batch kernels (:func:`reuse.stages.batch.signature_batch`)
in its process pool, chunks of :data:`CHUNK` documents per task, while one writer thread commits;
what it stores is what :func:`reuse.stages.pair.prepare` gives one document at query time (tested).
"""
from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from reuse import __version__
from reuse.config import HASH_SCHEME, ReuseConfig
from reuse.engine import local
from reuse.index.codec import blob_to_sig, keys_to_sql, sig_to_blob
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
from reuse.model import Document, Pair, Passage, Skip
from reuse.stages import batch as stages
from reuse.stages.pair import Prepared, prepare, score_pair
from reuse.stages.score import content_words, overlap_from_counts, pair_cosines, shared_count, top_shared_terms
from reuse.stages.sketch import band_keys, lsh_params, sorted_unique
from reuse.text.fast import tokenize_fast
from reuse.text.shingle import fmix64, shingle_hashes
from reuse.text.tokens import tokenize

WINDOW_BANDS = 8
"""Most window bands stored per window (see module docstring for the recall this gives)."""

KEY_FORMAT = 1
"""Version of how tokens, shingles and band keys are computed; bump when any of them changes."""

CONFIG_FIELDS = ("shingle_size", "num_perm", "seed", "window_size", "doc_threshold", "window_threshold")
"""The :class:`ReuseConfig` fields an index is built with (alignment settings stay free per query)."""

CHUNK = 1000
"""Documents per worker task of an add: a transaction's batch is split so that all cores share it."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IndexParams:
    """Everything that makes two indexes' keys comparable; stored in ``meta`` and checked on open."""

    shingle_size: int
    num_perm: int
    seed: int
    hash_scheme: str
    window_size: int
    doc_threshold: float
    window_threshold: float
    doc_bands: int
    doc_rows: int
    window_bands: int
    window_rows: int
    key_format: int

    @classmethod
    def from_config(cls, config: ReuseConfig, window_bands: int | None = None) -> IndexParams:
        """Parameters for ``config``; ``window_bands`` (default :data:`WINDOW_BANDS`) caps window bands."""
        db, dr = lsh_params(config.doc_threshold, config.num_perm)
        wb, wr = lsh_params(config.window_threshold, config.num_perm)
        return cls(
            shingle_size=config.shingle_size, num_perm=config.num_perm, seed=config.seed,
            hash_scheme=HASH_SCHEME, window_size=config.window_size, doc_threshold=config.doc_threshold,
            window_threshold=config.window_threshold, doc_bands=db, doc_rows=dr,
            window_bands=min(wb, window_bands or WINDOW_BANDS), window_rows=wr, key_format=KEY_FORMAT,
        )


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
        self.skipped += other.skipped
        self.skips.extend(other.skips)

    def to_record(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped}


@dataclass(frozen=True)
class QueryHit:
    """One indexed document sharing passages with the query (the query is ``pair.doc_a``)."""

    pair: Pair
    passages: list[Passage]
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None

    def to_record(self) -> dict[str, Any]:
        rec = self.pair.to_record()
        rec.update(title_b=self.title, source_b=self.source, url_b=self.url, date_b=self.date)
        rec["passages"] = [p.to_record() for p in self.passages]
        return rec


def content_hash(doc: Document) -> str:
    """What "unchanged" means: same text and metadata (sha256 of a canonical JSON)."""
    payload = json.dumps([doc.text, doc.title, doc.source, doc.url, doc.date], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _salts(offset: int, n: int) -> np.ndarray:
    """One random 64-bit constant per band, XORed into its keys so that bands never share a key.

    Band keys are already avalanched (fmix64), so XOR with distinct constants keeps them uniform.
    """
    salts = fmix64(np.arange(offset + 1, offset + n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    salts.setflags(write=False)  # cached and shared by every caller: an in-place edit would change every key
    return salts


def band_rows(doc_sigs: np.ndarray, has_shingles: np.ndarray, window_sigs: np.ndarray,
              window_offsets: np.ndarray, params: IndexParams) -> np.ndarray:
    """Distinct ``(key, k)`` rows (int64, sorted by key) for the document and window bands of a batch.

    ``k`` is the document's position in the batch. One vectorised pass for a whole batch
    (per-document numpy calls would cost more than the hashing). Documents without a shingle
    (too short) get no rows: their all-``EMPTY`` signatures would collide with every other short
    document.
    """
    keep = np.flatnonzero(has_shingles)
    if not len(keep):
        return np.empty((0, 2), dtype=np.int64)
    n_win = np.diff(window_offsets)
    with np.errstate(over="ignore"):
        dk = band_keys(doc_sigs[keep], bands=params.doc_bands, rows=params.doc_rows) ^ _salts(0, params.doc_bands)[None, :]
        wk = band_keys(window_sigs, bands=params.window_bands, rows=params.window_rows) ^ _salts(1 << 16, params.window_bands)[None, :]
    keys = np.concatenate((keys_to_sql(dk.ravel()), keys_to_sql(wk.ravel())))
    docs = np.concatenate((np.repeat(keep.astype(np.int64), params.doc_bands),
                           np.repeat(np.repeat(np.arange(len(n_win), dtype=np.int64), n_win), params.window_bands)))
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    return np.stack((keys[first], docs[first]), axis=1)


def document_keys(p: Prepared, params: IndexParams) -> np.ndarray:
    """The distinct band keys (as SQLite int64) of one prepared document: document + window bands."""
    return band_rows(p.doc_sig[None, :], np.array([len(p.shingles) > 0]), p.window_sigs,
                     np.array([0, len(p.window_sigs)]), params)[:, 0]


def _terms(p: Prepared) -> set[str]:
    return set(content_words(p.tokens.norms))


@dataclass(frozen=True)
class _Chunk:
    """What a worker computes for a chunk of documents (plain arrays: cheap to send between processes).

    ``rows`` holds ``(key, k)``, ``k`` the document's position in the chunk. Terms are a CSR
    table: document ``k``'s distinct content words are ``vocab[term_idx[term_off[k]:term_off[k + 1]]]``.
    """

    doc_sigs: np.ndarray
    n_words: np.ndarray
    n_windows: np.ndarray
    rows: np.ndarray
    vocab: list[str]
    term_off: np.ndarray
    term_idx: np.ndarray

    def document_frequencies(self, keep: np.ndarray) -> dict[str, int]:
        """How many of the kept documents hold each content word."""
        owner = np.repeat(np.arange(len(self.n_words)), np.diff(self.term_off))
        hits = np.bincount(self.term_idx[keep[owner]], minlength=len(self.vocab))
        return {self.vocab[i]: int(hits[i]) for i in np.flatnonzero(hits).tolist()}


def compute_chunk(texts: Sequence[str], config: ReuseConfig, params: IndexParams) -> _Chunk:
    """Signatures, band rows and content words of a chunk of texts (a pure function: the pool's task)."""
    sig = stages.signature_batch(texts, config)
    rows = band_rows(sig.doc_sigs, sig.has_shingles, sig.window_sigs, sig.window_offsets, params)
    vocab, term_off, term_idx = _content_terms(texts, sig.token_ids, sig.token_offsets)
    return _Chunk(sig.doc_sigs, sig.n_tokens, np.diff(sig.window_offsets), rows, vocab, term_off, term_idx)


_TERM_OF: dict[int, str | None] = {}
"""Per process: token id -> its normalised word when a content word, else None (a cache)."""
_TERM_CACHE_MAX = 1_000_000


def _content_terms(texts: Sequence[str], ids: np.ndarray, offsets: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Each document's distinct content words (:func:`reuse.stages.score.content_words`) as a CSR table.

    Worked out on token ids (one sort for the chunk), not on strings per document: a word's id
    is a function of its normalised form, so "distinct ids" are "distinct words" (up to a 64-bit
    hash collision). Only ids this process has not seen yet are turned back into words, from one
    occurrence each (``normalize`` of that token's span, as ``tokenize`` does).
    """
    n = len(texts)
    uniq, first, inv = np.unique(ids, return_index=True, return_inverse=True)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    pairs = sorted_unique(owner * max(len(uniq), 1) + inv.ravel())  # distinct (document, word), by document
    d_own, d_col = np.divmod(pairs, max(len(uniq), 1))
    if len(_TERM_OF) > _TERM_CACHE_MAX:
        _TERM_OF.clear()
    unseen = [k for k, t in enumerate(uniq.tolist()) if t not in _TERM_OF]
    if unseen:
        at = first[unseen]
        doc = np.searchsorted(offsets, at, side="right") - 1
        for d in np.unique(doc).tolist():
            mine = np.flatnonzero(doc == d)
            norms = tokenize_fast(texts[d], lazy_norms=True).norms  # == tokenize(text).norms, tested
            for k, pos in zip(mine.tolist(), (at[mine] - offsets[d]).tolist()):
                word = norms[pos]
                _TERM_OF[int(uniq[unseen[k]])] = word if content_words([word]) else None
    words = [_TERM_OF[t] for t in uniq.tolist()]
    is_term = np.fromiter((w is not None for w in words), dtype=bool, count=len(words))
    col = np.cumsum(is_term) - 1  # position of each content id in vocab
    keep = is_term[d_col]
    term_off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(d_own[keep], minlength=n), out=term_off[1:])
    return [w for w in words if w is not None], term_off, col[d_col[keep]].astype(np.int64)


def tfidf_rows(token_lists: Sequence[Sequence[str]], df: dict[str, int], n_docs: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows exactly as :func:`reuse.stages.score.tfidf_matrix` computes them, with given document frequencies.

    sublinear tf (``1 + ln tf``), smoothed idf ``ln((1 + n) / (1 + df)) + 1``, L2-normalised rows,
    over the same content words. ``df``/``n_docs`` describe the index plus the query, so a query's
    cosine with an indexed document is what a scan of index + query would report.
    """
    counts = [Counter(content_words(t)) for t in token_lists]
    vocab = sorted(set().union(*counts)) if counts else []
    col = {t: k for k, t in enumerate(vocab)}
    idf = np.array([math.log((1 + n_docs) / (1 + df.get(t, 1))) + 1.0 for t in vocab], dtype=np.float64)
    indptr, indices, data = [0], [], []
    for c in counts:
        cols = np.fromiter((col[t] for t in c), dtype=np.int64, count=len(c))
        vals = (1.0 + np.log(np.fromiter(c.values(), dtype=np.float64, count=len(c)))) * idf[cols]
        norm = float(np.sqrt((vals**2).sum())) or 1.0
        indices.extend(cols.tolist())
        data.extend((vals / norm).tolist())
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(token_lists), len(vocab)),
    )
    return matrix, np.array(vocab, dtype=object)


class Index:
    """A reuse index in one SQLite file. Use as a context manager, or call :meth:`close`.

    ``config`` None opens an existing index with the settings it was built with; a config whose
    index parameters differ from the stored ones is refused (:class:`StoreError`), never mixed.
    ``window_bands`` (new index: default :data:`WINDOW_BANDS`; existing: the stored value) trades
    index size and add time for recall of passages shorter than two windows.
    """

    def __init__(self, path: str | Path, config: ReuseConfig | None = None, *, readonly: bool = False,
                 window_bands: int | None = None) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such index; create it with `reuse index add PATH --db {self.path}`")
        self.con = connect(self.path, readonly=readonly)
        try:
            meta = read_meta(self.con, self.path)
            if meta is None:
                if readonly:
                    raise StoreError(f"{self.path}: empty file, not a reuse index")
                self.config = config or ReuseConfig()
                self.params = IndexParams.from_config(self.config, window_bands)
                self._create()
            else:
                check_kind_and_version(meta, self.path, INDEX_KIND, INDEX_SCHEMA_VERSION)
                check_tables(self.con, self.path, INDEX_DDL, "index")
                stored = IndexParams(**json.loads(meta["params"]))
                self.config = config or ReuseConfig(**{k: getattr(stored, k) for k in CONFIG_FIELDS})
                self.params = IndexParams.from_config(self.config, window_bands or stored.window_bands)
                if self.params != stored:
                    raise StoreError(_mismatch(self.path, stored, self.params))
        except BaseException:
            self.con.close()
            raise

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
        compute signatures, band keys and terms of batch ``k+1`` in chunks of :data:`CHUNK` while
        one writer thread commits batch ``k`` (SQLite releases the GIL while it updates its
        B-trees). At most two batches are in flight, so reading never runs far ahead. Batches
        commit in order, each in its own transaction; ``jobs`` and ``batch_size`` change speed,
        never what is stored (tested).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        jobs = local.default_jobs() if jobs is None else max(1, int(jobs))
        counts = IndexCounts()
        reader = connect(self.path, readonly=True)  # sees committed rows only: pre-filters unchanged docs
        done = 0
        try:
            with local.executor(jobs) as pool, \
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix="reuse-index-writer") as writer:
                writing: deque[Future[IndexCounts]] = deque()
                for batch in _batches(items, batch_size, counts):
                    docs, hashes = self._changed(batch, reader, counts)
                    chunks = [pool.submit(compute_chunk, [d.text for d in docs[s : s + CHUNK]], self.config, self.params)
                              for s in range(0, len(docs), CHUNK)]
                    writing.append(writer.submit(self._write, docs, hashes, chunks))
                    if len(writing) >= 2:  # at most one batch computing ahead of the one being written
                        counts.merge(writing.popleft().result())
                    done += len(batch)
                    if progress:
                        progress("index", done, done)
                while writing:
                    counts.merge(writing.popleft().result())
        finally:
            reader.close()
            _TERM_OF.clear()  # with jobs=1 the cache lives in this process: do not keep it after the add
        return counts

    def _changed(self, docs: list[Document], reader: sqlite3.Connection, counts: IndexCounts) -> tuple[list[Document], list[str]]:
        """The documents of a batch that are new or changed (by content hash), and their hashes."""
        hashes = [content_hash(d) for d in docs]
        known = _existing(reader, [d.id for d in docs])
        todo = [(d, h) for d, h in zip(docs, hashes) if known.get(d.id, (0, None))[1] != h]
        counts.unchanged += len(docs) - len(todo)
        return [d for d, _ in todo], [h for _, h in todo]

    def _write(self, docs: list[Document], hashes: list[str], chunks: Sequence[Future[_Chunk]]) -> IndexCounts:
        """Commit one batch in one transaction (the writer thread's only job).

        Chunks are written as their workers finish them, in order, so the writer starts on a
        batch as soon as its first chunk is ready; the transaction still holds the whole batch.
        """
        counts = IndexCounts()
        first = chunks[0].result() if chunks else None  # computed before the write lock is taken
        with transaction(self.con) as con:
            # Checked again under the write lock: another process may have written since _changed.
            existing = _existing(con, [d.id for d in docs])
            df_delta: Counter[str] = Counter()
            now = _now()
            base = 0
            for c in (first, *(f.result() for f in chunks[1:])) if first is not None else ():
                n = len(c.n_words)
                rowids = np.zeros(n, dtype=np.int64)
                keep = np.zeros(n, dtype=bool)
                for k in range(n):
                    doc, h = docs[base + k], hashes[base + k]
                    old = existing.get(doc.id)
                    if old is not None and old[1] == h:
                        counts.unchanged += 1
                        continue
                    values = (doc.id, h, doc.text, doc.title, doc.source, doc.url, doc.date, int(c.n_words[k]),
                              int(c.n_windows[k]), sig_to_blob(c.doc_sigs[k]), now)
                    if old is None:
                        cur = con.execute(
                            "INSERT INTO documents (id, content_hash, text, title, source, url, date, n_words,"
                            " n_windows, signature, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
                        rowids[k] = int(cur.lastrowid)
                        counts.added += 1
                    else:
                        rowids[k] = old[0]
                        df_delta.subtract(self._forget(old[0]))
                        con.execute(
                            "UPDATE documents SET id = ?, content_hash = ?, text = ?, title = ?, source = ?, url = ?,"
                            " date = ?, n_words = ?, n_windows = ?, signature = ?, added_at = ? WHERE doc = ?",
                            (*values, old[0]))
                        counts.updated += 1
                    keep[k] = True
                df_delta.update(c.document_frequencies(keep))
                rows = c.rows[keep[c.rows[:, 1]]] if len(c.rows) else c.rows
                if len(rows):  # in key order: the B-tree is written front to back, not at random
                    con.executemany("INSERT OR IGNORE INTO bands (key, doc) VALUES (?, ?)",
                                    zip(rows[:, 0].tolist(), rowids[rows[:, 1]].tolist()))
                base += n
            self._apply_df(df_delta)
            if counts.added:
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'n_documents'",
                            (counts.added,))
        return counts

    def _forget(self, rowid: int) -> set[str]:
        """Delete a document's band rows (recomputed from its stored text); return its terms."""
        row = self.con.execute(
            "SELECT id, text, title, source, url, date FROM documents WHERE doc = ?", (rowid,)
        ).fetchone()
        old = Document(id=row[0], text=row[1], title=row[2], source=row[3], url=row[4], date=row[5])
        p = prepare(old, self.config)
        keys = document_keys(p, self.params)
        self.con.executemany("DELETE FROM bands WHERE key = ? AND doc = ?", [(int(k), rowid) for k in keys])
        return _terms(p)

    def _apply_df(self, delta: Counter[str]) -> None:
        up = sorted((t, n) for t, n in delta.items() if n > 0)
        down = sorted((t, -n) for t, n in delta.items() if n < 0)
        if up:
            self.con.executemany(
                "INSERT INTO terms (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df", up)
        if down:
            self.con.executemany("UPDATE terms SET df = df - ? WHERE term = ?", [(n, t) for t, n in down])
            self.con.executemany("DELETE FROM terms WHERE term = ? AND df <= 0", [(t,) for t, _ in down])

    def remove(self, ids: Iterable[str]) -> tuple[int, list[str]]:
        """Remove documents by id in one transaction; returns ``(removed, ids not in the index)``."""
        ids = list(dict.fromkeys(ids))
        with transaction(self.con) as con:
            existing = _existing(self.con, ids)
            delta: Counter[str] = Counter()
            for doc_id in ids:
                if doc_id in existing:
                    rowid = existing[doc_id][0]
                    delta.subtract(self._forget(rowid))
                    con.execute("DELETE FROM documents WHERE doc = ?", (rowid,))
            self._apply_df(delta)
            if existing:
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) - ? WHERE key = 'n_documents'",
                            (len(existing),))
        return len(existing), [i for i in ids if i not in existing]

    # --- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.con.execute("SELECT value FROM meta WHERE key = 'n_documents'").fetchone()[0])

    def ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM documents ORDER BY doc")]

    def query(self, doc: Document, *, top: int = 10, max_candidates: int = 50) -> list[QueryHit]:
        """Indexed documents sharing passages with ``doc``, best first (at most ``top``).

        Candidates come from the band table only (document and window keys; keys shared by more
        than ``config.max_bucket`` documents are boilerplate and ignored); the ``max_candidates``
        sharing most keys are verified on exact shingle overlap and aligned with the same
        :func:`reuse.stages.pair.score_pair` a scan uses. Reads one consistent snapshot, so a
        concurrent ``add`` is either wholly visible or not at all.
        """
        qp = prepare(doc, self.config)
        keys = document_keys(qp, self.params)
        if len(qp.shingles) == 0:
            return []
        self.con.execute("BEGIN")
        try:
            hits: Counter[int] = Counter()
            limit = self.config.max_bucket + 1
            for key in keys.tolist():
                owners = self.con.execute("SELECT doc FROM bands WHERE key = ? LIMIT ?", (key, limit)).fetchall()
                if len(owners) < limit:
                    hits.update(r[0] for r in owners)
            chosen = [d for d, _ in hits.most_common(max_candidates)]
            if len(self) <= max_candidates:
                # A tiny index is checked whole, as a scan of a small corpus scores every pair:
                # passages shorter than a window (which LSH can miss) are still found.
                rest = [r[0] for r in self.con.execute("SELECT doc FROM documents ORDER BY doc")]
                chosen += [d for d in rest if d not in hits]
            rows = self._documents(chosen)
            qhash = content_hash(doc)
            cands: list[tuple[Document, Prepared, tuple[int, int, int]]] = []
            for row in rows:
                cand = Document(id=row[1], text=row[3], title=row[4], source=row[5], url=row[6], date=row[7],
                                origin=str(self.path))
                if cand.id == doc.id and row[2] == qhash:
                    continue  # the query is this very document: not a reuse of itself
                tokens = tokenize(cand.text)
                cp = Prepared(tokens, shingle_hashes(tokens.ids, self.config.shingle_size), blob_to_sig(row[8]),
                              np.empty((0, self.config.num_perm), dtype=np.uint32))
                counts = shared_count(qp.shingles, cp.shingles)
                if counts[0] >= self.config.min_shared_shingles:
                    cands.append((cand, cp, counts))
            if not cands:
                return []
            lists = [qp.tokens.norms] + [cp.tokens.norms for _, cp, _ in cands]
            vocab = set().union(*(set(content_words(t)) for t in lists))
            df = self._df(vocab)
            for t in set(content_words(qp.tokens.norms)):
                df[t] = df.get(t, 0) + 1  # the query counts as one more document
            matrix, terms = tfidf_rows(lists, df, len(self) + 1)
        finally:
            self.con.execute("COMMIT")
        cos = pair_cosines(matrix, np.array([[0, k] for k in range(1, len(cands) + 1)], dtype=np.int64))
        found: list[QueryHit] = []
        for k, (cand, cp, counts) in enumerate(cands, start=1):
            pair, passages = score_pair(
                doc, qp, cand, cp, cosine=float(cos[k - 1]), overlap=overlap_from_counts(*counts),
                top_terms=top_shared_terms(matrix, terms, 0, k), config=self.config,
            )
            if pair is not None and passages:
                found.append(QueryHit(pair, passages, cand.title, cand.source, cand.url, cand.date))
        found.sort(key=lambda h: (-h.pair.score, h.pair.doc_b))
        return found[:top]

    def _documents(self, rowids: list[int]) -> list[tuple]:
        rows: list[tuple] = []
        for chunk in _chunks(rowids, 900):
            marks = ",".join("?" * len(chunk))
            rows.extend(self.con.execute(
                f"SELECT doc, id, content_hash, text, title, source, url, date, signature FROM documents"
                f" WHERE doc IN ({marks})", chunk))
        order = {r: k for k, r in enumerate(rowids)}
        return sorted(rows, key=lambda r: order[r[0]])

    def _df(self, vocab: set[str]) -> dict[str, int]:
        df: dict[str, int] = {}
        for chunk in _chunks(sorted(vocab), 900):
            marks = ",".join("?" * len(chunk))
            df.update(self.con.execute(f"SELECT term, df FROM terms WHERE term IN ({marks})", chunk))
        return df


def _batches(items: Iterable[Document | Skip], size: int, counts: IndexCounts) -> Iterator[list[Document]]:
    """Documents in batches of ``size``; skips and repeated ids are counted in ``counts``."""
    seen: dict[str, str] = {}
    batch: list[Document] = []
    for item in items:
        if isinstance(item, Skip):
            counts.skipped += 1
            counts.skips.append(item)
            continue
        if item.id in seen:
            counts.skipped += 1
            counts.skips.append(Skip(item.origin, f"duplicate id {item.id!r} (first seen at {seen[item.id]})", item.id))
            continue
        seen[item.id] = item.origin
        batch.append(item)
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
