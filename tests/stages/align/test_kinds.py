"""Passage kinds and run-stretched edges: what the runs inside a passage say, the same with or without numba."""
import numpy as np
import pytest

from reuse.stages.align import kinds
from reuse.stages.align.filter import Span


def test_one_run_holding_the_passage_is_verbatim_and_edits_make_it_fuzzy():
    runs = np.array([[0, 9, 5, 14], [12, 19, 17, 24]], np.int64)
    whole, edited, loose = Span(0, 9, 5, 14, 0.5), Span(0, 19, 5, 24, 0.5), Span(30, 39, 30, 39, 0.4)
    assert kinds.classify([whole, edited, loose], runs, 40, 40) == [
        ("verbatim", 1.0, 10), ("fuzzy", 36 / 40, 18), ("paraphrase", 0.4, 0)]


def test_a_passage_is_stretched_over_a_run_crossing_its_edge_only():
    runs = np.array([[5, 14, 5, 14], [30, 31, 30, 31]], np.int64)
    cut, apart = Span(0, 9, 0, 9, 0.6), Span(29, 40, 29, 40, 0.6)
    stretched, kept = kinds.cover_runs([cut, apart], runs, 5)
    assert (stretched.a_first, stretched.a_last, stretched.b_last) == (0, 14, 14) and kept is apart


def test_kernels_give_the_twins_arrays():
    pytest.importorskip("numba")
    if kinds._kernels() is None:
        pytest.skip("numba switched off")
    run_cover, stretch = kinds._kernels()
    rng = np.random.default_rng(2)
    for trial in range(300):
        n = 60
        r0, s0 = rng.integers(0, n - 10, 8), rng.integers(0, n - 10, 8)
        size = rng.integers(1, 10, 8)
        runs = np.stack((r0, r0 + size - 1, s0, s0 + size - 1), axis=1).astype(np.int64)[: int(rng.integers(0, 8))]
        b0, c0 = rng.integers(0, n - 15, 5), rng.integers(0, n - 15, 5)
        boxes = np.stack((b0, b0 + rng.integers(0, 15, 5), c0, c0 + rng.integers(0, 15, 5)), axis=1).astype(np.int64)
        for got, want in zip(run_cover(boxes, runs, n, n), kinds._run_cover(boxes, runs, n, n)):
            assert np.array_equal(got, want), trial
        words = int(rng.integers(1, 6))
        assert np.array_equal(stretch(boxes, runs, words), kinds._stretch(boxes, runs, words)), trial
