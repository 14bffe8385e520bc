"""A document read for claims: its tokens, lexicon rows, capitals, sentence pieces and units.

The first step of both talking-point passes (:mod:`reuse.stages.talking.units`): the text is
tokenised, each distinct word looked up once in :mod:`reuse.text.lexicon`, capitals, sentence
starts and list commas read from the code points with prefix sums, and the text cut into
sentences and lines; headings (unpunctuated, mostly capitalised lines) are not units.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex

from reuse.stages.candidates import in_sorted
from reuse.text.lexicon import FLAG_CONTENT, FLAG_DIGITS, LEXICON
from reuse.text.shingle import GOLDEN64, fmix64
from reuse.text.tokens import Tokens, sentence_spans, tokenize

HEADING_SHARE = 0.75
"""Unpunctuated lines with this share of capitalised content words are headings, tags or
navigation, not claims (a name-heavy sentence still ends with a full stop)."""

_CLOSED = regex.compile(r"[\"'”’»)\]]*[.!?…]")
_ABBREVIATION = regex.compile(r"(?:^|\W)(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Sen|Rep|Gov|St|Jr|Sr|No|vs|etc|[A-Z])\.$")
_INITIAL_MARK, _LIST_MARK = 1, 2
_MARKS = np.zeros(0x2030, dtype=np.uint8)  # code point -> marks (all of them lie below U+2030)
for _c in ".!?:\n•“\"":
    _MARKS[ord(_c)] |= _INITIAL_MARK
for _c in ",;:":
    _MARKS[ord(_c)] |= _LIST_MARK
_UPPER: dict[int, bool] = {}
_GOLDEN_INVERSE = pow(GOLDEN64, -1, 1 << 64)


@dataclass(frozen=True, slots=True)
class Words:
    """The distinct words of a batch (sorted token ids), each one's claim term hash and lexicon flags:
    a batch's tokens index it, so what is kept of a batch never depends on a process's lexicon."""

    ids: np.ndarray
    terms: np.ndarray
    flags: np.ndarray


@dataclass
class Analysed:
    """One document analysed (:func:`analyse_batch`): what the count pass reads of it."""

    tokens: Tokens
    codes: np.ndarray  # per token, its word in the batch's :class:`Words`
    flags: np.ndarray
    upper: np.ndarray
    initial: np.ndarray
    breaks: np.ndarray
    pieces: np.ndarray  # (m, 2) token ranges of every sentence/line piece (may be empty: first > last)
    units: np.ndarray  # (n, 2) token ranges of the kept sentence units
    newlines: np.ndarray  # character positions of the newlines


@dataclass(frozen=True, slots=True)
class Readings:
    """A batch's documents as the count pass analysed them, kept for the units pass so that each
    document is analysed once: about 4 bytes a token (its word code) and a few per sentence; no text."""

    words: Words
    codes: np.ndarray
    token_at: np.ndarray  # document k's tokens are codes[token_at[k]:token_at[k+1]]
    breaks: np.ndarray  # batch positions of the tokens after a list comma
    pieces: np.ndarray  # (m, 2) the non-empty sentence/line pieces, batch token ranges
    lines: np.ndarray  # their :func:`line_hashes`
    piece_at: np.ndarray
    units: np.ndarray
    unit_chars: np.ndarray
    unit_lines: np.ndarray
    unit_at: np.ndarray

    @classmethod
    def of(cls, docs: Sequence[Analysed], words: Words) -> Readings:
        def cat(parts: list[np.ndarray], dtype: type, width: int = 0) -> tuple[np.ndarray, np.ndarray]:
            at = np.concatenate(([0], np.cumsum([len(x) for x in parts]))).astype(np.int64)
            empty = np.empty((0, width) if width else 0, dtype)
            return np.concatenate(parts or [empty]).astype(dtype), at

        codes, token_at = cat([d.codes for d in docs], np.uint32 if len(words.ids) < 2**32 else np.int64)
        breaks = np.concatenate([np.flatnonzero(d.breaks) + token_at[k] for k, d in enumerate(docs)] or [np.empty(0, np.int64)])
        pieces, piece_at = cat([d.pieces[d.pieces[:, 1] >= d.pieces[:, 0]] for d in docs], np.int32, 2)
        pieces += np.repeat(token_at[:-1], np.diff(piece_at))[:, None]
        lines = line_hashes(words.ids[codes], pieces)
        units, unit_at = cat([d.units for d in docs], np.int32, 2)
        spans = [np.stack((d.tokens.starts[d.units[:, 0]], d.tokens.ends[d.units[:, 1]]), axis=1) for d in docs]
        chars, _ = cat(spans, np.int64, 2)
        lines_of_units, _ = cat([np.searchsorted(d.newlines, c) for d, c in zip(docs, spans)], np.int32, 2)
        return cls(words, codes, token_at, breaks.astype(np.int32), pieces, lines, piece_at, units, chars, lines_of_units,
                   unit_at)

    def __len__(self) -> int:
        return len(self.token_at) - 1


def _upper(cps: np.ndarray) -> np.ndarray:
    out = (cps >= 65) & (cps <= 90)
    high = cps >= 128
    if high.any():
        for c in np.unique(cps[high]).tolist():
            if c not in _UPPER:
                _UPPER[c] = chr(c).isupper()
        out[high] = np.fromiter((_UPPER[c] for c in cps[high].tolist()), dtype=bool, count=int(high.sum()))
    return out


def analyse_batch(texts: Sequence[str], min_words: int) -> tuple[list[Analysed], Words]:
    """Every document of a batch analysed, and the batch's words: the lexicon is consulted once for the batch."""
    tokens = [tokenize(t, lazy_norms=True) for t in texts]
    sizes = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    ids = np.concatenate([t.ids for t in tokens] or [np.empty(0, np.uint64)])

    def norm_at(k: int) -> str:
        d = int(np.searchsorted(offsets, k, side="right")) - 1
        return tokens[d].norms[k - int(offsets[d])]

    uniq, rows, codes = LEXICON.words(ids, norm_at)
    words = Words(uniq, LEXICON.terms[rows], LEXICON.flags[rows])
    flags = words.flags[codes]
    return [_analyse(text, tok, codes[offsets[k] : offsets[k + 1]], flags[offsets[k] : offsets[k + 1]], min_words)
            for k, (text, tok) in enumerate(zip(texts, tokens))], words


