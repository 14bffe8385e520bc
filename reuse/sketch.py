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

from .shingle import fmix64

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


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising weighted false positives and negatives, as datasketch chooses them."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def candidate_pairs(keys: np.ndarray, owners: np.ndarray, *, max_bucket: int) -> np.ndarray:
    """Distinct owner pairs ``(i, j)``, ``i < j``, that share a band key in any band.

    ``keys`` is ``(n_items, bands)``; ``owners[k]`` is the document of item ``k`` (a document for
    whole-document signatures, the window's document for windows). Buckets with more than
    ``max_bucket`` items are skipped as boilerplate. Returns an ``(m, 2)`` int64 array, sorted.
    """
    owners = np.asarray(owners, dtype=np.int64)
    found: list[np.ndarray] = []
    for band in range(keys.shape[1]):
        col = keys[:, band]
        order = np.argsort(col, kind="stable")
        sk, so = col[order], owners[order]
        edges = np.flatnonzero(np.diff(sk)) + 1
        starts = np.concatenate(([0], edges))
        sizes = np.diff(np.concatenate((starts, [len(sk)])))
        keep = (sizes >= 2) & (sizes <= max_bucket)
        for s, n in zip(starts[keep], sizes[keep]):
            members = np.unique(so[s : s + n])
            if len(members) < 2:
                continue
            i, j = np.triu_indices(len(members), k=1)
            found.append(np.stack((members[i], members[j]), axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    code = np.unique(pairs[:, 0] * (owners.max() + 1) + pairs[:, 1])
    return np.stack((code // (owners.max() + 1), code % (owners.max() + 1)), axis=1)
