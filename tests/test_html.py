"""HTML pages to text: the whole page (selectolax/Lexbor) or the article alone (``--extract main``, trafilatura).

The fixture is two saved pages of one news site, with a skip link, a menu, a share bar, tags, a
"most read" box and a footer around two articles that share one paragraph.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse import ReuseConfig, find_reuse, read_paths
from reuse.cli import main
from reuse.io.html import extract_page, html_to_text

PAGES = Path(__file__).parent / "fixtures" / "pages"
CHROME = ["Skip to main content", "Subscribe for one dollar a week", "Share on social media", "All rights reserved",
          "Most read", "morning newsletter"]
SHARED = "The council voted seven to two on Tuesday night to close the old swing bridge"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_all_mode_keeps_every_block_and_drops_scripts_and_styles():
    p = extract_page(page("bridge-vote.html"), "all")
    assert p.title == "Council votes to close the swing bridge | The Harbour Ledger"
    assert p.url == "https://ledger.example/news/bridge-vote"  # the canonical link, not og:url with its tracking
    assert all(c in p.text for c in CHROME) and SHARED in p.text
    assert "dataLayer" not in p.text and "font-family" not in p.text and "track()" not in p.text
    blocks = p.text.split("\n\n")
    assert "Home" in blocks and "Sport" in blocks  # each menu item a block of its own
    assert all(b == b.strip() and "\n" not in b and "  " not in b for b in blocks)


def test_all_mode_parses_like_a_browser():
    title, text = html_to_text("<title>T &amp; U</title><p>one<p>two &lt;3<table><tr><td>a<td>b</table>"
                               "<b><i>bold</b> tail</i><!-- hidden --><template>no</template><noscript>no</noscript>")
    assert title == "T & U"
    assert text.split("\n\n") == ["one", "two <3", "a", "b", "bold tail"]


def test_deep_nesting_does_not_overflow():
    _, text = html_to_text("<div>" * 20000 + "deep" + "</div>" * 20000)
    assert text == "deep"


def test_main_mode_keeps_the_article_and_drops_the_site_chrome():
    p = extract_page(page("bridge-vote.html"), "main")
    assert SHARED in p.text and "eleven million pounds" in p.text
    assert not any(c in p.text for c in CHROME), p.text
    assert p.date == "2024-02-06" and p.url == "https://ledger.example/news/bridge-vote"
    assert "\n\n" in p.text and "\n\n\n" not in p.text


@pytest.mark.parametrize("mode", ["all", "main"])
def test_offsets_index_the_extracted_text_the_document_holds(mode):
    corpus = read_paths([PAGES], extract=mode)
    results = find_reuse(corpus, ReuseConfig(extract=mode))
    texts = {d.id: d.text for d in corpus.documents}
    assert results.passages
    for s in results.passages:
        assert texts[s.doc_a][s.a_start:s.a_end] == s.text_a and texts[s.doc_b][s.b_start:s.b_end] == s.text_b
    assert any(SHARED in s.text_a for s in results.passages)
    chrome_passages = [s for s in results.passages if any(c in s.text_a for c in CHROME)]
    if mode == "main":
        assert chrome_passages == []  # the site's menus and footer are not reuse
    else:
        assert chrome_passages  # what --extract main is for: the whole page shares the site's chrome


def test_cli_extract_main(tmp_path):
    res = CliRunner().invoke(main, ["scan", str(PAGES), "--extract", "main", "--json", "documents", "-q"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert '"url": "https://ledger.example/news/bridge-vote"' in res.stdout and '"date": "2024-02-06"' in res.stdout


def test_main_mode_without_trafilatura_says_which_extra_to_install(monkeypatch):
    import sys

    from reuse.errors import ConfigError

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if the extra were not installed
    with pytest.raises(ConfigError, match=r"reuse\[extract\]"):
        extract_page(page("bridge-vote.html"), "main")
