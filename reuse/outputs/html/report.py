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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from reuse.model import Document, Pair, Passage, Results, source_of
from reuse.outputs.html.charts import score_histogram, score_range, source_heatmap
from reuse.outputs.html.overview import kind_counts, source_map
from reuse.outputs.html.views import PairRow, PairView, cluster_view, pair_view, passages_by_pair
from reuse.outputs.parts import Output, write_all
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


@dataclass(frozen=True)
class Report:
    """The report of one results, ready to render: its index and each pair page apart, so pages can
    be rendered by several processes (:func:`html_output`)."""

    results: Results
    name: str
    layout: Plan
    docs: dict[str, Document]
    grouped: dict[tuple[str, str], list[Passage]]
    pages_dir: str

    @classmethod
    def of(cls, results: Results, name: str = "report.html") -> Report:
        _ENV.get_template("report.html.j2"), _ENV.get_template("page.html.j2")  # compiled once, before any fork
        return cls(results, name, plan(results), {d.id: d for d in results.documents}, passages_by_pair(results),
                   Path(name).stem + PAGES_SUFFIX)

    def pages(self) -> list[str]:
        """The pages' paths relative to the output folder, pair 1 first (none when in one file)."""
        return [f"{self.pages_dir}/pair-{no}.html" for no in range(1, len(self.layout.viewed) + 1)] \
            if self.layout.paged else []

    def _href(self, no: int) -> str:
        return f"{self.pages_dir}/pair-{no}.html" if self.layout.paged else f"#pair-{no}"

    def _view(self, no: int) -> PairView:
        p = self.layout.viewed[no - 1]
        return pair_view(no, p, self.docs[p.doc_a], self.docs[p.doc_b], self.grouped[(p.doc_a, p.doc_b)])

    @staticmethod
    def _common(results: Results) -> dict:
        return {"version": results.stats.get("version", ""), "asset_css": _asset("report.css"),
                "asset_js": _asset("report.js")}

    def index(self) -> str:
        """``report.html``: the whole report when it fits in one file, else the index of the pages."""
        results, layout, docs = self.results, self.layout, self.docs
        view_no = {(p.doc_a, p.doc_b): k + 1 for k, p in enumerate(layout.viewed)}
        rows = []
        for rank, p in enumerate(results.pairs[:MAX_LISTED_PAIRS], 1):
            no = view_no.get((p.doc_a, p.doc_b))
            rows.append(PairRow(rank, p, source_of(docs[p.doc_a]), source_of(docs[p.doc_b]),
                                self._href(no) if no else None))
        clusters = [cluster_view(k + 1, c, docs) for k, c in enumerate(results.clusters[:MAX_CLUSTERS])]
        smap = source_map(results)
        documents = []
        n_read = 0
        for rec in document_records(results):  # a stream: a million documents are counted, 1,000 listed
            n_read += 1
            if len(documents) < MAX_DOCUMENT_ROWS:
                documents.append(rec)
        return _ENV.get_template("report.html.j2").render(
            **self._common(results), nonce=secrets.token_urlsafe(16),
            results=results, rows=rows, more_pairs=max(0, len(results.pairs) - len(rows)),
            views=[] if layout.paged else [self._view(k) for k in range(1, len(layout.viewed) + 1)],
            paged=layout.paged, pages_dir=self.pages_dir, n_viewed=len(layout.viewed),
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

    def page(self, no: int) -> str:
        """Pair ``no``'s own page (the report in pages)."""
        last = len(self.layout.viewed)
        return _ENV.get_template("page.html.j2").render(
            **self._common(self.results), nonce=secrets.token_urlsafe(16), v=self._view(no), index=f"../{self.name}",
            prev=f"pair-{no - 1}.html" if no > 1 else None, next=f"pair-{no + 1}.html" if no < last else None,
        )

    def write_pages(self, folder: Path, nos: list[int]) -> list[Path]:
        """Write pages ``nos`` into ``folder`` (the report's own), each atomically.

        Each page is saved by a thread of :data:`SAVERS` while the next one renders: a page's
        ``fsync`` waits milliseconds on the disk, and 2,000 of them in a row were seconds in which
        no core worked (concurrent ones also share the file system's journal commits).
        """
        with ThreadPoolExecutor(SAVERS, thread_name_prefix="reuse-page") as savers:
            saved = [savers.submit(_save, folder / self.pages_dir / f"pair-{no}.html", self.page(no)) for no in nos]
            return [f.result() for f in saved]


SAVERS = 4
"""Threads saving a part's pages (:meth:`Report.write_pages`)."""


def _save(path: Path, text: str) -> Path:
    with atomic_open(path) as fh:
        fh.write(text)
    return path


def build_report(results: Results, name: str = "report.html") -> dict[str, str]:
    """Every file of the report, by path relative to the output folder: ``name`` first, then pages."""
    report = Report.of(results, name)
    out = {name: report.index()}
    for no, rel in enumerate(report.pages(), 1):
        out[rel] = report.page(no)
    return out


def render_html(results: Results) -> str:
    """The main page (the whole report when it fits in one file)."""
    return build_report(results)["report.html"]


def write_html(results: Results, path: str | Path, *, jobs: int = 1) -> list[Path]:
    """Write the report at ``path`` (and its pages beside it); stale pages of an earlier run are removed.

    ``jobs``: processes rendering it (:mod:`reuse.outputs.parts`); the files are the same for any.
    """
    return write_all([html_output(results, path, jobs)], jobs)[0]


PAGES_A_PART = 4
"""Parts the pages are dealt into, per process: small enough to even out the processes' loads."""


def html_output(results: Results, path: str | Path, jobs: int = 1) -> Output:
    """The report at ``path`` as parts (:mod:`reuse.outputs.parts`): the index rendered, and the pages
    written, by any process; the index is written last, by ``finish``, once every page is in place.
    Stale pages of an earlier run are removed here, first. ``finish`` returns the pages, then the index."""
    path = Path(path)
    report = Report.of(results, path.name)
    pages = report.pages()
    folder = path.parent / report.pages_dir
    if folder.is_dir():
        keep = set(pages)
        for old in folder.glob("pair-*.html"):
            if f"{folder.name}/{old.name}" not in keep:
                old.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if now empty
    nos = list(range(1, len(pages) + 1))
    n_parts = min(len(nos), max(1, jobs) * PAGES_A_PART if jobs > 1 else 1)
    chunks = [nos[k::n_parts] for k in range(n_parts)]  # dealt, not cut: the first pairs' pages are the longest

    def finish(values: list[Any]) -> list[Path]:
        with atomic_open(path) as fh:
            fh.write(values[0])
        return [path.parent / rel for rel in pages] + [path]

    return Output([report.index, *(partial(report.write_pages, path.parent, chunk) for chunk in chunks)], finish)
