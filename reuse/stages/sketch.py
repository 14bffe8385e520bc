"""MinHash signatures, LSH band keys and candidate pairs, all in numpy.

Signatures are bit-for-bit those of ``datasketch.MinHash(num_perm, seed, scheme="affine32")``
updated with the same 32-bit shingle hashes (``hashfunc`` returning them unchanged): the input is
pre-mixed with MurmurHash3's 32-bit finalizer, then each permutation is ``a*h + b mod 2**32``.
Users can therefore load our signatures into datasketch with ``MinHash(hashvalues=...,
scheme="affine32")``. Banding groups equal row tuples with a sort instead of a dict of buckets,
which is what makes candidate generation fast and small in memory.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from reuse.text.shingle import fmix64

EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's "no value yet" for affine32


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) affine permutation parameters datasketch draws for ``affine32``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix for the affine schemes)."""
    h = h.astype(np.uint32, copy=True)
    with np.errstate(over="ignore"):
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h


def permuted(h32: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """Matrix ``(len(h32), num_perm)`` of permuted hash values (uint32)."""
    a, b = permutations(num_perm, seed)
    mixed = fmix32(h32)
    with np.errstate(over="ignore"):
        return mixed[:, None] * a[None, :] + b[None, :]


def minhash(h32: np.ndarray, *, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signature of a set of 32-bit hashes; all ``EMPTY`` for an empty set (like datasketch)."""
    if len(h32) == 0:
        return np.full(num_perm, EMPTY, dtype=np.uint32)
    return permuted(h32, num_perm, seed).min(axis=0)


def window_signatures(h32: np.ndarray, *, stride: int, num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Whole-document signature and signatures of overlapping windows of ``2*stride`` shingles.

    The shingle sequence is cut into blocks of ``stride``; window ``w`` is blocks ``w`` and
    ``w+1``, so windows overlap by half and one permutation pass serves document and windows.
    Returns ``(doc_signature (num_perm,), window_signatures (n_windows, num_perm))``.
    """
    if len(h32) == 0:
        return np.full(num_perm, EMPTY, dtype=np.uint32), np.empty((0, num_perm), dtype=np.uint32)
    p = permuted(h32, num_perm, seed)
    cuts = np.arange(0, len(h32), stride)
    blocks = np.minimum.reduceat(p, cuts, axis=0)
    doc = blocks.min(axis=0)
    if len(blocks) == 1:
        return doc, blocks
    return doc, np.minimum(blocks[:-1], blocks[1:])


def band_keys(signatures: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (signature, band): equal keys mean equal rows in that band.

    Matrix ``(n, bands)`` of uint64. Keys of different bands never meet because candidate search
    groups within a band column.
    """
    sig = np.ascontiguousarray(signatures[:, : bands * rows], dtype=np.uint32).reshape(len(signatures), bands, rows)
    h = np.zeros((len(signatures), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = fmix64(h * np.uint64(0x100000001B3) + sig[:, :, r].astype(np.uint64))
    return h


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising weighted false positives and negatives, as datasketch chooses them."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


# --- batch kernels: every document of a batch at once, no Python call per document ------------


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` by sorting: numpy 2's hash-based default is several times slower here."""
    s = np.sort(a)
    if len(s) < 2:
        return s
    return s[np.concatenate(([True], s[1:] != s[:-1]))]


def group_pairs(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(left, right)`` of every pair inside each group ``[start, start + size)``.

    Vectorised with ``np.repeat``: element ``i`` of a group of ``s`` pairs with the ``s - 1 - i``
    elements after it. Groups must not overlap.
    """
    starts = np.asarray(starts, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    if len(sizes) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    n_elem = int(sizes.sum())
    first = np.repeat(starts, sizes)
    within = np.arange(n_elem, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    partners = np.repeat(sizes, sizes) - 1 - within
    left = np.repeat(first + within, partners)
    total = int(partners.sum())
    right = left + 1 + (np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(partners) - partners, partners))
    return left, right


def _pair_codes(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return lo[keep] * n + hi[keep]


def _decode(codes: np.ndarray, n: int) -> np.ndarray:
    if len(codes) == 0:
        return np.empty((0, 2), dtype=np.int64)
    return np.stack((codes // n, codes % n), axis=1).astype(np.int64)


def candidate_pairs(keys: np.ndarray, owners: np.ndarray, *, max_bucket: int) -> np.ndarray:
    """Distinct owner pairs ``(i, j)``, ``i < j``, that share a band key in any band.

    ``keys`` is ``(n_items, bands)``; ``owners[k]`` is the document of item ``k``. Buckets with
    more than ``max_bucket`` items are skipped as boilerplate (``MinHashLSH`` has no such cap: pass
    a cap above the corpus size to get exactly its candidates). One sort per band and
    ``np.repeat`` arithmetic; no Python loop over buckets. Returns an ``(m, 2)`` int64 array, sorted.
    """
    owners = np.asarray(owners, dtype=np.int64)
    if len(owners) < 2:
        return np.empty((0, 2), dtype=np.int64)
    n = int(owners.max()) + 1
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        col = keys[:, band]
        order = np.argsort(col, kind="stable")
        sk = col[order]
        starts = np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
        sizes = np.diff(np.append(starts, len(sk)))
        keep = (sizes >= 2) & (sizes <= max_bucket)
        left, right = group_pairs(starts[keep], sizes[keep])
        if len(left):
            found.append(sorted_unique(_pair_codes(owners[order[left]], owners[order[right]], n)))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return _decode(sorted_unique(np.concatenate(found)), n)


def batch_shingles(ids: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of every document of a batch, as :func:`reuse.text.shingle.shingle_hashes` gives them.

    ``ids``/``offsets`` as from :func:`reuse.text.fast.batch_token_ids`. Returns ``(hashes,
    shingle_offsets)``; a document with fewer than ``k`` tokens has none.
    """
    n_tok = np.diff(offsets)
    counts = np.maximum(n_tok - k + 1, 0)
    sh_offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    total = int(sh_offsets[-1])
    if total == 0:
        return np.empty(0, dtype=np.uint64), sh_offsets
    if _shingles_numba is not None:
        return _shingles_numba(ids, offsets.astype(np.int64), sh_offsets, k, total), sh_offsets
    pos = np.repeat(offsets[:-1], counts) + (np.arange(total, dtype=np.int64) - np.repeat(sh_offsets[:-1], counts))
    h = np.zeros(total, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _FOLD_MULT + ids[pos + j]
        return fmix64(h), sh_offsets


def batch_minhash(h32: np.ndarray, offsets: np.ndarray, *, num_perm: int, seed: int,
                  use_numba: bool | None = None) -> np.ndarray:
    """``(n_docs, num_perm)`` signatures, row ``d`` equal to ``minhash(h32[offsets[d]:offsets[d+1]])``.

    The numba kernel keeps one row of minima in registers/cache per document (no
    ``shingles x num_perm`` matrix); the numpy path builds that matrix in bounded chunks. Both
    give the datasketch-identical values of :func:`minhash`.
    """
    a, b = permutations(num_perm, seed)
    n_docs = len(offsets) - 1
    mixed = fmix32(h32)
    if (use_numba is None or use_numba) and _minhash_numba is not None:
        return _minhash_numba(mixed, offsets.astype(np.int64), a, b)
    out = np.full((n_docs, num_perm), EMPTY, dtype=np.uint32)
    counts = np.diff(offsets)
    chunk_limit = max(1, (1 << 22) // num_perm)  # about 16 MB of permuted values per chunk
    d = 0
    while d < n_docs:
        e, size = d, 0
        while e < n_docs and (size == 0 or size + counts[e] <= chunk_limit):
            size += counts[e]
            e += 1
        seg = slice(int(offsets[d]), int(offsets[e]))
        nonempty = np.flatnonzero(counts[d:e] > 0)
        if len(nonempty):
            with np.errstate(over="ignore"):
                p = mixed[seg, None] * a[None, :] + b[None, :]
            starts = (offsets[d:e][nonempty] - offsets[d]).astype(np.int64)
            out[d + nonempty] = np.minimum.reduceat(p, starts, axis=0)
        d = e
    return out


def batch_window_signatures(h32: np.ndarray, offsets: np.ndarray, *, stride: int, num_perm: int, seed: int,
                            use_numba: bool | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`window_signatures` of every document of a batch in one kernel call.

    Each document's shingles are cut into blocks of ``stride`` exactly as :func:`window_signatures`
    cuts them, the blocks' minima come from :func:`batch_minhash` (blocks are just more "documents"),
    and document and window signatures are minima of neighbouring blocks. Returns ``(doc_sigs (n,
    num_perm), window_sigs (n_windows, num_perm), window_offsets (n + 1,))``; document ``d``'s windows
    are ``window_sigs[window_offsets[d]:window_offsets[d + 1]]``, and a document without shingles
    has an all-``EMPTY`` signature and no window.
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    n_docs = len(offsets) - 1
    counts = np.diff(offsets)
    n_blocks = -(-counts // stride)  # ceil: a partial last block is a block
    blk_off = np.concatenate(([0], np.cumsum(n_blocks))).astype(np.int64)
    total = int(blk_off[-1])
    doc_sigs = np.full((n_docs, num_perm), EMPTY, dtype=np.uint32)
    if total == 0:
        return doc_sigs, np.empty((0, num_perm), dtype=np.uint32), np.zeros(n_docs + 1, dtype=np.int64)
    owner = np.repeat(np.arange(n_docs), n_blocks)
    starts = offsets[owner] + (np.arange(total, dtype=np.int64) - blk_off[owner]) * stride
    blocks = batch_minhash(h32, np.append(starts, offsets[-1]), num_perm=num_perm, seed=seed, use_numba=use_numba)
    has = n_blocks > 0
    doc_sigs[has] = np.minimum.reduceat(blocks, blk_off[:-1][has], axis=0)
    # Window k of a document is blocks k and k+1; a one-block document's only window is that block.
    last = blk_off[1:][owner] - 1  # each block's document's last block
    pairs = np.flatnonzero(np.arange(total) < last)
    single = np.flatnonzero(n_blocks[owner] == 1)
    pick = np.sort(np.concatenate((pairs, single)))
    nxt = np.minimum(pick + 1, total - 1)
    nxt[n_blocks[owner[pick]] == 1] = pick[n_blocks[owner[pick]] == 1]
    windows = np.minimum(blocks[pick], blocks[nxt])
    n_win = np.where(n_blocks > 1, n_blocks - 1, n_blocks)
    return doc_sigs, windows, np.concatenate(([0], np.cumsum(n_win))).astype(np.int64)


_FOLD_MULT = np.uint64(0x9E3779B97F4A7C15)  # the same fold as reuse.text.shingle (kept in step by a test)

try:
    import numba as _nb

    @_nb.njit(cache=True)
    def _minhash_numba(mixed, offsets, a, b):  # noqa: ANN001, ANN202 - numba kernel
        n_docs = len(offsets) - 1
        num_perm = len(a)
        out = np.empty((n_docs, num_perm), np.uint32)
        row = np.empty(num_perm, np.uint32)
        for d in range(n_docs):
            for p in range(num_perm):
                row[p] = np.uint32(0xFFFFFFFF)
            for s in range(offsets[d], offsets[d + 1]):
                h = mixed[s]
                for p in range(num_perm):
                    v = np.uint32((h * a[p] + b[p]) & np.uint64(0xFFFFFFFF))
                    if v < row[p]:
                        row[p] = v
            out[d] = row
        return out

    @_nb.njit(cache=True)
    def _shingles_numba(ids, offsets, sh_offsets, k, total):  # noqa: ANN001, ANN202 - numba kernel
        out = np.empty(total, np.uint64)
        mult = np.uint64(0x9E3779B97F4A7C15)
        for d in range(len(offsets) - 1):
            base = offsets[d]
            for s in range(sh_offsets[d + 1] - sh_offsets[d]):
                h = np.uint64(0)
                for j in range(k):
                    h = h * mult + ids[base + s + j]
                h ^= h >> np.uint64(33)
                h *= np.uint64(0xFF51AFD7ED558CCD)
                h ^= h >> np.uint64(33)
                h *= np.uint64(0xC4CEB9FE1A85EC53)
                h ^= h >> np.uint64(33)
                out[sh_offsets[d] + s] = h
        return out
except ImportError:  # pragma: no cover - numba is optional
    _minhash_numba = _shingles_numba = None
