"""Documents read for claims, a batch at a time: tokens, lexicon rows, capitals, sentence pieces and units.

The first step of both talking-point passes (:mod:`reuse.stages.talking.units`): a batch of texts
is scanned as one text, each distinct word looked up once in :mod:`reuse.text.lexicon`, capitals,
sentence starts and list commas read from the code points, and the texts cut into sentences
and lines with array operations over the whole batch; headings (unpunctuated, mostly
capitalised lines) are not units.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex

from reuse.jit import ENABLED as NUMBA
from reuse.stages.candidates import in_sorted
from reuse.text.lexicon import FLAG_CONTENT, FLAG_DIGITS, LEXICON
from reuse.text.normalize import normalize
from reuse.text.scan import scan_batch
from reuse.text.shingle import GOLDEN64, fmix64
from reuse.text.tokens import LazyNorms, sentence_starts, tokenize

HEADING_SHARE = 0.75
"""Unpunctuated lines with this share of capitalised content words are headings, tags or
navigation, not claims (a name-heavy sentence still ends with a full stop)."""

_CLOSED = regex.compile(r"[\"'”’»)\]]*[.!?…]")
_CLOSERS, _STOPS = "\"'”’»)]", ".!?…"
"""_CLOSED's two sets: read from a table (:data:`_CLOSING`) for a batch at once."""
_SPACE = regex.compile(r"\s")
_NONWORD = regex.compile(r"\W")
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Sen", "Rep", "Gov", "St", "Jr", "Sr", "No", "vs",
           "etc", *(chr(c) for c in range(ord("A"), ord("Z") + 1)))
"""Titles and initials: a full stop after one (and a non-word character before it) ends no sentence."""
_ABBREVIATION = regex.compile(r"(?:^|\W)(?:" + "|".join(_TITLES) + r")\.$")
_TITLE_KEYS = [np.array(sorted(sum(ord(c) << (8 * i) for i, c in enumerate(t)) for t in _TITLES if len(t) == k), np.int64)
               for k in range(5)]  # the titles of k letters, each packed into an integer (one byte a letter)
_TITLE_TABLE = np.sort(np.concatenate([keys | (k << 40) for k, keys in enumerate(_TITLE_KEYS)]))  # all, length above bit 40
_INITIAL_MARK, _LIST_MARK, _NEWLINE_MARK, _END_MARK = 1, 2, 4, 8  # _END_MARK: set by the compiled pass alone
_MARKS = np.zeros(0x2030, dtype=np.uint8)  # code point -> marks (all of them lie below U+2030)
for _c in ".!?:\n•“\"":
    _MARKS[ord(_c)] |= _INITIAL_MARK
for _c in ",;:":
    _MARKS[ord(_c)] |= _LIST_MARK
_MARKS[ord("\n")] |= _NEWLINE_MARK
_CLOSER, _STOP = 1, 2
_CLOSING = np.zeros(0x2030, dtype=np.uint8)  # code point -> _CLOSER or _STOP (all of them lie below U+2030)
_CLOSING[[ord(c) for c in _CLOSERS]] = _CLOSER
_CLOSING[[ord(c) for c in _STOPS]] = _STOP
_IS_SPACE, _IS_NONWORD, _KNOWN = 1, 2, 4
_CHARS = np.zeros(0x110000, dtype=np.uint8)
"""Code point -> whether the patterns' ``\\s`` and ``\\W`` match it (and that it was asked), learned
from the patterns once per distinct code point (:func:`_char_tests`)."""
_UPPER: dict[int, bool] = {}
_GOLDEN_INVERSE = pow(GOLDEN64, -1, 1 << 64)


@dataclass(frozen=True, slots=True)
class Words:
    """The distinct words of a batch (sorted token ids), each one's claim term hash and lexicon flags:
    a batch's tokens index it, so what is kept of a batch never depends on a process's lexicon."""

    ids: np.ndarray
    terms: np.ndarray
    flags: np.ndarray


@dataclass(frozen=True, slots=True)
class Readings:
    """A batch's documents as the count pass read them (:func:`analyse_batch`), kept for the units
    pass so that each document is read once: about 4 bytes a token (its word code) and a few per
    sentence; no text. Token positions are the batch's (its documents' tokens end to end) unless
    said otherwise."""

    words: Words
    codes: np.ndarray  # per token, its word in ``words``
    token_at: np.ndarray  # document k's tokens are codes[token_at[k]:token_at[k+1]]
    breaks: np.ndarray  # the tokens after a list comma
    pieces: np.ndarray  # (m, 2) token ranges of the sentence/line pieces
    lines: np.ndarray  # their :func:`line_hashes`
    piece_at: np.ndarray
    units: np.ndarray  # (n, 2) token ranges of the kept pieces, the sentence units, in their document's numbering
    unit_chars: np.ndarray  # their character spans in their document
    unit_lines: np.ndarray  # the lines of those spans' ends (a unit's paragraph: see units._Layout)
    unit_at: np.ndarray

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


