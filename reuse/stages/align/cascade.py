"""The aligner's cascade: does a pair's exact evidence leave anything for the sentence machinery?

Every pair first gets its exact word evidence (:mod:`reuse.stages.align.runs`). The sentence-level
fuzzy, paraphrase and summary machinery (:func:`reuse.stages.align.aligner._sentence_spans`) is by
far the costliest step, and for most pairs it can only confirm what the runs already say: a
near-verbatim copy is explained by its runs, and two articles on one topic that share a few stock
phrases have nothing a sentence passage could be built from.

**Definition.** A sentence passage, whatever its shape, rests on *seeds*: pairs of sentence units,
one a side, that either share two exact n-grams (copy seeds) or agree on their stemmed content
words by tf-isf cosine and Dice (paraphrase seeds). A seed is *explained* when both of its units
touch one near-exact copy (a chained word span with at least ``COPY_MIN_SIMILARITY`` of its words
in exact runs and passage length): a sentence passage built on such seeds claims the copy's text
and gives way to the copy. The pair *leaves something to explain* when it has

* two copies within ``max_gap_sentences`` units of each other on both sides (one passage may
  span both: a near-duplicate whose chain of runs broke where edits crowd together),
* two word spans in crossing order within reach of one passage (the machinery then reports them
  as moved copies, :mod:`reuse.stages.align.reorder`; unless ``merge_reordered``),
* an unexplained paraphrase seed, or
* an unexplained copy seed that could carry a passage: alone (its units' cosine reaches
  ``single_seed_min_similarity``) or with another seed within ``max_gap_sentences`` on both sides.

Otherwise the sentence machinery finds no seed it could keep, and the aligner's answer is the
word spans alone. Cosine and Dice are tested with a margin of ``MARGIN`` below the thresholds, so
rounding never lets the cascade skip a pair the machinery would have kept (its own order of
summation differs from scipy's in the last bits).

The unit comparison is a numba kernel (:func:`reuse.stages.align.runs_kernel.unit_pairs`); the
fallback builds the aligner's own pair space with scipy. Both give the same decisions (tested).
The sentence machinery, when it runs, takes its paraphrase seeds from the same comparison
(:func:`sure_paraphrase_seeds`) rather than a product of sparse matrices; a cosine within
``MARGIN`` of the threshold is left to the pair space's own sums, so the seeds are exactly theirs.
"""
from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.stages.align.runs import _kernel
from reuse.stages.align.units import Units, term_slots, unique_unit_pairs

MARGIN = 1e-9
"""Slack below each threshold: a unit pair this close to one is treated as passing it."""


