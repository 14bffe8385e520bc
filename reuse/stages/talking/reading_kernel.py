"""numba kernel of the batch reading (:func:`reuse.stages.talking.sentences.analyse_batch`), imported on first use.

Its sentence ends are those of :func:`reuse.text.sentence_ends.end_positions`, read in the gaps
between words (the tests hold the two equal). They are written here, not called from there:
numba's cache notices a change to a kernel's own file only.
"""
from __future__ import annotations

import numba
import numpy as np

from reuse.text.sentence_ends import CJK_STOP, CLOSER, NEWLINE, OTHER, SPACE, STOP

# ruff: noqa: ANN001, ANN201 - numba kernels take and return arrays


@numba.njit(cache=True)
def gap_marks(cps, starts, ends, marks, end_class, end_mark):
    """Per token, the OR of ``marks`` (a table by code point; 0 beyond it) over the characters
    between the token before it (the text's start, for the first) and it: only the gaps are read.

    Plus ``end_mark`` where the gap holds a sentence end (``end_class``: the class table of
    :mod:`reuse.text.sentence_ends`), found in the same visit of the gaps rather than by a second
    pass over every code point. Every character of a sentence end is punctuation or white space,
    never part of a word (tested on the table), so each end lies inside one gap; a gap holds one
    where a CJK stop stands, where white space follows a stop with only closers between (the stop
    run, its closers, then white space), or where a run of white space holds two line feeds. A
    gap's last character is followed by a word's first, neither white space nor a stop.
    """
    out = np.zeros(len(starts), np.uint8)
    top = len(marks)
    prev = 0
    for k in range(len(starts)):
        m = np.uint8(0)
        end = False
        after_stop = False  # the last character that was no closer was a stop
        lines = 0  # line feeds in the current run of white space
        for i in range(prev, starts[k]):
            c = cps[i]
            if c < top:
                m |= marks[c]
            cls = end_class[c] if c < len(end_class) else OTHER
            if cls == STOP:
                after_stop = True
                lines = 0
            elif cls == CLOSER:
                lines = 0
            elif SPACE <= cls <= NEWLINE:
                end |= after_stop
                after_stop = False
                if cls == NEWLINE:
                    lines += 1
                    end |= lines >= 2
            elif cls == CJK_STOP:
                end = True
            else:
                after_stop = False
                lines = 0
        out[k] = m | end_mark if end else m
        prev = ends[k]
    return out


@numba.njit(cache=True)
def title_stops(cps, starts, ends, cuts, end_class, titles):
    """Per token number of ``cuts`` (each after the first of its text): 1 where the word before it
    ends in a title or an initial and a full stop followed by white space, with the title's start
    or a non-word ASCII character before it (``sentences._ABBREVIATION``'s reading); 2 where only a
    non-ASCII character before a title leaves that open (the caller asks the pattern); else 0.

    ``titles``: the titles packed as ``sentences._TITLE_KEYS`` packs them (a byte a letter, the first
    lowest), each with its length above bit 40, sorted. White space is the class table's
    (``end_class``: none lies above U+FFFF).
    """
    out = np.zeros(len(cuts), np.uint8)
    n = len(cps)
    for m in range(len(cuts)):
        word = cuts[m] - 1
        e = ends[word]  # the character after the word
        if cps[e] != 46 or e + 1 >= n:
            continue
        after = cps[e + 1]
        if after >= len(end_class) or not (SPACE <= end_class[after] <= NEWLINE):
            continue
        for k in range(1, 5):
            if e - k < starts[word] or cps[e - k] >= 128:
                break
            packed = 0
            for j in range(k):
                packed |= np.int64(cps[e - k + j]) << (8 * j)
            packed |= np.int64(k) << 40
            at = np.searchsorted(titles, packed)
            if at == len(titles) or titles[at] != packed:
                continue
            if e - k == 0:
                out[m] = 1
                break
            before = cps[e - k - 1]
            if before >= 128:
                out[m] = 2
            elif not (48 <= before <= 57 or 65 <= before <= 90 or 97 <= before <= 122 or before == 95):
                out[m] = 1
                break
    return out
