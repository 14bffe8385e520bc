"""MinHash signatures and LSH band keys, in numpy (or numba), bit for bit datasketch's.

Signatures are those of ``datasketch.MinHash(num_perm, seed, scheme="affine32")`` updated with the
same 32-bit shingle hashes (``hashfunc`` returning them unchanged): the input is pre-mixed with
MurmurHash3's 32-bit finalizer, then each permutation is ``a*h + b mod 2**32``. Users can load
our signatures into datasketch with ``MinHash(hashvalues=..., scheme="affine32")``. Banding groups
equal row tuples with a sort instead of a dict of buckets (:mod:`reuse.stages.candidates`).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from reuse.jit import ENABLED as NUMBA
from reuse.text.shingle import fmix64

EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's "no value yet" for affine32
BAND_FOLD = 0x100000001B3
"""FNV-1a's 64-bit prime: folds a band's rows into one key before :func:`fmix64` mixes it."""


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


def minhash(h32: np.ndarray, *, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signature of a set of 32-bit hashes; all ``EMPTY`` for an empty set (like datasketch).

    >>> from datasketch import MinHash
    >>> m = MinHash(num_perm=16, seed=1, hashfunc=int, scheme="affine32")
    >>> m.update_batch([7, 11, 13])
    >>> bool((minhash(np.array([7, 11, 13], np.uint32), num_perm=16, seed=1) == m.hashvalues).all())
    True
    """
    return batch_minhash(np.asarray(h32, dtype=np.uint32), np.array([0, len(h32)]), num_perm=num_perm, seed=seed)[0]


def batch_minhash(h32: np.ndarray, offsets: np.ndarray, *, num_perm: int, seed: int) -> np.ndarray:
    """``(n_docs, num_perm)`` signatures; row ``d`` is the signature of ``h32[offsets[d]:offsets[d+1]]``.

    The numba kernel keeps one row of minima in cache per document (no ``shingles x num_perm``
    matrix); the numpy path builds that matrix in bounded chunks.
    """
    a, b = permutations(num_perm, seed)
    offsets = np.asarray(offsets, dtype=np.int64)
    n_docs = len(offsets) - 1
    mixed = fmix32(h32)
    if NUMBA:
        return _minhash_numba(mixed, offsets, a, b)
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


def band_keys(signatures: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (signature, band): equal keys mean equal rows in that band.

    Matrix ``(n, bands)`` of uint64. Keys of different bands never meet because candidate search
    groups within a band column.
    """
    sig = np.ascontiguousarray(signatures[:, : bands * rows], dtype=np.uint32).reshape(len(signatures), bands, rows)
    h = np.zeros((len(signatures), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = fmix64(h * np.uint64(BAND_FOLD) + sig[:, :, r].astype(np.uint64))
    return h


@lru_cache(maxsize=64)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` minimising the equally weighted false-positive and false-negative areas.

    The optimisation datasketch's ``MinHashLSH(threshold, num_perm)`` documents and performs: for
    every ``b * r <= num_perm``, integrate the probability that a pair of Jaccard ``s`` shares a
    band, ``1 - (1 - s^r)^b``, below the threshold (false positives) and its complement above it
    (false negatives), and keep the first ``(b, r)`` with the smallest mean (tested against
    ``MinHashLSH``'s own ``b`` and ``r``).

    The integrands are polynomials of degree ``b * r <= num_perm``, so Gauss-Legendre quadrature
    with ``num_perm // 2 + 1`` nodes is exact; all ``(b, r)`` at once in numpy, rather than
    ``scipy.integrate.quad`` per pair, whose import alone cost every worker process ~0.7 s.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
    if num_perm < 1:
        raise ValueError(f"num_perm must be at least 1, got {num_perm}")
    b, r = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.float64).T
    x, w = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def area(lo: float, hi: float, *, below: bool) -> np.ndarray:
        s = (hi - lo) / 2 * x + (hi + lo) / 2  # nodes moved from [-1, 1] to [lo, hi]
        shared = 1 - (1 - s[None, :] ** r[:, None]) ** b[:, None]
        return (hi - lo) / 2 * ((shared if below else 1 - shared) @ w)

    error = area(0.0, threshold, below=True) * 0.5 + area(threshold, 1.0, below=False) * 0.5
    best = int(np.argmin(error))  # the first of equal minima, as the loop over (b, r) keeps
    return int(b[best]), int(r[best])


if NUMBA:
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
else:  # pragma: no cover - numba is optional
    _minhash_numba = None
