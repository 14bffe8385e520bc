"""The HTML report without a browser: marks, word matches, charts, escaping, one file or pages."""
from __future__ import annotations

import dataclasses
import re

import pytest

from reuse import Corpus, find_reuse
from reuse.outputs.html import report as report_html
from reuse.outputs.html.charts import score_histogram, score_range, source_heatmap
from reuse.outputs.html.markup import Mark, context, highlight, highlight_terms
from reuse.outputs.html.overview import SourceMap, source_map
from reuse.outputs.html.views import cluster_view
from reuse.outputs.wordmatch import shared_runs
from tests.conftest import COPIED, article
from tests.outputs.html.parse import elements, text_of
from tests.report_fixtures import HOSTILE_TEXT, hostile_results, seed_results, with_talking_point


def _marks(html: str) -> list[tuple[str, str, str, str]]:
    """``(text, passage drawn, passages listed, kind)`` of each passage mark, in reading order."""
    return [(m.text, m.attrs["data-p"], m.attrs["data-ps"], next(iter(m.classes & {"verbatim", "fuzzy", "paraphrase"})))
            for m in elements(html, "mark", "p")]


def test_highlight_keeps_every_character_and_nests_overlaps():
    text = "one two <three> four five six seven"
    out = str(highlight(text, [Mark(4, 20, 0, "verbatim"), Mark(16, 29, 1, "fuzzy", [(21, 25)])]))
    assert text_of(out) == text and "<three>" not in out  # every character shown, as text
    # the overlap [16, 20) is drawn as passage 0 but belongs to both
    assert _marks(out) == [("two <three> ", "0", "0", "verbatim"), ("four", "0", "0 1", "verbatim"),
                           (" five six", "1", "1", "fuzzy")]
    assert [w.text for w in elements(out, "span", "w")] == ["five"]  # the exact shared word inside the fuzzy one


def test_passage_inside_another_still_has_a_mark_to_jump_to():
    out = str(highlight("abcdefghij", [Mark(0, 10, 0, "verbatim"), Mark(3, 5, 1, "verbatim")]))
    assert ("de", "0", "0 1", "verbatim") in _marks(out)


def test_shared_runs_ignore_case_and_curly_quotes_with_exact_offsets():
    a = "to bomb the 2018 “Free Iran” gathering in Paris"
    b = "To bomb the opposition’s \"free iran\" gathering in Paris"
    runs_a, runs_b = shared_runs(a, b)
    assert [a[s:e] for s, e in runs_a] == ["to bomb the", "Free Iran” gathering in Paris"]
    assert [b[s:e] for s, e in runs_b] == ["To bomb the", "free iran\" gathering in Paris"]
    assert shared_runs("", "x") == ([], [])
    a, b = "the cat sat on the mat", "on the mat the cat sat"
    assert [a[s:e] for s, e in shared_runs(a, b)[0]] == ["the", "cat sat"]  # in order only
    # a paraphrase: content words moved around are marked, a lone stop word ("the") is not
    assert [a[s:e] for s, e in shared_runs(a, b, reordered=True)[0]] == ["cat sat", "mat"]


def test_context_cuts_at_word_edges_with_ellipses():
    text = "alpha beta gamma delta epsilon zeta eta theta"
    out = str(context(text, Mark(17, 30, 0, "verbatim"), width=8))
    assert text_of(out) == "…gamma delta epsilon zeta…"
    assert text_of(context("short one", Mark(0, 5, 0, "verbatim"), width=50)) == "short one"


def test_highlight_terms_marks_normalised_words_only():
    out = str(highlight_terms("The NCRI <and> Iran’s council", ["ncri", "council"]))
    assert text_of(out) == "The NCRI <and> Iran’s council"
    assert [t.text for t in elements(out, "span", "t")] == ["NCRI", "council"]


def test_source_map():
    r = find_reuse(Corpus.from_texts({"a": article(1, COPIED), "b": article(2, COPIED), "c": article(3)}))
    smap = source_map(r)
    assert smap.sources == ("a", "b") and smap.total_sources == 3  # c shares nothing: not drawn
    p = r.passages[0]
    assert smap.share[0][1] == pytest.approx((p.a_end - p.a_start) / len(r.document("a").text))
    assert smap.share[0][0] == 0


def test_charts_are_escaped_svg():
    r = seed_results()
    hist = str(score_histogram(r.pairs))
    assert hist.startswith("<svg") and "<script" not in hist
    assert sum(int(n) for n in re.findall(r'class="count"[^>]*>(\d+)<', hist)) == len(r.pairs)
    assert score_range(r.pairs) == 0.1 and score_range([]) == 0.1  # seeds all score below 0.1
    assert score_range([dataclasses.replace(r.pairs[0], score=0.31)]) == 0.4
    assert score_range([dataclasses.replace(r.pairs[0], score=1.0)]) == 1.0
    heat = str(source_heatmap(SourceMap(("<b>x</b>", "y"), ((0.0, 0.5), (0.25, 0.0)), 2)))
    assert "&lt;b&gt;x&lt;/b&gt;" in heat and "<b>" not in heat and "50%" in heat.replace("50</text>", "50%")
    assert "no map" in str(source_heatmap(SourceMap((), (), 0)))