def analyse_batch(texts: Sequence[str], min_words: int) -> tuple[Readings, np.ndarray, np.ndarray]:
    """A batch's :class:`Readings`, and per token whether it opens a sentence, clause or line
    (``initial``: a capital there says nothing of a name) and whether it is capitalised.

    The batch is read as one text (:func:`~reuse.text.scan.scan_batch`: the texts joined with NUL
    separators) and every step is an array operation over all of it: the lexicon is consulted
    once per distinct word, and no step costs a Python call per document or per sentence.
    Pieces are the sentences of :func:`~reuse.text.tokens.sentence_spans`, cut again at every
    line break inside them (bullets, headlines, bylines); the units are the pieces of at least
    ``min_words`` words that are not headings.
    """
    joined, cps, text_at, (starts, ends, ids, slow) = scan_batch(texts)
    n = len(starts)
    token_at = np.searchsorted(starts, np.r_[text_at, len(cps) + 1]).astype(np.int64)
    uniq, rows, codes = LEXICON.words(ids, LazyNorms(joined, starts, ends, slow))
    words = Words(uniq, LEXICON.terms[rows], LEXICON.flags[rows])
    flags = words.flags[codes]
    first = np.zeros(n, dtype=bool)
    first[token_at[:-1][np.diff(token_at) > 0]] = True
    gap = _gaps(cps, starts, ends)
    line_break = (gap & _NEWLINE_MARK) > 0
    initial = ((gap & _INITIAL_MARK) > 0) | first
    breaks = ((gap & _LIST_MARK) > 0) & ~first
    newlines = np.flatnonzero(cps == 10)
    sentence = _sentence_starts(texts, joined, cps, text_at, starts, token_at, gap) & ~first
    cut = sentence & ~_abbreviations(cps, starts, ends, sentence, line_break)
    cut |= first | line_break
    piece_first = np.flatnonzero(cut)
    pieces = np.stack((piece_first, np.r_[piece_first[1:], n] - 1), axis=1) if n else np.empty((0, 2), np.int64)
    piece_at = np.searchsorted(piece_first, token_at).astype(np.int64)
    keep = pieces[:, 1] - pieces[:, 0] + 1 >= min_words
    content = ((flags & FLAG_CONTENT) > 0) & ((flags & FLAG_DIGITS) == 0)
    upper = _upper(cps[starts]) if n else np.empty(0, bool)
    keep[keep] = ~_headings(cps, ends, content, upper, pieces[keep])
    kept = pieces[keep]
    unit_doc = np.repeat(np.arange(len(texts)), np.diff(piece_at))[keep]
    chars = np.stack((starts[kept[:, 0]], ends[kept[:, 1]]), axis=1)
    lines = np.searchsorted(newlines, chars) - np.searchsorted(newlines, text_at[unit_doc])[:, None]
    r = Readings(words, codes.astype(np.uint32 if len(uniq) < 2**32 else np.int64), token_at,
                 np.flatnonzero(breaks).astype(np.int32), pieces.astype(np.int32),
                 line_hashes(words.ids[codes], pieces), piece_at,
                 (kept - token_at[unit_doc][:, None]).astype(np.int32), chars - text_at[unit_doc][:, None],
                 lines.astype(np.int32), np.r_[0, np.cumsum(np.bincount(unit_doc, minlength=len(texts)))].astype(np.int64))
    return r, initial, upper


