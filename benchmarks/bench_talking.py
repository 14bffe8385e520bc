"""The talking-points stage on corpora of thousands: its CPU time, and what its paraphrases are worth.

    python -m benchmarks.bench_talking pan /work/shared/bench/pan13-train   # 5,057 documents as one folder
    python -m benchmarks.bench_talking synth /tmp/c5k.jsonl                # python -m benchmarks.synth 5000 /tmp/c5k.jsonl

Each scans the corpus with one job (so every stage runs in this process) and prints one JSON
line: CPU seconds of the whole scan and of the talking-points stage, the stage's counts, and

* ``pan``: the ``paraphrase`` passages judged against the gold cases of the listed pairs. A
  passage is *right* when its two documents are a listed pair and its sides overlap one gold
  case's two ranges. Precision is the share of paraphrase passages that are right; recall, per
  obfuscation part, the share of gold cases some paraphrase passage hits. Summary and translation
  cases are the paraphrase-heavy ones; every other paraphrase (between documents no pair lists)
  is a false claim match, since PAN's documents share nothing but plagiarism;
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
from reuse.engine import local
from reuse.io.readers import iter_paths
from reuse.model import Passage, Results


def scan(paths: list[str], config: ReuseConfig) -> tuple[Results, dict[str, float]]:
    """Scan with one job; CPU seconds of the whole scan and of the talking-points stage."""
    cpu: dict[str, float] = {}
    stage = local.talking_points

    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return stage(*args, **kwargs)
        finally:
            cpu["talking_points"] = time.process_time() - t

    local.talking_points = timed
    try:
        t0 = time.process_time()
        results = local.run(iter_paths(paths), config, jobs=1)
        cpu["scan"] = time.process_time() - t0
    finally:
        local.talking_points = stage
    return results, cpu


def _overlap(s0: int, e0: int, s1: int, e1: int) -> bool:
    return s0 < e1 and s1 < e0


def pan_quality(root: Path, passages: list[Passage]) -> dict[str, Any]:
    """Precision of paraphrase passages and recall of gold cases per part (see the module docstring)."""
    from reuse.eval.pan.corpus import open_corpus

    corpus = open_corpus(root)
    cases: dict[tuple[str, str], list[tuple[str, Any]]] = defaultdict(list)
    for pair in corpus.pairs:
        for g in corpus.gold(pair):
            cases[(pair.susp, pair.src)].append((pair.part, g))
    para = [p for p in passages if p.kind == "paraphrase"]
    right = 0
    hit: set[int] = set()
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
    per_part: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for found in cases.values():
        for part, g in found:
            per_part[part][0] += id(g) in hit
            per_part[part][1] += 1
    return {
        "paraphrase_passages": len(para), "right": right,
        "precision": round(right / len(para), 3) if para else None,
        "recall": {part: f"{h}/{n}" for part, (h, n) in sorted(per_part.items())},
    }


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
        quality = pan_quality(root, results.passages)
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