def test_seed_report_is_self_contained_and_complete():
    r = seed_results()
    page = report_html.render_html(r)
    assert "http://" not in page and "https://" not in page and "@import" not in page and "url(" not in page
    nonce = re.search(r"script-src 'nonce-([^']+)'", page).group(1)
    assert page.count("<script") == 1 and f'<script nonce="{nonce}">' in page
    assert page.count('<tr data-rank="') == len(r.pairs)
    n_views = sum(1 for p in r.pairs if p.n_passages)
    assert page.count('class="view pairview') == n_views
    for k in range(1, n_views + 1):  # each passage of each view is marked on both sides
        view = page.split(f'id="pair-{k}"')[1].split('<section class="view')[0]
        side_a, side_b = view.split('<ol class="ctxlist">')[0].split('<article class="side side-b">')
        for n in range(view.count('<li class="prow"')):
            for side in (side_a, side_b):
                assert re.search(rf'data-ps="(\d+ )*{n}( \d+)*"', side), (k, n)


def test_hostile_document_is_escaped_everywhere():
    r = hostile_results()
    page = report_html.render_html(r)
    assert r.passages, "the hostile pair must have a side-by-side view"
    body = page.split("<body>")[1]
    body = body[: body.rindex("<script nonce=")]
    assert "<script" not in body and "<img" not in body and "<svg onload" not in body and "</textarea>" not in body
    assert "onerror=alert" in body  # shown, as text
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in body
    assert "{{ 7*7 }}" in body and "&amp;amp;" in body  # no template evaluation; entities shown literally
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;source&#39;)" in body  # in data-srca and in the list
    assert HOSTILE_TEXT not in body


def test_talking_point_view_lists_every_member_with_terms_marked():
    r = with_talking_point(seed_results())
    cluster = r.clusters[0]
    view = cluster_view(1, cluster, r._by_id())
    assert len(view.members) == len(cluster.members) >= 3
    assert all("Council" in [t.text for t in elements(str(m.html), "span", "t")] for m in view.members)
    page = report_html.render_html(r)
    section = page.split('id="tp-1"')[1]
    assert section.count('<article class="member">') == len(cluster.members)
    assert 'href="#tp-1"' in page


def test_talking_point_without_terms_marks_words_common_to_members():
    r = with_talking_point(seed_results())
    c = dataclasses.replace(r.clusters[0], shared_terms=())
    view = cluster_view(1, c, r._by_id())
    assert "council" in view.terms and "the" not in view.terms


