"""``report.html``: the report people read — one self-contained file, or an index with pages.

Everything is inline (CSS, JS, SVG): no network, no web fonts, readable offline, and a
Content-Security-Policy with a per-render nonce lets only our own script run, as a second line of
defence behind escaping. All document text goes through Jinja autoescape or
:mod:`reuse.outputs.html.markup`, which escapes before it marks.

**One file or pages.** While the side-by-side views fit — at most ``SINGLE_FILE_MAX_PAIRS`` pairs
with shared passages and ``SINGLE_FILE_MAX_CHARS`` characters of document text across them —
everything is in ``report.html`` and views open by ``#pair-N`` anchors. Beyond that, ``report.html``
is the index (overview, pair list, talking points, skipped inputs) and each pair is its own
self-contained page in ``report_pages/pair-N.html``, up to ``MAX_PAIR_PAGES`` pairs; the JSONL files
and ``reuse show`` hold every pair.
"""
from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup

from reuse.model import Pair, Results, source_of
from reuse.outputs.html.charts import score_histogram, score_range, source_heatmap
from reuse.outputs.html.overview import kind_counts, source_map
from reuse.outputs.html.views import PairRow, PairView, cluster_view, pair_view, passages_by_pair
from reuse.outputs.records import atomic_open, document_records

SINGLE_FILE_MAX_PAIRS = 100
SINGLE_FILE_MAX_CHARS = 2_000_000
MAX_PAIR_PAGES = 2000
MAX_LISTED_PAIRS = 5000
MAX_CLUSTERS = 500
MAX_SKIPPED_ROWS = 1000
MAX_DOCUMENT_ROWS = 1000
PAGES_SUFFIX = "_pages"

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("reuse.outputs.html", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def _asset(name: str) -> Markup:
    """A static stylesheet or script, inlined verbatim (it holds no document text)."""
    return Markup((files("reuse.outputs.html") / "templates" / name).read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Plan:
    """Which pairs get a side-by-side view, and whether they live in the file or on pages."""

    viewed: list[Pair]  # pairs with passages, best first
    paged: bool


def plan(results: Results) -> Plan:
    with_passages = [p for p in results.pairs if p.n_passages]
    docs = {d.id: d for d in results.documents}
    chars = sum(len(docs[p.doc_a].text) + len(docs[p.doc_b].text) for p in with_passages[: SINGLE_FILE_MAX_PAIRS + 1])
    if len(with_passages) <= SINGLE_FILE_MAX_PAIRS and chars <= SINGLE_FILE_MAX_CHARS:
        return Plan(with_passages, paged=False)
    return Plan(with_passages[:MAX_PAIR_PAGES], paged=True)


def build_report(results: Results, name: str = "report.html") -> dict[str, str]:
    """Every file of the report, by path relative to the output folder: ``name`` first, then pages."""
    layout = plan(results)
    docs = {d.id: d for d in results.documents}
    grouped = passages_by_pair(results)
    pages_dir = Path(name).stem + PAGES_SUFFIX
    view_no = {(p.doc_a, p.doc_b): k + 1 for k, p in enumerate(layout.viewed)}

    def href(no: int) -> str:
        return f"{pages_dir}/pair-{no}.html" if layout.paged else f"#pair-{no}"

    rows = []
    for rank, p in enumerate(results.pairs[:MAX_LISTED_PAIRS], 1):
        no = view_no.get((p.doc_a, p.doc_b))
        rows.append(PairRow(rank, p, source_of(docs[p.doc_a]), source_of(docs[p.doc_b]), href(no) if no else None))

    def make_view(no: int) -> PairView:
        p = layout.viewed[no - 1]
        return pair_view(no, p, docs[p.doc_a], docs[p.doc_b], grouped[(p.doc_a, p.doc_b)])

    clusters = [cluster_view(k + 1, c, docs) for k, c in enumerate(results.clusters[:MAX_CLUSTERS])]
    smap = source_map(results)
    documents = []
    n_read = 0
    for rec in document_records(results):  # a stream: a million documents are counted, 1,000 listed
        n_read += 1
        if len(documents) < MAX_DOCUMENT_ROWS:
            documents.append(rec)
    common = {"version": results.stats.get("version", ""), "asset_css": _asset("report.css"), "asset_js": _asset("report.js")}
    index = _ENV.get_template("report.html.j2").render(
        **common, nonce=secrets.token_urlsafe(16),
        results=results, rows=rows, more_pairs=max(0, len(results.pairs) - len(rows)),
        views=[] if layout.paged else [make_view(k) for k in range(1, len(layout.viewed) + 1)],
        paged=layout.paged, pages_dir=pages_dir, n_viewed=len(layout.viewed),
        unviewed=sum(1 for p in results.pairs if p.n_passages) - len(layout.viewed),
        clusters=clusters, more_clusters=max(0, len(results.clusters) - len(clusters)),
        skipped=results.skipped[:MAX_SKIPPED_ROWS], more_skipped=max(0, len(results.skipped) - MAX_SKIPPED_ROWS),
        documents=documents, more_documents=n_read - len(documents),
        counts={
            "documents": n_read, "sources": smap.total_sources, "pairs": len(results.pairs),
            "pairs_text": sum(1 for p in results.pairs if p.n_passages), "passages": len(results.passages),
            "clusters": len(results.clusters), "skipped": len(results.skipped), "read": n_read,
        },
        kinds=kind_counts(results), histogram=score_histogram(results.pairs),
        score_top=f"{score_range(results.pairs):g}", heatmap=source_heatmap(smap), smap=smap,
        sources=sorted({r.source_a for r in rows} | {r.source_b for r in rows}),
    )
    out = {name: index}
    if layout.paged:
        page = _ENV.get_template("page.html.j2")
        last = len(layout.viewed)
        for no in range(1, last + 1):
            out[f"{pages_dir}/pair-{no}.html"] = page.render(
                **common, nonce=secrets.token_urlsafe(16), v=make_view(no), index=f"../{name}",
                prev=f"pair-{no - 1}.html" if no > 1 else None, next=f"pair-{no + 1}.html" if no < last else None,
            )
    return out


def render_html(results: Results) -> str:
    """The main page (the whole report when it fits in one file)."""
    return build_report(results)["report.html"]


def write_html(results: Results, path: str | Path) -> list[Path]:
    """Write the report at ``path`` (and its pages beside it); stale pages of an earlier run are removed."""
    path = Path(path)
    built = build_report(results, path.name)
    pages = path.parent / (path.stem + PAGES_SUFFIX)
    if pages.is_dir():
        for old in pages.glob("pair-*.html"):
            if f"{pages.name}/{old.name}" not in built:
                old.unlink()
        with contextlib.suppress(OSError):
            pages.rmdir()  # only if now empty
    written = []
    for rel, html in sorted(built.items(), key=lambda kv: kv[0] == path.name):  # the index last
        target = path.parent / rel
        with atomic_open(target) as fh:
            fh.write(html)
        written.append(target)
    return written
