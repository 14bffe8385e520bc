"""The corpus-aware stage after alignment: suppression, paraphrases, re-scored pairs, clusters.

Alignment looks at one document pair at a time; this stage needs the whole corpus: which words
are names (capitalisation across the corpus), which lines are a source's boilerplate, and how
rare each claim term is among all sentences. It gathers those as aggregates in one streaming
pass, builds every document's claim units in a second (:mod:`.units`; both run as batches in
the engine's pool, reading texts back from wherever the engine keeps them), and then

1. drops aligner passages that are only names or boilerplate (``min_claim_words``),
2. finds ``paraphrase`` passages between *any* two documents: candidate sentence pairs from an
   inverted index over claim evidence (:mod:`.candidates`), judged on the evidence they share
   (:mod:`.evidence`), kept where they do not overlap an aligner passage on both sides,
3. re-scores each pair's headline over its final passages, keeps the pairs worth reporting
   (:func:`~reuse.stages.scope.select_pairs`), and
4. clusters their passages into talking points (:mod:`.cluster`).

Memory is the units (about 5 KB a document), never the texts: they are read back for the few
documents a reported passage touches. Where the engine gives a scratch folder, the units are files
mapped read-only (:mod:`.unit_arrays`), and the batches' readings wait there between the passes.
The same code serves five articles and a million.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from reuse.config import ReuseConfig
from reuse.heap import release_free_memory
from reuse.model import PARAPHRASE, Cluster, Document, Pair, Passage
from reuse.stages.candidates import in_sorted
from reuse.stages.pair import Aligned
from reuse.stages.scope import select_pairs
from reuse.stages.score import (
    Idf,
    TermVector,
    cosine_and_terms,
    headline,
    overlap_from_counts,
    passage_weight,
    term_vector,
    weighted_coverage,
)
from reuse.stages.talking import candidates as cand
from reuse.stages.talking import units as un
from reuse.stages.talking.cluster import cluster_passages
from reuse.stages.talking.evidence import UnitMatch, claim_matches, select_matches
from reuse.stages.talking.passes import CHUNK, scratch_folder, unit_passes
from reuse.stages.talking.sentences import surface_forms_batch
from reuse.stages.talking.unit_rows import UnitRows
from reuse.text.spans import overlaps
from reuse.text.tokens import Tokens, tokenize

log = logging.getLogger("reuse")

JUDGE_CHUNK = 20_000
"""Candidate unit pairs judged at once (bounds the memory of their gathered entries)."""


@dataclass
class TalkingPoints:
    """What the stage returns: final pairs and passages, clusters, and counts for the stats."""

    pairs: list[Pair]
    passages: list[Passage]
    clusters: list[Cluster]
    suppressed: int
    paraphrases: int


Batches = Callable[[Callable[..., Any], Iterable[tuple[Sequence[int], tuple]], Any], Iterator[Any]]
"""``batches(fn, tasks, shared)``: for each task ``(doc indices, args)``, ``fn(texts, *args, shared)``
with the texts of those documents; results in task order. The engine runs them in its pool."""


class CorpusAccess:
    """How the stage reaches the corpus: texts in batches, one text, and new pairs' statistics.

    This default holds the documents in memory and runs everything inline; the local engine
    subclasses it to read texts from its spill file in worker processes.
    """

    idf: Idf | None = None
    """The corpus IDF, for the TF-IDF cosine of new pairs (:meth:`new_pair`); the engines' accesses set it."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = docs
        self._tokens: dict[int, Tokens] = {}
        self._shingles: dict[int, np.ndarray] = {}
        self._vectors: dict[int, TermVector] = {}

    def batches(self, fn: Callable[..., Any], tasks: Iterable[tuple[Sequence[int], tuple]], shared: Any) -> Iterator[Any]:
        for idx, args in tasks:
            yield fn([self.docs[i].text for i in idx], *args, shared)

    def map(self, fn: Callable[..., Any], tasks: Iterable[tuple], shared: Any) -> Iterator[Any]:
        """``fn(*task, shared)`` for each task, results in task order: the stage's own work over
        arrays it built (``shared``, read only), which the engine runs in its pool. Here, inline."""
        for task in tasks:
            yield fn(*task, shared)

    def text(self, i: int) -> str:
        return self.docs[i].text

    def cluster(self, passages: list[Passage], docs: list[Document], vectors: sparse.csr_matrix | None,
                min_link: float, text: Callable[[str], str]) -> list[Cluster]:
        """The talking points of the final passages (:func:`~.cluster.cluster_passages`, its parts run by
        :meth:`map`). Spark clusters them on its executors instead, by components of the passage graph."""
        return cluster_passages(passages, docs, vectors=vectors, min_link=min_link, text=text, map=self.map)

    def unit_passes(self) -> tuple[un.Model, np.ndarray, int, un.Units] | None:
        """``(model, background, n_units, units)`` when the engine ran the two unit passes itself (Spark
        runs them on its executors, each batch the ``CHUNK`` documents it is here); None: run them here."""
        return None

    def paraphrase_matches(self) -> dict[tuple[int, int], list[UnitMatch]] | None:
        """The claim matches per document pair when the engine found them itself (Spark runs the evidence
        index and its judging as tasks over its stored unit matrix); None: find them here."""
        return None

    def scratch(self) -> Path | None:
        """A folder where the stage's batches keep what grows with the corpus between and after its
        passes, in files (it must be reachable by every process that runs a batch); None keeps it in memory."""
        return None

    def allowed(self, pairs: np.ndarray) -> np.ndarray:
        """Which document pairs ``(i, j)`` the scan may report (its scope: sources, reference set)."""
        return np.ones(len(pairs), dtype=bool)

    def tokens(self, i: int) -> Tokens:
        """Document ``i``'s tokens (the last few used are kept: a pair's documents recur in the next pairs)."""
        return _kept(self._tokens, i, lambda: tokenize(self.text(i), lazy_norms=True))

    def shingle_set(self, i: int, shingle_size: int) -> np.ndarray:
        """Document ``i``'s distinct shingle hashes, ascending (kept as its tokens are: the pairs run by
        first document, and its set, sorted once, serves each of them)."""
        from reuse.text.shingle import shingle_hashes

        return _kept(self._shingles, (i, shingle_size), lambda: np.unique(shingle_hashes(self.tokens(i).ids, shingle_size)))

    def word_chars(self, i: int) -> np.ndarray:
        """Character length of each word of document ``i`` (for coverage)."""
        t = self.tokens(i)
        return (t.ends - t.starts).astype(np.float64)

    def new_pair(self, i: int, j: int, shingle_size: int) -> Pair:
        """A pair record for documents the aligner did not pair: shingle overlap and TF-IDF cosine.

        (The stage fills in passages, coverage and the headline.) Without a corpus IDF (:attr:`idf`)
        its cosine is 0; the engines give the cosine every other pair gets. The stage asks for these
        pairs one by one in the scan's process, and a document recurs in many of them: its shingle
        set and term vector are kept (:func:`_kept`), the same counts and sums as made afresh.
        """
        sa, sb = self.shingle_set(i, shingle_size), self.shingle_set(j, shingle_size)
        # the counts of score.set_overlap (distinct shingles, and those shared), from the kept sets
        jac, ca, cb = overlap_from_counts(int(in_sorted(sa, sb).sum()), len(sa), len(sb))
        cosine = cosine_and_terms(self.term_vector(i), self.term_vector(j))[0] if self.idf is not None else 0.0
        return Pair(doc_a=self.docs[i].id, doc_b=self.docs[j].id, score=0.0, tfidf_cosine=cosine, jaccard=jac,
                    containment_a=ca, containment_b=cb, n_passages=0, coverage_a=0.0, coverage_b=0.0)

    def term_vector(self, i: int) -> TermVector:
        """Document ``i``'s TF-IDF vector under :attr:`idf` (kept as its tokens are)."""
        assert self.idf is not None
        return _kept(self._vectors, i, lambda: term_vector(self.tokens(i), self.idf))


