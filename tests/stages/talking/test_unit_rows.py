"""Unit rows: a window's entries derived from its sentences' when read, compiled as in numpy."""
from __future__ import annotations

import numpy as np
import pytest

import reuse.jit
from reuse.stages.talking.unit_rows import UnitRows
from reuse.stages.talking.units import ENTRY_NAME, count_batch, merge, units_batch
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_C, TOPIC_A, TOPIC_B, TWO_SENTENCES

# a name written whole in one sentence and in part in the next: the window takes the shorter phrase's entry
NAMES = ("The envoy met Maria Lopez Garcia in the capital on Friday. The talks with Lopez went well, "
         "aides to Lopez said. Reporters asked Maria Lopez Garcia about the deal.")
TEXTS = [ARTICLE_A, TWO_SENTENCES, TOPIC_A, TOPIC_B, ARTICLE_C, TOPIC_A + " " + ARTICLE_A, NAMES]


def _rows(window: int) -> UnitRows:
    counts = count_batch(TEXTS, [-1] * len(TEXTS), 3)
    model, _, _ = merge([counts], min_docs=2, background_share=0.25)
    units = units_batch(counts.readings, [np.empty((0, 2), np.int64)] * len(TEXTS), model, window=window)
    return UnitRows.of(units, model.idf)


def _reference(u: UnitRows, r: int) -> list[tuple]:
    """Row ``r`` as the rule says, one entry at a time: per term its sentences' entry of the shortest
    name phrase (the first sentence's of equals); a window's weight is ``discount * idf / norm``."""
    first, last = (int(x[0]) for x in u.sentences(np.array([r])))
    best: dict[int, int] = {}
    for e in range(int(u.indptr[first]), int(u.indptr[last + 1])):
        t = int(u.terms[e])
        if t not in best or u.phrase[e] < u.phrase[best[t]]:
            best[t] = e
    out = []
    for t in sorted(best):
        e = best[t]
        discount = 1.0 / np.sqrt(float(u.phrase[e])) if u.flags[e] & ENTRY_NAME else 1.0
        w = u.weights[e] if first == last else np.float32(discount * u.idf[t] / u.norm[r])
        out.append((t, np.float32(w), int(u.pos[e]), int(u.flags[e])))
    return out


@pytest.mark.parametrize("window", [2, 3])
@pytest.mark.parametrize("compiled", [True, False])
def test_a_windows_row_is_its_sentences_strongest_entries_reweighted(monkeypatch, window, compiled):
    monkeypatch.setattr(reuse.jit, "ENABLED", compiled and reuse.jit.ENABLED)
    u = _rows(window)
    table = u.block(0, u.n_rows)
    windows = np.flatnonzero(u.spans[:, 1] != u.spans[:, 0])
    assert len(windows) > 10 and np.all(np.diff(u.indptr)[windows] == 0)  # nothing of a window is stored
    assert (np.diff(table.indptr)[windows] > 0).all()
    assert (u.phrase > 1).any() and ((u.flags & ENTRY_NAME) > 0).sum() > 10
    for r in range(u.n_rows):
        e = slice(int(table.indptr[r]), int(table.indptr[r + 1]))
        got = list(zip(table.terms[e].tolist(), table.weights[e], table.pos[e].tolist(), table.flags[e].tolist()))
        assert got == _reference(u, r), r
    assert table.weights.dtype == np.float32


def test_rows_made_compiled_and_in_numpy_are_the_same_bit_for_bit(monkeypatch):
    u = _rows(3)
    rows = np.random.default_rng(4).integers(0, u.n_rows, size=300)  # any order, repeats
    got = {}
    for compiled in (True, False):
        monkeypatch.setattr(reuse.jit, "ENABLED", compiled and reuse.jit.ENABLED)
        got[compiled] = u.gather(rows)
    for f in ("indptr", "terms", "weights", "pos", "flags"):
        a, b = getattr(got[True], f), getattr(got[False], f)
        assert a.dtype == b.dtype and np.array_equal(a, b), f
    whole = u.block(0, u.n_rows)
    ends = whole.indptr[rows + 1] - whole.indptr[rows]
    assert np.array_equal(np.diff(got[True].indptr), ends)  # each row as the block gives it
