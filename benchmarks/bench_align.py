"""Per-pair time of the aligner (``reuse.stages.align.aligner.align_documents``) on PAN pairs, in one process.

    python benchmarks/bench_align.py /work/shared/bench/pan13-train --pairs 400
    PYTHONPATH=/path/to/other/checkout python benchmarks/bench_align.py ... # compare another version

Documents are read and tokenised before timing, so only alignment is measured. Pairs are the first
``--pairs`` in the order ``reuse bench pan`` runs them (by suspicious document), so a document's
repeated use is as it is there.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import reuse
from reuse.config import ReuseConfig
from reuse.eval.pan.bench import _load
from reuse.eval.pan.corpus import open_corpus
from reuse.stages.align.aligner import align_documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--pairs", type=int, default=400)
    args = parser.parse_args()
    root = Path(args.corpus)
    pairs = sorted(open_corpus(root).pairs, key=lambda p: (p.susp, p.src))[: args.pairs]
    docs = [(_load(str(root / "susp" / p.susp), p.susp), _load(str(root / "src" / p.src), p.src)) for p in pairs]
    config = ReuseConfig()
    times = []
    for (da, ta), (db, tb) in docs:
        t = time.perf_counter()
        align_documents(da, ta, db, tb, config)
        times.append(time.perf_counter() - t)
    print(f"{reuse.__file__}: {len(times)} pairs, median {1000 * statistics.median(times):.2f} ms, "
          f"mean {1000 * statistics.mean(times):.2f} ms, total {sum(times):.2f} s")


if __name__ == "__main__":
    main()
