"""Inline SVG charts for the overview: no script, no external file, readable offline and in print.

Every label is escaped; every chart scales with its container (``viewBox``, ``width: 100%``) so a
phone shows it without horizontal scrolling.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from reuse.model import Pair
from reuse.outputs.html.overview import SourceMap

BINS = 20  # score histogram bars


def score_range(pairs: Sequence[Pair]) -> float:
    """Upper end of the histogram's x axis: the best score rounded up to a tenth (at least 0.1).

    Scores of real corpora often all sit below 0.2; a fixed [0, 1] axis would squeeze them into
    one or two bars. The axis is labelled, so zooming hides nothing.
    """
    top = max((p.score for p in pairs), default=0.0)
    return min(1.0, max(0.1, math.ceil(round(top * 10, 6)) / 10))


def score_histogram(pairs: Sequence[Pair], bins: int = BINS) -> Markup:
    """Pairs per score bin over [0, :func:`score_range`], stacked: with shared passages (dark) over topic-only (light)."""
    hi = score_range(pairs)
    with_text = [0] * bins
    topic = [0] * bins
    for p in pairs:
        k = min(bins - 1, max(0, int(p.score / hi * bins)))
        (with_text if p.n_passages else topic)[k] += 1
    top = max([a + b for a, b in zip(with_text, topic)] + [1])
    w, h, left, bottom, pad, pad_top = 560, 200, 34, 28, 12, 22
    plot_w, plot_h = w - left - pad, h - bottom - pad_top
    base = pad_top + plot_h
    bw = plot_w / bins
    parts = [f'<svg class="chart hist" viewBox="0 0 {w} {h}" role="img" aria-label="Histogram of pair scores from 0 to {hi:g}">',
             f'<line x1="{left}" y1="{base}" x2="{w - pad}" y2="{base}" class="axis"/>']
    for q in range(5):
        x = left + q / 4 * plot_w
        parts.append(f'<text x="{x:.1f}" y="{h - 8}" text-anchor="middle">{round(hi * q / 4, 4):g}</text>')
    parts.append(f'<text x="{left - 6}" y="{pad_top + 4}" text-anchor="end">{top}</text>')
    parts.append(f'<text x="{left - 6}" y="{base}" text-anchor="end">0</text>')
    for k in range(bins):
        x = left + k * bw + 1
        lo_k, hi_k = hi * k / bins, hi * (k + 1) / bins
        y = base
        for count, cls, what in ((with_text[k], "bar-text", "with shared passages"), (topic[k], "bar-topic", "topic only")):
            if not count:
                continue
            bh = max(1.5, count / top * plot_h)
            y -= bh
            parts.append(f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{bh:.1f}">'
                         f'<title>score {lo_k:.3f}–{hi_k:.3f}: {count} pair{"s" if count != 1 else ""} {what}</title></rect>')
        total = with_text[k] + topic[k]
        if total:
            parts.append(f'<text class="count" x="{x + (bw - 2) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{total}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def source_heatmap(smap: SourceMap) -> Markup:
    """Grid of sources: the cell in row S, column T is the share of S's text also found in T."""
    n = len(smap.sources)
    if not n:
        return Markup('<p class="muted">No passage is shared between documents, so there is no map to draw.</p>')
    cell = 34 if n <= 12 else 22
    label_w = 190
    top_h = 24
    w, h = label_w + n * cell + 4, top_h + n * cell + 4
    peak = max((v for row in smap.share for v in row), default=0.0) or 1.0
    parts = [f'<svg class="chart heatmap" viewBox="0 0 {w} {h}" style="max-width:{w}px" role="img" '
             f'aria-label="Share of each source\'s text found in each other source">']
    for j in range(n):
        x = label_w + j * cell + cell / 2
        parts.append(f'<text x="{x:.1f}" y="{top_h - 8}" text-anchor="middle">{j + 1}</text>')
    for i, s in enumerate(smap.sources):
        y = top_h + i * cell
        short = s if len(s) <= 24 else s[:23] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">'
                     f'<title>{escape(s)}</title>{i + 1} · {escape(short)}</text>')
        for j, t in enumerate(smap.sources):
            v = smap.share[i][j]
            x = label_w + j * cell
            shade = _shade(v / peak) if v else ("#f1f2f6" if i == j else "#ffffff")
            parts.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" rx="3" fill="{shade}" class="cell">'
                         f'<title>{escape(s)} → {escape(t)}: {v * 100:.1f}% of {escape(s)}’s text '
                         f'is shared with {escape(t)}</title></rect>')
            if v and cell >= 30:
                ink = " on-dark" if v / peak > 0.55 else ""
                parts.append(f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" text-anchor="middle" '
                             f'class="val{ink}">{_pct(v)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _pct(v: float) -> str:
    return f"{v * 100:.0f}" if v >= 0.095 else f"{v * 100:.1f}"


def _shade(t: float) -> str:
    """White-ish (#eef0ff) to indigo (#3b3fc4) as ``t`` goes from 0 to 1."""
    t = max(0.08, min(1.0, t))
    a, b = (0xEE, 0xF0, 0xFF), (0x3B, 0x3F, 0xC4)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))
