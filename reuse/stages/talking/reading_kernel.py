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
