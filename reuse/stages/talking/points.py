"""The corpus-aware stage after alignment: suppression, paraphrases, re-scored pairs, clusters.

Alignment looks at one document pair at a time; this stage needs the whole corpus: which words
are names (capitalisation across the corpus), which phrases are a source's boilerplate (document
frequency *per source*), and how rare each term is among all sentences (corpus IDF). With those it

1. drops aligner passages that are only names or boilerplate (``min_claim_words``),
2. adds ``paraphrase`` passages for the document pairs the pipeline already considers (never all
   pairs on a big corpus) where they do not overlap an aligner passage on both sides,
3. re-scores each pair's headline over its final passages, keeps the pairs worth reporting
   (:func:`~reuse.stages.scope.select_pairs`), and
4. clusters their passages into talking points.

A pure function of its inputs (document arrays in, records out): safe to run in any engine.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from reuse.config import ReuseConfig
from reuse.model import Cluster, Document, Pair, Passage, source_of
from reuse.stages.scope import select_pairs
from reuse.stages.score import headline, set_overlap, weighted_coverage
from reuse.stages.talking.boilerplate import boilerplate_hashes, boilerplate_mask, claim_mask, claim_words
from reuse.stages.talking.cluster import Vectors, cluster_passages
from reuse.stages.talking.paraphrase import (
    Vocabulary,
    background_terms,
    build_units,
    paraphrase_passages,
    specific_numbers,
    unit_idf,
    unit_matrix,
    unit_ranges,
    window_ranges,
)
from reuse.text.terms import list_breaks, name_terms
from reuse.text.tokens import Tokens


@dataclass(frozen=True, slots=True)
class Aligned:
    """One document pair as the aligner left it: indices, TF-IDF cosine, pair (or None), passages."""

    i: int
    j: int
    cosine: float
    pair: Pair | None
    passages: list[Passage]


@dataclass
class TalkingPoints:
    """What the stage returns: final pairs and passages, clusters, and counts for the stats."""

    pairs: list[Pair]
    passages: list[Passage]
    clusters: list[Cluster]
    suppressed: int
    paraphrases: int


def talking_points(
    docs: Sequence[Document], tokens: Sequence[Tokens], shingles: Sequence[np.ndarray],
    aligned: Sequence[Aligned], config: ReuseConfig,
) -> TalkingPoints:
    """Run the stage over the aligned pairs of a corpus (see the module docstring)."""
    if not docs:
        return TalkingPoints([], [], [], 0, 0)
    names = name_terms([d.text for d in docs], tokens)
    boiler = boilerplate_hashes([source_of(d) for d in docs], shingles, min_docs=config.boilerplate_min_docs)
    boiler_masks = [boilerplate_mask(t, s, boiler, config.shingle_size) for t, s in zip(tokens, shingles)]
    claims = [claim_mask(t, names, b) for t, b in zip(tokens, boiler_masks)]
    breaks = [list_breaks(d.text, t) for d, t in zip(docs, tokens)]

    units = matrices = None
    if config.paraphrase:
        vocab = Vocabulary()
        ranges = [unit_ranges(d.text, t, min_words=config.paraphrase_min_words) for d, t in zip(docs, tokens)]
        units = [
            build_units(t, r, names=names, vocab=vocab, ignore=b, breaks=br)
            for t, r, b, br in zip(tokens, ranges, boiler_masks, breaks)
        ]
        # Corpus statistics over sentences only: a window repeats its sentences' words.
        idf = unit_idf(units, len(vocab))
        bg = background_terms(units, len(vocab), config.background_share)
        numeric = specific_numbers(vocab)
        units = [
            u + build_units(t, window_ranges(d.text, t, r, size=config.paraphrase_window), names=names, vocab=vocab,
                            ignore=b, grow=False, breaks=br)
            for u, d, t, r, b, br in zip(units, docs, tokens, ranges, boiler_masks, breaks)
        ]
        matrices = [unit_matrix(u, idf) for u in units]

    pairs: list[Pair] = []
    passages: list[Passage] = []
    suppressed = paraphrases = 0
    for al in aligned:
        i, j = al.i, al.j
        kept = [p for p in al.passages if _is_claim(p, claims[i], claims[j], config.min_claim_words)]
        suppressed += len(al.passages) - len(kept)
        if units is not None and matrices is not None:
            for p in paraphrase_passages(
                docs[i], tokens[i], units[i], matrices[i], docs[j], tokens[j], units[j], matrices[j], idf, vocab,
                min_score=config.paraphrase_min_score, min_evidence=config.paraphrase_min_evidence,
                background=bg, numeric=numeric,
            ):
                if not any(_overlaps_both(p, q) for q in kept):
                    kept.append(p)
                    paraphrases += 1
        if al.pair is None and not kept:
            continue
        pairs.append(_rescore(al, kept, docs, tokens, shingles))
        passages.extend(kept)
    pairs, passages = select_pairs(pairs, passages, config)
    order = {d.id: k for k, d in enumerate(docs)}
    passages.sort(key=lambda p: (order[p.doc_a], order[p.doc_b], p.a_start, p.b_start))
    pairs.sort(key=lambda p: (-p.score, order[p.doc_a], order[p.doc_b]))
    vectors: Vectors | None = None
    if units is not None:
        def side_vectors(spans: Sequence[tuple[str, int, int]]) -> sparse.csr_matrix:
            """Term vectors of passage sides, weighted like the claim units (for cluster linkage)."""
            by_doc: dict[int, list[int]] = {}
            for n, (doc, _, _) in enumerate(spans):
                by_doc.setdefault(order[doc], []).append(n)
            blocks, rows = [], []
            for k, ns in by_doc.items():
                t = tokens[k]
                starts = np.array([spans[n][1] for n in ns])
                ends = np.array([spans[n][2] for n in ns])
                rng = np.stack((np.searchsorted(t.starts, starts), np.searchsorted(t.ends, ends, side="right") - 1), 1)
                u = build_units(t, rng, names=names, vocab=vocab, ignore=boiler_masks[k], grow=False, breaks=breaks[k])
                blocks.append(unit_matrix(u, idf))
                rows.extend(ns)
            stacked = sparse.vstack(blocks).tocsr()
            back = np.empty(len(rows), dtype=np.int64)
            back[np.asarray(rows)] = np.arange(len(rows))
            return stacked[back]

        vectors = side_vectors
    clusters = cluster_passages(passages, docs, vectors=vectors, min_link=config.cluster_min_link)
    return TalkingPoints(pairs, passages, clusters, suppressed, paraphrases)


def _is_claim(p: Passage, claim_a: np.ndarray, claim_b: np.ndarray, min_words: int) -> bool:
    """A passage counts when both sides hold ``min_words`` claim words (not names, not boilerplate)."""
    if min_words == 0 or p.a_words is None or p.b_words is None:
        return True
    return min(claim_words(claim_a, *p.a_words), claim_words(claim_b, *p.b_words)) >= min_words


def _overlaps_both(p: Passage, q: Passage) -> bool:
    return p.a_start < q.a_end and q.a_start < p.a_end and p.b_start < q.b_end and q.b_start < p.b_end


def _rescore(al: Aligned, kept: list[Passage], docs: Sequence[Document], tokens: Sequence[Tokens],
             shingles: Sequence[np.ndarray]) -> Pair:
    """The pair's coverage and headline over its final passages (paraphrases weighted by score)."""
    wa_chars = (tokens[al.i].ends - tokens[al.i].starts).astype(np.float64)
    wb_chars = (tokens[al.j].ends - tokens[al.j].starts).astype(np.float64)
    cov_a, wa = weighted_coverage(wa_chars, [(*p.a_words, p.score) for p in kept if p.a_words])
    cov_b, wb = weighted_coverage(wb_chars, [(*p.b_words, p.score) for p in kept if p.b_words])
    kinds = tuple(sorted({p.kind for p in kept}))
    score = headline(wa, wb, al.cosine)
    if al.pair is not None:
        return replace(al.pair, score=score, n_passages=len(kept), coverage_a=cov_a, coverage_b=cov_b, kinds=kinds)
    jac, ca, cb = set_overlap(shingles[al.i], shingles[al.j])
    terms = tuple(dict.fromkeys(t for p in kept for t in p.shared_terms))[:8]
    return Pair(
        doc_a=docs[al.i].id, doc_b=docs[al.j].id, score=score, tfidf_cosine=al.cosine, jaccard=jac,
        containment_a=ca, containment_b=cb, n_passages=len(kept), coverage_a=cov_a, coverage_b=cov_b,
        top_terms=terms, kinds=kinds,
    )