def unit_pairs(ua: Units, ub: Units, min_cosine: float, *, use_numba: bool | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(u, v, cosine, dice)`` of the unit pairs whose tf-isf cosine exceeds ``min_cosine``."""
    if use_numba is None or use_numba:
        if _kernel() is not None:
            from reuse.stages.align.runs_kernel import unit_pairs as kernel

            return kernel(ua.term_rows, ua.term_gids[ua.term_ids], len(ua),
                          ub.term_rows, ub.term_gids[ub.term_ids], len(ub), min_cosine, term_slots())
        if use_numba:
            raise RuntimeError("numba is not installed")
    from reuse.stages.align.seed import pair_space  # scipy: imported only on this path

    space = pair_space(ua, ub)
    if space.a.shape[1] == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0), np.empty(0)
    cos = (space.a @ space.b.T).tocoo()
    keep = cos.data > min_cosine
    u, v, c = cos.row[keep].astype(np.int64), cos.col[keep].astype(np.int64), cos.data[keep]
    shared = np.asarray(space.a_bin[u].multiply(space.b_bin[v]).sum(axis=1)).ravel()
    size = np.asarray(space.a_bin.sum(axis=1)).ravel()[u] + np.asarray(space.b_bin.sum(axis=1)).ravel()[v]
    order = np.lexsort((v, u))
    return u[order], v[order], c[order], (2 * shared / np.maximum(size, 1))[order]


UnitPairs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""``(u, v, cosine, dice)`` of unit pairs, sorted by ``(u, v)`` (see :func:`unit_pairs`)."""


def similar_units(ua: Units, ub: Units, config: ReuseConfig, *, use_numba: bool | None = None) -> UnitPairs:
    """The unit pairs similar enough to be a seed of either kind (cosine over the lower floor, less ``MARGIN``)."""
    floor = min(config.seed_min_cosine, config.single_seed_min_similarity) - MARGIN
    return unit_pairs(ua, ub, floor, use_numba=use_numba)


def sure_paraphrase_seeds(similar: UnitPairs, config: ReuseConfig) -> np.ndarray | None:
    """The paraphrase seeds among ``similar`` (:func:`similar_units`), as ``(m, 2)`` unit pairs.

    None when a cosine lies within ``MARGIN`` of ``seed_min_cosine``: only the pair space's own
    sums (:func:`reuse.stages.align.seed.paraphrase_seeds`) decide such a seed to the last bit.
    Dice is a ratio of small integers, the same in every order.
    """
    u, v, cos, dice = similar
    alike = dice > config.seed_min_dice
    if np.any(alike & (np.abs(cos - config.seed_min_cosine) <= MARGIN)):
        return None
    keep = alike & (cos > config.seed_min_cosine)
    return np.stack((u[keep], v[keep]), axis=1).astype(np.int64)


def leaves_unexplained(
    ua: Units, ub: Units, unit_a: np.ndarray, unit_b: np.ndarray, copy_seeds: np.ndarray, copies: np.ndarray,
    config: ReuseConfig, *, use_numba: bool | None = None, spans: np.ndarray | None = None,
    similar: UnitPairs | None = None,
) -> bool:
    """Does the pair hold a seed no copy explains (see the module docstring)?

    ``unit_a``/``unit_b``: the unit of each token; ``copy_seeds``: ``(m, 2)`` unit pairs sharing
    two n-grams; ``copies``: ``(c, 4)`` token ranges of the near-exact copies; ``spans``: those of
    all chained word spans (copies included); ``similar``: :func:`similar_units` of the pair, when
    the caller has it already.
    """
    kernel = _cascade_kernel() if use_numba is None or use_numba else None
    if kernel is not None:
        u, v, cos, dice = similar_units(ua, ub, config, use_numba=use_numba) if similar is None else similar
        no_spans = np.empty((0, 4), np.int64)
        return kernel(unit_a, unit_b, len(ub), copy_seeds, copies, no_spans if spans is None else spans,
                      spans is not None and not config.merge_reordered, u, v, cos, dice, config.max_gap_sentences,
                      config.seed_min_cosine - MARGIN, config.seed_min_dice - MARGIN,
                      config.single_seed_min_similarity - MARGIN)
    if _copies_adjoin(copies, unit_a, unit_b, config.max_gap_sentences):
        return True
    if spans is not None and not config.merge_reordered and _reordered_nearby(spans, copies, unit_a, unit_b,
                                                                              config.max_gap_sentences):
        return True
    u, v, cos, dice = similar_units(ua, ub, config, use_numba=use_numba) if similar is None else similar
    para = (cos > config.seed_min_cosine - MARGIN) & (dice > config.seed_min_dice - MARGIN)
    if np.any(~_explained(u[para], v[para], unit_a, unit_b, copies)):
        return True
    if not len(copy_seeds):
        return False
    lone = ~_explained(copy_seeds[:, 0], copy_seeds[:, 1], unit_a, unit_b, copies)
    if not lone.any():
        return False
    # Cosine of each unexplained copy seed (pairs under the floor are absent: cosine below it).
    keys = u * max(len(ub), 1) + v
    cand = copy_seeds[lone]
    at = np.searchsorted(keys, cand[:, 0] * max(len(ub), 1) + cand[:, 1])
    found = (at < len(keys)) & (keys[np.minimum(at, max(len(keys) - 1, 0))] == cand[:, 0] * max(len(ub), 1) + cand[:, 1]) \
        if len(keys) else np.zeros(len(cand), bool)
    strong = np.zeros(len(cand), bool)
    strong[found] = cos[at[found]] >= config.single_seed_min_similarity - MARGIN
    if strong.any():
        return True
    # A weak seed still counts beside another seed (a cluster of several needs less similarity).
    seeds = unique_unit_pairs(np.concatenate((copy_seeds, np.stack((u[para], v[para]), axis=1))))
    gap = config.max_gap_sentences
    for a, b in cand.tolist():
        near = (np.abs(seeds[:, 0] - a) <= gap) & (np.abs(seeds[:, 1] - b) <= gap)
        if int(near.sum()) > 1:  # itself and another
            return True
    return False


@cache
def _cascade_kernel() -> Any:
    """The compiled :func:`leaves_unexplained` (after the unit pairs), or None without numba."""
    if _kernel() is None:
        return None
    from reuse.stages.align.cascade_kernel import leaves_unexplained as kernel

    return kernel


def _copies_adjoin(copies: np.ndarray, unit_a: np.ndarray, unit_b: np.ndarray, gap: int) -> bool:
    """Do two copies lie within ``gap`` units of each other on both sides?

    Seeds of both could then cluster into one passage spanning the two (a near-duplicate whose
    chain of runs broke where edits crowd together is one passage, not two): the sentence
    machinery decides.
    """
    if len(copies) < 2:
        return False
    ua0, ua1, ub0, ub1 = unit_a[copies[:, 0]], unit_a[copies[:, 1]], unit_b[copies[:, 2]], unit_b[copies[:, 3]]
    da = np.maximum(0, np.maximum(ua0[:, None] - ua1[None, :], ua0[None, :] - ua1[:, None]))
    db = np.maximum(0, np.maximum(ub0[:, None] - ub1[None, :], ub0[None, :] - ub1[:, None]))
    near = (da <= gap) & (db <= gap)
    np.fill_diagonal(near, False)
    return bool(near.any())


def _reordered_nearby(spans: np.ndarray, copies: np.ndarray, unit_a: np.ndarray, unit_b: np.ndarray, gap: int) -> bool:
    """Do two word spans cross (one order in A, the other in B) where one passage could hold both?

    A sentence passage holding crossing copies is replaced by the copies themselves
    (:mod:`reuse.stages.align.reorder`), so such a pair goes to the sentence machinery when the two
    lie within ``gap`` units of each other, or of one copy, on both sides.
    """
    if len(spans) < 2:
        return False
    ua0, ua1, ub0, ub1 = unit_a[spans[:, 0]], unit_a[spans[:, 1]], unit_b[spans[:, 2]], unit_b[spans[:, 3]]
    cross = ((spans[:, None, 1] < spans[None, :, 0]) & (spans[None, :, 3] < spans[:, None, 2]))
    if not cross.any():
        return False
    da = np.maximum(0, np.maximum(ua0[:, None] - ua1[None, :], ua0[None, :] - ua1[:, None]))
    db = np.maximum(0, np.maximum(ub0[:, None] - ub1[None, :], ub0[None, :] - ub1[:, None]))
    near = (da <= gap) & (db <= gap)
    if (cross & near).any():
        return True
    for a0, a1, b0, b1 in copies.tolist():  # both within reach of one copy
        ca = np.maximum(0, np.maximum(unit_a[a0] - ua1, ua0 - unit_a[a1])) <= gap
        cb = np.maximum(0, np.maximum(unit_b[b0] - ub1, ub0 - unit_b[b1])) <= gap
        reach = ca & cb
        if (cross & reach[:, None] & reach[None, :]).any():
            return True
    return False


def _explained(u: np.ndarray, v: np.ndarray, unit_a: np.ndarray, unit_b: np.ndarray, copies: np.ndarray) -> np.ndarray:
    """Per unit pair: do both units touch one copy (its unit range on each side)?"""
    out = np.zeros(len(u), bool)
    for a0, a1, b0, b1 in copies.tolist():
        out |= (unit_a[a0] <= u) & (u <= unit_a[a1]) & (unit_b[b0] <= v) & (v <= unit_b[b1])
    return out


def one_copy_covers(copies: np.ndarray, a_ids: np.ndarray, b_ids: np.ndarray, min_words: int) -> bool:
    """Is the pair one near-exact copy with fewer than ``min_words`` other words a side?

    The cascade's earliest exit, before any sentence unit is built (near-duplicates): a sentence
    passage needs ``min_words`` words a side, so every one would overlap the copy on both sides and
    give way to it, unless the few words left over were alike on both sides; they are required to
    share no word at all.
    """
    if len(copies) != 1:
        return False
    a0, a1, b0, b1 = copies[0].tolist()
    if len(a_ids) - (a1 - a0 + 1) >= min_words or len(b_ids) - (b1 - b0 + 1) >= min_words:
        return False
    rest_a = a_ids[:a0].tolist() + a_ids[a1 + 1 :].tolist()  # a few words: sets beat numpy here
    return not set(rest_a).intersection(b_ids[:b0].tolist() + b_ids[b1 + 1 :].tolist())
