"""Per-pair CPU time of the aligner (``reuse.stages.align.aligner.align_documents``), by kind of pair.

    python -m benchmarks.bench_align /work/shared/bench/pan13-train --pairs 200
    python -m benchmarks.bench_align /work/shared/bench/pan13-train --compare /path/to/old/checkout

Five kinds of pair, ``--pairs`` of each (documents tokenised before timing; each pair timed with
``time.process_time``, so other work on the machine barely moves the figures):

* ``near-verbatim``: a 600-word stretch of a PAN source document and a copy of it with 5% of its
  words replaced by words of another document (the heavy-reuse corpus's near-duplicates);
* ``verbatim``, ``edited``, ``paraphrase``: PAN13 training pairs of parts 02 (passages copied into
  a long document), 03 (random obfuscation) and 04 (round-trip translation);
* ``same-topic``: two 600-word stretches of different PAN source documents whose TF-IDF cosine is
  at least ``pair_min_cosine`` (what a small corpus on one topic sends to the aligner for every pair);
* ``copied-passage``: one 30-120-word passage copied into two different 600-word stretches (the
  heavy-reuse corpus's typical pair: the copy's runs explain it, the rest of both articles differs).

A pair's time includes the per-document work done on the way (sentence units, cached for the
documents met last) as ``reuse scan`` meets it. ``--compare`` runs the same pairs with another
checkout's ``reuse`` (in a subprocess with ``PYTHONPATH``) and prints both side by side, with the
share of pairs whose passages differ. Only public functions present in every version are used.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

KINDS = ("near-verbatim", "copied-passage", "verbatim", "edited", "paraphrase", "same-topic")
PAN_PART = {"verbatim": "02-no-obfuscation", "edited": "03-random-obfuscation",
            "paraphrase": "04-translation-obfuscation"}


def _words(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").split()


def make_pairs(root: Path, n: int, seed: int = 7) -> dict[str, list[tuple[str, str]]]:
    """``{kind: [(text_a, text_b), ...]}``: the same texts whatever version of reuse runs them."""
    rng = np.random.default_rng(seed)
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, part in PAN_PART.items():
        names = sorted((root / part / "pairs").read_text().split("\n"))
        names = [x.split() for x in names if x.strip()][:n]
        out[kind] = [((root / "susp" / s).read_text(encoding="utf-8", errors="replace"),
                      (root / "src" / r).read_text(encoding="utf-8", errors="replace")) for s, r in names]
    files = sorted((root / "src").glob("*.txt"))
    picked = [files[int(k)] for k in rng.choice(len(files), size=min(len(files), 6 * n), replace=False)]
    windows = []
    for f in picked:
        words = _words(f)
        if len(words) >= 600:
            start = int(rng.integers(0, len(words) - 599))
            windows.append(words[start : start + 600])
    near = []
    for k in range(min(n, len(windows) - 1)):
        copy = list(windows[k])
        donor = windows[k + 1]
        for pos in rng.choice(600, size=30, replace=False):
            copy[int(pos)] = donor[int(rng.integers(0, 600))]
        near.append((" ".join(windows[k]), " ".join(copy)))
    out["near-verbatim"] = near
    out["same-topic"] = _same_topic([" ".join(w) for w in windows], n)
    copied = []
    for k in range(min(n, len(windows) - 2)):  # drawn last: the other kinds' pairs stay as they were
        passage = windows[k + 2][: int(rng.integers(30, 121))]
        at_a, at_b = (int(x) for x in rng.integers(0, 600, size=2))
        copied.append((" ".join(windows[k][:at_a] + passage + windows[k][at_a:]),
                       " ".join(windows[k + 1][:at_b] + passage + windows[k + 1][at_b:])))
    out["copied-passage"] = copied
    return out


def _same_topic(texts: list[str], n: int) -> list[tuple[str, str]]:
    """The ``n`` most similar pairs of different documents by TF-IDF cosine, all above the floor."""
    from reuse.config import ReuseConfig
    from reuse.stages import score as st
    from reuse.stages.sketch import sketch_batch
    from reuse.text.tokens import tokenize

    sk = sketch_batch(texts, 0, ReuseConfig())
    idf = st.Idf(len(texts), sk.terms, sk.term_docs)
    vectors = [st.term_vector(tokenize(t), idf) for t in texts]
    pairs = st.all_pair_cosines(vectors, ReuseConfig().pair_min_cosine)
    cos = np.array([st.cosine_and_terms(vectors[i], vectors[j])[0] for i, j in pairs.tolist()])
    # Most similar first, but not copies: stretches of one source document can repeat text.
    order = [k for k in np.argsort(-cos).tolist() if cos[k] < 0.5]
    return [(texts[pairs[k, 0]], texts[pairs[k, 1]]) for k in order[:n]]


def time_pairs(pairs: dict[str, list[tuple[str, str]]]) -> dict[str, dict]:
    """Per kind: CPU seconds of each pair and its passages, with this process's ``reuse``."""
    from reuse.config import ReuseConfig
    from reuse.model import Document
    from reuse.stages.align.aligner import align_documents
    from reuse.text.tokens import tokenize

    config = ReuseConfig()
    out = {}
    for kind, texts in pairs.items():
        docs = [(Document(id="a", text=a), tokenize(a), Document(id="b", text=b), tokenize(b)) for a, b in texts]
        if docs:
            align_documents(*docs[0][:2], *docs[0][2:], config)  # compile and import outside the timing
        times, found = [], []
        for da, ta, db, tb in docs:
            t = time.process_time()
            passages = align_documents(da, ta, db, tb, config)
            times.append(time.process_time() - t)
            found.append([[p.a_start, p.a_end, p.b_start, p.b_end, p.kind, round(p.score, 6)] for p in passages])
        out[kind] = {"times": times, "passages": found}
    return out


