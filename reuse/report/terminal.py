"""The short summary table ``reuse scan`` prints on the terminal."""
from __future__ import annotations

from ..results import Results


def summary_table(results: Results, *, top: int = 10) -> str:
    """Counts, then the top pairs with their score and the share of each side reused."""
    s = results.stats
    lines = [
        f"{s['documents']} documents, {s['pairs']} pairs, {s['passages']} shared passages, "
        f"{len(results.clusters)} talking points, {s['skipped']} skipped",
    ]
    if not results.pairs:
        lines.append("no pair of documents shares text above the thresholds")
        return "\n".join(lines)
    rows = [("score", "doc_a", "doc_b", "passages", "%A", "%B")]
    for p in results.pairs[:top]:
        rows.append((f"{p.score:.3f}", p.doc_a, p.doc_b, str(p.n_passages),
                     f"{p.coverage_a * 100:.1f}", f"{p.coverage_b * 100:.1f}"))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    right = {0, 3, 4, 5}
    for r in rows:
        lines.append("  ".join(cell.rjust(w) if c in right else cell.ljust(w) for c, (cell, w) in enumerate(zip(r, widths))).rstrip())
    if len(results.pairs) > top:
        lines.append(f"... {len(results.pairs) - top} more pairs in pairs.jsonl")
    return "\n".join(lines)
