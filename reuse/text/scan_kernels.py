"""The numba kernels of the word scanner (:mod:`reuse.text.scan`); all None without numba.

They read the code-point class table the scanner keeps (its class numbers: 1 word character,
2 separator, 3 combining mark, 4 character token hashable as its own bytes, 5 character token left
to Python) and hash ASCII words and character tokens with the compiled XXH3 of :mod:`reuse.text.xxh3`.
"""
from __future__ import annotations

import numpy as np

from reuse.jit import ENABLED as NUMBA
from reuse.text import xxh3

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
        """Token spans and ids over code points (the single-text path of ``tokenize``); tokens
        flagged in ``slow`` are left to Python.

        The outputs are sized for the worst case (a token per code point) but left unfilled: each
        token's slots are written when it closes, so only the pages its tokens reach are touched
        (numba's ``zeros`` writes them all: for a batch of prose, about two thirds of this kernel's time).
        """
        n = len(cps)
        starts = np.empty(n, np.int64)
        ends = np.empty(n, np.int64)
        ids = np.empty(n, np.uint64)
        slow = np.empty(n, np.uint8)
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
                    slow[t] = 0
                else:
                    ids[t] = 0
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
