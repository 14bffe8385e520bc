"""What does not count as reuse: within-source boilerplate, and passages that are only names.

A global document-frequency cut (passim's ``maxDF``) removes exactly the phrases a campaign
repeats across outlets. We cut by *source* instead: a phrase (word shingle) repeated in several
documents of one source and found in no other source is that source's template (bylines,
navigation, tags, sign-offs) and is ignored; a phrase found in two sources is kept, however often
it occurs. Without source metadata each document is its own source, so nothing is cut that way.

Names are the other thing two texts share without sharing a claim: "the National Council of
Resistance of Iran" recurs verbatim in every article about it. A passage counts only when each
side has at least ``min_claim_words`` content words that are neither part of a name nor inside
boilerplate.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reuse.text.terms import is_content, name_runs
from reuse.text.tokens import Tokens


def boilerplate_hashes(sources: Sequence[str], shingles: Sequence[np.ndarray], *, min_docs: int) -> np.ndarray:
    """Shingle hashes in at least ``min_docs`` documents of one source and in no other source.

    Vectorised: one sort over the distinct (hash, source, document) triples of the corpus.
    Returns a sorted uint64 array.
    """
    if not shingles:
        return np.empty(0, dtype=np.uint64)
    src_ids = {s: k for k, s in enumerate(dict.fromkeys(sources))}
    hashes, srcs = [], []
    for src, sh in zip(sources, shingles):
        u = np.unique(sh)
        hashes.append(u)
        srcs.append(np.full(len(u), src_ids[src], dtype=np.int64))
    h = np.concatenate(hashes)
    s = np.concatenate(srcs)
    if len(h) == 0:
        return np.empty(0, dtype=np.uint64)
    order = np.lexsort((s, h))
    h, s = h[order], s[order]
    start = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    docs = np.diff(np.r_[start, len(h)])  # documents holding each hash (each doc counted once)
    one_source = np.maximum.reduceat(s, start) == np.minimum.reduceat(s, start)
    return np.sort(h[start][(docs >= min_docs) & one_source])


def boilerplate_mask(tokens: Tokens, shingles: np.ndarray, boiler: np.ndarray, k: int) -> np.ndarray:
    """Per token, whether it lies inside a boilerplate shingle (shingle ``i`` covers ``i..i+k-1``)."""
    mask = np.zeros(len(tokens), dtype=bool)
    if len(boiler) == 0 or len(shingles) == 0:
        return mask
    hit = np.flatnonzero(np.isin(shingles, boiler))
    if len(hit):
        cover = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.add.at(cover, hit, 1)
        np.add.at(cover, np.minimum(hit + k, len(tokens)), -1)
        mask = np.cumsum(cover[:-1]) > 0
    return mask


def claim_mask(tokens: Tokens, names: frozenset[str], boiler: np.ndarray | None = None) -> np.ndarray:
    """Per token, whether it can carry a claim: a content word outside names and boilerplate."""
    runs = name_runs(tokens.norms, names)
    mask = np.fromiter((is_content(n) for n in tokens.norms), dtype=bool, count=len(tokens))
    mask &= runs < 0
    if boiler is not None:
        mask &= ~boiler
    return mask


def claim_words(mask: np.ndarray, first: int, last: int) -> int:
    """Claim-carrying words in the token range ``first..last`` (inclusive)."""
    return int(mask[first : last + 1].sum())
