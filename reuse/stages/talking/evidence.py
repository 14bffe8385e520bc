"""Claim evidence: what two units must share to be reported as making the same claim.

Two sentences on one topic share its vocabulary ("regime", "terrorism", "opposition") and may
reach a fair cosine; two sentences making one claim share its *specifics*: who (named actors and
places), when and how much (dates, numbers), and what happened (the event, as lemmas: "expelled"
and "expulsion", "arrested" and "arrest"). A unit pair is judged on those, not on cosine alone:

* every shared term is sorted into one kind of evidence: a **name** phrase (counted once however
  many words it has), a **number** or **date**, or an **event** term (any other content lemma);
* background terms (:func:`units.background_terms`) and terms that recur in many sentences of
  either document (that document's topic, see :func:`local_topic`) are *topic*: they count in
  the cosine, never as evidence;
* a pair is a claim match when it shares at least ``min_evidence`` pieces of evidence of which
  one is *specific* (a name, number or date) and one is an event term, or ``min_evidence + 1``
  event terms when nothing specific is shared.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reuse.stages.talking.units import ENTRY_DATE, ENTRY_NAME, ENTRY_NUMBER, DocUnits

TOPIC_SHARE = 0.2
"""A term in more than this share of a document's sentences (and in three or more of them) is
that document's topic: the article is *about* it, so sharing it says nothing about a claim."""


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
    strength: float = 0.0  # surprise of the shared evidence: sum of log(units / unit frequency)

    @property
    def evidence(self) -> int:
        return self.names + self.specifics + self.events


def local_topic(doc: DocUnits) -> np.ndarray:
    """Term ids that are the topic of this document: in > ``TOPIC_SHARE`` of its sentences (and >= 3)."""
    n = doc.n_sentences
    if n == 0:
        return np.empty(0, dtype=np.int32)
    terms = doc.terms[: doc.indptr[n]]
    u, c = np.unique(terms, return_counts=True)
    return u[(c >= 3) & (c > TOPIC_SHARE * n)]


def judge(i: int, a: int, da: DocUnits, topic_a: np.ndarray, j: int, b: int, db: DocUnits, topic_b: np.ndarray,
          score: float, background: np.ndarray, surprise: np.ndarray) -> UnitMatch:
    """The evidence unit ``a`` of ``da`` and unit ``b`` of ``db`` share.

    ``surprise[t]`` is ``log(n_units / unit_df(t))``: the strength of a shared evidence term is
    its surprise, and a name phrase counts once, at its rarest word.
    """
    sa, sb = da.unit(a), db.unit(b)
    ta, tb = da.terms[sa], db.terms[sb]
    shared, ia, ib = np.intersect1d(ta, tb, assume_unique=True, return_indices=True)
    contrib = da.weights[sa][ia].astype(np.float64) * db.weights[sb][ib]
    order = np.argsort(-contrib, kind="stable")
    shared, ia, ib = shared[order], ia[order], ib[order]
    fa, fb = da.flags[sa][ia], db.flags[sb][ib]
    strong = ~background[shared] & ~np.isin(shared, topic_a) & ~np.isin(shared, topic_b)
    named = ((fa & ENTRY_NAME) > 0) & ((fb & ENTRY_NAME) > 0)
    specific = (((fa | fb) & (ENTRY_NUMBER | ENTRY_DATE)) > 0) & ~named
    phrase = da.phrase[sa][ia]
    rarest: dict[int, float] = {}
    for p, t in zip(phrase[named & strong].tolist(), shared[named & strong].tolist()):
        rarest[p] = max(rarest.get(p, 0.0), float(surprise[t]))
    names = len(rarest)
    plain = ~named & strong
    specifics = int((specific & strong).sum())
    events = int((plain & ~specific).sum())
    strength = sum(rarest.values()) + float(surprise[shared[plain]].sum())
    shared = np.concatenate((shared[strong], shared[~strong]))
    return UnitMatch(i, a, j, b, score, shared, names, specifics, events, strength)


def is_claim(m: UnitMatch, min_evidence: int, min_strength: float) -> bool:
    """Whether the shared evidence supports a claim (see the module docstring)."""
    if m.strength < min_strength:
        return False
    if m.names + m.specifics > 0:
        return m.evidence >= min_evidence and m.events >= 1
    return m.events >= min_evidence + 1


def chance_strength(n_units: int) -> float:
    """The evidence strength two units of a corpus of ``n_units`` share by chance about once.

    With ``n`` units there are about ``n**2`` unit pairs; a set of shared terms with unit
    frequencies ``df_t`` turns up in about ``n**2 * prod(df_t / n)`` of them by chance. Shared
    evidence counts only when that expectation is below one: ``sum(log(n / df_t)) >= 2 log n``.
    So the bar rises with the corpus: two rare words meet by chance among a million articles'
    sentences, not among five articles'.
    """
    return 2.0 * float(np.log(max(n_units, 2)))


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