def test_large_corpus_gets_an_index_and_a_page_per_pair(tmp_path, monkeypatch):
    r = seed_results()
    n_views = sum(1 for p in r.pairs if p.n_passages)
    (tmp_path / "report_pages").mkdir()
    (tmp_path / "report_pages" / "pair-99.html").write_text("stale", encoding="utf-8")
    (tmp_path / "report_pages" / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setattr(report_html, "SINGLE_FILE_MAX_PAIRS", 2)
    written = report_html.write_html(r, tmp_path / "report.html")
    assert written[-1] == tmp_path / "report.html"  # the index last
    pages = sorted(p.name for p in (tmp_path / "report_pages").glob("pair-*.html"))
    assert pages == sorted(f"pair-{k}.html" for k in range(1, n_views + 1))  # stale pair-99 removed
    assert (tmp_path / "report_pages" / "notes.txt").exists()  # only our own files are touched
    index = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'href="report_pages/pair-1.html"' in index and 'class="view pairview' not in index
    page2 = (tmp_path / "report_pages" / "pair-2.html").read_text(encoding="utf-8")
    assert 'class="view pairview solo"' in page2 and 'href="../report.html#pairs"' in page2
    assert 'href="pair-1.html"' in page2 and 'href="pair-3.html"' in page2
    monkeypatch.setattr(report_html, "SINGLE_FILE_MAX_PAIRS", 100)
    report_html.write_html(r, tmp_path / "report.html")  # back to one file: the pages go
    assert not list((tmp_path / "report_pages").glob("pair-*.html"))


def test_the_single_file_limit_counts_characters_too(monkeypatch):
    r = seed_results()
    assert not report_html.plan(r).paged
    monkeypatch.setattr(report_html, "SINGLE_FILE_MAX_CHARS", 10_000)  # the seed pairs hold ~70k characters
    layout = report_html.plan(r)
    assert layout.paged and len(layout.viewed) == sum(1 for p in r.pairs if p.n_passages)
    monkeypatch.setattr(report_html, "MAX_PAIR_PAGES", 2)
    assert [p.doc_a for p in report_html.plan(r).viewed] == [p.doc_a for p in r.pairs[:2]]


def test_empty_results_render():
    r = find_reuse(Corpus.from_texts({"a": article(1), "b": article(2)}))
    page = report_html.render_html(r)
    assert "No talking points" in page and "no map" in page.lower()


def test_paraphrase_passage_marks_its_shared_words_and_terms():
    from reuse.model import Document, Pair, Passage, Results
    from reuse.outputs.html.views import pair_view

    a = Document("a", "Intro. The minister said taxes will rise next spring for most families. End.")
    b = Document("b", "Opening. Most families will see taxes rise next spring, the minister announced. Close.")
    sa, sb = a.text.index("The minister"), b.text.index("Most families")
    ea, eb = a.text.index(" End"), b.text.index(" Close")
    p = Passage("a", sa, ea, "b", sb, eb, "paraphrase", 0.61, a.text[sa:ea], b.text[sb:eb],
                matched_words=6, shared_terms=("taxes", "spring", "families"))
    pair = Pair("a", "b", 0.5, 0.4, 0.0, 0.0, 0.0, 1, 0.6, 0.6, kinds=("paraphrase",))
    view = pair_view(1, pair, a, b, [p])
    html_a = str(view.html_a)
    assert text_of(html_a) == a.text
    assert _marks(html_a) == [(p.text_a, "0", "0", "paraphrase")]
    # the common word sequence, plus the content words a paraphrase moved around
    assert [w.text for w in elements(html_a, "span", "w")] == ["minister", "taxes", "rise next spring", "families"]
    assert [w.text for w in elements(str(view.html_b), "span", "w")] == ["families", "taxes", "rise next spring",
                                                                          "minister"]  # "most": a stop word
    page = report_html.render_html(Results([a, b], [pair], [p], [], stats={"version": "x"}))
    assert "shared terms: taxes, spring, families" in page and 'class="lg paraphrase"' in page


def _url_results(url_a: str | None, url_b: str | None):
    from reuse.model import Document

    a = Document("a.txt", article(1, COPIED), url=url_a, source="A")
    b = Document("b.txt", article(2, COPIED), url=url_b, source="B")
    return find_reuse(Corpus.from_items([a, b]))


def test_document_urls_are_linked_only_when_http():
    page = report_html.render_html(_url_results("https://news.example/a?x=1&y=2", "javascript:alert(1)"))
    links = re.findall(r'<a class="url" href="([^"]*)" rel="([^"]*)"', page)
    assert links and set(links) == {("https://news.example/a?x=1&amp;y=2", "noopener noreferrer nofollow")}  # pair, talking point
    assert 'href="javascript' not in page


def test_pair_view_explains_its_score_next_to_it():
    from reuse.model import Document, Pair, Passage
    from reuse.outputs.html.views import pair_view

    a = Document("a", "x " * 50)
    b = Document("b", "y " * 50)
    para = Passage("a", 0, 80, "b", 0, 80, "paraphrase", 0.25, a.text[:80], b.text[:80])
    reworded = Pair("a", "b", 0.196, 0.3, 0.0, 0.0, 0.0, 1, 0.559, 0.294, kinds=("paraphrase",))
    why = pair_view(1, reworded, a, b, [para]).explain
    assert "0.196" in why and "55.9% of A" in why and "reworded" in why and "below the share" in why
    copied = Pair("a", "b", 1.0, 0.9, 1.0, 1.0, 1.0, 1, 1.0, 1.0, kinds=("verbatim",))
    verbatim = dataclasses.replace(para, kind="verbatim", score=1.0)
    why = pair_view(1, copied, a, b, [verbatim]).explain
    assert "copied" in why and "below the share" not in why
    page = report_html.render_html(_url_results(None, None))
    assert '<p class="why">Score ' in page


def test_paraphrase_marks_no_stop_words_or_possessive_s():
    a = "For years the regime’s embassies in Europe have been centres of espionage, the Resistance said."
    b = "The Resistance has long said that the regime's embassies are terror centres in the heart of Europe."
    runs_a, runs_b = shared_runs(a, b, reordered=True)
    marked = {a[s:e].lower() for s, e in runs_a} | {b[s:e].lower() for s, e in runs_b}
    assert {"embassies", "europe", "centres", "regime"} <= {w for m in marked for w in re.findall(r"\w+", m)}
    for m in marked:
        words = re.findall(r"\w+", m)
        assert words[0] not in {"the", "s", "of", "in", "that"} and words[-1] not in {"the", "s", "of", "in", "that"}, m
    fuzzy_a, _ = shared_runs("the cat sat on the mat", "the dog sat on the mat")  # in-order edits keep every word
    assert fuzzy_a == [(0, 3), (8, 22)]


def _without_nonces(html: str) -> str:
    return re.sub(r"nonce(-|=\")[\w-]+", "nonce", html)


def test_pages_written_by_several_processes_are_those_of_one(tmp_path, monkeypatch):
    r = seed_results()
    monkeypatch.setattr(report_html, "SINGLE_FILE_MAX_PAIRS", 2)
    one = report_html.write_html(r, tmp_path / "one" / "report.html")
    two = report_html.write_html(r, tmp_path / "two" / "report.html", jobs=2)
    assert [p.relative_to(tmp_path / "two") for p in two] == [p.relative_to(tmp_path / "one") for p in one]
    assert len(one) > 3 and one[-1].name == "report.html"
    for a, b in zip(one, two):
        assert _without_nonces(a.read_text(encoding="utf-8")) == _without_nonces(b.read_text(encoding="utf-8"))
