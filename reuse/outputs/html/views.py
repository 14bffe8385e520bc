"""What each part of the HTML report shows, computed once from :class:`~reuse.model.Results`.

Templates only lay these out: every number, colour index, mark and escape decision is made here,
where it can be unit-tested without a browser.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from reuse.model import Cluster, Document, Pair, Passage, Results, source_of
from reuse.outputs.explain import explain_score, safe_url
from reuse.outputs.html.markup import COLOURS, Mark, context, highlight, highlight_terms
from reuse.outputs.wordmatch import shared_runs, shift
from reuse.text.tokens import normalize, tokenize


@dataclass(frozen=True, slots=True)
class PairRow:
    """One line of the pair list (every pair, with or without shared passages)."""

    rank: int
    pair: Pair
    source_a: str
    source_b: str
    href: str | None  # where its side-by-side view is; None when there is nothing to show


@dataclass(frozen=True, slots=True)
class PassageView:
    no: int
    passage: Passage
    colour: int
    context_a: Markup
    context_b: Markup
    shared_words: int  # words inside exact shared runs (smaller side), for the label


@dataclass(frozen=True, slots=True)
class PairView:
    """One pair side by side: both full texts marked, and the passages with context."""

    no: int
    anchor: str
    pair: Pair
    doc_a: Document
    doc_b: Document
    source_a: str
    source_b: str
    passages: list[PassageView]
    html_a: Markup
    html_b: Markup
    explain: str = ""  # the score in words, beside its number
    url_a: str | None = None  # http(s) URLs only: safe to link
    url_b: str | None = None


@dataclass(frozen=True, slots=True)
class MemberView:
    doc: str
    source: str | None
    date: str | None
    before: str
    html: Markup
    after: str
    url: str | None = None  # http(s) only


@dataclass(frozen=True, slots=True)
class ClusterView:
    """One talking point across all its sources (N-way)."""

    no: int
    anchor: str
    cluster: Cluster
    members: list[MemberView]
    terms: list[str] = field(default_factory=list)


def passages_by_pair(results: Results) -> dict[tuple[str, str], list[Passage]]:
    grouped: dict[tuple[str, str], list[Passage]] = defaultdict(list)
    for p in results.passages:
        grouped[(p.doc_a, p.doc_b)].append(p)
    return grouped


def pair_view(no: int, pair: Pair, doc_a: Document, doc_b: Document, passages: list[Passage]) -> PairView:
    """Mark every passage in its colour on both sides; inside edited ones mark the exact shared words."""
    marks_a: list[Mark] = []
    marks_b: list[Mark] = []
    views: list[PassageView] = []
    for k, p in enumerate(sorted(passages, key=lambda p: (p.a_start, p.b_start))):
        text_a, text_b = doc_a.text[p.a_start:p.a_end], doc_b.text[p.b_start:p.b_end]
        runs_a, runs_b = shared_runs(text_a, text_b, reordered=p.kind == "paraphrase")
        exact = p.kind == "verbatim"
        ma = Mark(p.a_start, p.a_end, k, p.kind, () if exact else shift(runs_a, p.a_start))
        mb = Mark(p.b_start, p.b_end, k, p.kind, () if exact else shift(runs_b, p.b_start))
        marks_a.append(ma)
        marks_b.append(mb)
        words = min(_words_in(text_a, runs_a), _words_in(text_b, runs_b))
        views.append(PassageView(k, p, k % COLOURS, context(doc_a.text, ma), context(doc_b.text, mb), words))
    return PairView(
        no=no, anchor=f"pair-{no}", pair=pair, doc_a=doc_a, doc_b=doc_b,
        source_a=source_of(doc_a), source_b=source_of(doc_b), passages=views,
        html_a=highlight(doc_a.text, marks_a), html_b=highlight(doc_b.text, marks_b),
        explain=explain_score(pair, passages), url_a=safe_url(doc_a.url), url_b=safe_url(doc_b.url),
    )


def _words_in(text: str, runs: list[tuple[int, int]]) -> int:
    return sum(len(tokenize(text[s:e])) for s, e in runs)


def cluster_view(no: int, cluster: Cluster, docs: dict[str, Document], context_chars: int = 160) -> ClusterView:
    """Members ordered by date then source, each with a little context, shared terms marked.

    The cluster's own ``shared_terms`` are used when it has them; otherwise the content words
    (not English stop words) that occur in at least two members.
    """
    terms = [normalize(t) for t in cluster.shared_terms]
    if not terms:
        terms = _common_terms([m.text for m in cluster.members])
    members = []
    for m in sorted(cluster.members, key=lambda m: (m.date or "", m.source or "", m.doc)):
        doc = docs.get(m.doc)
        before = after = ""
        if doc is not None and doc.text[m.start:m.end] == m.text:
            lo, hi = max(0, m.start - context_chars), min(len(doc.text), m.end + context_chars)
            before = doc.text[lo:m.start] if lo == 0 else _trim_left(doc.text[lo:m.start])
            after = doc.text[m.end:hi] if hi == len(doc.text) else _trim_right(doc.text[m.end:hi])
        source = m.source or (source_of(doc) if doc is not None else None)
        date = m.date or (doc.date if doc is not None else None)
        url = safe_url(doc.url) if doc is not None else None
        members.append(MemberView(m.doc, source, date, before, highlight_terms(m.text, terms), after, url))
    return ClusterView(no, f"tp-{no}", cluster, members, terms)


def _common_terms(texts: list[str]) -> list[str]:
    seen: dict[str, int] = defaultdict(int)
    for text in texts:
        for norm in set(tokenize(text).norms):
            if norm not in ENGLISH_STOP_WORDS and len(norm) > 1:
                seen[norm] += 1
    return sorted(t for t, n in seen.items() if n >= 2)


def _trim_left(s: str) -> str:
    cut = s.find(" ")
    return ("…" + s[cut + 1:]) if cut != -1 else s


def _trim_right(s: str) -> str:
    cut = s.rfind(" ")
    return (s[:cut] + "…") if cut != -1 else s
