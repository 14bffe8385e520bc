"""Passage alignment: seed on shared word n-grams, extend exact runs, merge runs across gaps.

Works on token arrays, so boundaries always fall on word edges and offsets come from token spans
into the original texts. A single gap-free run is ``verbatim``; runs joined across small gaps
(inserted, deleted or replaced words) form one ``fuzzy`` passage, so an edited copy is reported
once rather than as a dozen fragments.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reuse.config import ReuseConfig
from reuse.model import Document, Passage
from reuse.stages.align.cascade import leaves_unexplained, one_copy_covers, similar_units, sure_paraphrase_seeds
from reuse.stages.align.extend import Cluster, extend, fit
from reuse.stages.align.filter import Span, resolve_overlaps
from reuse.stages.align.kinds import FUZZY_MIN_SHARE, classify, cover_runs
from reuse.stages.align.reorder import moved_copies
from reuse.stages.align.runs import word_evidence
from reuse.stages.align.units import Units, cached_sentence_units, unique_unit_pairs
from reuse.text.tokens import CHARACTER_WORD_SHARE, Tokens, word_count

SUMMARY_MAX_SINGLE_COVER = 0.8
"""A summary candidate whose short side is mostly (this share) inside one ordinary passage is not a summary."""
COPY_MIN_SIMILARITY = 0.9
"""Whole-passage cosine from which a passage reads as a near-copy rather than a rewording."""
COPY_MIN_COVER = 0.9
"""A sentence passage with this share of one side inside one chained copy is snapped to the copy."""


def _sentence_spans(
    da: Document, ta: Tokens, db: Document, tb: Tokens, matches: np.ndarray, copies: list[Span], config: ReuseConfig,
    word_spans: Sequence[Span] = (), terms: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[list[Span], list[Span]]:
    """Passages from sentence seeds clustered on both axes, with summaries of long passages.

    Returns the passages and the *moved copies*: ``word_spans`` (the pair's chained exact runs)
    freed from a passage that merged them across a reordering (see :mod:`reuse.stages.align.reorder`);
    each stands as a passage of its own, however short. When the cascade finds nothing the copies
    leave unexplained (:mod:`reuse.stages.align.cascade`), the copies are the answer.
    """
    boxes = np.array([(c.a_first, c.a_last, c.b_first, c.b_last) for c in copies], np.int64).reshape(-1, 4)
    if one_copy_covers(boxes, ta.ids, tb.ids, config.min_passage_words):
        return list(copies), []  # the cascade's first exit: a near-duplicate, nothing else to explain
    ta_terms, tb_terms = terms or (None, None)
    ua = cached_sentence_units(da.text, ta, min_terms=config.sentence_min_terms, max_words=config.sentence_max_words,
                               terms=ta_terms)
    ub = cached_sentence_units(db.text, tb, min_terms=config.sentence_min_terms, max_words=config.sentence_max_words,
                               terms=tb_terms)
    if not len(ua) or not len(ub):
        return list(copies), []
    from reuse.stages.align import seed

    unit_a, unit_b = ua.unit_of_token(len(ta)), ub.unit_of_token(len(tb))
    copied = seed.copy_seeds(matches, unit_a, unit_b, min_shared=2)
    runs_at = np.array([(w.a_first, w.a_last, w.b_first, w.b_last) for w in word_spans], np.int64).reshape(-1, 4)
    similar = similar_units(ua, ub, config)
    if not leaves_unexplained(ua, ub, unit_a, unit_b, copied, boxes, config, spans=runs_at, similar=similar):
        return list(copies), []  # the cascade's exit: no seed the copies do not explain
    paraphrased = sure_paraphrase_seeds(similar, config)
    if paraphrased is None:  # a cosine on the threshold: the pair space's own sums decide
        paraphrased = seed.paraphrase_seeds(seed.pair_space(ua, ub), min_cosine=config.seed_min_cosine,
                                            min_dice=config.seed_min_dice)
    space = seed.raw_rows(ua, ub)
    range_vector = seed.range_vector
    all_seeds = unique_unit_pairs(np.concatenate((paraphrased, copied)))
    if not len(all_seeds):
        return list(copies), []

    def chars(units: Units, tokens: Tokens, r: tuple[int, int]) -> int:
        return int(tokens.ends[units.last[r[1]]] - tokens.starts[units.first[r[0]]])

    def row_a(u: int) -> np.ndarray:
        return range_vector(space.a_raw, u, u)

    def row_b(u: int) -> np.ndarray:
        return range_vector(space.b_raw, u, u)

    def to_span(c: Cluster, origin: str, trim_a: bool = True, trim_b: bool = True) -> Span:
        a, b, similarity = fit(c.a, c.b, space, grow_steps=config.max_gap_sentences if trim_a and trim_b else None,
                               grow_min_gain=config.grow_min_gain, trim_a=trim_a, trim_b=trim_b)
        return Span(int(ua.first[a[0]]), int(ua.last[a[1]]), int(ub.first[b[0]]), int(ub.last[b[1]]),
                    similarity, origin, (a[0], a[1], b[0], b[1]))

    def explained(summary: Span, a_is_short: bool) -> bool:
        # A summary condenses a whole text, rewording it: its long side spans most of its document
        # and its short side draws on several separate places of it. A candidate whose short side
        # is mostly one ordinary passage, or mostly near-copies, is ordinary reuse with stray
        # seeds around it.
        if a_is_short:
            if summary.b_last - summary.b_first + 1 < config.summary_whole_document * len(tb):
                return True
            lo, hi = summary.a_first, summary.a_last
            sides = [(x.a_first, x.a_last, x.similarity) for x in spans if _clash(x, summary)]
        else:
            if summary.a_last - summary.a_first + 1 < config.summary_whole_document * len(ta):
                return True
            lo, hi = summary.b_first, summary.b_last
            sides = [(x.b_first, x.b_last, x.similarity) for x in spans if _clash(x, summary)]
        copied = np.zeros(hi - lo + 1, dtype=bool)
        for first, last, similarity in sides:
            inside = min(last, hi) - max(first, lo) + 1
            if inside >= SUMMARY_MAX_SINGLE_COVER * (hi - lo + 1) and similarity > summary.similarity:
                return True
            if similarity >= COPY_MIN_SIMILARITY:
                copied[max(first, lo) - lo : min(last, hi) - lo + 1] = True
        return bool(copied.mean() >= 0.5)

    gap, least, th = config.max_gap_sentences, 0, config.min_passage_similarity
    # A passage resting on one sentence pair needs more similarity than one several pairs support:
    # two sentences on one topic share words by chance far more often than two passages do.
    spans = [to_span(c, "sentence") for c in extend(all_seeds, gap_a=gap, gap_b=gap, min_gap=least,
                                                     min_similarity=th, space=space)
             if len(c.seeds) > 1 or c.similarity >= config.single_seed_min_similarity]
    # One side several times longer than the other is a summary's shape: such a passage must pass
    # the summary checks below, not slip through as ordinary reuse.
    spans = [s for s in spans if not _condensed(s, ta, tb, config.summary_min_ratio)]
    # Summaries: a short passage on one side condenses a long stretch of the other, so seeds lie far
    # apart on the long side only. Cluster again with a wide gap there; keep what is really condensed.
    summaries: list[Span] = []
    for ga, gb in ((gap, config.summary_gap_sentences), (config.summary_gap_sentences, gap)):
        for c in extend(all_seeds, gap_a=ga, gap_b=gb, min_gap=least, min_similarity=config.summary_min_similarity,
                        space=space):
            la, lb = chars(ua, ta, c.a), chars(ub, tb, c.b)
            # A summary is several sentences, each echoing the long text: one sentence matching
            # sentences all over a document is what shared topic words look like.
            short_units = len(np.unique(c.seeds[:, 0] if la < lb else c.seeds[:, 1]))
            if max(la, lb) >= config.summary_min_ratio * max(1, min(la, lb)) and short_units > 1:
                cand = to_span(c, "summary", trim_a=la < lb, trim_b=lb < la)
                if not explained(cand, la < lb):
                    summaries.append(cand)
    if summaries:
        summaries = [_whole_document(m, len(ta), len(tb), config.summary_whole_document) for m in summaries]
        summaries = resolve_overlaps(summaries)
        spans = summaries + [s for s in spans if not any(_clash(s, m) for m in summaries)]

    def beyond_copy(span: Span, copy: Span) -> bool:
        # Does the passage reach beyond the copy with text that is itself alike on both sides?
        # If not, its extra sentences are neighbours swept in around a copy, and the copy stands.
        ca = (int(unit_a[copy.a_first]), int(unit_a[copy.a_last]))
        cb = (int(unit_b[copy.b_first]), int(unit_b[copy.b_last]))
        a0, a1, b0, b1 = span.units
        rest_a = [u for u in range(a0, a1 + 1) if not ca[0] <= u <= ca[1]]
        rest_b = [u for u in range(b0, b1 + 1) if not cb[0] <= u <= cb[1]]
        if not rest_a or not rest_b:
            return False
        va = sum(row_a(u) for u in rest_a)
        vb = sum(row_b(u) for u in rest_b)
        na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
        return bool(na and nb and float(va @ vb) / (na * nb) >= th)

    # Near-exact copies are the surest evidence there is. A sentence passage claiming the same text
    # gives way to the copy, unless it is a summary built around it or reaches beyond it with text
    # that is alike in its own right (a copied paragraph continued in paraphrase).
    kept: list[Span] = []
    moved: list[Span] = []
    for span in spans:
        freed = moved_copies(span, word_spans) if span.origin != "summary" and not config.merge_reordered else []
        if freed:
            moved.extend(w for w in freed if w not in moved)
            continue
        clashing = [c for c in copies if _clash(c, span)]
        if span.origin == "summary" or all(beyond_copy(span, c) for c in clashing):
            kept.append(span)
    covered = [c for c in copies if not any(_clash(c, k) for k in kept)]
    moved = [w for w in moved if w not in covered and not any(_clash(w, k) for k in kept)]
    return kept + covered, moved


def _condensed(span: Span, ta: Tokens, tb: Tokens, ratio: float) -> bool:
    la = int(ta.ends[span.a_last] - ta.starts[span.a_first])
    lb = int(tb.ends[span.b_last] - tb.starts[span.b_first])
    return max(la, lb) >= ratio * max(1, min(la, lb))


def _chars(span: Span, ta: Tokens, tb: Tokens) -> int:
    """Characters of the shorter side of a passage."""
    return min(int(ta.ends[span.a_last] - ta.starts[span.a_first]), int(tb.ends[span.b_last] - tb.starts[span.b_first]))


def _whole_document(summary: Span, n_a: int, n_b: int, share: float) -> Span:
    """A summary drawing on most of a document summarises all of it: stretch its long side to the ends.

    Seeds only mark the sentences a summary happens to echo; the first and last sentences of the
    summarised text are often not among them. When those echoes already span ``share`` of the long
    document's words, the summary is of the document, and its long side becomes the whole text.
    """
    if summary.b_last - summary.b_first > summary.a_last - summary.a_first:
        if (summary.b_last - summary.b_first + 1) >= share * n_b:
            return Span(summary.a_first, summary.a_last, 0, n_b - 1, summary.similarity, summary.origin, summary.units)
    elif (summary.a_last - summary.a_first + 1) >= share * n_a:
        return Span(0, n_a - 1, summary.b_first, summary.b_last, summary.similarity, summary.origin, summary.units)
    return summary


def _touches(x: Span, y: Span) -> bool:
    """Overlap on at least one side."""
    return (x.a_first <= y.a_last and y.a_first <= x.a_last) or (x.b_first <= y.b_last and y.b_first <= x.b_last)


def _snap_to_copy(span: Span, copies: list[Span]) -> Span:
    """A sentence passage that is mostly one chained copy takes the copy's word-exact extent.

    When the words of one side are almost all inside one chain of exact runs, the reuse is a
    (lightly edited) copy, and the runs say exactly where it starts and ends on both sides; the
    sentence clustering, fooled by repeated text around it, may have swallowed neighbours.
    """
    best = None
    for c in copies:
        if not _clash(c, span):
            continue
        cover_a = (min(c.a_last, span.a_last) - max(c.a_first, span.a_first) + 1) / (span.a_last - span.a_first + 1)
        cover_b = (min(c.b_last, span.b_last) - max(c.b_first, span.b_first) + 1) / (span.b_last - span.b_first + 1)
        if (max(cover_a, cover_b) >= COPY_MIN_COVER and c.similarity >= FUZZY_MIN_SHARE
                and (best is None or c.size > best.size)):
            best = c
    if best is None:
        return span
    return Span(best.a_first, best.a_last, best.b_first, best.b_last, max(span.similarity, best.similarity),
                span.origin, span.units)


def _enough_words(span: Span, ta: Tokens, tb: Tokens, min_words: int) -> bool:
    """Do both sides of the span hold ``min_words`` words (a token of a script without spaces is part of one)?

    A token counts at least ``CHARACTER_WORD_SHARE`` of a word, so only a span under
    ``min_words / CHARACTER_WORD_SHARE`` tokens a side needs its words counted.
    """
    if CHARACTER_WORD_SHARE * (min(span.a_last - span.a_first, span.b_last - span.b_first) + 1) >= min_words:
        return True
    return min(word_count(ta, np.arange(span.a_first, span.a_last + 1)),
               word_count(tb, np.arange(span.b_first, span.b_last + 1))) >= min_words


def _clash(x: Span, y: Span) -> bool:
    """Overlap on both sides: the two describe the same reuse."""
    return (x.a_first <= y.a_last and y.a_first <= x.a_last) and (x.b_first <= y.b_last and y.b_first <= x.b_last)


def align_documents(da: Document, ta: Tokens, db: Document, tb: Tokens, config: ReuseConfig, *,
                    terms: tuple[np.ndarray, np.ndarray] | None = None) -> list[Passage]:
    """Every shared passage of two documents: the one aligner ``reuse scan`` and the PAN bench use.

    Two detectors feed one set of passages, as a cascade. Exact word runs chained across small gaps
    (:mod:`reuse.stages.align.runs`, compiled) find verbatim or lightly edited copies with
    word-exact boundaries; every pair gets them. Sentence-level seeding and clustering
    (:mod:`reuse.stages.align.seed`, :mod:`reuse.stages.align.extend`) finds edited, paraphrased and
    summarised reuse; it runs only when the runs leave something unexplained
    (:mod:`reuse.stages.align.cascade` defines this), and otherwise could only have confirmed them.
    A run passage inside a sentence passage is part of it; otherwise it stands on its own if it is
    passage-length, or as a short shared phrase when ``config.short_phrases`` is on. A pure
    function of its arguments; ``terms``, the two documents' :func:`~reuse.stages.align.units.token_terms`
    when the caller has them (looked up for a chunk of documents at once), saves looking them up.
    """
    ev = word_evidence(ta.ids, tb.ids, k=config.seed_size, max_occurrences=config.max_seed_occurrences,
                       max_gap=config.max_gap_words, min_words=config.min_passage_words)
    runs = ev.runs
    word_spans = [Span(a0, a1, b0, b1, sim, "run") for (a0, a1, b0, b1), sim in zip(ev.spans.tolist(), ev.similarity.tolist())]
    # A character token of Chinese or Thai is part of a word: passage length counts words, not tokens.
    word_spans = [w for w in word_spans if _enough_words(w, ta, tb, config.min_passage_words)]
    # Near-exact copies of passage length (see _sentence_spans).
    copies = [w for w in word_spans if w.similarity >= COPY_MIN_SIMILARITY and _chars(w, ta, tb) >= config.min_passage_chars]
    sentence, moved = _sentence_spans(da, ta, db, tb, ev.matches, copies, config, word_spans, terms)
    long_enough = [
        s for s in sentence
        if _chars(s, ta, tb) >= config.min_passage_chars
        and min(s.a_last - s.a_first, s.b_last - s.b_first) + 1 >= config.min_passage_words
    ]
    long_enough = cover_runs([_snap_to_copy(s, word_spans) for s in long_enough], runs, config.seed_size + 2)
    # Copies freed from a reordering were part of a validated passage: they stand whatever their length.
    long_enough = resolve_overlaps(long_enough + moved)
    # Short shared phrases (names, set phrases, a quoted line) explain what two documents have in
    # common but are not passage-level reuse; config.short_phrases decides whether they are reported.
    if not config.short_phrases:
        word_spans = [w for w in word_spans if _chars(w, ta, tb) >= config.min_passage_chars]
    spans = long_enough + [w for w in word_spans if not any(_touches(w, s) for s in long_enough)]
    if not spans:
        return []
    spans = sorted(spans, key=lambda s: (s.a_first, s.b_first))
    out = []
    for s, (kind, score, matched) in zip(spans, classify(spans, runs, len(ta), len(tb))):
        a0, a1 = ta.char_span(s.a_first, s.a_last)
        b0, b1 = tb.char_span(s.b_first, s.b_last)
        out.append(Passage(
            doc_a=da.id, a_start=a0, a_end=a1, doc_b=db.id, b_start=b0, b_end=b1, kind=kind, score=score,
            text_a=da.text[a0:a1], text_b=db.text[b0:b1], matched_words=matched,
            a_words=(s.a_first, s.a_last), b_words=(s.b_first, s.b_last),
        ))
    return out
