"""Text for the terminal: the summary table of ``reuse scan`` and the pair view of ``reuse show``.

Shared phrasing is marked with ANSI colour on a terminal, or with plain ``[[...]]`` markers when
the output is a file or a pipe, so the view survives ``less``, ``grep`` and e-mail.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from reuse.model import Results
from reuse.outputs.explain import explain_score, safe_url
from reuse.outputs.wordmatch import shared_runs

ANSI_SHARED = "\x1b[1;33m"  # bold yellow: words the two sides share exactly
ANSI_DIM = "\x1b[2m"
ANSI_BOLD = "\x1b[1m"
ANSI_RESET = "\x1b[0m"
PLAIN_OPEN, PLAIN_CLOSE = "[[", "]]"

_TERMINAL_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC: window title, hyperlinks, clipboard (BEL or ST ends it)
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)"  # DCS, SOS, PM, APC strings
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # 8-bit OSC
    r"|[\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)"  # 8-bit DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape (an unterminated OSC loses only its introducer)
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # every other C0 and C1 control but tab and newline; DEL
)


def terminal_safe(text: str) -> str:
    """``text`` without terminal control sequences or control characters (tab and newline kept).

    Document text is data, and a terminal obeys what it prints: an OSC sequence retitles the
    window or writes the clipboard, a CSI one moves the cursor over earlier lines. So everything
    ``reuse show`` and the scan table print from documents passes through here, colour or not.
    """
    return _TERMINAL_CONTROL.sub("", text)


def table(rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; ``right`` holds the indices of right-aligned columns."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["  ".join(cell.rjust(w) if c in right else cell.ljust(w) for c, (cell, w) in enumerate(zip(r, widths))).rstrip()
            for r in rows]


def pair_rows(pairs: Sequence[Any], *, ranks: bool = False) -> list[str]:
    """The pair table (``Pair`` objects or their records) with score, passages and % of each side."""
    def get(p: Any, k: str) -> Any:
        value = p[k] if isinstance(p, dict) else getattr(p, k)
        return terminal_safe(value) if isinstance(value, str) else value

    head = ("score", "doc_a", "doc_b", "passages", "%A", "%B")
    rows = [(("#",) if ranks else ()) + head]
    for k, p in enumerate(pairs, 1):
        rows.append(((str(k),) if ranks else ()) + (
            f"{get(p, 'score'):.3f}", get(p, "doc_a"), get(p, "doc_b"), str(get(p, "n_passages")),
            f"{get(p, 'coverage_a') * 100:.1f}", f"{get(p, 'coverage_b') * 100:.1f}"))
    shift = 1 if ranks else 0
    return table(rows, {c + shift for c in (0, 3, 4, 5)} | ({0} if ranks else set()))


def summary_table(results: Results, *, top: int = 10) -> str:
    """Counts, then the top pairs with their score and the share of each side reused."""
    s = results.stats
    lines = [
        f"{s['documents']} documents, {s['pairs']} pairs, {s['passages']} shared passages, "
        f"{len(results.clusters)} talking points, {s['skipped']} skipped"
        + (f", {s['out_of_scope']} outside --source/--since/--until" if s.get("out_of_scope") else ""),
    ]
    if not results.pairs:
        lines.append("no pair of documents shares text above the thresholds")
        return "\n".join(lines)
    lines.extend(pair_rows(results.pairs[:top]))
    if len(results.pairs) > top:
        lines.append(f"... {len(results.pairs) - top} more pairs in pairs.jsonl")
    return "\n".join(lines)


def mark_shared(text: str, runs: Sequence[tuple[int, int]], *, color: bool) -> str:
    """``text`` with each ``[start, end)`` run wrapped in colour or in ``[[ ]]``."""
    open_, close = (ANSI_SHARED, ANSI_RESET) if color else (PLAIN_OPEN, PLAIN_CLOSE)
    out, pos = [], 0
    for s, e in runs:
        out.append(text[pos:s])
        out.append(open_ + text[s:e] + close)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def show_pair(rank: int, pair: dict[str, Any], passages: Sequence[dict[str, Any]], *, color: bool) -> str:
    """One pair for the terminal: its numbers, then each passage with the shared words marked on both sides."""
    bold, dim, reset = (ANSI_BOLD, ANSI_DIM, ANSI_RESET) if color else ("", "", "")
    safe = terminal_safe
    kinds = safe(", ".join(pair.get("kinds") or [])) or "topic only"
    lines = [
        f"{bold}#{rank}  {safe(pair['doc_a'])}  <->  {safe(pair['doc_b'])}{reset}",
        f"score {pair['score']:.3f} · {pair['coverage_a'] * 100:.1f}% of A and {pair['coverage_b'] * 100:.1f}% of B reused"
        f" · {len(passages)} passage{'s' if len(passages) != 1 else ''} · {kinds}",
    ]
    lines.append(f"{dim}{explain_score(pair, passages)}{reset}")
    for side in ("a", "b"):
        url = safe_url(pair.get(f"url_{side}"))  # only http(s): a URL from the input is never a terminal escape
        if url:
            lines.append(f"{side.upper()}: {url}")
    if pair.get("top_terms"):
        lines.append(f"{dim}shared terms: {safe(', '.join(pair['top_terms']))}{reset}")
    if not passages:
        lines.append("no shared passage: these documents are related by topic only")
    marker = "exact shared words in colour" if color else f"exact shared words in {PLAIN_OPEN}...{PLAIN_CLOSE}"
    if passages:
        lines.append(f"{dim}({marker}){reset}")
    for n, p in enumerate(passages, 1):
        text_a, text_b = safe(p["text_a"]), safe(p["text_b"])
        runs_a, runs_b = shared_runs(text_a, text_b, reordered=p["kind"] == "paraphrase")
        lines.append("")
        lines.append(f"{bold}passage {n}/{len(passages)}{reset} · {safe(p['kind'])} · similarity {p['score']:.2f}")
        lines.append(f"  A {p['a_start']}-{p['a_end']}: {mark_shared(text_a, runs_a, color=color)}")
        lines.append(f"  B {p['b_start']}-{p['b_end']}: {mark_shared(text_b, runs_b, color=color)}")
    return "\n".join(lines)
