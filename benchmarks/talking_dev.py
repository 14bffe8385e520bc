"""A development bench for the talking-points matcher: how well candidate sentence pairs are ranked.

    python -m benchmarks.talking_dev seeds                                   # the seed annotation
    python -m benchmarks.talking_dev pan /work/shared/bench/pan13-train      # a PAN13 sample

Both build the stage's claim units and every candidate unit pair of the evidence index (sentences
and windows, cosine >= 0), label each pair, and print one JSON line: the ROC-AUC and average
precision of the cosine over the candidates, and the recall/precision of the stage's selection
(cosine bar, claim evidence, best links, no overlap) at several bars. So a new ranking signal can
be judged on two unlike corpora before it touches the pipeline, and never on the seeds alone:

* ``seeds``: labels from ``tests/fixtures/seed_talking_points.jsonl``; recall and precision as
  ``reuse eval talking-points`` counts them (the aligner's passages left out);
* ``pan``: 30 pairs of each PAN13 part (summary pairs with a case), their documents as one corpus
  (a fixed pseudo-random sample, ``--seed``). A pair is right when gold cases tie its two sides,
  directly or through a third document (two suspicious documents reusing one source range);
  everything else counts as wrong, though PAN leaves much shared text unlabelled
  (``benchmarks/bench_talking.py``), so precision here is a floor.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.stages.talking import candidates as cand
from reuse.stages.talking import units as un
from reuse.stages.talking.evidence import UnitMatch, is_claim, judge_pairs, select_matches
from reuse.stages.talking.unit_rows import UnitRows
from reuse.text.spans import overlaps

BARS = (0.15, 0.2, 0.25, 0.3)


def build(texts: list[str], config: ReuseConfig) -> dict[str, Any]:
    """The stage's units of ``texts`` as one corpus, and every candidate pair judged."""
    chunks = [texts[s : s + 256] for s in range(0, len(texts), 256)]
    counts = [un.count_batch(c, [-1] * len(c), config.paraphrase_min_words) for c in chunks]
    model, background, n_units = un.merge(counts, min_docs=config.boilerplate_min_docs,
                                          background_share=config.background_share)
    units = un.Units.join(un.units_batch(c.readings, [np.empty((0, 2), np.int64)] * len(c.readings), model,
                                         window=config.paraphrase_window) for c in counts)
    row_doc, first_row = cand.unit_matrix(units, len(model.vocab))[1:]
    unit_rows = UnitRows.of(units, model.idf, row_doc)  # windows made whole from their sentences
    rows, scores = cand.candidate_pairs(unit_rows, row_doc, background, min_score=0.0)
    used, local = np.unique(rows, return_inverse=True)
    judged = judge_pairs(unit_rows.gather(used), local.reshape(rows.shape), background, model.idf - 1.0,
                         np.zeros(len(rows), dtype=bool))
    matches = [judged.match(k, int(row_doc[a]), a - int(first_row[row_doc[a]]), int(row_doc[b]),
                            b - int(first_row[row_doc[b]]), s) for k, ((a, b), s) in enumerate(zip(rows.tolist(), scores.tolist()))]
    # judged as inside pairs the aligner nominated (every pair of a small corpus: see evidence.is_claim)
    claim = np.asarray(is_claim(judged, config.paraphrase_min_evidence, n_units, nominated=True), dtype=bool)
    return {"units": units, "rows": rows, "row_doc": row_doc, "matches": matches, "claim": claim,
            "cosine": scores}


def select(built: dict[str, Any], bar: float) -> list[UnitMatch]:
    """The stage's selection at cosine ``bar``: claim evidence, best links, no double overlap."""
    cos, keep = built["cosine"], built["claim"] & (built["cosine"] >= bar)
    idx = np.flatnonzero(keep)
    best = cand.best_links(built["rows"][idx], cos[idx], built["row_doc"]) if len(idx) else np.zeros(0, bool)
    grouped: dict[tuple[int, int], list[UnitMatch]] = defaultdict(list)
    for k in idx[best].tolist():
        m = built["matches"][k]
        grouped[(m.i, m.j)].append(replace(m, score=float(cos[k])))
    return [x for (i, j), v in grouped.items() for x in select_matches(v, built["units"][i], built["units"][j])]


