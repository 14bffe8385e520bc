"""Paraphrased claims across documents: sentence-level matching with corpus-relative evidence.

The aligner finds shared *wording*; talking points are shared *claims* in different words. We cut
each document into claim units (sentences, also split at line breaks so bullets and headlines
stand alone), describe each unit by the light stems of its content words (``terms.stem``:
"expelled" meets "expulsion"), weight each term by its inverse frequency among all units of
the corpus (a term every sentence uses says nothing; a date, a number or an event word that two
sentences share says a lot), and compare units of two documents by cosine.

Names are discounted: the words of one name phrase share one unit of weight, so sharing "the
National Council of Resistance of Iran" is one piece of evidence, not five. A match needs
several independent pieces of shared evidence, one of them specific (a name, a year, a count)
or else one piece more, and tokens inside within-source boilerplate are ignored altogether.

Everything is vectorised per document pair (one sparse product of two small unit matrices), and
the stage runs only on the document pairs the pipeline already considers, never all pairs.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import regex
from scipy import sparse

from reuse.model import PARAPHRASE, Document, Passage
from reuse.stages.score import smooth_idf
from reuse.text.spans import overlaps
from reuse.text.terms import is_content, name_runs, stem
from reuse.text.tokens import Tokens, sentence_spans

_LINE_BREAK = regex.compile(r"\n")


@dataclass(frozen=True, slots=True)
class Units:
    """Claim units of one document: token ranges (first, last inclusive) and their terms.

    Per unit, ``terms`` are distinct term column ids, ``weights`` the name discount of each
    (1.0 outside names; 1/sqrt(words) inside a name phrase, so a phrase weighs one term) and
    ``phrase`` the name phrase a term belongs to (-1 for ordinary words).
    """

    words: np.ndarray  # (n, 2) int64
    terms: list[np.ndarray]
    weights: list[np.ndarray]
    phrase: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.terms)

    def __add__(self, other: Units) -> Units:
        """These units, then ``other``'s, in one table: a document's sentences followed by its
        windows, so one sparse product per document pair compares both kinds."""
        return Units(words=np.concatenate((self.words, other.words)), terms=self.terms + other.terms,
                     weights=self.weights + other.weights, phrase=self.phrase + other.phrase)


def unit_ranges(text: str, tokens: Tokens, *, min_words: int) -> np.ndarray:
    """Token ranges of a document's sentences, also cut at line breaks; short ones dropped.

    A line break ends a claim in practice (bullets, headlines, bylines), even where the
    sentence splitter sees no terminal punctuation. Title-case lines (tags, navigation,
    headings: see ``HEADING_SHARE``) are dropped: they name topics, they do not make claims.
    """
    if len(tokens) == 0:
        return np.empty((0, 2), dtype=np.int64)
    bounds: list[tuple[int, int]] = []
    for s, e in _join_abbreviations(text, sentence_spans(text)):
        pos = s
        for m in _LINE_BREAK.finditer(text, s, e):
            bounds.append((pos, m.start()))
            pos = m.end()
        bounds.append((pos, e))
    arr = np.asarray(bounds, dtype=np.int64)
    first = np.searchsorted(tokens.starts, arr[:, 0], side="left")
    last = np.searchsorted(tokens.ends, arr[:, 1], side="right") - 1
    keep = ((last - first + 1) >= min_words) & ~_headings(text, tokens, first, last)
    return np.stack((first[keep], last[keep]), axis=1)


def window_ranges(text: str, tokens: Tokens, ranges: np.ndarray, *, size: int) -> np.ndarray:
    """Runs of 2 to ``size`` adjacent units of one paragraph, as token ranges (none when ``size`` < 2).

    A claim often takes two sentences ("Investigations revealed the plot was directed by a
    diplomat. He was arrested in Germany."), and the other document may say it in one. A window
    is matched like a sentence; it only wins where the second sentence adds shared evidence (see
    :func:`select_matches`). Windows never cross a line break: a new paragraph, bullet or
    headline is a new claim.
    """
    out = []
    for n in range(2, size + 1):
        for k in range(len(ranges) - n + 1):
            first, last = int(ranges[k, 0]), int(ranges[k + n - 1, 1])
            if "\n" not in text[int(tokens.starts[first]) : int(tokens.ends[last])]:
                out.append((first, last))
    return np.asarray(out, dtype=np.int64).reshape(-1, 2)


_ABBREVIATION = regex.compile(r"(?:^|\W)(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Sen|Rep|Gov|St|Jr|Sr|No|vs|etc|[A-Z])\.$")


def _join_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo sentence breaks after titles and initials ("... president-elect, Mrs. | Maryam Rajavi")."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _ABBREVIATION.search(text, max(out[-1][0], out[-1][1] - 6), out[-1][1]) \
                and "\n" not in text[out[-1][1]:s]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


HEADING_SHARE = 0.75
"""Unpunctuated lines with this share of capitalised content words are headings, tags or
navigation, not claims (a name-heavy sentence still ends with a full stop)."""
_CLOSED = regex.compile(r"[\"'”’»)\]]*[.!?…]")


def _headings(text: str, tokens: Tokens, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    upper = np.fromiter((text[s].isupper() for s in tokens.starts), dtype=bool, count=len(tokens))
    content = np.fromiter((is_content(n) and not n.isdigit() for n in tokens.norms), dtype=bool, count=len(tokens))
    out = np.zeros(len(first), dtype=bool)
    for k, (f, l) in enumerate(zip(first, last)):
        c = content[f : l + 1]
        closed = _CLOSED.match(text, int(tokens.ends[l])) is not None
        out[k] = not closed and c.sum() > 0 and (upper[f : l + 1] & c).sum() >= HEADING_SHARE * c.sum()
    return out


@dataclass
class Vocabulary:
    """Term ids of stems, and a readable surface form of each (the first word seen)."""

    ids: dict[str, int] = field(default_factory=dict)
    surface: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def get(self, norm: str) -> int | None:
        return self.ids.get(stem(norm))

    def add(self, norm: str) -> int:
        key = stem(norm)
        col = self.ids.get(key)
        if col is None:
            col = self.ids[key] = len(self.surface)
            self.surface.append(norm)
        return col


def build_units(
    tokens: Tokens, ranges: np.ndarray, *, names: frozenset[str], vocab: Vocabulary,
    ignore: np.ndarray | None = None, grow: bool = True, breaks: np.ndarray | None = None,
) -> Units:
    """Term ids (growing ``vocab`` unless ``grow`` is false), name discounts and name phrases of each unit.

    ``ignore`` marks tokens that never count (inside within-source boilerplate); with
    ``grow=False`` words the vocabulary does not know are left out. ``breaks`` (from
    :func:`terms.list_breaks`) splits lists of names into separate phrases.
    """
    runs = name_runs(tokens.norms, names, breaks)
    terms, weights, phrases = [], [], []
    for first, last in ranges:
        best: dict[int, tuple[float, int]] = {}
        phrase_len: dict[int, int] = {}
        for k in range(first, last + 1):
            if runs[k] >= 0 and is_content(tokens.norms[k]):
                phrase_len[runs[k]] = phrase_len.get(runs[k], 0) + 1
        for k in range(first, last + 1):
            norm = tokens.norms[k]
            if not is_content(norm) or (ignore is not None and ignore[k]):
                continue
            col = vocab.add(norm) if grow else vocab.get(norm)
            if col is None:
                continue
            run = int(runs[k])
            w = 1.0 / math.sqrt(phrase_len[run]) if run >= 0 else 1.0
            old = best.get(col)
            if old is None or w > old[0]:
                best[col] = (w, run)
        terms.append(np.fromiter(best.keys(), dtype=np.int64, count=len(best)))
        weights.append(np.fromiter((v[0] for v in best.values()), dtype=np.float64, count=len(best)))
        phrases.append(np.fromiter((v[1] for v in best.values()), dtype=np.int64, count=len(best)))
    return Units(words=np.asarray(ranges, dtype=np.int64).reshape(-1, 2), terms=terms, weights=weights, phrase=phrases)


def unit_idf(all_units: Sequence[Units], n_terms: int) -> np.ndarray:
    """Smoothed inverse unit frequency of every term over all units of the corpus."""
    df = np.zeros(n_terms, dtype=np.float64)
    n = 0
    for u in all_units:
        for cols in u.terms:
            df[cols] += 1
            n += 1
    return smooth_idf(n, df)


def unit_matrix(units: Units, idf: np.ndarray) -> sparse.csr_matrix:
    """L2-normalised rows: weight of term t in unit u = idf(t) x name discount."""
    n = len(units.terms)
    if n == 0:
        return sparse.csr_matrix((0, len(idf)), dtype=np.float64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(c) for c in units.terms])
    cols = np.concatenate(units.terms) if indptr[-1] else np.empty(0, dtype=np.int64)
    vals = np.concatenate(units.weights) * idf[cols] if indptr[-1] else np.empty(0)
    m = sparse.csr_matrix((vals, cols, indptr), shape=(n, len(idf)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """Unit ``a`` of one document matched with unit ``b`` of another."""

    a: int
    b: int
    score: float  # cosine of the two units' weighted term vectors
    shared: np.ndarray  # shared term ids, strongest contribution first
    evidence: int  # independent pieces of shared evidence (a name phrase counts once)
    claim_terms: int  # shared terms outside names
    anchors: int = 0  # shared specifics: name phrases and numbers (dates, counts, sums)


def match_units(
    ua: Units, ma: sparse.csr_matrix, ub: Units, mb: sparse.csr_matrix, idf: np.ndarray, *,
    min_score: float, background: np.ndarray, best_only: bool = True, numeric: np.ndarray | None = None,
) -> list[UnitMatch]:
    """Unit pairs of two documents with cosine >= ``min_score`` and their shared evidence.

    ``background`` terms (see :func:`background_terms`) still count in the cosine but are
    not evidence on their own.
    """
    if ma.shape[0] == 0 or mb.shape[0] == 0:
        return []
    sims = (ma @ mb.T).tocoo()
    keep = sims.data >= min_score
    if best_only and keep.any():
        # Competitive linking: a unit pair is kept only when it is the best match of at least one
        # of its units in the other document, so one generic sentence cannot fan out to many.
        best_a = np.zeros(ma.shape[0])
        best_b = np.zeros(mb.shape[0])
        np.maximum.at(best_a, sims.row, sims.data)
        np.maximum.at(best_b, sims.col, sims.data)
        keep &= (sims.data >= best_a[sims.row]) | (sims.data >= best_b[sims.col])
    out = []
    for a, b, score in zip(sims.row[keep], sims.col[keep], sims.data[keep]):
        ta, tb = ua.terms[a], ub.terms[b]
        shared, ia, ib = np.intersect1d(ta, tb, assume_unique=True, return_indices=True)
        contrib = ua.weights[a][ia] * ub.weights[b][ib] * idf[shared] ** 2
        order = np.argsort(-contrib, kind="stable")
        shared, ia, ib = shared[order], ia[order], ib[order]
        named = (ua.phrase[a][ia] >= 0) & (ub.phrase[b][ib] >= 0)
        strong = ~background[shared]
        claim = int((~named & strong).sum())
        phrases = len(set(ua.phrase[a][ia][named & strong].tolist()))
        numbers = int((numeric[shared] & ~named & strong).sum()) if numeric is not None else 0
        out.append(UnitMatch(int(a), int(b), float(score), shared, claim + phrases, claim, phrases + numbers))
    return out


def paraphrase_passages(
    da: Document, ta: Tokens, ua: Units, ma: sparse.csr_matrix,
    db: Document, tb: Tokens, ub: Units, mb: sparse.csr_matrix,
    idf: np.ndarray, vocab: Vocabulary, *, min_score: float, min_evidence: int, background: np.ndarray,
    numeric: np.ndarray,
) -> list[Passage]:
    """Passages of kind ``paraphrase``: unit pairs making the same claim in different words.

    A unit pair qualifies when its cosine reaches ``min_score`` and it shares at least
    ``min_evidence`` independent pieces of evidence of which one is *specific* (a name phrase,
    or a number of two or more digits: a year, a count, a sum), or one piece more when none
    is: two ordinary words ("students", "teachers") meet by chance in any large corpus, a name
    or a date with a claim word rarely does. A name phrase counts once, so a shared name alone
    never qualifies. ``numeric`` marks those numbers among the terms (:func:`specific_numbers`).
    Offsets are the units' word edges.
    """
    found = match_units(ua, ma, ub, mb, idf, min_score=min_score, background=background, numeric=numeric)
    out = []
    for m in select_matches([m for m in found if m.evidence >= min_evidence + (1 if m.anchors == 0 else 0)], ua, ub):
        (fa, la), (fb, lb) = ua.words[m.a], ub.words[m.b]
        a0, a1 = ta.char_span(int(fa), int(la))
        b0, b1 = tb.char_span(int(fb), int(lb))
        out.append(Passage(
            doc_a=da.id, a_start=a0, a_end=a1, doc_b=db.id, b_start=b0, b_end=b1, kind=PARAPHRASE,
            score=min(1.0, m.score), text_a=da.text[a0:a1], text_b=db.text[b0:b1],
            matched_words=len(m.shared),
            shared_terms=_evidence_terms(m.shared, background, vocab, ta.norms[fa : la + 1], tb.norms[fb : lb + 1]),
            a_words=(int(fa), int(la)), b_words=(int(fb), int(lb)),
        ))
    return out


def select_matches(matches: Sequence[UnitMatch], ua: Units, ub: Units) -> list[UnitMatch]:
    """The strongest matches, each kept only if it does not restate a stronger one.

    With windows a sentence pair and the window pairs around it all match; the strongest one
    is the passage, and a weaker match overlapping it on both sides adds nothing. (Matches that
    share one side only are kept: one sentence may restate two sentences of the other text.)
    """
    kept: list[UnitMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.a, m.b)):
        (fa, la), (fb, lb) = ua.words[m.a], ub.words[m.b]
        if not any(overlaps(fa, la + 1, ua.words[k.a][0], ua.words[k.a][1] + 1)
                   and overlaps(fb, lb + 1, ub.words[k.b][0], ub.words[k.b][1] + 1) for k in kept):
            kept.append(m)
    return kept


def _evidence_terms(shared: np.ndarray, background: np.ndarray, vocab: Vocabulary, words_a: Sequence[str],
                    words_b: Sequence[str], n: int = 8) -> tuple[str, ...]:
    """The shared words that are evidence, strongest first (background words only if none is).

    Each term is listed in the forms the two sides use ("expelled", "expulsion"), so a
    reader (or the report's highlighter) finds it in both texts.
    """
    evidence = [int(t) for t in shared if not background[t]] or [int(t) for t in shared]
    evidence = evidence[:n]
    forms: dict[int, list[str]] = {t: [] for t in evidence}
    for word in (*words_a, *words_b):
        col = vocab.get(word)
        if col in forms and word not in forms[col]:
            forms[col].append(word)
    return tuple(w for t in evidence for w in (forms[t] or [vocab.surface[t]]))


MIN_DOCS_FOR_SHARE = 20
"""A share of *documents* says something about a term only in a corpus this large (a quarter
of 20 documents is five); below it, only the per-sentence rule applies."""


def background_terms(all_units: Sequence[Units], n_terms: int, share: float) -> np.ndarray:
    """Terms that set the scene rather than make a claim: per term, True when background.

    A background term is in at least ``share`` of all units *and* recurs within the documents
    using it (on average in two or more units each), the way a topic word does ("regime" in
    an article about Iran). A claim is typically stated once per document, so a campaign's
    words stay evidence however many documents repeat them: this is not a global df cut.
    In a corpus of at least ``MIN_DOCS_FOR_SHARE`` documents, a term in ``share`` of the
    *documents* is background too: there, words like "year" or "web site" are everywhere while
    a campaign's words are concentrated in the campaign's documents.
    """
    unit_df = np.zeros(n_terms, dtype=np.float64)
    doc_df = np.zeros(n_terms, dtype=np.float64)
    n = 0
    for u in all_units:
        seen = np.zeros(n_terms, dtype=bool)
        for cols in u.terms:
            unit_df[cols] += 1
            seen[cols] = True
            n += 1
        doc_df += seen
    topical = (unit_df >= share * n) & (unit_df >= 2 * np.maximum(doc_df, 1))
    n_docs = len(all_units)
    widespread = (doc_df >= share * n_docs) if n_docs >= MIN_DOCS_FOR_SHARE else np.zeros(n_terms, dtype=bool)
    return topical | widespread


def specific_numbers(vocab: Vocabulary) -> np.ndarray:
    """Per term, whether it is a number of two or more digits (years, counts, sums)."""
    return np.fromiter((w.isdigit() and len(w) > 1 for w in vocab.surface), dtype=bool, count=len(vocab))
