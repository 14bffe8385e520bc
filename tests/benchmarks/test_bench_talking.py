"""The talking-points benchmark's judges: gold through a third document, and shared word runs."""
from __future__ import annotations

from collections import namedtuple

from benchmarks.bench_talking import _shared_run, _transitive
from reuse.model import Passage

Case = namedtuple("Case", "this_offset this_length source_offset source_length")


def _para(doc_a: str, a: tuple[int, int], doc_b: str, b: tuple[int, int], text_a: str = "", text_b: str = "") -> Passage:
    return Passage(doc_a, *a, doc_b, *b, "paraphrase", 0.3, text_a, text_b)


def test_two_suspicious_documents_reusing_one_source_range_are_right_through_it():
    # x and y both reuse source s: x[100:200] <- s[0:100], y[500:600] <- s[50:150]
    by_susp = {"x": [("s", Case(100, 100, 0, 100))], "y": [("s", Case(500, 100, 50, 100))]}
    by_src = {"s": [("x", by_susp["x"][0][1]), ("y", by_susp["y"][0][1])]}
    assert _transitive(_para("x", (120, 180), "y", (510, 590)), by_susp, by_src)
    assert not _transitive(_para("x", (0, 50), "y", (510, 590)), by_susp, by_src)  # outside x's case
    # two sources reused side by side in x: s[0:100] and t[0:80] both land on x[100:200]
    by_susp["x"].append(("t", Case(150, 50, 0, 80)))
    by_src["t"] = [("x", by_susp["x"][1][1])]
    assert _transitive(_para("s", (10, 90), "t", (0, 40)), by_susp, by_src)
    assert not _transitive(_para("s", (10, 90), "u", (0, 40)), by_susp, by_src)


def test_a_shared_word_run_is_copied_text_and_shared_words_alone_are_not():
    a = "Mapleview Farm Ice Cream store on right at intersection of Dairyland"
    assert _shared_run(a, "the Farm Ice Cream store on right is open", 5)
    assert not _shared_run(a, "an ice cream farm store, right at the intersection", 5)