def _analyse(text: str, tokens: Tokens, codes: np.ndarray, flags: np.ndarray, min_words: int) -> Analysed:
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(tokens)
    starts, ends = tokens.starts, tokens.ends
    upper = _upper(cps[starts]) if n else np.empty(0, bool)
    prev_end = np.concatenate(([0], ends[:-1])) if n else np.empty(0, np.int64)

    marks = _MARKS[np.minimum(cps, len(_MARKS) - 1)] if len(cps) else np.empty(0, np.uint8)
    marks[cps >= len(_MARKS)] = 0

    def in_gaps(mark: int) -> np.ndarray:  # a mark between the previous word and this one
        at = np.flatnonzero(marks & mark)
        return np.searchsorted(at, starts) > np.searchsorted(at, prev_end)

    initial = in_gaps(_INITIAL_MARK) if n else np.empty(0, bool)
    if n:
        initial[0] = True
    breaks = in_gaps(_LIST_MARK) if n else np.empty(0, bool)
    if n:
        breaks[0] = False
    newlines = np.flatnonzero(cps == 10)
    # Sentences, cut again at every line break inside them (bullets, headlines, bylines).
    sent = _join_abbreviations(text, cps, np.asarray(sentence_spans(text), dtype=np.int64).reshape(-1, 2))
    nl = newlines
    if len(nl) and len(sent):
        k = np.searchsorted(sent[:, 0], nl, side="right") - 1
        inside = (k >= 0) & (nl < sent[np.maximum(k, 0), 1])
        nl = nl[inside]
    else:
        nl = nl[:0]
    arr = np.stack((np.sort(np.concatenate((sent[:, 0], nl + 1))), np.sort(np.concatenate((nl, sent[:, 1])))), axis=1)
    first = np.searchsorted(starts, arr[:, 0], side="left")
    last = np.searchsorted(ends, arr[:, 1], side="right") - 1
    pieces = np.stack((first, last), axis=1)
    keep = (last - first + 1) >= min_words
    if keep.any():
        keep[keep] = ~_headings(text, tokens, flags, upper, first[keep], last[keep])
    return Analysed(tokens, codes, flags, upper, initial, breaks, pieces, pieces[keep], newlines)


