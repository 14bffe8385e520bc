"""``report.html``: one self-contained file (inline CSS and JS, no network), all text escaped.

Pairs are listed by score with the share of each document reused; each pair opens side by side
with its shared passages highlighted in matching colours on both sides.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..results import Results
from ..writers import atomic_open
from .segments import segment

MAX_PAIR_VIEWS = 200  # a single file stays readable; the JSONL files hold everything

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("reuse.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def highlighted(text: str, spans: list[tuple[int, int, int, str]]) -> Markup:
    """Escaped ``text`` with each span ``(start, end, passage_no, kind)`` wrapped in a ``<mark>``."""
    parts: list[str] = []
    for seg in segment(len(text), [(s, e) for s, e, _, _ in spans]):
        piece = escape(text[seg.start : seg.end])
        if seg.marks:
            _, _, no, kind = spans[seg.marks[0]]
            parts.append(f'<mark class="p c{no % 8} {kind}" data-p="{no}">{piece}</mark>')
        else:
            parts.append(str(piece))
    return Markup("".join(parts))


def pair_views(results: Results, limit: int = MAX_PAIR_VIEWS) -> list[dict[str, Any]]:
    views = []
    with_passages = [p for p in results.pairs if p.n_passages][:limit]
    for k, pair in enumerate(with_passages):
        da, db = results.document(pair.doc_a), results.document(pair.doc_b)
        passages = results.passages_of(pair.doc_a, pair.doc_b)
        views.append({
            "no": k, "pair": pair, "doc_a": da, "doc_b": db, "passages": passages,
            "html_a": highlighted(da.text, [(p.a_start, p.a_end, n, p.kind) for n, p in enumerate(passages)]),
            "html_b": highlighted(db.text, [(p.b_start, p.b_end, n, p.kind) for n, p in enumerate(passages)]),
        })
    return views


def render_html(results: Results) -> str:
    template = _ENV.get_template("report.html.j2")
    return template.render(results=results, views=pair_views(results), stats=results.stats, max_views=MAX_PAIR_VIEWS)


def write_html(results: Results, path: str | Path) -> None:
    html = render_html(results)
    with atomic_open(path) as fh:
        fh.write(html)