def measure(built: dict[str, Any], right: Any, n_labels: int | None, hit_labels: Any) -> dict[str, Any]:
    """AUC/AP of the cosine over candidates, and the selection's recall/precision per bar."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y = np.array([right(m) for m in built["matches"]], dtype=bool)
    out: dict[str, Any] = {"candidates": len(y), "right": int(y.sum())}
    if 0 < y.sum() < len(y):
        out["cosine_auc"] = round(float(roc_auc_score(y, built["cosine"])), 3)
        out["cosine_ap"] = round(float(average_precision_score(y, built["cosine"])), 3)
    curve = []
    for bar in BARS:
        chosen = select(built, bar)
        point = {"bar": bar, "reported": len(chosen),
                 "precision": round(sum(map(right, chosen)) / len(chosen), 3) if chosen else None}
        if n_labels:
            point["recall"] = round(hit_labels(chosen) / n_labels, 3)
        curve.append(point)
    out["curve"] = curve
    return out


def seeds(root: Path, config: ReuseConfig) -> dict[str, Any]:
    from reuse.eval.annotation import load_pairs
    from reuse.io.readers import read_paths

    docs = read_paths([root / "seeds"]).documents
    ids = [d.id for d in docs]
    built = build([d.text for d in docs], config)
    gold = load_pairs(root / "tests" / "fixtures" / "seed_talking_points.jsonl")
    units = built["units"]

    def joins(m: UnitMatch, g: Any) -> bool:
        (a0, a1), (b0, b1) = units[m.i].chars[m.a].tolist(), units[m.j].chars[m.b].tolist()
        for (da, sa, ea), (db, sb, eb) in (((ids[m.i], a0, a1), (ids[m.j], b0, b1)), ((ids[m.j], b0, b1), (ids[m.i], a0, a1))):
            if (da, db) == (g.doc_a, g.doc_b) and overlaps(sa, ea, g.a_start, g.a_end) and overlaps(sb, eb, g.b_start, g.b_end):
                return True
        return False

    return measure(built, lambda m: any(joins(m, g) for g in gold), len(gold),
                   lambda chosen: sum(any(joins(m, g) for m in chosen) for g in gold))


def pan(root: Path, config: ReuseConfig, per_part: int = 30, seed: int = 0) -> dict[str, Any]:
    from reuse.eval.pan.corpus import open_corpus, read_text

    corpus = open_corpus(root)
    rnd = random.Random(seed)
    by_part: dict[str, list[Any]] = defaultdict(list)
    for p in corpus.pairs:
        by_part[p.part].append(p)
    chosen = []
    for part in sorted(by_part):
        pool = [p for p in by_part[part] if "summary" not in part or corpus.gold(p)]
        chosen += rnd.sample(pool, min(per_part, len(pool)))
    keys: dict[tuple[str, str], int] = {}
    texts = []
    for p in chosen:
        for key, path in ((("susp", p.susp), corpus.susp_path(p.susp)), (("src", p.src), corpus.src_path(p.src))):
            if key not in keys:
                keys[key] = len(texts)
                texts.append(read_text(path))
    names = {v: k for k, v in keys.items()}
    cases: dict[str, list[tuple[str, int, int, int, int]]] = defaultdict(list)  # susp -> (src, susp range, src range)
    for p in corpus.pairs:
        for g in corpus.gold(p):
            cases[p.susp].append((p.src, g.this_offset, g.this_offset + g.this_length,
                                  g.source_offset, g.source_offset + g.source_length))
    built = build(texts, config)
    units = built["units"]

    def source_spans(doc: int, s: int, e: int) -> list[tuple[str, int, int]]:
        kind, name = names[doc]
        if kind == "src":
            return [(name, s, e)]
        return [(src, s0, s1) for src, t0, t1, s0, s1 in cases.get(name, ()) if overlaps(s, e, t0, t1)]

    def right(m: UnitMatch) -> bool:
        (a0, a1), (b0, b1) = units[m.i].chars[m.a].tolist(), units[m.j].chars[m.b].tolist()
        if names[m.i][0] == names[m.j][0] == "src":
            return False
        return any(x[0] == y[0] and overlaps(x[1], x[2], y[1], y[2])
                   for x in source_spans(m.i, a0, a1) for y in source_spans(m.j, b0, b1))

    return {"documents": len(texts), **measure(built, right, None, None)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["seeds", "pan"])
    ap.add_argument("path", nargs="?", default=".", help="the repository root (seeds) or a PAN13 corpus (pan)")
    ap.add_argument("--seed", type=int, default=0, help="the PAN sample's seed")
    args = ap.parse_args(argv)
    config = ReuseConfig()
    out = seeds(Path(args.path), config) if args.kind == "seeds" else pan(Path(args.path), config, seed=args.seed)
    print(json.dumps({"kind": args.kind, **out}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
