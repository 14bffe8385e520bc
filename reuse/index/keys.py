"""What the index stores for each document, computed by the scan's own sketch stage.

A document's rows are exactly what :func:`reuse.stages.sketch.sketch_batch` gives a scan: its
whole-document LSH band keys, its anchors (sampled shingles), its token ids for the document
frequencies, and its number of words. So a query meets an indexed document through the very keys
a scan of both would join them on.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reuse.config import HASH_SCHEME, ReuseConfig
from reuse.index.codec import keys_to_sql
from reuse.model import Document
from reuse.stages.minhash import lsh_params
from reuse.stages.sketch import Sketch, sketch_batch
from reuse.text.shingle import GOLDEN64, fmix64

KEY_FORMAT = 2
"""Version of how tokens, shingles, band keys and anchors are computed; bump when any changes."""

CONFIG_FIELDS = ("shingle_size", "num_perm", "seed", "doc_threshold", "anchor_rate")
"""The :class:`ReuseConfig` fields an index is built with (every other setting stays free per query)."""


@dataclass(frozen=True)
class IndexParams:
    """Everything that makes two indexes' keys comparable; stored in ``meta`` and checked on open."""

    shingle_size: int
    num_perm: int
    seed: int
    hash_scheme: str
    doc_threshold: float
    doc_bands: int
    doc_rows: int
    anchor_rate: int
    key_format: int

    @classmethod
    def from_config(cls, config: ReuseConfig) -> IndexParams:
        bands, rows = lsh_params(config.doc_threshold, config.num_perm)
        return cls(shingle_size=config.shingle_size, num_perm=config.num_perm, seed=config.seed,
                   hash_scheme=HASH_SCHEME, doc_threshold=config.doc_threshold, doc_bands=bands, doc_rows=rows,
                   anchor_rate=config.anchor_rate, key_format=KEY_FORMAT)


def content_hash(doc: Document) -> str:
    """What "unchanged" means: same text and metadata (sha256 of a canonical JSON)."""
    payload = json.dumps([doc.text, doc.title, doc.source, doc.url, doc.date], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IndexRows:
    """The rows of a chunk of documents (plain arrays: cheap to send between processes).

    ``bands`` and ``anchors`` hold ``(key, k)`` as SQLite int64, ``k`` the document's position in
    the chunk, distinct and sorted by key; ``terms``/``term_docs`` are the chunk's document
    frequencies (:attr:`reuse.stages.sketch.Sketch.terms`).
    """

    n_words: np.ndarray
    bands: np.ndarray
    anchors: np.ndarray
    terms: np.ndarray
    term_docs: np.ndarray

    def __len__(self) -> int:
        return len(self.n_words)


def index_rows(texts: Sequence[str], config: ReuseConfig) -> IndexRows:
    """Rows of a chunk of texts: the sketch stage's output, keyed for SQL (the task an add maps)."""
    sk = sketch_batch(texts, 0, config)
    anchor, doc = sk.document_anchors()
    return IndexRows(sk.n_tokens.astype(np.int64), band_rows(sk), _distinct_rows(keys_to_sql(anchor), doc),
                     sk.terms, sk.term_docs)


def band_rows(sk: Sketch) -> np.ndarray:
    """Distinct ``(key, k)`` of every band key of the sketch's documents, salted by band.

    All bands share one table, so each band's keys are XORed with a constant of its own and two
    bands never share a key. Documents without a shingle (too short) get no rows.
    """
    keep = np.flatnonzero(sk.has_shingles)
    keys = sk.band_keys[keep] ^ band_salts(sk.band_keys.shape[1])[None, :]
    docs = np.repeat(keep.astype(np.int64), sk.band_keys.shape[1])
    return _distinct_rows(keys_to_sql(keys.ravel()), docs)


@lru_cache(maxsize=8)
def band_salts(n: int) -> np.ndarray:
    """One random 64-bit constant per band (band keys are avalanched: XOR keeps them uniform)."""
    with np.errstate(over="ignore"):
        salts = fmix64(np.arange(1, n + 1, dtype=np.uint64) * np.uint64(GOLDEN64))
    salts.setflags(write=False)  # cached and shared by every caller: an in-place edit would change every key
    return salts


def _distinct_rows(keys: np.ndarray, docs: np.ndarray) -> np.ndarray:
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    return np.stack((keys[first], docs[first]), axis=1) if len(keys) else np.empty((0, 2), np.int64)
