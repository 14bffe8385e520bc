"""The reference reading of documents for claims: one document at a time, sentences from
:func:`reuse.text.tokens.sentence_spans`, a Python step per sentence.

Plain and close to the rules as written, too slow for a corpus: the tests check that
:func:`reuse.stages.talking.sentences.analyse_batch`, which reads a whole batch with array
operations, gives exactly what this gives.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reuse.stages.talking.sentences import (
    _ABBREVIATION,
    _CLOSED,
    _INITIAL_MARK,
    _LIST_MARK,
    _MARKS,
    HEADING_SHARE,
    _upper,
    line_hashes,
)
from reuse.text.lexicon import FLAG_CONTENT, FLAG_DIGITS, LEXICON
from reuse.text.tokens import sentence_spans, tokenize

FIELDS = ("codes", "token_at", "breaks", "pieces", "lines", "piece_at", "units", "unit_chars", "unit_lines", "unit_at")
"""The :class:`~reuse.stages.talking.sentences.Readings` fields :func:`reference_reading` gives."""


def reference_reading(texts: Sequence[str], min_words: int) -> dict[str, np.ndarray]:
    """The batch's reading, document by document: :data:`FIELDS`, and ``initial`` and ``upper`` per token."""
    docs = [_document(t, min_words) for t in texts]
    ids = np.concatenate([d["ids"] for d in docs] or [np.empty(0, np.uint64)])
    norms = [n for d in docs for n in d["norms"]]
    uniq, _, codes = LEXICON.words(ids, norms)
    token_at = np.r_[0, np.cumsum([len(d["ids"]) for d in docs])].astype(np.int64)
    flags = np.zeros(0, np.uint8) if not len(ids) else LEXICON.flags[LEXICON.rows(ids, norms)]
    pieces, units, chars, lines, breaks = [], [], [], [], []
    for k, d in enumerate(docs):
        f = flags[token_at[k] : token_at[k + 1]]
        keep = (d["pieces"][:, 1] - d["pieces"][:, 0] + 1) >= min_words
        at = np.flatnonzero(keep)
        keep[at] = ~_headings(texts[k], d["ends"], f, d["upper"], d["pieces"][at])
        pieces.append(d["pieces"][d["pieces"][:, 1] >= d["pieces"][:, 0]] + token_at[k])
        units.append(d["pieces"][keep])
        span = np.stack((d["starts"][d["pieces"][keep, 0]], d["ends"][d["pieces"][keep, 1]]), axis=1)
        chars.append(span.reshape(-1, 2))
        lines.append(np.searchsorted(d["newlines"], span).reshape(-1, 2))
        breaks.append(np.flatnonzero(d["breaks"]) + token_at[k])

    def cat(parts: list[np.ndarray], dtype: type) -> tuple[np.ndarray, np.ndarray]:
        at = np.r_[0, np.cumsum([len(x) for x in parts])].astype(np.int64)
        return np.concatenate(parts or [np.empty((0, 2), dtype)]).astype(dtype).reshape(-1, 2), at

    all_pieces, piece_at = cat(pieces, np.int32)
    all_units, unit_at = cat(units, np.int32)
    return {"codes": codes.astype(np.uint32), "token_at": token_at,
            "breaks": np.concatenate(breaks or [np.empty(0, np.int64)]).astype(np.int32), "pieces": all_pieces,
            "lines": line_hashes(uniq[codes], all_pieces), "piece_at": piece_at, "units": all_units,
            "unit_chars": cat(chars, np.int64)[0], "unit_lines": cat(lines, np.int32)[0], "unit_at": unit_at,
            "initial": np.concatenate([d["initial"] for d in docs] or [np.empty(0, bool)]),
            "upper": np.concatenate([d["upper"] for d in docs] or [np.empty(0, bool)])}


def _document(text: str, min_words: int) -> dict:
    tokens = tokenize(text)
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n, starts, ends = len(tokens), tokens.starts, tokens.ends
    marks = _MARKS[np.minimum(cps, len(_MARKS) - 1)]
    marks[cps >= len(_MARKS)] = 0
    prev_end = np.r_[0, ends[:-1]].astype(np.int64)

    def in_gaps(mark: int) -> np.ndarray:  # a mark between the previous word and this one
        at = np.flatnonzero(marks & mark)
        return np.searchsorted(at, starts) > np.searchsorted(at, prev_end)

    initial, breaks = in_gaps(_INITIAL_MARK), in_gaps(_LIST_MARK)
    if n:
        initial[0], breaks[0] = True, False
    newlines = np.flatnonzero(cps == 10)
    # sentences, joined after titles and initials, then cut again at every line break inside them
    sent = _join_abbreviations(text, sentence_spans(text))
    nl = np.array([c for c in newlines.tolist() if any(s <= c < e for s, e in sent)], dtype=np.int64)
    bounds = np.stack((np.sort(np.r_[[s for s, _ in sent], nl + 1]), np.sort(np.r_[nl, [e for _, e in sent]])), axis=1)
    first = np.searchsorted(starts, bounds[:, 0], side="left")
    last = np.searchsorted(ends, bounds[:, 1], side="right") - 1
    return {"ids": tokens.ids, "norms": tokens.norms, "starts": starts, "ends": ends, "initial": initial,
            "breaks": breaks, "upper": _upper(cps[starts]) if n else np.empty(0, bool), "newlines": newlines,
            "pieces": np.stack((first, last), axis=1).astype(np.int64).reshape(-1, 2)}


def _join_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo sentence breaks after titles and initials: the pattern on the six characters ending the
    sentence so far, when no line break separates it from the next."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _ABBREVIATION.search(text, max(0, out[-1][1] - 6), out[-1][1]) \
                and "\n" not in text[out[-1][1] : s]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _headings(text: str, ends: np.ndarray, flags: np.ndarray, upper: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    content = ((flags & FLAG_CONTENT) > 0) & ((flags & FLAG_DIGITS) == 0)
    out = np.zeros(len(pieces), dtype=bool)
    for k, (f, last) in enumerate(pieces.tolist()):
        c = int(content[f : last + 1].sum())
        u = int((content & upper)[f : last + 1].sum())
        out[k] = c > 0 and u >= HEADING_SHARE * c and _CLOSED.match(text, int(ends[last])) is None
    return out
