"""The Heavy section of ``benchmarks/RESULTS.md``, written from ``benchmarks/out/heavy.json``.

Kept apart from the harness (:mod:`benchmarks.bench_heavy`) so the table can be rewritten from
raw numbers (``--report-only``) without running anything. Other sections of RESULTS.md are left
as they are: this one lives between its own markers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.measure import write_section

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- heavy:begin -->", "<!-- heavy:end -->"
_KIND_ORDER = {"heavy": 0, "pan13": 1, "topic": 2}
_SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def _order(label: str) -> tuple[int, int]:
    kind, _, size = label.partition("-")
    return _KIND_ORDER.get(kind, 9), _SIZES.get(size) or (int(size) if size.isdigit() else 0)


def _s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _wall(scan: dict[str, Any]) -> str:
    if scan["status"] == "timeout":
        return f"> {scan['wall'] / 60:.0f} min (killed)"
    walls = scan.get("walls", [scan["wall"]])
    return _s(scan["wall"]) + (f" (median of {len(walls)})" if len(walls) > 1 else "")


def _quality(row: dict[str, Any]) -> tuple[str, str]:
    q = row.get("quality")
    if not q:
        return "—", "—"
    parts = "".join(f"; {part} {r:.2f}" for part, r in q.get("recall_by_part", {}).items())
    recall = f"{q['recall']:.4f} ({q['truth']:,} planted{parts})"
    if q.get("precision") is None:
        return recall, f"n/a; {q['negatives_flagged']} of {q['negatives']:,} no-plagiarism pairs flagged"
    para = q.get("unplanted_paraphrase_only")
    extra = f"; {para:,} unplanted ones by paraphrase alone" if para else ""
    copy = f"copied {q['copy_precision']:.4f} ({q['copy_predicted']:,}); " if "copy_precision" in q else ""
    return recall, f"{copy}all {q['precision']:.4f} ({q['predicted']:,} found{extra})"


def _end_to_end(row: dict[str, Any]) -> str:
    label = row["label"]
    if "not_run" in row:
        return (f"| {label} | — | `{row.get('reproduce', '')}` | {row['not_run']} |" + " — |" * 11
                + f" {row.get('commit', '?')} |")
    sc = row["scan"]
    st = sc.get("stages", {})
    cand = st.get("near_duplicates", 0) + st.get("passage_candidates", 0) if st else None
    recall, precision = _quality(row)
    load = "/".join(f"{x:.1f}" for x in sc["load"])
    cpu = _s(sc["cpu"]) if sc["status"] == "ok" else "—"  # killed workers' CPU time is lost with them
    aligned = f"{sc['aligned']:,}" if sc["status"] == "ok" and "aligned" in sc else "—"
    return (f"| {label} | {row['docs']:,} | `{sc['cmd']}` | {_wall(sc)} | {cpu} | {_s(st.get('sketch'))} "
            f"| {_s(cand)} | {_s(st.get('tfidf'))} | {_s(st.get('align'))} | {_s(st.get('talking_points'))} "
            f"| {sc['peak_pss_mb']:,.0f} | {aligned} | {recall} | {precision} "
            f"| {load} | {row['commit']} |")


def _x(r: float) -> str:
    return f"{r:.2f}x" if r >= 0.1 else f"{r:.2g}x"


def _ratio(base: float, scan: dict[str, Any]) -> str:
    r = base / scan["wall"]
    return f"< {_x(r)}" if scan["status"] == "timeout" else _x(r)


def _beside(row: dict[str, Any]) -> str:
    label = row["label"]
    if "not_run" in row:
        return f"| {label} |" + " — |" * 8 + f" `{row.get('reproduce', '')}` |"
    sc, al, b = row["scan"], row.get("align", {}), row.get("baselines")
    if al.get("pairs"):
        dist = f"{al['median']:.1f} / {al['p90']:.1f} / {al['p99']:.1f} / {al['max']:.0f}"
        timed = f"{al['pairs']}" + (" random" if al.get("drawn_from", "").startswith("random") else "")
    else:
        dist, timed = "—", "0"
    aligned, align_s = sc.get("aligned"), sc.get("stages", {}).get("align")
    stage = f"{1000 * align_s / aligned:.1f}" if aligned and align_s else "—"
    if b:
        scale = row["docs"] / b["docs"]  # the peers ran on the first b["docs"] articles only
        note = f" ({b['docs']:,} articles, scaled)" if scale > 1.0001 else ""
        bulk = f"{_s(b['bulk'])}{note}"
        lsh = f"{_s(b['lsh'])} ({b['lsh_candidates']:,} pairs)"
        r_bulk, r_both = _ratio(b["bulk"] * scale, sc), _ratio((b["bulk"] + b["lsh"]) * scale, sc)
        r_cpu = _x(b["bulk_cpu"] * scale / sc["cpu"]) if sc["status"] == "ok" else "—"
    else:
        bulk = lsh = r_bulk = r_both = r_cpu = "—"
    return (f"| {label} | {timed} | {dist} | {stage} | {bulk} | {r_bulk} | {r_cpu} | {lsh} | {r_both} "
            f"| `{row['reproduce']}` |")


NOTES = [
    "- *Corpora.* `heavy-N`: ~600-word articles sampled from a bigram model of the English in "
    "`pan13-train/src` (counted when the corpus is generated; no text is copied into the repository); "
    "20% copy 1-3 passages of 30-120 words from earlier articles with ~5% of the words replaced, 2% are "
    "near-duplicates of an earlier article with ~5% replaced (`benchmarks/heavy.py`). `topic-N`: the same "
    "English, a fifth of the words from a 150-word topic vocabulary and 3-6 of 30 stock phrases per "
    "article, so nearly every pair passes the TF-IDF floor (cosine >= 0.05); 10% copy passages, 2% are "
    "near-duplicates. `pan13-train`: the 5,057 PAN13 training documents, `src/` and `susp/` in one scan.",
    "- *Ground truth.* Every generated word remembers where it was first written; two articles are a "
    "planted pair when one copied from the other or they share >= 30 words of one origin (copies of "
    "copies, two copies of one source). Pairs sharing fewer are *marginal*: counted neither as found nor "
    "as missed. A pair is found when the scan reports an aligned passage for it. For PAN13, recall is "
    "over the document pairs with plagiarism cases; precision is unknown (unlisted pairs may share text: "
    "several suspicious documents copy one source), so the no-plagiarism pairs flagged are shown instead.",
    "- *Pairs aligned* is the number of pairs the scan's aligner ran on (from its `-v` log). *Align CPU "
    "ms/pair* times `align_documents` alone, in one process, on a seeded sample of the pairs the scan "
    "reported (tokens made beforehand); *align stage ms per aligned pair* is the align stage's wall time "
    "over all workers divided by the pairs aligned.",
    "- *Beside datasketch*: on the same texts (the first `--baseline-docs`, scaled by article count when "
    "fewer than the corpus) and the same word 5-gram shingles, `MinHash.bulk` (128 permutations) alone, "
    "then `MinHashLSH(threshold=0.5)` insert + query of every signature; medians of `--repeat` runs, one "
    "process. *bulk ÷ scan* is the baseline's time over the scan's wall time: above 1 the whole scan is "
    "faster than datasketch computing signatures alone (issue 11 targets >= 1.5x at 100k). *bulk ÷ scan, "
    "CPU* divides CPU seconds (the scan's summed over its workers): steadier than wall time on a busy "
    "machine, and what the wall ratio would be on an idle one if the scan used one core.",
    "- *Load* is the 1-minute load average at the scan's start / highest while it ran / end: the machine "
    "is shared, and a load above the core count stretches wall times; CPU s (user + system of the scan "
    "and its workers) does not grow with load.",
]


def write_results(rows: dict[str, dict[str, Any]], *, cores: int) -> None:
    """Replace the Heavy section of RESULTS.md (other sections are left as they are)."""
    ordered = [rows[k] for k in sorted(rows, key=_order)]
    lines = [BEGIN, "## Heavy reuse, PAN13 as one folder, same-topic corpora (issue 11)", "",
             f"Benchmarks that look like use: the cost of a scan is per candidate pair. Machine: {cores} cores, "
             "shared with other engineers' jobs (see *load*). Reproduce a row with the command in its row, "
             "or all of them with `make bench` (`BENCH_HEAVY_SIZES`, `BENCH_TOPIC_SIZES`, `BENCH_TIMEOUT`).", "",
             "### End to end", "",
             "| corpus | articles | command | wall s | CPU s | sketch s | candidates s | tf-idf s | align s "
             "| talking points s | peak memory MB (PSS, all processes) | pairs aligned | recall | precision "
             "| load (start/max/end) | commit |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
             *map(_end_to_end, ordered),
             "", "### Per pair, and beside datasketch", "",
             "| corpus | pairs timed | align CPU ms/pair: median / p90 / p99 / max | align stage ms per aligned pair "
             "| datasketch `MinHash.bulk` s | bulk ÷ scan | bulk ÷ scan, CPU | `MinHashLSH` insert+query s "
             "| (bulk + LSH) ÷ scan | reproduce |",
             "|---|---|---|---|---|---|---|---|---|---|",
             *map(_beside, ordered),
             "", "### Notes", "", *NOTES, "", "Raw numbers: `benchmarks/out/heavy.json`.", END]
    block = "\n".join(lines)
    write_section(RESULTS, BEGIN, END, block)
