"""The word scanner: token spans and ids of texts without a Python call per token.

:func:`reuse.text.tokens.tokenize` (one text) and :func:`batch_token_ids` (a batch, ids only) run
the kernels here; the regular-expression tokenizer they replace survives only as the test oracle
(``tests/oracle.py``), and every id equals what it gives:

* a lookup table says which code points are word characters (``[\\p{L}\\p{N}\\p{M}]``, the class
  of :data:`reuse.text.normalize.WORD`); it is filled lazily, one Python call per *distinct*
  non-ASCII code point ever seen, so token boundaries match the regex exactly;
* a word made of ASCII letters and digits normalises to its lower case (NFKC is the identity on
  ASCII, casefold is ``lower``, the quote/dash folding touches only non-ASCII), so its id is XXH3
  of the lower-cased bytes, computed by :mod:`reuse.text.xxh3` in numba or numpy;
* the rare word holding a non-ASCII character (accents, ligatures, combining marks) or longer
  than the kernel handles goes through ``normalize`` + ``token_hash`` themselves (tested on curly
  quotes, NBSP, ligatures, casefold, combining marks).

With numba (see :mod:`reuse.jit`) one pass over each text's UTF-8 bytes does the work; without
it, numpy over the UTF-32 code points of the batch joined with NUL separators.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from reuse.jit import ENABLED as NUMBA
from reuse.text import xxh3
from reuse.text.normalize import WORD, normalize, token_hash

_UNKNOWN, _IS_WORD, _NOT_WORD = 0, 1, 2
_TABLE = np.zeros(0x110000, dtype=np.uint8)
_TABLE[:128] = _NOT_WORD
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _TABLE[_c] = _IS_WORD
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[65:91] += 32

FAST_MAX_BYTES = 128 if NUMBA else 16
"""Longest ASCII word hashed without a Python call (numba handles 1-128 bytes, numpy 1-16)."""


def _classify(cps: np.ndarray) -> None:
    """Fill the word-class table for the non-ASCII code points of ``cps`` not seen before."""
    high = _unknown_numba(cps, _TABLE) if _unknown_numba is not None else cps[cps >= 128]
    if len(high) == 0:
        return
    seen = np.unique(high)
    for c in seen[_TABLE[seen] == _UNKNOWN].tolist():
        _TABLE[c] = _IS_WORD if WORD.fullmatch(chr(c)) else _NOT_WORD


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


def batch_token_ids(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, offsets)``: ids of all tokens of all texts (uint64), and per-text offsets into them.

    ``ids[offsets[d]:offsets[d + 1]]`` equals ``reuse.text.tokens.tokenize(texts[d]).ids``.
    """
    if len(texts) == 0:
        return np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    if NUMBA:
        return _batch_token_ids_utf8(texts)
    joined, cps, doc_starts = _joined(texts, False)
    starts, ends, ids, _ = _scan_ids(joined, cps, False)
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
            for ch in set().union(*(set(t) for t in texts)):
                if ord(ch) >= 128 and _TABLE[ord(ch)] == _UNKNOWN:
                    _TABLE[ord(ch)] = _IS_WORD if WORD.fullmatch(ch) else _NOT_WORD
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
    word = _TABLE[cps] == _IS_WORD
    edges = np.diff(np.concatenate(([0], word.view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    lengths = ends - starts
    high = np.concatenate(([0], np.cumsum(cps >= 128)))
    ascii_word = (high[ends] - high[starts]) == 0
    fast = ascii_word & (lengths <= 16)
    buf = np.concatenate((_LOWER[(cps & 0xFF).astype(np.uint8)] * (cps < 128), np.zeros(16, np.uint8)))
    ids = np.zeros(len(starts), dtype=np.uint64)
    ids[fast] = xxh3.xxh3_short(buf, starts[fast], lengths[fast])
    return starts, ends, ids, np.flatnonzero(~fast)


def scan_text(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(starts, ends, ids, slow)`` of one text's words: spans, ids, and the positions of the words
    whose normalised form is not simply their lower case (see :func:`norms_of`)."""
    joined, cps, _ = _joined([text], NUMBA)  # one text: joined == text
    starts, ends, ids, slow_idx = _scan_ids(joined, cps, NUMBA)
    return starts.astype(np.int64), ends.astype(np.int64), ids, slow_idx


def norms_of(text: str, starts: np.ndarray, ends: np.ndarray, slow_idx: np.ndarray) -> tuple[str, ...]:
    """The normalised forms of the words :func:`scan_text` found.

    A text whose words are all ASCII gives its lower-cased ASCII word runs (one C-level
    ``findall``); any other text's words go through ``normalize`` one by one.
    """
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


_ASCII_WORD = re.compile(r"[a-z0-9]+", re.ASCII)


if NUMBA:
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

    @_nb.njit(cache=True)
    def _scan_numba(cps, table):  # noqa: ANN001, ANN202 - numba kernel
        n = len(cps)
        count = 0
        prev = False
        for i in range(n):
            w = table[cps[i]] == 1
            if w and not prev:
                count += 1
            prev = w
        starts = np.empty(count, np.int64)
        ends = np.empty(count, np.int64)
        ids = np.zeros(count, np.uint64)
        slow = np.zeros(count, np.uint8)
        buf = np.zeros(144, np.uint8)
        t = 0
        i = 0
        while i < n:
            if table[cps[i]] != 1:
                i += 1
                continue
            s = i
            ascii_only = True
            while i < n and table[cps[i]] == 1:
                c = cps[i]
                if c >= 128:
                    ascii_only = False
                elif i - s < 128:
                    if 65 <= c <= 90:
                        c += 32
                    buf[i - s] = c
                i += 1
            starts[t] = s
            ends[t] = i
            length = i - s
            if ascii_only and length <= 128:
                ids[t] = _xxh3(buf, 0, length)
            else:
                slow[t] = 1
            t += 1
        return starts, ends, ids, slow
    @_nb.njit(inline="always", cache=True)
    def _emit(ids, t, buf, length, ascii_only, slow, n_slow, capacity, d, start_cp, end_cp):  # noqa: ANN001, ANN202
        if ascii_only and length <= 128:
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
        recorded, all counted) and the number of code points missing from ``table``."""
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
            ascii_only = True
            length = 0
            start_cp = 0
            while i < end:
                b = raw[i]
                if b < 0x80:
                    v = asc[b]
                    if v != 0:
                        if not in_word:
                            in_word = True
                            ascii_only = True
                            length = 0
                            start_cp = cp_i
                        if length < 128:
                            buf[length] = v
                        length += 1
                    elif in_word:
                        in_word = False
                        n_slow = _emit(ids, t, buf, length, ascii_only, slow, n_slow, capacity, d, start_cp, cp_i)
                        t += 1
                    i += 1
                    cp_i += 1
                    continue
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
                if cls == 1:
                    if not in_word:
                        in_word = True
                        length = 0
                        start_cp = cp_i
                    ascii_only = False
                    length += 1
                elif in_word:
                    in_word = False
                    n_slow = _emit(ids, t, buf, length, ascii_only, slow, n_slow, capacity, d, start_cp, cp_i)
                    t += 1
                cp_i += 1
            if in_word:
                n_slow = _emit(ids, t, buf, length, ascii_only, slow, n_slow, capacity, d, start_cp, cp_i)
                t += 1
            tok_off[d + 1] = t
        return ids[:t].copy(), tok_off, slow, n_slow, n_unknown
else:  # pragma: no cover
    _scan_numba = _decode_utf8 = _unknown_numba = _scan_utf8 = None
