"""Boilerplate lines: the clipped rows answer as all of them, however they are cut and joined."""
from __future__ import annotations

import numpy as np

from reuse.stages.talking.boilerplate import Lines, boilerplate, clip_lines


def _lines() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    h = rng.integers(0, 30, 400).astype(np.uint64)
    return h, np.where(h < 10, 3, rng.integers(0, 3, 400))  # lines 0..9 of one source, the rest of one to three


def test_clipped_lines_answer_the_boilerplate_question_as_all_of_them():
    h, src = _lines()
    halves = [clip_lines(h[:200], src[:200], 4), clip_lines(h[200:], src[200:], 4)]
    clipped = clip_lines(np.concatenate([x for x, _ in halves]), np.concatenate([s for _, s in halves]), 4)
    want = boilerplate(h, src, 4)
    assert len(clipped[0]) < len(h) and np.array_equal(boilerplate(*clipped, 4), want)
    assert len(want) > 0 and set(want.tolist()) != set(h.tolist())


def test_lines_compacted_as_they_grow_keep_the_same_answer(monkeypatch):
    import reuse.stages.talking.boilerplate as bp

    h, src = _lines()
    monkeypatch.setattr(bp, "COMPACT_ROWS", 30)
    lines = Lines(4)
    for k in range(0, 400, 40):
        lines.add(h[k : k + 40], src[k : k + 40])
    assert lines.rows <= 30 * 4 + 40 < len(h) and np.array_equal(boilerplate(*lines.total(), 4), boilerplate(h, src, 4))
