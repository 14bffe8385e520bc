"""Benchmark of the persistent index: add speed against a plain scan, query latency and recall.

    python benchmarks/bench_index.py --make 20000 --corpus /tmp/corpus.jsonl   # generate, then bench
    python benchmarks/bench_index.py --corpus corpus.jsonl --scan-docs 5000 --queries 200

Any JSONL corpus (``id``, ``text``) works for the add/scan comparison and latency. Recall needs
queries with a known source: ``--make`` writes them beside the corpus (``*.queries.jsonl``: each
query holds a passage copied from one corpus document, with the passage's offsets on both sides).
Without such a file, queries are built from corpus documents the same way.

Measured in one process, side by side:

* **add vs scan**: ``find_reuse`` (library, no output files) and ``Index.add`` into a new file on
  the same first ``--scan-docs`` documents, alternating, ``--repeat`` times; medians. Speed ratio =
  scan seconds / add seconds (>= 0.8 is the target).
* **query**: index of the whole corpus; each query run twice, the second (warm) timed;
  median and p95 over queries. Recall: the planted source is among the hits and one passage pins
  the copied text at its exact offsets on both sides.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reuse.api import find_reuse  # noqa: E402
from reuse.config import ReuseConfig  # noqa: E402
from reuse.index.store import Index  # noqa: E402
from reuse.io.readers import Fields, iter_paths  # noqa: E402
from reuse.model import Corpus, Document  # noqa: E402
from reuse.version import __version__  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de", "fi", "go", "hu", "ja", "ke", "li",
             "ma", "no", "pe", "qui", "ro", "si", "tu", "ve", "xa", "yo", "ze", "an", "el", "in", "or", "us"]


def prose_maker(seed: int):
    """``prose(n_words)``: Zipf-distributed pseudo-words in sentences (deterministic per seed)."""
    import numpy as np

    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    vocab = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(60000)})
    cdf = np.cumsum(1.0 / np.arange(1, len(vocab) + 1) ** 1.05)
    cdf /= cdf[-1]

    def prose(n_words: int) -> str:
        ids = np.minimum(np.searchsorted(cdf, nprng.random(n_words)), len(vocab) - 1)
        out, k = [], 0
        while k < n_words:
            length = int(nprng.integers(8, 25))
            sent = [vocab[i] for i in ids[k : k + length]]
            k += length
            out.append(sent[0].capitalize() + " " + " ".join(sent[1:]) + ".")
        return " ".join(out)

    return prose


def make_corpus(path: Path, n: int, *, words: int = 450, queries: int = 300, seed: int = 7) -> Path:
    """A minimal synthetic news corpus: Zipf-distributed pseudo-words in sentences; 5% of articles
    reuse a 40-150 word passage of an earlier one. Writes ``path`` and ``path.queries.jsonl``."""
    rng = random.Random(seed)
    prose = prose_maker(seed)

    def copy_from(text: str, n_words: int) -> str:
        toks = text.split(" ")
        start = rng.randrange(0, max(1, len(toks) - n_words))
        return " ".join(toks[start : start + n_words])

    texts: list[str] = []
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            text = prose(rng.randint(words // 2, words * 3 // 2))
            if k > 10 and rng.random() < 0.05:
                cut = text.find(". ", len(text) // 2) + 2
                text = text[:cut] + copy_from(texts[rng.randrange(k)], rng.randint(40, 150)) + " " + text[cut:]
            texts.append(text)
            fh.write(json.dumps({"id": f"a{k:06d}", "text": text, "source": f"outlet{k % 37}",
                                 "title": f"Article {k}"}) + "\n")
    write_queries(Path(f"{path}.queries.jsonl"), texts, [f"a{k:06d}" for k in range(n)], queries, prose, rng)
    return path


def write_queries(path: Path, texts, ids, n: int, prose, rng: random.Random, words: tuple[int, int] = (50, 120)) -> None:
    """Queries: new prose with one passage (``words`` long, cut at word edges) of a corpus document."""
    with open(path, "w", encoding="utf-8") as fh:
        for q in range(n):
            k = rng.randrange(len(texts))
            src = texts[k]
            spaces = [i for i, c in enumerate(src) if c == " "]
            length = rng.randint(*words)
            if len(spaces) <= length + 2:
                continue
            s = rng.randrange(0, len(spaces) - length - 1)
            b_start, b_end = spaces[s] + 1, spaces[s + length]
            passage = src[b_start:b_end]
            left, right = prose(rng.randint(100, 300)), prose(rng.randint(100, 300))
            text = f"{left} {passage} {right}"
            fh.write(json.dumps({"id": f"q{q:04d}", "text": text, "source_id": ids[k], "a_start": len(left) + 1,
                                 "a_end": len(left) + 1 + len(passage), "b_start": b_start, "b_end": b_end}) + "\n")


def load(path: Path, limit: int | None = None) -> list[Document]:
    docs = []
    for item in iter_paths([path], fields=Fields()):
        if isinstance(item, Document):
            docs.append(item)
            if limit and len(docs) >= limit:
                break
    return docs


def time_scan(docs: list[Document], config: ReuseConfig) -> float:
    t = time.perf_counter()
    find_reuse(Corpus(documents=docs), config)
    return time.perf_counter() - t


def time_add(docs: list[Document], config: ReuseConfig, folder: Path, tag: str) -> tuple[float, int]:
    db = folder / f"add-{tag}.db"
    t = time.perf_counter()
    with Index(db, config) as idx:
        idx.add(docs)
    took = time.perf_counter() - t
    size = db.stat().st_size + sum(p.stat().st_size for p in folder.glob(f"add-{tag}.db-*"))
    for p in folder.glob(f"add-{tag}.db*"):
        p.unlink()
    return took, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="JSONL corpus (id, text); written first with --make")
    ap.add_argument("--make", type=int, default=0, help="generate a synthetic corpus of this many articles first")
    ap.add_argument("--scan-docs", type=int, default=5000, help="documents for the add-vs-scan comparison")
    ap.add_argument("--repeat", type=int, default=3, help="alternating scan/add runs (medians reported)")
    ap.add_argument("--index-docs", type=int, default=0, help="documents in the query index (0: all)")
    ap.add_argument("--queries", type=int, default=200, help="queries timed")
    ap.add_argument("--work", type=Path, default=None, help="folder for the databases (default: a temp folder)")
    ap.add_argument("--skip-scan", action="store_true", help="only build the index and time queries")
    ap.add_argument("--skip-query", action="store_true", help="only compare add with scan")
    ap.add_argument("--query-words", default=None, metavar="MIN-MAX",
                    help="write fresh queries whose copied passage has MIN-MAX words (e.g. 20-40), and use them")
    ap.add_argument("--reuse-db", action="store_true", help="query an existing WORK/index.db instead of building it")
    args = ap.parse_args()

    if args.make:
        make_corpus(args.corpus, args.make)
        print(f"wrote {args.corpus} ({args.make} articles) and its queries", file=sys.stderr)
    config = ReuseConfig()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-index-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"version": __version__, "corpus": str(args.corpus)}

    if not args.skip_scan:
        docs = load(args.corpus, args.scan_docs)
        scans, adds, sizes = [], [], []
        for r in range(args.repeat):
            scans.append(time_scan(docs, config))
            took, size = time_add(docs, config, work, str(r))
            adds.append(took)
            sizes.append(size)
            print(f"run {r}: scan {scans[-1]:.1f}s  add {adds[-1]:.1f}s", file=sys.stderr)
        s, a = statistics.median(scans), statistics.median(adds)
        report["add_vs_scan"] = {
            "documents": len(docs), "repeat": args.repeat, "scan_s": round(s, 2), "add_s": round(a, 2),
            "scan_docs_per_s": round(len(docs) / s, 1), "add_docs_per_s": round(len(docs) / a, 1),
            "speed_ratio_add_over_scan": round(s / a, 3), "db_mb": round(statistics.median(sizes) / 2**20, 1),
        }

    if args.skip_query:
        print(json.dumps(report, indent=2))
        return
    all_docs = load(args.corpus, args.index_docs or None)
    db = work / "index.db"
    build = float("nan")
    if not args.reuse_db:
        for p in work.glob("index.db*"):
            p.unlink()
        t = time.perf_counter()
        with Index(db, config) as idx:
            idx.add(all_docs)
        build = time.perf_counter() - t
    size = sum(p.stat().st_size for p in work.glob("index.db*"))
    by_id = {d.id: d for d in all_docs}

    qpath = Path(f"{args.corpus}.queries.jsonl")
    if args.query_words:
        lo, hi = (int(x) for x in args.query_words.split("-"))
        qpath = Path(f"{args.corpus}.queries-{lo}-{hi}.jsonl")
        write_queries(qpath, [d.text for d in all_docs], [d.id for d in all_docs], args.queries,
                      prose_maker(11), random.Random(11), (lo, hi))
        report["query_words"] = [lo, hi]
    queries = [json.loads(line) for line in qpath.read_text(encoding="utf-8").splitlines()] if qpath.exists() else []
    queries = [q for q in queries if q["source_id"] in by_id][: args.queries]
    if not queries:
        print(f"no {qpath}: queries cannot be built without known sources; use --make", file=sys.stderr)
        sys.exit(2)
    lat, found, exact, n_hits = [], 0, 0, []
    with Index(db, readonly=True) as idx:
        for q in queries:
            doc = Document(id=q["id"], text=q["text"])
            idx.query(doc)  # warm: pages and token caches
            t = time.perf_counter()
            hits = idx.query(doc)
            lat.append(time.perf_counter() - t)
            n_hits.append(len(hits))
            match = [h for h in hits if h.pair.doc_b == q["source_id"]]
            if match:
                found += 1
                src = by_id[q["source_id"]].text
                if any(p.text_a == q["text"][p.a_start:p.a_end] and p.text_b == src[p.b_start:p.b_end]
                       and p.a_start <= q["a_start"] + 1 and p.a_end >= q["a_end"] - 1
                       and p.b_start <= q["b_start"] + 1 and p.b_end >= q["b_end"] - 1 for p in match[0].passages):
                    exact += 1
    lat.sort()
    report["query"] = {
        "index_documents": len(all_docs), "build_s": round(build, 1), "build_docs_per_s": round(len(all_docs) / build, 1),
        "db_mb": round(size / 2**20, 1), "queries": len(queries),
        "median_ms": round(1000 * statistics.median(lat), 1), "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 1),
        "recall": round(found / len(queries), 3), "exact_offsets": round(exact / len(queries), 3),
        "mean_hits": round(statistics.mean(n_hits), 2),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
