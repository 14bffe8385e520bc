"""Two verbatim copies, reordered, are two verbatim passages with exact offsets (issue 14, item 2)."""
from __future__ import annotations

import pytest

from reuse.config import ReuseConfig
from reuse.model import Document
from reuse.stages.align.aligner import align_documents
from reuse.stages.align.filter import Span, crossing
from reuse.text.tokens import tokenize

S1 = ("The regional water authority confirmed on Tuesday that the northern reservoir had fallen to its lowest "
      "level since records began in 1952")
S2 = ("Engineers warned that without substantial rainfall before October the city would have to introduce strict "
      "rationing for households and farms")
LONGER = ", according to figures released by the national statistics office this week"


def _pair(s1: str, s2: str) -> tuple[str, str]:
    old = (f"Officials met in the capital to discuss the drought. {s1}. Local farmers described the situation as "
           f"desperate and asked for help. Several ministers visited the affected districts over the weekend. {s2}. "
           "The opposition criticised the government for its slow response.")
    new = (f"A new report published yesterday paints a grim picture of the summer ahead. {s2}. Analysts at the bank "
           f"expect food prices to rise sharply. Tourism operators are also worried about cancellations this year. "
           f"{s1}. The ministry has promised a full statement next week.")
    return old, new


def _align(a: str, b: str, config: ReuseConfig):
    return align_documents(Document("old", a), tokenize(a), Document("new", b), tokenize(b), config)


@pytest.mark.parametrize("s1", [S1, S1 + LONGER], ids=["short copies", "passage-length copies"])
def test_reordered_verbatim_copies_are_two_verbatim_passages(s1):
    old, new = _pair(s1, S2)
    passages = _align(old, new, ReuseConfig())
    assert [(p.kind, p.text_a) for p in passages] == [("verbatim", s1), ("verbatim", S2)]
    for p in passages:
        assert old[p.a_start:p.a_end] == p.text_a == p.text_b == new[p.b_start:p.b_end]


def test_adjacent_swapped_copies_are_not_merged():
    old, new = f"{S1}. {S2}.", f"{S2}. {S1}."
    assert sorted((p.kind, p.text_a) for p in _align(old, new, ReuseConfig())) == [("verbatim", S2), ("verbatim", S1)]


def test_merge_reordered_keeps_a_shuffled_passage_whole_as_pan_annotates_it():
    old, new = _pair(S1, S2)
    [merged] = _align(old, new, ReuseConfig(merge_reordered=True))
    assert merged.text_a.startswith(S1) and merged.text_a.endswith(S2)


def test_crossing():
    first, second = Span(0, 9, 50, 59, 1.0), Span(20, 29, 0, 9, 1.0)
    assert crossing([first, second]) and crossing([second, first])
    assert not crossing([first, Span(20, 29, 70, 79, 1.0)])
    assert not crossing([first, Span(5, 15, 0, 9, 1.0)])  # overlapping runs are one edit, not a reorder