KEPT = 1024
"""Documents whose tokens (and shingle sets, term vectors) :class:`CorpusAccess` keeps, the last used."""


def _kept(cache: dict, key: Any, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made if missing; the least recently used of ``KEPT`` entries goes first."""
    value = cache.pop(key) if key in cache else make()
    if len(cache) >= KEPT:
        cache.pop(next(iter(cache)))
    cache[key] = value  # last: the most recently used
    return value


def talking_points(docs: Sequence[Document], aligned: Sequence[Aligned], config: ReuseConfig,
                   access: CorpusAccess | None = None) -> TalkingPoints:
    """Run the stage over the aligned pairs of a corpus (see the module docstring).

    ``docs`` may come without texts when ``access`` reads them (the engine's spill file).
    """
    n = len(docs)
    if n == 0:
        return TalkingPoints([], [], [], 0, 0)
    access = access or CorpusAccess(docs)
    step = _Steps()
    with scratch_folder(access) as folder:
        model, background, n_units, units, claim_at = unit_passes(docs, aligned, config, access, step, folder)
    release_free_memory()  # the batches' units, now joined

    with step("paraphrases"):
        matrix, row_doc, first_row = cand.unit_matrix(units, len(model.vocab))
        by_pair: dict[tuple[int, int], Aligned] = {(al.i, al.j): al for al in aligned}
        nominated = {k for k, al in by_pair.items() if al.pair is not None}
        found = (access.paraphrase_matches() if config.paraphrase else {})
        if found is None:
            found = _paraphrases(units, UnitRows.of(units, model.idf, row_doc), row_doc, first_row, background,
                                 model.idf - 1.0, n_units, config, access, nominated)
    release_free_memory()  # the index and its candidate pairs
    pairs: list[Pair] = []
    passages: list[Passage] = []
    suppressed = paraphrases = 0
    with step("passages"):
        made = _passages(found, docs, units, access, model)
        for key in sorted(set(by_pair) | set(found)):
            i, j = key
            al = by_pair.get(key) or Aligned(i, j, 0.0, None, [])
            kept = [p for p in al.passages if _is_claim(p, claim_at[i], claim_at[j], config.min_claim_words)]
            suppressed += len(al.passages) - len(kept)
            for p in made.get(key, ()):
                if not any(_overlaps_both(p, q) for q in kept):
                    kept.append(p)
                    paraphrases += 1
            if al.pair is None and not kept:
                continue
            unchanged = al.pair is not None and len(kept) == len(al.passages)
            pairs.append(al.pair if unchanged else _rescore(al, kept, access, config.shingle_size))
            passages.extend(kept)
    with step("select"):
        pairs, passages = select_pairs(pairs, passages, config)
        order = {d.id: k for k, d in enumerate(docs)}
        passages.sort(key=lambda p: (order[p.doc_a], order[p.doc_b], p.a_start, p.b_start))
        pairs.sort(key=lambda p: (-p.score, order[p.doc_a], order[p.doc_b]))

    with step("cluster"):
        # the passages' side vectors are all clustering needs of the units: made first, so that the
        # units (the stage's largest data) are let go of before clustering builds its own
        sides = [s for p in passages for s in ((p.doc_a, p.a_start, p.a_end), (p.doc_b, p.b_start, p.b_end))]
        side_vectors = _side_vectors(sides, order, units, matrix, first_row) if config.cluster_min_link > 0 else None
        del units, matrix, row_doc, claim_at, found, made
        release_free_memory()

        involved = sorted({order[p.doc_a] for p in passages} | {order[p.doc_b] for p in passages})
        clusters = access.cluster(passages, [docs[i] for i in involved], side_vectors, config.cluster_min_link,
                                  lambda doc: access.text(order[doc]))
    log.info("talking_points seconds %s", step.seconds)
    return TalkingPoints(pairs, passages, clusters, suppressed, paraphrases)


class _Steps:
    """Seconds each part of the stage took, logged with ``-v``: on a large corpus this says which part
    the time goes to (the passages and the steps between the pool's maps run in the driver alone)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - start, 2)
        log.info("talking points, %s: %.1f s", name, self.seconds[name])


def _paraphrases(units: un.Units, rows_of: UnitRows, row_doc: np.ndarray, first_row: np.ndarray,
                 background: np.ndarray, surprise: np.ndarray, n_units: int, config: ReuseConfig,
                 access: CorpusAccess, nominated: set[tuple[int, int]]) -> dict[tuple[int, int], list[UnitMatch]]:
    """Claim matches per document pair ``(i, j)``, ``i < j``, from the evidence index
    (``nominated``: the pairs the aligner has a record of, see :func:`~.evidence.is_claim`).

    The index's blocks of rows, and then the judging of its candidates, run as tasks of
    ``access.map`` (the engine's pool) over arrays built here; only the competitive linking
    between them needs every candidate at once."""
    index = cand.CandidateIndex(rows_of, row_doc, background, min_score=config.paraphrase_min_score)
    rows, scores = cand.joined(list(access.map(_candidate_task, index.blocks(), (index, access.allowed))))
    del index
    keep = cand.best_links(rows, scores, row_doc)
    rows, scores = rows[keep], scores[keep]
    n = len(units)
    code = row_doc[rows[:, 0]] * n + row_doc[rows[:, 1]]
    known = in_sorted(code, np.sort(np.fromiter((i * n + j for i, j in nominated), np.int64, len(nominated))))
    judging = (rows_of, rows, row_doc, first_row, scores, known, background, surprise,
               config.paraphrase_min_evidence, n_units)
    grouped: dict[tuple[int, int], list[UnitMatch]] = {}
    for found in access.map(_judge_task, [(s,) for s in range(0, len(rows), JUDGE_CHUNK)], judging):
        for m in found:
            grouped.setdefault((m.i, m.j), []).append(m)
    return {k: select_matches(v, units[k[0]], units[k[1]]) for k, v in grouped.items()}


def _candidate_task(lo: int, hi: int, shared: tuple[cand.CandidateIndex, Callable[[np.ndarray], np.ndarray]]
                    ) -> tuple[np.ndarray, np.ndarray]:
    index, allowed = shared
    return index.block(lo, hi, allowed)


def _judge_task(s: int, shared: tuple) -> list[UnitMatch]:
    table, rows, row_doc, first_row, scores, known, *rest = shared
    e = s + JUDGE_CHUNK
    return claim_matches(table, rows[s:e], row_doc, first_row, scores[s:e], known[s:e], *rest)


def _passages(found: dict[tuple[int, int], list[UnitMatch]], docs: Sequence[Document], units: un.Units,
              access: CorpusAccess, model: un.Model, n: int = 8) -> dict[tuple[int, int], list[Passage]]:
    """The paraphrase passage of each match, per document pair, with its shared evidence (the ``n``
    strongest pieces) in the forms both sides use ("expelled", "expulsion"): so a reader (or the
    report's highlighter) finds each piece in both texts. The evidence is read in batches of passages."""
    matches = [m for key in sorted(found) for m in found[key]]
    sides, evidence = [], []
    at = units.first_row
    for m in matches:
        ra, rb = int(at[m.i]) + m.a, int(at[m.j]) + m.b
        (a0, a1), (b0, b1) = units.chars[ra].tolist(), units.chars[rb].tolist()
        (fa, la), (fb, lb) = units.words[ra].tolist(), units.words[rb].tolist()
        # each side's text is cut at word boundaries: its words are the side's words
        sides.append(((access.text(m.i)[a0:a1], la - fa), (access.text(m.j)[b0:b1], lb - fb)))
        evidence.append(model.vocab[m.shared[:n]])
    forms = [f for s in range(0, len(sides), CHUNK * 16) for f in surface_forms_batch(sides[s : s + CHUNK * 16],
                                                                                    evidence[s : s + CHUNK * 16])]
    out: dict[tuple[int, int], list[Passage]] = {}
    for m, ((ta, la), (tb, lb)), terms, words in zip(matches, sides, evidence, forms):
        ra, rb = int(at[m.i]) + m.a, int(at[m.j]) + m.b
        (a0, a1), (b0, b1) = units.chars[ra].tolist(), units.chars[rb].tolist()
        fa, fb = int(units.words[ra, 0]), int(units.words[rb, 0])
        out.setdefault((m.i, m.j), []).append(Passage(
            doc_a=docs[m.i].id, a_start=a0, a_end=a1, doc_b=docs[m.j].id, b_start=b0, b_end=b1, kind=PARAPHRASE,
            score=min(1.0, m.score), text_a=ta, text_b=tb, matched_words=len(m.shared),
            shared_terms=tuple(w for h in terms.tolist() for w in words.get(h, [])), a_words=(fa, fa + la),
            b_words=(fb, fb + lb)))
    return out


def _is_claim(p: Passage, claim_a: dict[tuple[int, int], int], claim_b: dict[tuple[int, int], int],
              min_words: int) -> bool:
    """A passage counts when both sides hold ``min_words`` claim words (not names, not boilerplate)."""
    if min_words == 0 or p.a_words is None or p.b_words is None:
        return True
    return min(claim_a.get(p.a_words, min_words), claim_b.get(p.b_words, min_words)) >= min_words


def _overlaps_both(p: Passage, q: Passage) -> bool:
    return overlaps(p.a_start, p.a_end, q.a_start, q.a_end) and overlaps(p.b_start, p.b_end, q.b_start, q.b_end)


def _rescore(al: Aligned, kept: list[Passage], access: CorpusAccess, shingle_size: int) -> Pair:
    """The pair's coverage and headline over its final passages (each at its :func:`passage_weight`)."""
    cov_a, wa = weighted_coverage(access.word_chars(al.i), [(*p.a_words, passage_weight(p.kind, p.score)) for p in kept if p.a_words])
    cov_b, wb = weighted_coverage(access.word_chars(al.j), [(*p.b_words, passage_weight(p.kind, p.score)) for p in kept if p.b_words])
    kinds = tuple(sorted({p.kind for p in kept}))
    base, cosine = al.pair, al.cosine
    if base is None:
        base = access.new_pair(al.i, al.j, shingle_size)
        cosine = max(cosine, base.tfidf_cosine)
        terms = tuple(dict.fromkeys(t for p in kept for t in p.shared_terms))[:8]
        base = replace(base, tfidf_cosine=cosine, top_terms=terms)
    score = headline(wa, wb, cosine)
    return replace(base, score=score, n_passages=len(kept), coverage_a=cov_a, coverage_b=cov_b, kinds=kinds)


def _side_vectors(spans: Sequence[tuple[str, int, int]], order: dict[str, int], units: un.Units,
                  matrix: sparse.csr_matrix, first_row: np.ndarray) -> sparse.csr_matrix:
    """A term vector per passage side: the normalised sum of the sentence units it overlaps (for cluster linkage)."""
    rows, cols = [], []
    for k, (doc, s, e) in enumerate(spans):
        d = order[doc]
        sent = units.chars[first_row[d] : first_row[d] + units.n_sentences[d]]
        hit = np.flatnonzero((sent[:, 0] < e) & (sent[:, 1] > s))
        rows.extend([k] * len(hit))
        cols.extend((hit + first_row[d]).tolist())
    # only the rows picked take part: the product converts its operand's data to float64, and with the
    # whole matrix that was a transient copy of every unit entry (~600 MB at 100k documents). The
    # relabelling keeps each row's column order, so the sums run in the same order as before.
    used, cols = np.unique(np.asarray(cols, dtype=np.int64), return_inverse=True)
    pick = sparse.csr_matrix((np.ones(len(rows)), (rows, cols.ravel())), shape=(len(spans), len(used)))
    out = (pick @ matrix[used]).tocsr()
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ out)
