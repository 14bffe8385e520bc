"""The talking-points development bench: candidates ranked, and the selection's curve."""
from __future__ import annotations

from benchmarks.talking_dev import BARS, seeds
from reuse.config import ReuseConfig
from tests.conftest import ROOT


def test_seeds_bench_ranks_candidates_and_draws_the_selections_curve():
    out = seeds(ROOT, ReuseConfig())
    assert 0 < out["right"] < out["candidates"] and 0.5 < out["cosine_auc"] <= 1
    curve = out["curve"]
    assert [p["bar"] for p in curve] == list(BARS)
    # a higher bar reports fewer passages and finds fewer labelled pairs
    assert [p["reported"] for p in curve] == sorted((p["reported"] for p in curve), reverse=True)
    assert [p["recall"] for p in curve] == sorted((p["recall"] for p in curve), reverse=True)
