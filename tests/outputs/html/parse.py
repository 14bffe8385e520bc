"""Read the report's HTML as a browser would (elements, attributes, text), so tests assert what a
reader sees rather than the exact markup."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Tree(HTMLParser):
    VOID = {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.all: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        if self.open:
            self.open[-1].children.append(el)
        self.all.append(el)
        if tag not in self.VOID:
            self.open.append(el)

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for el in self.open:
            el.text += data


def elements(html: str, tag: str, cls: str | None = None) -> list[Element]:
    """Every ``tag`` element (with class ``cls``) in document order, with its text content."""
    tree = _Tree()
    tree.feed(str(html))
    return [e for e in tree.all if e.tag == tag and (cls is None or cls in e.classes)]


def text_of(html: str) -> str:
    """The text a reader sees (tags dropped, entities decoded)."""
    tree = _Tree()
    tree.feed(f"<root>{html}</root>")
    return tree.all[0].text
