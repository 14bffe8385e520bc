"""Token ids of a whole batch of texts at once: the hashing-only fast path of ``reuse.text``.

``reuse.text.tokenize`` makes one Python call per word (regex match, normalise, hash): right for
the few documents we align, far too slow for the million we sketch. This module gives, for a batch
of texts, exactly the ``ids`` that ``tokenize(text).ids`` gives for each text, without a Python
call per token:

* the batch is joined with NUL separators and encoded to UTF-32, so code point ``i`` of the array
  is character ``i`` of the joined string (Python string indices are code points);
* a lookup table gives each code point's token class (:func:`reuse.text.tokens.char_class`: word
  character, combining mark, character token of a script without spaces, or separator); it is
  filled lazily, one Python call per *distinct* non-ASCII code point ever seen, so token
  boundaries match the reference tokenizer's regex exactly;
* a word made of ASCII letters and digits normalises to its lower case (NFKC is the identity on
  ASCII, casefold is ``lower``, the quote/dash folding touches only non-ASCII), so its id is XXH3
  of the lower-cased bytes, computed by :mod:`reuse.text.xxh3` in numba or numpy;
* the rare word holding a non-ASCII character (accents, ligatures, combining marks) or longer
  than the kernel handles goes through ``normalize`` + ``token_hash`` themselves, so every id is
  bit-identical to ``tokenize``'s (tested on curly quotes, NBSP, ligatures, casefold, combining
  marks).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from reuse.text import xxh3
from reuse.text.tokens import CHARACTER, MARK, WORD, Tokens, char_class, normalize, token_hash

# Table classes (uint8). Kernels test the numbers, so keep them in step with the code below.
_UNKNOWN, _IS_WORD, _NOT_WORD, _IS_MARK, _IS_CHAR, _IS_CHAR_SLOW = 0, 1, 2, 3, 4, 5
_TABLE = np.zeros(0x110000, dtype=np.uint8)
_TABLE[:128] = _NOT_WORD
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _TABLE[_c] = _IS_WORD
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32

FAST_MAX_BYTES = 128 if xxh3.HAVE_NUMBA else 16
"""Longest ASCII word hashed without a Python call (numba handles 1-128 bytes, numpy 1-16)."""


def _table_class(ch: str) -> int:
    """The table entry of one code point: its :func:`~reuse.text.tokens.char_class`, with character
    tokens split by whether the kernel may hash their bytes (their normal form is themselves)."""
    cls = char_class(ch)
    if cls == CHARACTER:
        return _IS_CHAR if normalize(ch) == ch else _IS_CHAR_SLOW
    return {WORD: _IS_WORD, MARK: _IS_MARK}.get(cls, _NOT_WORD)


def _learn(code_points: list[int]) -> None:
    for c in code_points:
        if _TABLE[c] == _UNKNOWN:
            _TABLE[c] = _table_class(chr(c))


def _classify(cps: np.ndarray) -> None:
    """Fill the word-class table for the non-ASCII code points of ``cps`` not seen before."""
    high = _unknown_numba(cps, _TABLE) if _unknown_numba is not None else cps[cps >= 128]
    if len(high) == 0:
        return
    seen = np.unique(high)
    _learn(seen[_TABLE[seen] == _UNKNOWN].tolist())


def _joined(texts: Sequence[str], numba_ok: bool = False) -> tuple[str, np.ndarray, np.ndarray]:
    joined = "\x00".join(texts)
    if numba_ok:  # CPython's UTF-8 encoder is a memcpy for ASCII; decoding to code points is a kernel
        cps = _decode_utf8(np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8))
    else:
        cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    doc_starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(texts) else np.zeros(0, np.int64)
    return joined, cps, doc_starts


def _scan_ids(joined: str, cps: np.ndarray, numba_ok: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token spans and ids over code points; the rare tokens the kernel cannot hash (non-ASCII
    needing NFKC/casefold) are hashed through ``reuse.text`` so ids always equal ``tokenize``'s."""
    _classify(cps)
    if numba_ok:
        starts, ends, ids, slow = _scan_numba(cps, _TABLE)
        slow_idx = np.flatnonzero(slow)
    else:
        starts, ends, ids, slow_idx = _scan_numpy(cps)
    for k in slow_idx.tolist():
        ids[k] = token_hash(normalize(joined[starts[k] : ends[k]]))
    return starts, ends, ids, slow_idx


