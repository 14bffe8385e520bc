"""Scoring reported passages and clusters against a labelled set of talking-point pairs.

A labelled pair names two spans in two documents that make the same claim (JSONL fields
``doc_a``, ``a_start``, ``a_end``, ``doc_b``, ``b_start``, ``b_end``; others are kept as notes).
A reported passage *hits* a labelled pair when its two sides overlap the pair's two spans (in
either order). Then

* **recall** = share of labelled pairs hit by at least one reported cross-document passage;
* **precision** = share of reported cross-document passages that hit at least one labelled pair;
* **cluster recall** = share of labelled pairs whose two spans both overlap members of one
  cluster (a talking point links sentences that no single passage joins directly).

Run ``reuse eval talking-points LABELS PATH...`` to scan PATHs and print the scores, or
``reuse eval talking-points --baseline X LABELS PATH...`` to score the plain baseline instead:
every cross-document sentence pair whose TF-IDF cosine (scikit-learn's defaults with English stop
words, fitted on the corpus's sentences) reaches X. The baseline is what any talking-point method
must beat by a wide margin, so it is computed here, on the same labels, rather than quoted; it is
deliberately scikit-learn's vectoriser as anyone would call it, not the project's own weighting.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reuse.config import ReuseConfig
from reuse.errors import InputError
from reuse.model import PARAPHRASE, Cluster, Document, Passage
from reuse.text.spans import overlaps


@dataclass(frozen=True, slots=True)
class LabelledPair:
    doc_a: str
    a_start: int
    a_end: int
    doc_b: str
    b_start: int
    b_end: int


@dataclass(frozen=True, slots=True)
class Scores:
    labelled: int
    reported: int
    recall: float
    precision: float
    cluster_recall: float

    def to_dict(self) -> dict[str, float | int]:
        return {"labelled": self.labelled, "reported": self.reported, "recall": round(self.recall, 4),
                "precision": round(self.precision, 4), "cluster_recall": round(self.cluster_recall, 4)}

    def line(self) -> str:
        return (f"{self.labelled} labelled pairs, {self.reported} reported cross-document passages: "
                f"recall {self.recall:.2f}, precision {self.precision:.2f}, cluster recall {self.cluster_recall:.2f}")


def load_pairs(path: str | Path) -> list[LabelledPair]:
    """Read labelled pairs; duplicates (one pair filed under two talking points) count once."""
    seen: dict[tuple, LabelledPair] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                pair = LabelledPair(str(r["doc_a"]), int(r["a_start"]), int(r["a_end"]),
                                    str(r["doc_b"]), int(r["b_start"]), int(r["b_end"]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{path}:{lineno}: not a labelled pair ({exc})") from None
            seen.setdefault((pair.doc_a, pair.a_start, pair.doc_b, pair.b_start), pair)
    return list(seen.values())


def hits(p: Passage, g: LabelledPair) -> bool:
    """Whether passage ``p`` joins the two spans of labelled pair ``g`` (either orientation)."""
    if p.doc_a == g.doc_a and p.doc_b == g.doc_b:
        return overlaps(p.a_start, p.a_end, g.a_start, g.a_end) and overlaps(p.b_start, p.b_end, g.b_start, g.b_end)
    if p.doc_a == g.doc_b and p.doc_b == g.doc_a:
        return overlaps(p.a_start, p.a_end, g.b_start, g.b_end) and overlaps(p.b_start, p.b_end, g.a_start, g.a_end)
    return False


def evaluate(passages: Sequence[Passage], clusters: Sequence[Cluster], gold: Sequence[LabelledPair]) -> Scores:
    """Recall, precision and cluster recall of reported results against labelled pairs."""
    cross = [p for p in passages if p.doc_a != p.doc_b]
    recall = sum(any(hits(p, g) for p in cross) for g in gold) / len(gold) if gold else 0.0
    precision = sum(any(hits(p, g) for g in gold) for p in cross) / len(cross) if cross else 0.0

    def in_cluster(c: Cluster, g: LabelledPair) -> bool:
        a = any(m.doc == g.doc_a and overlaps(m.start, m.end, g.a_start, g.a_end) for m in c.members)
        return a and any(m.doc == g.doc_b and overlaps(m.start, m.end, g.b_start, g.b_end) for m in c.members)

    crec = sum(any(in_cluster(c, g) for c in clusters) for g in gold) / len(gold) if gold else 0.0
    return Scores(len(gold), len(cross), recall, precision, crec)


def baseline_passages(documents: Sequence[Document], threshold: float) -> list[Passage]:
    """Plain sentence TF-IDF: every cross-document sentence pair with cosine >= ``threshold``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reuse.text.tokens import sentence_spans

    sents = [(d, s, e) for d in documents for s, e in sentence_spans(d.text)]
    if not sents:
        return []
    vectors = TfidfVectorizer(stop_words="english").fit_transform([d.text[s:e] for d, s, e in sents])
    sims = (vectors @ vectors.T).tocoo()
    out = []
    for i, j, score in zip(sims.row, sims.col, sims.data):
        (da, a0, a1), (db, b0, b1) = sents[i], sents[j]
        if i < j and da.id != db.id and score >= threshold:
            out.append(Passage(doc_a=da.id, a_start=a0, a_end=a1, doc_b=db.id, b_start=b0, b_end=b1,
                               kind=PARAPHRASE, score=float(min(1.0, score)), text_a=da.text[a0:a1],
                               text_b=db.text[b0:b1], matched_words=0))
    return out


def score_paths(labels: str | Path, paths: Sequence[str | Path], *, baseline: float | None = None,
                config: ReuseConfig | None = None) -> Scores:
    """Scan ``paths`` (or, with ``baseline``, run plain sentence TF-IDF on them) and score against ``labels``."""
    return curve(labels, paths, [baseline] if baseline is not None else [None], config=config,
                 baseline=baseline is not None)[0]


def curve(labels: str | Path, paths: Sequence[str | Path], thresholds: Sequence[float | None], *,
          config: ReuseConfig | None = None, baseline: bool = False) -> list[Scores]:
    """Scores at each threshold: the scan's ``paraphrase_min_score`` (None: as ``config`` has it),
    or with ``baseline`` the plain TF-IDF cosine; a recall/precision curve, one point a threshold."""
    from dataclasses import replace

    from reuse.api import find_reuse
    from reuse.io.readers import read_paths

    gold = load_pairs(labels)
    corpus = read_paths(paths)
    config = config or ReuseConfig()
    out = []
    for t in thresholds:
        if baseline:
            out.append(evaluate(baseline_passages(corpus.documents, float(t or 0.0)), [], gold))
            continue
        results = find_reuse(corpus, config if t is None else replace(config, paraphrase_min_score=t))
        out.append(evaluate(results.passages, results.clusters, gold))
    return out
