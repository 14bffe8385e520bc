from reuse import Corpus, find_reuse
from reuse.report.html import render_html
from reuse.report.segments import segment

from .conftest import COPIED, article


def test_segments_cut_at_every_edge():
    segs = segment(10, [(2, 6), (4, 8)])
    assert [(s.start, s.end, s.marks) for s in segs] == [(0, 2, ()), (2, 4, (0,)), (4, 6, (0, 1)), (6, 8, (1,)), (8, 10, ())]


def test_report_highlights_passages_and_escapes_document_text():
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> </textarea>"
    a = article(1, COPIED) + " " + hostile
    b = article(2, COPIED)
    html = render_html(find_reuse(Corpus.from_texts({"a<b>": a, "b": b})))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "a&lt;b&gt;" in html
    assert html.count('data-p="0"') == 2  # the passage marked once on each side
    assert "http://" not in html and "https://" not in html  # self-contained, no network
