"""Claim evidence: what two units must share to be reported as making the same claim.

Two sentences on one topic share its vocabulary ("regime", "terrorism", "opposition") and may
reach a fair cosine; two sentences making one claim share its *specifics*: who (named actors and
places), when and how much (dates, numbers), and what happened (the event, as lemmas: "expelled"
and "expulsion", "arrested" and "arrest"). A unit pair is judged on those, not on cosine alone:

* every shared term is sorted into one kind of evidence: a **name** phrase (counted once however
  many words it has), a **number** or **date**, or an **event** term (any other content lemma);
  words adjacent in both texts ("obsessive compulsive") are one piece, at their rarest word;
* background terms (:func:`units.background_terms`: in a large share of the corpus's sentences
  and recurring within its documents, the way "regime" recurs in articles about Iran) are the
  *topic*: they count in the cosine, never as evidence;
* a pair is a claim match when its cosine reaches ``paraphrase_min_score`` and it shares enough
  evidence, of the right kinds, to be more than chance in a corpus of this size (:func:`is_claim`).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reuse.stages.candidates import sorted_unique
from reuse.stages.talking.unit_rows import UnitRows, UnitTable
from reuse.stages.talking.units import ENTRY_DATE, ENTRY_NAME, ENTRY_NUMBER, DocUnits, flat_ranges


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """Unit ``a`` of document ``i`` matched with unit ``b`` of document ``j``."""

    i: int
    a: int
    j: int
    b: int
    score: float  # cosine of the two units' weighted term vectors
    shared: np.ndarray  # shared evidence term ids, strongest first (topic terms after them)
    names: int  # shared name phrases
    specifics: int  # shared numbers and dates
    events: int  # shared event terms
    strength: float = 0.0  # surprise of the shared evidence: sum over pieces of log(units / unit frequency)
    choices: float = 0.0  # log of the number of ways the smaller unit could share this many pieces

    @property
    def evidence(self) -> int:
        return self.names + self.specifics + self.events


@dataclass(frozen=True, slots=True)
class Judged:
    """The evidence of a batch of unit pairs (:func:`judge_pairs`), one entry per pair."""

    names: np.ndarray
    specifics: np.ndarray
    events: np.ndarray
    strength: np.ndarray
    choices: np.ndarray
    shared_at: np.ndarray  # pair k's shared terms are shared[shared_at[k]:shared_at[k+1]]
    shared: np.ndarray

    def match(self, k: int, i: int, a: int, j: int, b: int, score: float) -> UnitMatch:
        return UnitMatch(i, a, j, b, score, self.shared[self.shared_at[k] : self.shared_at[k + 1]], int(self.names[k]),
                         int(self.specifics[k]), int(self.events[k]), float(self.strength[k]), float(self.choices[k]))


def judge(i: int, a: int, da: DocUnits, j: int, b: int, db: DocUnits, score: float, background: np.ndarray,
          surprise: np.ndarray, phrases: bool = True) -> UnitMatch:
    """The evidence sentence ``a`` of ``da`` and sentence ``b`` of ``db`` share (one pair of
    :func:`judge_pairs`; a window's entries are derived, :class:`.unit_rows.UnitRows`)."""
    table = UnitTable(np.r_[da.indptr, db.indptr[1:] + da.indptr[-1]],
                      *(np.concatenate((getattr(da, f), getattr(db, f))) for f in ("terms", "weights", "pos", "flags")))
    judged = judge_pairs(table, np.array([[a, len(da) + b]]), background, surprise, np.array([phrases]))
    return judged.match(0, i, a, j, b, score)


def judge_pairs(table: UnitTable, pairs: np.ndarray, background: np.ndarray, surprise: np.ndarray,
                phrases: np.ndarray) -> Judged:
    """The evidence each row pair ``(ra, rb)`` of ``table`` shares, all pairs at once.

    ``surprise[t]`` is ``log(n_units / unit_df(t))``: the strength of a shared evidence term is
    its surprise, and a name phrase counts once, at its rarest word; so does a run of words
    adjacent in both texts, unless ``phrases[k]`` is false (see :func:`is_claim`). Per pair, the
    shared terms run strongest first (by weight product), background (topic) terms after them.
    """
    n_pairs, n_terms = len(pairs), len(background)
    ea, owner_a = _entries(table.indptr, pairs[:, 0])
    eb, owner_b = _entries(table.indptr, pairs[:, 1])
    # a unit's terms are sorted and distinct: (pair, term) keys ascend, and one search intersects them all
    ka = owner_a * n_terms + table.terms[ea]
    kb = owner_b * n_terms + table.terms[eb]
    at = np.minimum(np.searchsorted(kb, ka), max(len(kb) - 1, 0))
    hit = kb[at] == ka if len(kb) else np.zeros(len(ka), bool)
    ia, ib, pair = ea[hit], eb[at[hit]], owner_a[hit]
    contrib = table.weights[ia].astype(np.float64) * table.weights[ib]
    order = np.lexsort((-contrib, pair))  # stable: equal contributions keep term order
    ia, ib, pair = ia[order], ib[order], pair[order]
    term = table.terms[ia]
    fa, fb = table.flags[ia], table.flags[ib]
    strong = ~background[term]
    named = ((fa & ENTRY_NAME) > 0) & ((fb & ENTRY_NAME) > 0)
    specific = (((fa | fb) & (ENTRY_NUMBER | ENTRY_DATE)) > 0) & ~named
    # positions are as narrow as they fit (uint16): their differences are taken in 64 bits
    piece = _piece_ids(pair, table.pos[ia].astype(np.int64), table.pos[ib].astype(np.int64), named, strong, phrases)

    has = np.flatnonzero(piece >= 0)
    by_piece = has[np.argsort(piece[has], kind="stable")]  # each piece's entries in order of strength
    starts = np.flatnonzero(np.r_[True, piece[by_piece][1:] != piece[by_piece][:-1]]) if len(has) else has
    rarest = np.maximum(np.maximum.reduceat(surprise[term[by_piece]], starts), 0.0) if len(has) else np.empty(0)
    kind = np.minimum.reduceat(np.where(named[by_piece], 0, np.where(specific[by_piece], 1, 2)), starts) \
        if len(has) else np.empty(0, np.int64)
    first = by_piece[starts]
    counts = [np.bincount(pair[first[kind == c]], minlength=n_pairs) for c in (0, 1, 2)]
    strength = _sums_in_order(pair[first], first, rarest, n_pairs)
    k = np.minimum(_unit_pieces(table, ea, owner_a, background, n_pairs), _unit_pieces(table, eb, owner_b, background, n_pairs))
    m = counts[0] + counts[1] + counts[2]
    lg = np.array([math.lgamma(x) if x else 0.0 for x in range(int(k.max(initial=0)) + 2)])
    choices = np.where(k >= m, lg[k + 1] - lg[np.minimum(m, k) + 1] - lg[np.maximum(k - m, 0) + 1], 0.0)
    topic_last = np.lexsort((~strong, pair))
    shared_at = np.searchsorted(pair[topic_last], np.arange(n_pairs + 1))
    return Judged(counts[0], counts[1], counts[2], strength, choices, shared_at, term[topic_last])


def claim_matches(units: UnitRows, rows: np.ndarray, row_doc: np.ndarray, first_row: np.ndarray, scores: np.ndarray,
                  nominated: np.ndarray, background: np.ndarray, surprise: np.ndarray, min_evidence: int,
                  n_units: int) -> list[UnitMatch]:
    """The row pairs ``rows`` of ``units`` (with their cosines ``scores``) that are claim matches:
    :func:`judge_pairs` (over the pairs' rows, made whole), then :func:`is_claim` (``nominated`` per
    pair), in order; each match names its documents (``row_doc``) and its units within them (counted
    from ``first_row``)."""
    used, local = np.unique(rows, return_inverse=True)
    judged = judge_pairs(units.gather(used), local.reshape(rows.shape), background, surprise, ~nominated)
    claims = is_claim(judged, min_evidence, n_units, nominated)
    out = []
    for k in np.flatnonzero(claims).tolist():
        ra, rb = rows[k].tolist()
        i, j = int(row_doc[ra]), int(row_doc[rb])
        out.append(judged.match(k, i, ra - int(first_row[i]), j, rb - int(first_row[j]), float(scores[k])))
    return out


def _entries(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entry indices of ``rows`` in order, and for each the position of its row in ``rows``."""
    lo, hi = indptr[rows], indptr[rows + 1]
    return flat_ranges(lo, hi), np.repeat(np.arange(len(rows), dtype=np.int64), hi - lo)


def _sums_in_order(owner: np.ndarray, order: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per owner, the sum of its values added one by one in ``order`` (so float rounding is the
    same as a Python ``sum`` over them, whatever the batch)."""
    out = np.zeros(n)
    if len(values) == 0:
        return out
    s = np.lexsort((order, owner))
    owner, values = owner[s], values[s]
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner)
    by_rank = np.argsort(rank, kind="stable")
    bounds = np.searchsorted(rank[by_rank], np.arange(int(rank.max()) + 2))
    for r in range(len(bounds) - 1):
        take = by_rank[bounds[r] : bounds[r + 1]]  # at most one value per owner
        out[owner[take]] += values[take]
    return out


def _piece_ids(pair: np.ndarray, pa: np.ndarray, pb: np.ndarray, named: np.ndarray, strong: np.ndarray,
               phrases: np.ndarray) -> np.ndarray:
    """Per shared term, the piece of evidence it belongs to (-1 for background terms).

    A name phrase is one piece (its words share a position); so is a run of other words adjacent
    in both texts ("obsessive compulsive", "interest rate"): the second word of a set phrase
    follows from the first, so it is no second coincidence. Where ``phrases`` holds, so is a run
    that mixes the two ("lix Enr quez Alcal", a name its accents cut up into capitalised and
    lower-case words): one stretch of text that both documents carry is one coincidence however
    its words are classed, and counting each as its own turned one recurring name into four
    pieces, enough to pass the all-pairs bar for every two of the thousands of documents citing it.
    """
    out = np.full(len(pa), -1, dtype=np.int64)
    k = np.flatnonzero(named & strong)
    if len(k):  # a name phrase: its first word's position in a
        out[k] = np.unique((pair[k] << 32) | pa[k].astype(np.int64), return_inverse=True)[1].ravel()
    k = np.flatnonzero(~named & strong)
    if len(k):
        k = k[np.lexsort((pa[k], pair[k]))]  # stable: ties keep the order of strength
        joined = (pair[k][1:] == pair[k][:-1]) & (np.diff(pa[k]) == 1) & (np.abs(np.diff(pb[k])) == 1) \
            & phrases[pair[k][1:]]
        out[k] = len(pa) + np.cumsum(np.r_[True, ~joined])
    return _join_adjacent_pieces(out, pair, pa, pb, named, phrases)


def _join_adjacent_pieces(piece: np.ndarray, pair: np.ndarray, pa: np.ndarray, pb: np.ndarray, named: np.ndarray,
                          phrases: np.ndarray) -> np.ndarray:
    """``piece`` with pieces that follow each other directly in both texts made one (pairs where
    ``phrases`` holds). A piece spans its words' positions; a name piece, whose words all carry
    its first word's position, spans as many words as it shares (a lower bound when glue words
    such as "of" sit inside it, so such a name only ever joins less, never more)."""
    has = np.flatnonzero(piece >= 0)
    if len(has) == 0:
        return piece
    ids, inv, size = np.unique(piece[has], return_inverse=True, return_counts=True)
    inv = inv.ravel()
    n = len(ids)
    owner = np.zeros(n, dtype=np.int64)
    owner[inv] = pair[has]
    lo_a, lo_b = np.full(n, np.iinfo(np.int64).max), np.full(n, np.iinfo(np.int64).max)
    hi_a, hi_b = np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    np.minimum.at(lo_a, inv, pa[has])
    np.minimum.at(lo_b, inv, pb[has])
    np.maximum.at(hi_a, inv, pa[has])
    np.maximum.at(hi_b, inv, pb[has])
    is_name = np.zeros(n, dtype=bool)
    is_name[inv] = named[has]
    hi_a = np.where(is_name, lo_a + size - 1, hi_a)
    hi_b = np.where(is_name, lo_b + size - 1, hi_b)
    order = np.lexsort((lo_a, owner))
    o, nx = order[:-1], order[1:]
    joined = (owner[nx] == owner[o]) & phrases[owner[nx]] & (lo_a[nx] == hi_a[o] + 1) \
        & ((lo_b[nx] == hi_b[o] + 1) | (hi_b[nx] == lo_b[o] - 1))
    merged = np.empty(n, dtype=np.int64)
    merged[order] = np.cumsum(np.r_[True, ~joined])
    out = piece.copy()
    out[has] = merged[inv]
    return out


def _unit_pieces(table: UnitTable, entries: np.ndarray, owner: np.ndarray, background: np.ndarray, n: int) -> np.ndarray:
    """Per owner, the pieces of evidence its unit could share: its terms outside the background, a name phrase once."""
    ok = ~background[table.terms[entries]]
    named = (table.flags[entries] & ENTRY_NAME) > 0
    plain = np.bincount(owner[ok & ~named], minlength=n)
    k = ok & named
    phrases = sorted_unique((owner[k] << 32) | table.pos[entries[k]].astype(np.int64))
    return plain + np.bincount(phrases >> 32, minlength=n)


def is_claim(m: UnitMatch | Judged, min_evidence: int, n_units: int, nominated: bool | np.ndarray = False
             ) -> bool | np.ndarray:
    """Whether the shared evidence supports a claim in a corpus of ``n_units`` units (per pair of a
    :class:`Judged` batch, ``nominated`` then per pair too).

    Structure first: at least ``min_evidence`` pieces, one of them an event term, when a name,
    number or date is among them; ``min_evidence + 1`` event terms when none is. A piece is a
    name phrase, or a run of words adjacent in both texts, names among them or not
    (:func:`_piece_ids`): "obsessive compulsive" is one coincidence, not two (the match must come from :func:`judge` with the
    same ``phrases`` as ``not nominated``). Then chance: with ``n`` units, a set of shared
    terms with unit frequencies ``df_t`` turns up in about ``n * prod(df_t / n)`` units by
    chance. The evidence index searches all ``n**2 / 2`` unit pairs, so a match there must beat
    chance over the whole corpus: each pair able to share ``m`` of its ``k`` pieces in
    ``C(k, m)`` ways, ``strength >= 2 log n - log 2 + log C(k, m)``. That bar holds for every
    match of a document pair found only by the index (not ``nominated``): a shared name plus one
    event word ("Smith", "obsessive compulsive") is rarer than one unit in the corpus, yet among
    ten thousand articles such matches joined thousands of unrelated pairs. Inside a pair the
    aligner already has a record of (``nominated``; a passage there adds no pair), the search is
    that pair's sentences, and the bar is the older, looser one: pieces are name phrases and
    single words (:func:`judge` with ``phrases`` false), and a match with a name, number or date
    needs a strength of ``log n``: rarer than one unit in the corpus. The bars rise with the corpus: three rare words
    meet by chance among a million articles' sentences (and among random text:
    ``benchmarks/bench_talking.py synth``), not among five articles'.
    """
    log_n = math.log(max(n_units, 2))
    all_pairs = m.strength >= 2 * log_n - math.log(2) + m.choices
    evidence = m.names + m.specifics + m.events
    with_specifics = (evidence >= min_evidence) & (m.events >= 1) & np.where(nominated, m.strength >= log_n, all_pairs)
    out = np.where(m.names + m.specifics > 0, with_specifics, (m.events >= min_evidence + 1) & all_pairs)
    return bool(out) if isinstance(m, UnitMatch) else out


def select_matches(matches: Sequence[UnitMatch], da: DocUnits, db: DocUnits) -> list[UnitMatch]:
    """The strongest matches of one document pair, each kept only if it does not restate a stronger one.

    With windows a sentence pair and the window pairs around it all match; the strongest is the
    passage, and a weaker match overlapping it on both sides adds nothing. (Matches sharing one
    side only are kept: one sentence may restate two sentences of the other text.)
    """
    kept: list[UnitMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.a, m.b)):
        (fa, la), (fb, lb) = da.words[m.a], db.words[m.b]
        if not any(da.words[k.a][0] <= la and fa <= da.words[k.a][1] and db.words[k.b][0] <= lb
                   and fb <= db.words[k.b][1] for k in kept):
            kept.append(m)
    return kept