def _join_abbreviations(text: str, cps: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Undo sentence breaks after titles and initials ("... president-elect, Mrs. | Maryam Rajavi")."""
    if len(spans) < 2:
        return spans
    # Only a sentence ending in a letter and a full stop, with no run of five letters before it
    # (the longest title has four), can end in an abbreviation: the pattern looks at the others.
    back = cps[np.maximum(spans[:, 1, None] - np.arange(1, 7), 0)] | 32  # its last six characters, lower-cased
    letter = (back >= 97) & (back <= 122)
    may = (back[:, 0] == 46) & letter[:, 1] & ~(letter[:, 1:6].all(axis=1) & (spans[:, 1] - spans[:, 0] >= 6))
    if not may[:-1].any():
        return spans
    out: list[tuple[int, int]] = []
    for k, (s, e) in enumerate(spans.tolist()):
        if out and may[k - 1] and _ABBREVIATION.search(text, max(out[-1][0], out[-1][1] - 6), out[-1][1]) \
                and "\n" not in text[out[-1][1]:s]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return np.asarray(out, dtype=np.int64).reshape(-1, 2)


def _headings(text: str, tokens: Tokens, flags: np.ndarray, upper: np.ndarray, first: np.ndarray,
              last: np.ndarray) -> np.ndarray:
    content = ((flags & FLAG_CONTENT) > 0) & ((flags & FLAG_DIGITS) == 0)
    c_cum = np.concatenate(([0], np.cumsum(content)))
    u_cum = np.concatenate(([0], np.cumsum(content & upper)))
    c = c_cum[last + 1] - c_cum[first]
    u = u_cum[last + 1] - u_cum[first]
    out = (c > 0) & (u >= HEADING_SHARE * c)  # mostly capitalised: a heading unless punctuated
    at = np.flatnonzero(out)
    out[at] = np.fromiter((_CLOSED.match(text, int(tokens.ends[k])) is None for k in last[at].tolist()),
                          dtype=bool, count=len(at))
    return out


def line_hashes(ids: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """A hash of each non-empty sentence/line piece ``(first, last)`` of the tokens ``ids``: equal
    pieces, equal hashes. The shingle fold (:mod:`reuse.text.shingle`) of the piece's ids, then
    ``fmix64``, for all pieces at once: prefix sums in wrapping 64-bit arithmetic."""
    pieces = np.asarray(pieces, dtype=np.int64).reshape(-1, 2)
    f, l = pieces[pieces[:, 1] >= pieces[:, 0]].T
    if len(f) == 0:
        return np.empty(0, dtype=np.uint64)
    n = int(l.max()) + 1
    with np.errstate(over="ignore"):
        one, zero = np.ones(1, np.uint64), np.zeros(1, np.uint64)
        power = np.concatenate((one, np.cumprod(np.full(n, GOLDEN64, np.uint64))))
        inverse = np.concatenate((one, np.cumprod(np.full(n, _GOLDEN_INVERSE, np.uint64))))
        prefix = np.concatenate((zero, np.cumsum(ids[:n].astype(np.uint64) * inverse[:n], dtype=np.uint64)))
        # sum over k of ids[k] * G**(l - k): the fold h = h * G + id from h = 0
        return fmix64(power[l] * (prefix[l + 1] - prefix[f]))


def name_runs(is_name: np.ndarray, glue: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Per token, the id of the name phrase it belongs to (-1 outside names).

    A phrase is a run of name words, allowing glue words ("of", "the") between two of them
    ("National Council of Resistance of Iran"); a comma, semicolon or colon ends it, so a list
    of names ("NBC, Der Spiegel") is several phrases.
    """
    if len(is_name) == 0:
        return np.empty(0, dtype=np.int64)
    nxt_name = np.concatenate((is_name[1:], [False]))
    nxt_break = np.concatenate((breaks[1:], [True]))
    prev_name = np.concatenate(([False], is_name[:-1]))
    glue_in = glue & ~is_name & nxt_name & ~nxt_break & prev_name & ~breaks
    in_run = is_name | glue_in
    prev_in = np.concatenate(([False], in_run[:-1]))
    start = is_name & ~(prev_in & ~breaks)
    ids = np.cumsum(start) - 1
    return np.where(in_run, ids, -1)


def surface_forms(sides: Sequence[tuple[str, int]], terms: np.ndarray) -> dict[int, list[str]]:
    """Term hash -> the words that make it, for the hashes ``terms`` (a passage's evidence): in each
    side ``(text, last)``, the words of tokens ``0..last`` in order of appearance, side after side."""
    tokens = [tokenize(text, lazy_norms=True) for text, _ in sides]
    ids = [t.ids[: last + 1] for t, (_, last) in zip(tokens, sides)]
    offsets = np.cumsum([0] + [len(x) for x in ids])

    def norm_at(k: int) -> str:
        d = int(np.searchsorted(offsets, k, side="right")) - 1
        return tokens[d].norms[k - int(offsets[d])]

    rows = LEXICON.rows(np.concatenate(ids), norm_at)  # first: it may add words to LEXICON.terms
    hashes = LEXICON.terms[rows]
    out: dict[int, list[str]] = {}
    for k in np.flatnonzero(in_sorted(hashes, np.sort(terms))).tolist():
        h, norm = int(hashes[k]), norm_at(k)
        if norm not in out.setdefault(h, []):
            out[h].append(norm)
    return out
