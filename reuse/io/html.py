"""HTML to plain text with the standard library's HTML parser.

The text is what passages index: offsets refer to the extracted text, not the markup. Block
elements become paragraph breaks, ``script``/``style``/``template`` content is dropped, character
references are decoded, and runs of whitespace inside a block collapse to one space.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "section", "article", "header", "footer", "table", "tr", "td", "th", "figure", "figcaption",
    "aside", "nav", "main", "hr", "dd", "dt", "dl",
}
_SKIP = {"script", "style", "template", "noscript", "head"}
_SPACE = re.compile(r"[ \t\r\f\v\n]+")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser signature
        if tag == "title":
            self.in_title = True
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in _BLOCK:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skip_depth:
            self.current.append(data)

    def flush(self) -> None:
        block = _SPACE.sub(" ", "".join(self.current)).strip()
        if block:
            self.blocks.append(block)
        self.current = []


def html_to_text(html: str) -> tuple[str | None, str]:
    """Return ``(title, text)``; paragraphs are separated by blank lines."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    parser.flush()
    title = _SPACE.sub(" ", "".join(parser.title)).strip() or None
    return title, "\n\n".join(parser.blocks)
