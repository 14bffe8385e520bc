"""The batch reading's kernel: the sentence ends it finds in the gaps between words are the whole-text pass's."""
from __future__ import annotations

import numpy as np
import pytest

from reuse.jit import ENABLED
from reuse.text.tokens import tokenize

pytestmark = pytest.mark.skipif(not ENABLED, reason="numba not installed: the pattern itself runs")


def test_a_gap_holds_an_end_where_the_whole_text_pass_finds_one():
    from reuse.stages.talking.reading_kernel import gap_marks
    from reuse.text.sentence_ends import CLASS, end_positions

    rng = np.random.default_rng(11)
    alphabet = ["word", "Mr", "東", "é", " ", " ", "\n", "\n\n", " \n \n", "\r\n", "\t", "\u3000", "\xa0", ".", "...", "!",
                "?", "…", "。", "｡", '"', "'", "”", ")", "]", "」", ",", "-", "😀", "\x00"]
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(1, 40)))) for _ in range(2000)]
    found = 0
    for text in texts:
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        tokens = tokenize(text)
        at = end_positions(cps, CLASS)
        want = np.searchsorted(at, tokens.starts) > np.searchsorted(at, np.r_[0, tokens.ends[:-1]])  # an end in the gap
        got = gap_marks(cps, tokens.starts, tokens.ends, np.zeros(1, np.uint8), CLASS, 8) == 8
        assert np.array_equal(got, want), repr(text)
        found += int(want.sum())
    assert found > 1000


def test_titles_before_stops_are_the_numpy_readings():
    from reuse.stages.talking import sentences
    from reuse.stages.talking.reading_kernel import title_stops
    from reuse.text.scan import scan_batch
    from reuse.text.sentence_ends import CLASS

    rng = np.random.default_rng(5)
    parts = ["Mr.", "Dr.", "Prof.", "S.", "A.", "etc.", "vs.", "x_Dr.", "3Dr.", "éDr.", "中Mr.", "\u0301A.", "Hello.", "e.g.",
             "Sgt.", "MrS.", " ", " ", "\n", "\t", "\xa0", "\u2003", "\x1c", "word", ".", "-", "(", '"']
    texts = ["".join(rng.choice(parts, size=int(rng.integers(0, 50)))) for _ in range(400)]
    _, cps, _, (starts, ends, _, _) = scan_batch(texts)
    cuts = np.arange(1, len(starts))
    found = title_stops(cps, starts, ends, cuts, CLASS, sentences._TITLE_TABLE)
    want = sentences._title_stops(cps, starts, ends, cuts)
    assert np.array_equal(found == 1, want & (found != 2)) and not (found == 1)[~want].any()
    assert (found == 1).sum() > 500 and (found == 2).sum() > 10 and want[found == 2].any() and not want[found == 2].all()
