"""Word n-gram shingles hashed to integers, computed with numpy over token hashes.

A shingle's hash folds its ``k`` token hashes with wrapping 64-bit arithmetic and then mixes the
result (the MurmurHash3 64-bit finalizer), so no Python call happens per shingle. Position ``i``
of the returned array is the shingle made of tokens ``i .. i+k-1``.
"""
from __future__ import annotations

import numpy as np

_MULT = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio odd constant: order-sensitive fold


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: an avalanching bijection on uint64 (wraps as intended)."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def shingle_hashes(token_ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of every ``k``-word shingle; empty when there are fewer than ``k`` tokens.

    Texts shorter than ``k`` words yield no shingle: they cannot anchor a k-word match.
    """
    n = len(token_ids) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _MULT + token_ids[j : j + n]
        return fmix64(h)


def hash32(h64: np.ndarray) -> np.ndarray:
    """The 32-bit shingle hash fed to MinHash (datasketch's default ``affine32`` scheme width)."""
    return (h64 >> np.uint64(32)).astype(np.uint32)
