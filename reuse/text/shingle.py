"""Word n-gram shingles hashed to 64-bit integers, and the hash constants every key is built with.

A shingle's hash folds its ``k`` token ids with wrapping 64-bit arithmetic (multiply by
:data:`GOLDEN64`, add the next id) and then mixes the result with MurmurHash3's 64-bit finalizer
(:func:`fmix64`), so no Python call happens per shingle. Position ``i`` of a document's shingles
is the shingle made of tokens ``i .. i+k-1``. One implementation serves one document and a whole
batch: a numba kernel (see :mod:`reuse.jit`), or numpy over all shingles of the batch at once.
"""
from __future__ import annotations

import numpy as np

from reuse.jit import ENABLED as NUMBA

GOLDEN64 = 0x9E3779B97F4A7C15
"""The golden-ratio odd constant: the order-sensitive fold of shingles, and the index's band salts."""
FMIX64_C1 = 0xFF51AFD7ED558CCD
FMIX64_C2 = 0xC4CEB9FE1A85EC53
"""MurmurHash3's 64-bit finalizer constants."""

_GOLDEN = np.uint64(GOLDEN64)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: an avalanching bijection on uint64 (wraps as intended)."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(FMIX64_C1)
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(FMIX64_C2)
        return h ^ (h >> np.uint64(33))


def hash32(h64: np.ndarray) -> np.ndarray:
    """The 32-bit shingle hash fed to MinHash (datasketch's default ``affine32`` scheme width)."""
    return (h64 >> np.uint64(32)).astype(np.uint32)


def shingle_hashes(token_ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of every ``k``-word shingle of one document; empty when it has fewer than ``k`` words.

    Texts shorter than ``k`` words yield no shingle: they cannot anchor a k-word match.
    """
    return batch_shingles(token_ids, np.array([0, len(token_ids)], dtype=np.int64), k)[0]


def batch_shingles(ids: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of every document of a batch: ``(hashes, shingle_offsets)``.

    ``ids``/``offsets`` as from :func:`reuse.text.scan.batch_token_ids`; document ``d``'s shingles
    are ``hashes[shingle_offsets[d]:shingle_offsets[d + 1]]``.
    """
    n_tok = np.diff(offsets)
    counts = np.maximum(n_tok - k + 1, 0)
    sh_offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    total = int(sh_offsets[-1])
    if total == 0:
        return np.empty(0, dtype=np.uint64), sh_offsets
    ids = np.asarray(ids, dtype=np.uint64)
    if NUMBA:
        return shingles_kernel(ids, np.asarray(offsets, dtype=np.int64), sh_offsets, k, total), sh_offsets
    pos = np.repeat(offsets[:-1], counts) + (np.arange(total, dtype=np.int64) - np.repeat(sh_offsets[:-1], counts))
    h = np.zeros(total, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _GOLDEN + ids[pos + j]
    return fmix64(h), sh_offsets


if NUMBA:
    import numba as _nb

    @_nb.njit(cache=True)
    def shingles_kernel(ids, offsets, sh_offsets, k, total):  # noqa: ANN001, ANN202 - numba kernel
        """:func:`batch_shingles`' hashes (``total`` of them), callable from other kernels."""
        out = np.empty(total, np.uint64)
        mult = np.uint64(GOLDEN64)
        for d in range(len(offsets) - 1):
            base = offsets[d]
            for s in range(sh_offsets[d + 1] - sh_offsets[d]):
                h = np.uint64(0)
                for j in range(k):
                    h = h * mult + ids[base + s + j]
                h ^= h >> np.uint64(33)
                h *= np.uint64(FMIX64_C1)
                h ^= h >> np.uint64(33)
                h *= np.uint64(FMIX64_C2)
                h ^= h >> np.uint64(33)
                out[sh_offsets[d] + s] = h
        return out
else:  # pragma: no cover - numba is optional
    shingles_kernel = None
