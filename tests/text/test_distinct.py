"""Distinct keys and each key's index among them: the hash-table kernel and its sorting twin agree with np.unique."""
from __future__ import annotations

import numpy as np
import pytest

import reuse.jit
from reuse.text import distinct as d


@pytest.mark.parametrize("compiled", [True, False])
def test_distinct_is_np_unique_with_an_occurrence_of_each(monkeypatch, compiled):
    monkeypatch.setattr(d, "ENABLED", compiled and reuse.jit.ENABLED)
    rng = np.random.default_rng(1)
    cases = [
        rng.integers(0, 2**63, 3000).astype(np.uint64)[rng.integers(0, 3000, 20_000)],  # token ids: a table that grows
        rng.integers(0, 50, 1000),  # small non-negative int64 keys
        np.array([2**64 - 1, 1, 2**63, 1], dtype=np.uint64),  # compared unsigned
        np.array([7]),
        np.empty(0, np.int64),
    ]
    for keys in cases:
        uniq, first, inverse = d.distinct(keys)
        u, inv = np.unique(keys, return_inverse=True)
        assert uniq.dtype == keys.dtype and np.array_equal(uniq, u) and np.array_equal(inverse, inv.ravel())
        assert np.array_equal(keys[first], uniq)
