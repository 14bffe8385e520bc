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
    assert lines.rows <= 2 * 30 * 4 + 40 < len(h) and np.array_equal(boilerplate(*lines.total(), 4), boilerplate(h, src, 4))


def test_lines_seen_once_are_not_sorted_again_at_every_batch(monkeypatch):
    """Distinct lines survive every clip: compacting whenever the rows pass a fixed bound re-sorted
    them all at each batch (a 1M-article scan's merge stalled on it); the bound grows with them."""
    import reuse.stages.talking.boilerplate as bp

    calls = []
    monkeypatch.setattr(bp, "COMPACT_ROWS", 100)
    monkeypatch.setattr(bp, "clip_lines", lambda h, s, m: calls.append(len(h)) or clip_lines(h, s, m))
    lines = bp.Lines(2)
    h = np.arange(10_000, dtype=np.uint64)  # every line in one document: nothing clips away
    for k in range(0, len(h), 50):
        lines.add(h[k : k + 50], np.full(50, k, np.int64))
    compactions = sum(n > 50 for n in calls)
    assert compactions <= 8  # 100, 200, ..., 6,400 rows: log2(10,000 / 100) + 1
    assert np.array_equal(np.sort(lines.total()[0]), h)
