"""numba kernel finding the sentence ends of :func:`reuse.text.tokens.sentence_starts`.

Imported on first use (numba's import is not paid by ``reuse --help``). It gives a position
inside every match of the plain sentence-end pattern (``tokens._SENTENCE_END_PLAIN``) and only
there, from the code points' classes, in one pass: what ``sentence_starts`` needs (which gaps
between words hold an end) without the regular expression's scan. Its twin is the pattern itself:
``sentence_starts`` runs it when numba is off, and the tests hold the two equal.
"""
from __future__ import annotations

import numba
import numpy as np

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays

OTHER, STOP, CLOSER, SPACE, NEWLINE, CJK_STOP = range(6)  # SPACE and NEWLINE adjacent: white space is SPACE..NEWLINE
CLASS = np.zeros(0x10000, np.uint8)
"""Class of each code point below U+10000 (all above are OTHER)."""
CLASS[[ord(c) for c in ".!?…"]] = STOP
CLASS[[ord(c) for c in "\"'”’»)]"]] = CLOSER
CLASS[[0x9, 0xB, 0xC, 0xD, 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F,
       0x3000]] = SPACE  # the pattern's \s: Unicode White_Space (tested)
CLASS[0xA] = NEWLINE
CLASS[[ord(c) for c in "。！？｡"]] = CJK_STOP


@numba.njit(cache=True)
def end_positions(cp, table):
    r"""Positions inside the matches of ``[.!?…]+[closers]*(?=\s)|[。！？｡]+…|\n\s*\n`` in code points ``cp``.

    A run of stops ends a sentence when the first character after it that is not a closing quote
    or bracket is white space (the position given: the run's last stop); a CJK full stop always
    does; a run of white space does when it holds two line feeds (its first line feed).
    """
    n = len(cp)
    cls = np.empty(n, np.uint8)
    for i in range(n):
        cls[i] = table[cp[i]] if cp[i] < 0x10000 else OTHER
    out = np.empty(n, np.int64)
    m = 0
    i = 0
    while i < n:
        c = cls[i]
        if c == STOP:
            j = i
            while j < n and cls[j] == STOP:
                j += 1
            last = j - 1
            while j < n and cls[j] == CLOSER:
                j += 1
            if j < n and SPACE <= cls[j] <= NEWLINE:
                out[m] = last
                m += 1
            i = last + 1
        elif c == CJK_STOP:
            out[m] = i
            m += 1
            i += 1
        elif SPACE <= c <= NEWLINE:  # white space, line feeds included
            j = i
            lines = 0
            first_line = -1
            while j < n and SPACE <= cls[j] <= NEWLINE:
                if cls[j] == NEWLINE:
                    lines += 1
                    if first_line < 0:
                        first_line = j
                j += 1
            if lines >= 2:
                out[m] = first_line
                m += 1
            i = j
        else:
            i += 1
    return out[:m]