def batch_token_ids(texts: Sequence[str], *, use_numba: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, offsets)``: ids of all tokens of all texts (uint64), and per-text offsets into them.

    ``ids[offsets[d]:offsets[d + 1]]`` equals ``reuse.text.tokenize(texts[d]).ids``.
    ``use_numba=None`` uses the compiled kernel when numba is installed; ``False`` forces numpy.
    """
    if len(texts) == 0:
        return np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    numba_ok = xxh3.HAVE_NUMBA if use_numba is None else (use_numba and xxh3.HAVE_NUMBA)
    if numba_ok:
        return _batch_token_ids_utf8(texts)
    joined, cps, doc_starts = _joined(texts, numba_ok)
    starts, ends, ids, _ = _scan_ids(joined, cps, numba_ok)
    doc_of = np.searchsorted(doc_starts, starts, side="right") - 1
    offsets = np.searchsorted(doc_of, np.arange(len(texts) + 1), side="left").astype(np.int64)
    return ids, offsets


def _batch_token_ids_utf8(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The numba path: one pass over the UTF-8 bytes of each text, no code-point array.

    Each text is encoded on its own (a copy for ASCII text, no widening of the batch to the
    widest text's width); the kernel decodes multi-byte characters inline, so memory per batch is
    the bytes plus one id per token.
    """
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    raw = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    byte_off = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=byte_off[1:])
    capacity = max(1024, len(raw) // 64)
    while True:
        ids, tok_off, slow, n_slow, n_unknown = _scan_utf8(raw, byte_off, _TABLE, capacity)
        if n_unknown:  # first sight of some code points: classify them, then scan again
            _learn([ord(ch) for ch in set().union(*(set(t) for t in texts)) if ord(ch) >= 128])
            continue
        if n_slow > capacity:
            capacity = n_slow
            continue
        break
    slow_tok, slow_doc, slow_s, slow_e = (slow[:n_slow, k] for k in range(4))
    for k, d, a, b in zip(slow_tok.tolist(), slow_doc.tolist(), slow_s.tolist(), slow_e.tolist()):
        ids[k] = token_hash(normalize(texts[d][a:b]))
    return ids, tok_off


def _scan_numpy(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token spans and ids without numba: ASCII words of up to 16 bytes hashed in numpy, every
    other token left to Python (the returned indices)."""
    cls = _TABLE[cps]
    is_char = (cls == _IS_CHAR) | (cls == _IS_CHAR_SLOW)
    is_mark = cls == _IS_MARK
    pos = np.arange(len(cps))
    # A mark belongs to the token of the last non-mark before it: a character token's marks
    # continue it (part 2); otherwise the mark is part of a word run (part 1), maybe starting it.
    last = np.maximum.accumulate(np.where(is_mark, -1, pos)) if len(cps) else pos
    head_char = is_char[np.maximum(last, 0)] & (last >= 0)
    part = np.where(is_char | (is_mark & head_char), 2, np.where((cls == _IS_WORD) | is_mark, 1, 0))
    prev = np.concatenate(([0], part[:-1]))
    begins = is_char | ((part == 1) & (prev != 1))
    nxt_begins = np.concatenate((begins[1:], [True]))
    nxt_out = np.concatenate((part[1:] == 0, [True]))
    starts = np.flatnonzero(begins)
    ends = np.flatnonzero((part != 0) & (nxt_begins | nxt_out)) + 1
    lengths = ends - starts
    high = np.concatenate(([0], np.cumsum(cps >= 128)))
    ascii_word = (high[ends] - high[starts]) == 0
    fast = ascii_word & (lengths <= 16)
    buf = np.concatenate((_LOWER[(cps & 0xFF).astype(np.uint8)] * (cps < 128), np.zeros(16, np.uint8)))
    ids = np.zeros(len(starts), dtype=np.uint64)
    ids[fast] = xxh3.xxh3_short(buf, starts[fast], lengths[fast])
    return starts, ends, ids, np.flatnonzero(~fast)


def tokenize_fast(text: str, *, lazy_norms: bool = False) -> Tokens:
    """``reuse.text.tokenize(text)``, identical in every field, with the batch kernel doing the work.

    Spans and ids come from the kernel; the normalised forms of a text whose words are all ASCII
    are its lower-cased ASCII word runs (one C-level ``findall``); any other text's words go
    through ``normalize`` one by one, as in ``tokenize``. ``lazy_norms=True`` defers the
    normalised forms to first use (:class:`LazyNorms`): scoring reads only a handful of them.
    """
    numba_ok = xxh3.HAVE_NUMBA
    joined, cps, _ = _joined([text], numba_ok)  # one text: joined == text
    starts, ends, ids, slow_idx = _scan_ids(joined, cps, numba_ok)
    starts, ends = starts.astype(np.int64), ends.astype(np.int64)
    if lazy_norms:
        return Tokens(starts=starts, ends=ends, ids=ids, norms=LazyNorms(text, starts, ends, slow_idx))
    return Tokens(starts=starts, ends=ends, ids=ids, norms=_norms(text, starts, ends, slow_idx))


def _norms(text: str, starts: np.ndarray, ends: np.ndarray, slow_idx: np.ndarray) -> tuple[str, ...]:
    norms: list[str] | None = None
    low = text.lower()
    if len(slow_idx) == 0:
        norms = _ASCII_WORD.findall(low)
        if len(norms) != len(starts):  # lower() changed a non-word character: take the slow road
            norms = None
    if norms is None:
        src = low if len(low) == len(text) else text
        norms = [src[s:e].lower() for s, e in zip(starts.tolist(), ends.tolist())]
        for k in slow_idx.tolist():
            norms[k] = normalize(text[starts[k] : ends[k]])
    return tuple(norms)


class LazyNorms(Sequence[str]):
    """The normalised forms of a text's tokens, each computed on first access.

    Behaves as the tuple ``tokenize`` gives (indexing, iteration, ``len``, equality with a
    tuple); ``lengths()`` gives every form's length without building the strings (an ASCII word
    normalises to its own length).
    """

    __slots__ = ("_text", "_starts", "_ends", "_slow", "_cache")

    def __init__(self, text: str, starts: np.ndarray, ends: np.ndarray, slow_idx: np.ndarray) -> None:
        self._text, self._starts, self._ends, self._slow = text, starts, ends, slow_idx
        self._cache: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, k):  # noqa: ANN001, ANN204 - Sequence protocol (int or slice)
        if isinstance(k, slice) or self._cache is not None:
            return self._all()[k]
        if k < 0:
            k += len(self)
        return normalize(self._text[int(self._starts[k]) : int(self._ends[k])])

    def _all(self) -> tuple[str, ...]:
        if self._cache is None:
            self._cache = _norms(self._text, self._starts, self._ends, self._slow)
        return self._cache

    def __iter__(self):  # noqa: ANN204
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return tuple(self._all()) == (tuple(other) if isinstance(other, (tuple, list, LazyNorms)) else other)

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def lengths(self) -> np.ndarray:
        out = self._ends - self._starts
        for k in self._slow.tolist():
            out[k] = len(normalize(self._text[int(self._starts[k]) : int(self._ends[k])]))
        return out


_ASCII_WORD = re.compile(r"[a-z0-9]+", re.ASCII)


if xxh3.HAVE_NUMBA:
    import numba as _nb

    @_nb.njit(cache=True)
    def _decode_utf8(raw):  # noqa: ANN001, ANN202 - numba kernel
        """Code points of valid UTF-8 (as CPython wrote it, lone surrogates included)."""
        out = np.empty(len(raw), np.uint32)
        n = 0
        i = 0
        size = len(raw)
        while i < size:
            b = raw[i]
            if b < 0x80:
                out[n] = b
                i += 1
            elif b < 0xE0:
                out[n] = ((np.uint32(b) & 0x1F) << 6) | (np.uint32(raw[i + 1]) & 0x3F)
                i += 2
            elif b < 0xF0:
                out[n] = ((np.uint32(b) & 0x0F) << 12) | ((np.uint32(raw[i + 1]) & 0x3F) << 6) | (np.uint32(raw[i + 2]) & 0x3F)
                i += 3
            else:
                out[n] = (((np.uint32(b) & 0x07) << 18) | ((np.uint32(raw[i + 1]) & 0x3F) << 12)
                          | ((np.uint32(raw[i + 2]) & 0x3F) << 6) | (np.uint32(raw[i + 3]) & 0x3F))
                i += 4
            n += 1
        return out[:n]

    @_nb.njit(cache=True)
    def _unknown_numba(cps, table):  # noqa: ANN001, ANN202 - numba kernel
        """Code points whose word class is not yet in the table (usually none)."""
        out = np.empty(0, np.uint32)
        buf = []
        for c in cps:
            if c >= 128 and table[c] == 0:
                buf.append(c)
        if len(buf):
            out = np.array(buf, dtype=np.uint32)
        return out

    _xxh3 = xxh3.xxh3_scalar

    @_nb.njit(inline="always", cache=True)
    def _utf8(c, buf, at):  # noqa: ANN001, ANN202 - numba kernel
        """Write code point ``c`` (>= 0x80) as UTF-8 into ``buf[at:]``; return the byte count."""
        if c < 0x800:
            buf[at] = 0xC0 | (c >> 6)
            buf[at + 1] = 0x80 | (c & 0x3F)
            return 2
        if c < 0x10000:
            buf[at] = 0xE0 | (c >> 12)
            buf[at + 1] = 0x80 | ((c >> 6) & 0x3F)
            buf[at + 2] = 0x80 | (c & 0x3F)
            return 3
        buf[at] = 0xF0 | (c >> 18)
        buf[at + 1] = 0x80 | ((c >> 12) & 0x3F)
        buf[at + 2] = 0x80 | ((c >> 6) & 0x3F)
        buf[at + 3] = 0x80 | (c & 0x3F)
        return 4

    @_nb.njit(cache=True)
    def _scan_numba(cps, table):  # noqa: ANN001, ANN202, C901 - numba kernel
        """Token spans and ids over code points (the single-text path of ``tokenize_fast``); tokens
        flagged in ``slow`` are left to Python."""
        n = len(cps)
        starts = np.empty(n, np.int64)
        ends = np.empty(n, np.int64)
        ids = np.zeros(n, np.uint64)
        slow = np.zeros(n, np.uint8)
        buf = np.zeros(144, np.uint8)
        t = 0
        in_tok = False
        char_tok = False
        hashable = True
        length = 0
        for i in range(n + 1):
            cls = table[cps[i]] if i < n else 2
            c = cps[i] if i < n else 0
            # Does code point i continue the open token? A word letter continues a word run, a mark
            # any token; anything else (a new character token, a separator) closes it.
            if in_tok and ((cls == 1 and not char_tok) or cls == 3):
                if c >= 128:
                    hashable = False
                elif length < 128:
                    buf[length] = c + 32 if 65 <= c <= 90 else c
                length += 1
                continue
            if in_tok:
                ends[t] = i
                if hashable and length <= 128:
                    ids[t] = _xxh3(buf, 0, length)
                else:
                    slow[t] = 1
                t += 1
                in_tok = False
            if cls == 1 or cls == 3 or cls == 4 or cls == 5:
                in_tok = True
                starts[t] = i
                char_tok = cls >= 4
                if cls == 4:
                    length = _utf8(c, buf, 0)
                    hashable = True
                elif c >= 128:
                    length = 1
                    hashable = False
                else:
                    buf[0] = c + 32 if 65 <= c <= 90 else c
                    length = 1
                    hashable = True
        return starts[:t].copy(), ends[:t].copy(), ids[:t].copy(), slow[:t].copy()

    @_nb.njit(inline="always", cache=True)
    def _emit(ids, t, buf, length, hashable, slow, n_slow, capacity, d, start_cp, end_cp):  # noqa: ANN001, ANN202
        if hashable and length <= 128:
            ids[t] = _xxh3(buf, 0, length)
        else:
            if n_slow < capacity:
                slow[n_slow, 0] = t
                slow[n_slow, 1] = d
                slow[n_slow, 2] = start_cp
                slow[n_slow, 3] = end_cp
            n_slow += 1
        return n_slow

    @_nb.njit(cache=True)
    def _scan_utf8(raw, byte_off, table, capacity):  # noqa: ANN001, ANN202, C901 - numba kernel
        """Token ids of every document of ``raw`` (UTF-8), per-document token offsets, the tokens
        left to Python (rows: index, document, code-point start, end; at most ``capacity``
        recorded, all counted) and the number of code points missing from ``table``.

        ``buf[:length]`` holds the bytes the open token is hashed by: its lower-cased ASCII letters,
        or a character token's own UTF-8 bytes; ``hashable`` is false once that cannot be.
        """
        n_docs = len(byte_off) - 1
        ids = np.empty(len(raw) // 2 + n_docs + 1, np.uint64)
        tok_off = np.zeros(n_docs + 1, np.int64)
        slow = np.zeros((capacity, 4), np.int64)
        n_slow = 0
        n_unknown = 0
        asc = np.zeros(128, np.uint8)  # lower-cased byte of an ASCII word character, else 0
        for c in range(48, 58):
            asc[c] = c
        for c in range(97, 123):
            asc[c] = c
            asc[c - 32] = c
        buf = np.zeros(144, np.uint8)
        t = 0
        for d in range(n_docs):
            i = byte_off[d]
            end = byte_off[d + 1]
            cp_i = 0  # code-point index within the document
            in_word = False
            char_tok = False
            hashable = True
            length = 0
            start_cp = 0
            while i < end:
                b = raw[i]
                if b < 0x80:
                    v = asc[b]
                    if v != 0:
                        if in_word and char_tok:
                            n_slow = _emit(ids, t, buf, length, hashable, slow, n_slow, capacity, d, start_cp, cp_i)
                            t += 1
                            in_word = False
                        if not in_word:
                            in_word = True
                            char_tok = False
                            hashable = True
                            length = 0
                            start_cp = cp_i
                        if length < 128:
                            buf[length] = v
                        length += 1
                    elif in_word:
                        in_word = False
                        n_slow = _emit(ids, t, buf, length, hashable, slow, n_slow, capacity, d, start_cp, cp_i)
                        t += 1
                    i += 1
                    cp_i += 1
                    continue
                first = i
                if b < 0xE0:
                    c = ((np.int64(b) & 0x1F) << 6) | (np.int64(raw[i + 1]) & 0x3F)
                    i += 2
                elif b < 0xF0:
                    c = ((np.int64(b) & 0x0F) << 12) | ((np.int64(raw[i + 1]) & 0x3F) << 6) | (np.int64(raw[i + 2]) & 0x3F)
                    i += 3
                else:
                    c = (((np.int64(b) & 0x07) << 18) | ((np.int64(raw[i + 1]) & 0x3F) << 12)
                         | ((np.int64(raw[i + 2]) & 0x3F) << 6) | (np.int64(raw[i + 3]) & 0x3F))
                    i += 4
                cls = table[c]
                if cls == 0:
                    n_unknown += 1
                if in_word and ((cls == 1 and not char_tok) or cls == 3):
                    hashable = False  # a non-ASCII letter in a word, or a mark on any token
                    length += 1
                else:
                    if in_word:
                        in_word = False
                        n_slow = _emit(ids, t, buf, length, hashable, slow, n_slow, capacity, d, start_cp, cp_i)
                        t += 1
                    if cls == 1 or cls == 3 or cls == 4 or cls == 5:
                        in_word = True
                        start_cp = cp_i
                        char_tok = cls >= 4
                        hashable = cls == 4
                        length = 0
                        if cls == 4:
                            for k in range(first, i):
                                buf[length] = raw[k]
                                length += 1
                cp_i += 1
            if in_word:
                n_slow = _emit(ids, t, buf, length, hashable, slow, n_slow, capacity, d, start_cp, cp_i)
                t += 1
            tok_off[d + 1] = t
        return ids[:t].copy(), tok_off, slow, n_slow, n_unknown
else:  # pragma: no cover
    _scan_numba = _decode_utf8 = _unknown_numba = _scan_utf8 = None
