"""Document text as escaped HTML with shared passages and shared words marked.

Every character of the text is escaped (Jinja's ``escape``) before any tag is added, so a document
holding ``<script>`` or ``</textarea>`` shows as text. Marks are placed by a sweep over span edges,
so overlapping passages still produce well-nested HTML: each run of text sits in at most one
``<mark>`` (the lowest-numbered passage covering it) and ``data-ps`` lists every passage covering
it, which is how the page finds a passage's partner even when another passage overlaps it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from reuse.text.tokens import tokenize

Span = tuple[int, int]
COLOURS = 8  # passage colours cycle through .c0 ... .c7 in the stylesheet


@dataclass(frozen=True, slots=True)
class Mark:
    """Passage ``no`` covering ``[start, end)``; ``words`` are its exactly shared runs (same coordinates)."""

    start: int
    end: int
    no: int
    kind: str
    words: Sequence[Span] = field(default=())


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """``text`` escaped, each passage in a ``<mark>``, shared words inside edited ones in ``<span class="w">``."""
    n = len(text)
    opens: dict[int, list[int]] = defaultdict(list)
    closes: dict[int, list[int]] = defaultdict(list)
    word_opens: dict[int, list[int]] = defaultdict(list)
    word_closes: dict[int, list[int]] = defaultdict(list)
    cuts = {0, n}
    for k, m in enumerate(marks):
        s, e = _clip(m.start, m.end, n)
        if s >= e:
            continue
        opens[s].append(k)
        closes[e].append(k)
        cuts.update((s, e))
        for ws, we in m.words:
            ws, we = _clip(ws, we, n)
            if ws < we:
                word_opens[ws].append(k)
                word_closes[we].append(k)
                cuts.update((ws, we))
    edges = sorted(cuts)
    active: set[int] = set()
    in_words: dict[int, int] = defaultdict(int)
    out: list[str] = []
    open_key: tuple[int, ...] | None = None
    word_open = False
    for a, b in zip(edges, edges[1:]):
        for k in closes.get(a, ()):
            active.discard(k)
        for k in word_closes.get(a, ()):
            in_words[k] -= 1
        active.update(opens.get(a, ()))
        for k in word_opens.get(a, ()):
            in_words[k] += 1
        key = tuple(sorted(active, key=lambda k: marks[k].no)) if active else None
        if key != open_key:
            if word_open:
                out.append("</span>")
                word_open = False
            if open_key is not None:
                out.append("</mark>")
            if key is not None:
                first = marks[key[0]]
                covering = " ".join(str(marks[k].no) for k in key)
                out.append(f'<mark class="p c{first.no % COLOURS} {escape(first.kind)}" '
                           f'data-p="{first.no}" data-ps="{covering}">')
            open_key = key
        is_word = key is not None and in_words[key[0]] > 0
        if is_word != word_open:
            out.append('<span class="w">' if is_word else "</span>")
            word_open = is_word
        out.append(str(escape(text[a:b])))
    if word_open:
        out.append("</span>")
    if open_key is not None:
        out.append("</mark>")
    return Markup("".join(out))


def context(text: str, mark: Mark, width: int = 240) -> Markup:
    """The passage with up to ``width`` characters either side, cut at word edges, ellipsis where cut."""
    lo = max(0, mark.start - width)
    hi = min(len(text), mark.end + width)
    if lo > 0:
        space = text.find(" ", lo, mark.start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", mark.end, hi)
        hi = space if space != -1 else hi
    local = Mark(mark.start - lo, mark.end - lo, mark.no, mark.kind, [(s - lo, e - lo) for s, e in mark.words])
    body = highlight(text[lo:hi], [local])
    return Markup(("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""))


def highlight_terms(text: str, terms: Iterable[str]) -> Markup:
    """``text`` escaped with every word whose normalised form is in ``terms`` wrapped in ``<span class="t">``."""
    wanted = set(terms)
    tokens = tokenize(text)
    out: list[str] = []
    pos = 0
    for start, end, norm in zip(tokens.starts.tolist(), tokens.ends.tolist(), tokens.norms):
        if norm in wanted:
            out.append(str(escape(text[pos:start])))
            out.append(f'<span class="t">{escape(text[start:end])}</span>')
            pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _clip(s: int, e: int, n: int) -> Span:
    return max(0, min(n, s)), max(0, min(n, e))
