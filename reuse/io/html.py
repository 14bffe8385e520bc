"""HTML pages to plain text: every block of the page, or the article alone.

The text is what passages index: offsets refer to the extracted text, never the markup, and the
:class:`~reuse.model.Document` holds exactly that text. Two modes (``ReuseConfig.extract``):

* ``all`` (default): the page parsed by Lexbor through selectolax, an HTML5 parser that builds the
  tree browsers build (misnested and unclosed tags included) many times faster than the standard
  library's. Block elements become paragraphs separated by a blank line, ``script``, ``style``,
  ``template``, ``noscript`` and ``head`` are dropped, character references decoded, and runs of
  whitespace inside a block collapse to one space.
* ``main``: the article only, found by trafilatura (the ``reuse[extract]`` extra), which drops
  navigation, share bars, tag lists and footers that otherwise make every page of one site look
  like reuse of every other. Paragraphs are again separated by a blank line.

Both give the page's title and, where the page names it, its canonical URL; ``main`` also its
publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from reuse.errors import ConfigError

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "section", "article", "header", "footer", "table", "tr", "td", "th", "figure", "figcaption",
    "aside", "nav", "main", "hr", "dd", "dt", "dl", "body", "form", "address", "details", "summary",
}
_SKIP = {"script", "style", "template", "noscript", "head"}
_SPACE = re.compile(r"[ \t\r\f\v\n]+")


@dataclass(frozen=True, slots=True)
class Page:
    """What a page yields: its text, and the metadata the page itself states (None when absent)."""

    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None


def html_to_text(html: str) -> tuple[str | None, str]:
    """Return ``(title, text)`` of the whole page; paragraphs are separated by blank lines."""
    page = extract_page(html, "all")
    return page.title, page.text


def extract_page(html: str, mode: str = "all") -> Page:
    """The page as text in ``mode`` (``all`` or ``main``, see the module docstring)."""
    tree = LexborHTMLParser(html)
    if mode == "main":
        page = _main_text(html)
        return Page(page.text, page.title or _title(tree), _canonical(tree) or page.url, page.date)
    return Page(_blocks_text(tree), _title(tree), _canonical(tree))


def _blocks_text(tree: LexborHTMLParser) -> str:
    """Text of every block, in document order; an explicit stack, so no nesting depth can overflow."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        block = _SPACE.sub(" ", "".join(current)).strip()
        if block:
            blocks.append(block)
        current.clear()

    root = tree.root
    if root is None:
        return ""
    stack: list[LexborNode | None] = [root]  # None marks the end of a block element
    while stack:
        node = stack.pop()
        if node is None:
            flush()
            continue
        tag = node.tag
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag in _SKIP or tag.startswith("-"):  # comments, doctype
            continue
        if tag in _BLOCK:
            flush()
            stack.append(None)
        stack.extend(reversed(list(node.iter(include_text=True))))
    flush()
    return "\n\n".join(blocks)


def _title(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("title")
    return (_SPACE.sub(" ", node.text()).strip() or None) if node is not None else None


def _canonical(tree: LexborHTMLParser) -> str | None:
    """The URL the page gives for itself: ``<link rel=canonical>``, else ``og:url``."""
    for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        value = (node.attributes.get(attr) or "").strip() if node is not None else ""
        if value:
            return value
    return None


def _main_text(html: str) -> Page:
    """The article alone, by trafilatura; an empty text when it finds no article (the caller skips it)."""
    try:
        import trafilatura
    except ImportError:
        raise ConfigError(
            "extract: 'main' needs trafilatura; install it with: pip install 'reuse[extract]'"
        ) from None
    found = trafilatura.bare_extraction(
        html, output_format="python", with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, favor_precision=True,
    )
    if found is None:
        return Page("")
    get = found.get if isinstance(found, dict) else lambda k: getattr(found, k, None)
    raw = get("text") or ""
    paragraphs = (_SPACE.sub(" ", line).strip() for line in raw.splitlines())
    return Page("\n\n".join(p for p in paragraphs if p), get("title") or None, get("url") or None, get("date") or None)
