"""The talking-points stage on corpora of thousands: its CPU time, and what its paraphrases are worth.

    python -m benchmarks.bench_talking pan /work/shared/bench/pan13-train   # 5,057 documents as one folder
    python -m benchmarks.bench_talking synth /tmp/c5k.jsonl                # python -m benchmarks.synth 5000 /tmp/c5k.jsonl

Each scans the corpus with one job (so every stage runs in this process) and prints one JSON
line: CPU seconds of the whole scan and of the talking-points stage, the stage's counts, and

* ``pan``: the ``paraphrase`` passages judged against the gold cases of the listed pairs. A
  passage is *right* when its two documents are a listed pair and its sides overlap one gold
  case's two ranges. Precision is the share of paraphrase passages that are right; recall, per
  obfuscation part, the share of gold cases some paraphrase passage hits. Summary and translation
  cases are the paraphrase-heavy ones. That precision is a floor, not the stage's precision: PAN
  labels only the listed pairs, yet its documents share more text than that. So two more counts:
  ``right_transitive`` adds passages between two suspicious documents whose gold cases reuse
  overlapping ranges of one source (or two sources reused in overlapping ranges of one suspicious
  document), and ``shared_run`` the remaining passages whose two sides share a word k-gram
  (k = ``shingle_size``, the scan's unit of copied text): host pages, boilerplate and copies PAN
  never labelled, text reuse all the same, though not reworded claims;
* ``synth``: random text with planted copies and no claims: every paraphrase passage that does
  not overlap a planted copy is a chance match.

Time is reported, never asserted: the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from reuse.config import ReuseConfig
from reuse.engine import plan
from reuse.engine.local import LocalEngine
from reuse.io.readers import iter_paths
from reuse.model import Passage, Results
from reuse.text.spans import overlaps as _overlap


def scan(paths: list[str], config: ReuseConfig) -> tuple[Results, dict[str, float]]:
    """Scan with one job; CPU seconds of the whole scan and of the talking-points stage."""
    cpu: dict[str, float] = {}
    stage = plan.talking_points

    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return stage(*args, **kwargs)
        finally:
            cpu["talking_points"] = time.process_time() - t

    plan.talking_points = timed
    try:
        t0 = time.process_time()
        with LocalEngine(1) as engine:
            results = plan.scan(iter_paths(paths), config, engine)
        cpu["scan"] = time.process_time() - t0
    finally:
        plan.talking_points = stage
    return results, cpu


def pan_quality(root: Path, passages: list[Passage], shingle_size: int = 5) -> dict[str, Any]:
    """Precision of paraphrase passages and recall of gold cases per part (see the module docstring)."""
    from reuse.eval.pan.corpus import open_corpus

    corpus = open_corpus(root)
    cases: dict[tuple[str, str], list[tuple[str, Any]]] = defaultdict(list)
    for pair in corpus.pairs:
        for g in corpus.gold(pair):
            cases[(pair.susp, pair.src)].append((pair.part, g))
    para = [p for p in passages if p.kind == "paraphrase"]
    right = transitive = runs = 0
    hit: set[int] = set()
    by_susp: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    by_src: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for (susp, src), found in cases.items():
        by_susp[susp] += [(src, g) for _, g in found]
        by_src[src] += [(susp, g) for _, g in found]
    for p in para:
        ok = False
        for (susp, _src), found in ((k, cases.get(k, [])) for k in ((p.doc_a, p.doc_b), (p.doc_b, p.doc_a))):
            s_side = (p.a_start, p.a_end) if p.doc_a == susp else (p.b_start, p.b_end)
            r_side = (p.b_start, p.b_end) if p.doc_a == susp else (p.a_start, p.a_end)
            for _, g in found:
                if _overlap(*s_side, g.this_offset, g.this_offset + g.this_length) and \
                        _overlap(*r_side, g.source_offset, g.source_offset + g.source_length):
                    ok = True
                    hit.add(id(g))
        right += ok
        if not ok:
            if _transitive(p, by_susp, by_src):
                transitive += 1
            elif _shared_run(p.text_a, p.text_b, shingle_size):
                runs += 1
    per_part: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for found in cases.values():
        for part, g in found:
            per_part[part][0] += id(g) in hit
            per_part[part][1] += 1
    return {
        "paraphrase_passages": len(para), "right": right,
        "precision": round(right / len(para), 3) if para else None,
        "right_transitive": transitive, "shared_run": runs,
        "recall": {part: f"{h}/{n}" for part, (h, n) in sorted(per_part.items())},
    }


def _transitive(p: Passage, by_susp: dict[str, list[tuple[str, Any]]], by_src: dict[str, list[tuple[str, Any]]]) -> bool:
    """Whether ``p`` joins text that gold cases tie together through a third document."""
    def spans(doc: str, s: int, e: int) -> list[tuple[str, int, int]]:
        """(source, source range) of gold cases covering ``doc[s:e]`` (``doc`` suspicious), or
        ``doc`` itself when it is a source."""
        if doc in by_susp:
            return [(src, g.source_offset, g.source_offset + g.source_length) for src, g in by_susp[doc]
                    if _overlap(s, e, g.this_offset, g.this_offset + g.this_length)]
        return [(doc, s, e)]

    a, b = spans(p.doc_a, p.a_start, p.a_end), spans(p.doc_b, p.b_start, p.b_end)
    if p.doc_a in by_susp and p.doc_b in by_susp:  # two suspicious documents reusing one source range
        return any(x[0] == y[0] and _overlap(x[1], x[2], y[1], y[2]) for x in a for y in b)
    if p.doc_a not in by_susp and p.doc_b not in by_susp:  # two sources reused side by side in one document
        return any(_overlap(g.this_offset, g.this_offset + g.this_length, h.this_offset, h.this_offset + h.this_length)
                   for susp, g in by_src.get(p.doc_a, ())
                   if _overlap(p.a_start, p.a_end, g.source_offset, g.source_offset + g.source_length)
                   for src, h in by_susp[susp] if src == p.doc_b
                   and _overlap(p.b_start, p.b_end, h.source_offset, h.source_offset + h.source_length))
    return False


def _shared_run(text_a: str, text_b: str, k: int) -> bool:
    """Whether two texts share a word k-gram."""
    import numpy as np

    from reuse.text.shingle import shingle_hashes
    from reuse.text.tokens import tokenize

    ha, hb = shingle_hashes(tokenize(text_a).ids, k), shingle_hashes(tokenize(text_b).ids, k)
    return len(np.intersect1d(ha, hb)) > 0


def synth_quality(path: Path, passages: list[Passage]) -> dict[str, Any]:
    """Paraphrase passages between documents with no planted copy between them (chance matches)."""
    from benchmarks.synth import read_truth

    truth = read_truth(path)
    para = [p for p in passages if p.kind == "paraphrase"]
    chance = [p for p in para if tuple(sorted((p.doc_a, p.doc_b))) not in truth]
    return {"paraphrase_passages": len(para), "between_unplanted_pairs": len(chance)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["pan", "synth"])
    ap.add_argument("path")
    args = ap.parse_args(argv)
    config = ReuseConfig()
    if args.kind == "pan":
        root = Path(args.path)
        results, cpu = scan([str(root / "src"), str(root / "susp")], config)
        quality = pan_quality(root, results.passages, config.shingle_size)
    else:
        results, cpu = scan([args.path], config)
        quality = synth_quality(Path(args.path), results.passages)
    stats = results.stats
    print(json.dumps({
        "corpus": args.path, "documents": stats["documents"], "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
        "paraphrases": stats.get("paraphrases"), "suppressed": stats.get("suppressed"), "clusters": stats["clusters"],
        "peak_rss_mb": stats.get("peak_rss_mb"), **quality,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