def _gaps(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per token, the marks (``_MARKS``) of the characters between it and the word before it: the
    compiled pass over those gaps where numba is on (which adds ``_END_MARK`` where the gap holds a
    sentence end), else numpy over every code point."""
    if len(starts) == 0:
        return np.empty(0, np.uint8)
    if NUMBA:
        from reuse.stages.talking.reading_kernel import gap_marks
        from reuse.text.sentence_ends import CLASS

        return gap_marks(cps, starts, ends, _MARKS, CLASS, _END_MARK)
    marks = _MARKS[np.minimum(cps, len(_MARKS) - 1)]
    marks[cps >= len(_MARKS)] = 0
    # a word's own characters carry none: reduced over (gap, word) segments, every other one kept
    return np.bitwise_or.reduceat(marks, np.stack((np.r_[0, ends[:-1]], starts), axis=1).ravel())[::2]


def _sentence_starts(texts: Sequence[str], joined: str, cps: np.ndarray, text_at: np.ndarray, starts: np.ndarray,
                     token_at: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """Per token of the batch: does a sentence of :func:`~reuse.text.tokens.sentence_spans` start there?

    The compiled pass over the gaps (``gap``'s ``_END_MARK``, :func:`_gaps`) where numba is on;
    :func:`~reuse.text.tokens.sentence_starts` for each text where it is off, and for the texts
    with Thai or Lao (whose rule the pass lacks).
    """
    if NUMBA:
        out = (gap & _END_MARK) > 0
        # the code points of the Thai and Lao blocks (none in ASCII text, checked without an array pass)
        thai_lao = np.empty(0, np.int64) if joined.isascii() else np.flatnonzero((cps >= 0x0E00) & (cps <= 0x0EFF))
        own = np.unique(np.searchsorted(text_at, thai_lao, side="right") - 1)
    else:
        out = np.zeros(len(starts), dtype=bool)
        own = np.arange(len(texts))
    for d in own.tolist():
        if token_at[d] < token_at[d + 1]:
            out[token_at[d] : token_at[d + 1]] = False
            out[token_at[d] + sentence_starts(texts[d], tokenize(texts[d], lazy_norms=True))] = True
    return out


def _char_tests(cps: np.ndarray) -> np.ndarray:
    """Per code point of ``cps``: ``_IS_SPACE`` and ``_IS_NONWORD`` (the patterns' ``\\s`` and ``\\W``,
    each one character), asked of the patterns themselves once per distinct code point a process meets."""
    got = _CHARS[cps]
    new = (got & _KNOWN) == 0
    if new.any():
        for c in np.unique(cps[new]).tolist():
            ch = chr(c)
            _CHARS[c] = _KNOWN | (_IS_SPACE if _SPACE.match(ch) else 0) | (_IS_NONWORD if _NONWORD.match(ch) else 0)
        got = _CHARS[cps]
    return got


def _abbreviations(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, sentence: np.ndarray,
                   line_break: np.ndarray) -> np.ndarray:
    """Per token: is the sentence start there (``sentence``) undone because the sentence before ends
    in a title or an initial ("... president-elect, Mrs. | Maryam Rajavi")?

    That sentence ends in a word and a full stop followed by white space, with no line break
    before the next word, and ``_ABBREVIATION`` matches the six characters ending with the stop,
    whichever sentence they are in: a sentence that opens with a title ("... today. Dr. Chen's
    dogs") keeps it. The compiled pass over those starts where numba is on (it leaves a title after
    a non-ASCII character to :func:`_title_stops`), else :func:`_title_stops` for all of them.
    """
    out = np.zeros(len(starts), dtype=bool)
    cuts = np.flatnonzero(sentence & ~line_break)
    if NUMBA:
        from reuse.stages.talking.reading_kernel import title_stops
        from reuse.text.sentence_ends import CLASS

        found = title_stops(cps, starts, ends, cuts, CLASS, _TITLE_TABLE)
        ask = np.flatnonzero(found == 2)
        out[cuts[found == 1]] = True
        out[cuts[ask[_title_stops(cps, starts, ends, cuts[ask])]]] = True
        return out
    out[cuts[_title_stops(cps, starts, ends, cuts)]] = True
    return out


def _title_stops(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Per token number of ``cuts``: does the word before it end in a title or an initial and a full
    stop followed by white space, as ``_ABBREVIATION`` reads them? Array operations: a title of k
    letters ends the word (its k letters packed into an integer, looked up among the titles'), and
    before it the batch starts or a non-word character stands (in the joined batch, a separator
    stands before each text, as its start does in the text alone)."""
    out = np.zeros(len(cuts), dtype=bool)
    e = ends[cuts - 1]  # the character after the sentence's last word
    after = np.minimum(e + 1, len(cps) - 1)
    stop = np.flatnonzero((cps[e] == 46) & (e + 1 < len(cps)) & ((_char_tests(cps[after]) & _IS_SPACE) > 0))
    e = e[stop]
    for k in range(1, 5):
        back = cps[np.maximum(e[:, None] - k + np.arange(k), 0)].astype(np.int64)
        packed = (back << (8 * np.arange(k))).sum(axis=1)
        edge = (e - k == 0) | ((e - k > 0) & ((_char_tests(cps[np.maximum(e - k - 1, 0)]) & _IS_NONWORD) > 0))
        title = (e - k >= starts[cuts[stop] - 1]) & (back < 128).all(axis=1) & in_sorted(packed, _TITLE_KEYS[k]) & edge
        out[stop[title]] = True
    return out


def _headings(cps: np.ndarray, ends: np.ndarray, content: np.ndarray, upper: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """Per piece ``(first, last)``: a heading, a tag or navigation (mostly capitalised content words,
    and no sentence end after its last word: ``_CLOSED`` does not match there)?"""
    c_cum = np.concatenate(([0], np.cumsum(content)))
    u_cum = np.concatenate(([0], np.cumsum(content & upper)))
    c = c_cum[pieces[:, 1] + 1] - c_cum[pieces[:, 0]]
    u = u_cum[pieces[:, 1] + 1] - u_cum[pieces[:, 0]]
    out = (c > 0) & (u >= HEADING_SHARE * c)  # mostly capitalised: a heading unless punctuated
    at = np.flatnonzero(out)
    out[at] = ~_closed(cps, ends[pieces[at, 1]])
    return out


def _closed(cps: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Per position of ``cps``: does ``_CLOSED`` match there (closing quotes and brackets, then a
    stop)? The positions step over closers together, a step per character of the longest run."""
    out = np.zeros(len(pos), dtype=bool)
    live, pos = np.arange(len(pos)), pos.astype(np.int64)
    while len(live):
        p = pos[live]
        inside = p < len(cps)
        c = cps[np.minimum(p, len(cps) - 1)]
        kind = np.where(inside & (c < len(_CLOSING)), _CLOSING[np.minimum(c, len(_CLOSING) - 1)], 0)
        out[live[kind == _STOP]] = True
        live = live[kind == _CLOSER]
        pos[live] += 1
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
    power, inverse = _powers(n)
    with np.errstate(over="ignore"):
        zero = np.zeros(1, np.uint64)
        prefix = np.concatenate((zero, np.cumsum(ids[:n].astype(np.uint64) * inverse[:n], dtype=np.uint64)))
        # sum over k of ids[k] * G**(l - k): the fold h = h * G + id from h = 0
        return fmix64(power[l] * (prefix[l + 1] - prefix[f]))


_POWERS: list[np.ndarray] = [np.ones(1, np.uint64), np.ones(1, np.uint64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``G**k`` and ``G**-k`` (wrapping 64-bit) for k = 0..n at least: made once per process and
    grown when a batch is longer (every batch of the count pass asks for as many as it has tokens)."""
    if len(_POWERS[0]) <= n:
        m = max(n, 2 * len(_POWERS[0]))
        with np.errstate(over="ignore"):
            one = np.ones(1, np.uint64)
            _POWERS[:] = [np.concatenate((one, np.cumprod(np.full(m, g, np.uint64)))) for g in (GOLDEN64, _GOLDEN_INVERSE)]
        for x in _POWERS:
            x.setflags(write=False)
    return _POWERS[0], _POWERS[1]


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
    return surface_forms_batch([sides], [terms])[0]


def surface_forms_batch(groups: Sequence[Sequence[tuple[str, int]]], terms: Sequence[np.ndarray]
                        ) -> list[dict[int, list[str]]]:
    """:func:`surface_forms` of many passages at once (``groups[k]``'s sides, ``terms[k]``): their
    texts scanned as one batch and looked up in the lexicon once, a Python step only per word
    that is evidence."""
    texts = [text for sides in groups for text, _ in sides]
    joined, cps, text_at, (starts, ends, ids, slow) = scan_batch(texts)
    rows = LEXICON.rows(ids, LazyNorms(joined, starts, ends, slow))  # first: it may add words to LEXICON.terms
    token_at = np.searchsorted(starts, np.r_[text_at, len(cps) + 1])
    text_of = np.repeat(np.arange(len(texts)), np.diff(token_at))
    last = np.array([last for sides in groups for _, last in sides], dtype=np.int64)
    group_of = np.repeat(np.arange(len(groups)), [len(sides) for sides in groups])[text_of]
    vocab = np.unique(np.concatenate([np.asarray(t, dtype=np.uint64) for t in terms] or [np.empty(0, np.uint64)]))
    wanted = np.sort(np.concatenate([np.arange(len(groups))[k] * len(vocab) + np.searchsorted(vocab, np.asarray(t, np.uint64))
                                     for k, t in enumerate(terms)] or [np.empty(0, np.int64)]))
    hashes = LEXICON.terms[rows]
    at = np.minimum(np.searchsorted(vocab, hashes), max(len(vocab) - 1, 0))
    known = (vocab[at] == hashes) if len(vocab) else np.zeros(len(hashes), bool)
    hit = known & (np.arange(len(starts)) - token_at[text_of] <= last[text_of]) & in_sorted(group_of * len(vocab) + at, wanted)
    out: list[dict[int, list[str]]] = [{} for _ in groups]
    at = np.flatnonzero(hit)
    if len(at):  # each passage's first occurrence of each word (its id: its normalised form), in text order
        order = np.lexsort((ids[at], group_of[at]))  # stable: an occurrence before its repeats
        grp, word = group_of[at][order], ids[at][order]
        first = np.r_[True, (grp[1:] != grp[:-1]) | (word[1:] != word[:-1])]
        at = np.sort(at[order[first]])
    # read as Python values at once (not an array item per word)
    for g, h, s, e in zip(group_of[at].tolist(), hashes[at].tolist(), starts[at].tolist(), ends[at].tolist()):
        forms = out[g].setdefault(h, [])
        norm = normalize(joined[s:e])
        if norm not in forms:
            forms.append(norm)
    return out
