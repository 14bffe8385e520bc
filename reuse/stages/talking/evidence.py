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

from reuse.stages.talking.units import ENTRY_DATE, ENTRY_NAME, ENTRY_NUMBER, DocUnits


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


def judge(i: int, a: int, da: DocUnits, j: int, b: int, db: DocUnits, score: float, background: np.ndarray,
          surprise: np.ndarray, phrases: bool = True) -> UnitMatch:
    """The evidence unit ``a`` of ``da`` and unit ``b`` of ``db`` share.

    ``surprise[t]`` is ``log(n_units / unit_df(t))``: the strength of a shared evidence term is
    its surprise, and a name phrase counts once, at its rarest word; so does a run of words
    adjacent in both texts, unless ``phrases`` is false (see :func:`is_claim`).
    """
    sa, sb = da.unit(a), db.unit(b)
    ta, tb = da.terms[sa], db.terms[sb]
    shared, ia, ib = np.intersect1d(ta, tb, assume_unique=True, return_indices=True)
    contrib = da.weights[sa][ia].astype(np.float64) * db.weights[sb][ib]
    order = np.argsort(-contrib, kind="stable")
    shared, ia, ib = shared[order], ia[order], ib[order]
    fa, fb = da.flags[sa][ia], db.flags[sb][ib]
    strong = ~background[shared]
    named = ((fa & ENTRY_NAME) > 0) & ((fb & ENTRY_NAME) > 0)
    specific = (((fa | fb) & (ENTRY_NUMBER | ENTRY_DATE)) > 0) & ~named
    piece = _piece_ids(da.pos[sa][ia], db.pos[sb][ib], named, strong, phrases)
    rarest: dict[int, float] = {}
    kind: dict[int, int] = {}  # 0 name, 1 number or date, 2 event
    for p, t, nm, sp in zip(piece.tolist(), shared.tolist(), named.tolist(), specific.tolist()):
        if p >= 0:
            rarest[p] = max(rarest.get(p, 0.0), float(surprise[t]))
            kind[p] = min(kind.get(p, 2), 0 if nm else 1 if sp else 2)
    kinds = list(kind.values())
    names, specifics, events = kinds.count(0), kinds.count(1), kinds.count(2)
    strength = sum(rarest.values())
    k = min(_pieces(da, sa, background), _pieces(db, sb, background))
    m = names + specifics + events
    choices = math.lgamma(k + 1) - math.lgamma(m + 1) - math.lgamma(k - m + 1) if k >= m else 0.0
    shared = np.concatenate((shared[strong], shared[~strong]))
    return UnitMatch(i, a, j, b, score, shared, names, specifics, events, strength, choices)


def _piece_ids(pa: np.ndarray, pb: np.ndarray, named: np.ndarray, strong: np.ndarray, phrases: bool) -> np.ndarray:
    """Per shared term, the piece of evidence it belongs to (-1 for background terms).

    A name phrase is one piece (its words share a position); so is a run of other words adjacent
    in both texts ("obsessive compulsive", "interest rate"): the second word of a set phrase
    follows from the first, so it is no second coincidence.
    """
    out = np.full(len(pa), -1, dtype=np.int64)
    k = np.flatnonzero(named & strong)
    out[k] = np.unique(pa[k], return_inverse=True)[1].ravel()  # a name phrase: its first word's position in a
    k = np.flatnonzero(~named & strong)
    if len(k):
        k = k[np.argsort(pa[k], kind="stable")]
        joined = (np.diff(pa[k]) == 1) & (np.abs(np.diff(pb[k])) == 1) & phrases
        out[k] = len(pa) + np.cumsum(np.r_[True, ~joined])
    return out


def _pieces(d: DocUnits, s: slice, background: np.ndarray) -> int:
    """Pieces of evidence a unit could share: its terms outside the background, a name phrase once."""
    terms, named = d.terms[s], (d.flags[s] & ENTRY_NAME) > 0
    ok = ~background[terms]
    return int((ok & ~named).sum()) + len(set(d.pos[s][ok & named].tolist()))


def is_claim(m: UnitMatch, min_evidence: int, n_units: int, nominated: bool = False) -> bool:
    """Whether the shared evidence supports a claim in a corpus of ``n_units`` units.

    Structure first: at least ``min_evidence`` pieces, one of them an event term, when a name,
    number or date is among them; ``min_evidence + 1`` event terms when none is. A piece is a
    name phrase, or a run of words adjacent in both texts (:func:`_piece_ids`): "obsessive
    compulsive" is one coincidence, not two (the match must come from :func:`judge` with the
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
    if m.names + m.specifics > 0:
        return m.evidence >= min_evidence and m.events >= 1 and (m.strength >= log_n if nominated else all_pairs)
    return m.events >= min_evidence + 1 and all_pairs


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