def _stats(times: list[float]) -> str:
    if not times:
        return "-"
    ms = 1000 * np.asarray(times)
    return f"{np.median(ms):7.2f} {np.percentile(ms, 90):7.2f} {np.percentile(ms, 99):7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the PAN13 training folder")
    parser.add_argument("--pairs", type=int, default=200, help="pairs of each kind")
    parser.add_argument("--compare", type=Path, help="another checkout to time on the same pairs")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)  # pairs file in, results to stdout
    args = parser.parse_args()
    if args.worker:
        import reuse

        print(f"timing {reuse.__file__}", file=sys.stderr)
        json.dump(time_pairs(json.loads(args.worker.read_text())), sys.stdout)
        return
    pairs = make_pairs(args.corpus, args.pairs)
    runs = {"this": time_pairs(pairs)}
    if args.compare:
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_align_pairs_{os.getpid()}.json"
        tmp.write_text(json.dumps(pairs))
        # Run as a script from a neutral folder, so `reuse` comes from --compare alone.
        env = {**os.environ, "PYTHONPATH": str(args.compare.resolve())}
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), str(args.corpus), "--worker", str(tmp)],
                              env=env, capture_output=True, text=True, check=True, cwd=tmp.parent)
        tmp.unlink()
        print(proc.stderr.strip())
        runs = {"compare": json.loads(proc.stdout), **runs}
    print(f"per-pair CPU ms (median p90 p99); {args.pairs} pairs of each kind")
    print(f"{'kind':<14} " + "  ".join(f"{name + ' (med p90 p99)':>24}" for name in runs) + "   differ")
    for kind in KINDS:
        cells = "  ".join(f"{_stats(r[kind]['times']):>24}" for r in runs.values())
        differ = ""
        if "compare" in runs:
            a, b = runs["compare"][kind]["passages"], runs["this"][kind]["passages"]
            differ = f"{sum(x != y for x, y in zip(a, b))}/{len(a)}"
        print(f"{kind:<14} {cells}   {differ}")


if __name__ == "__main__":
    main()
