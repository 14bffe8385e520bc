"""Seed clustering: bands of seeds become groups with their unit ranges, the same with or without numba."""
import numpy as np
import pytest

from reuse.stages.align import extend as ex


def _as_sets(groups):
    return sorted((tuple(sorted(map(tuple, g.tolist()))), a, b) for g, a, b in groups)


def test_two_bands_far_apart_are_two_groups_with_their_ranges():
    # a passage at units 2-4 of A / 10-12 of B, another at 20-21 / 1-2, and a stray seed far from both
    seeds = np.array([[2, 10], [3, 11], [4, 12], [20, 1], [21, 2], [40, 40]], np.int64)
    groups = ex.cluster_seeds(seeds, 1, 1)
    assert [(a, b) for _, a, b in sorted(groups, key=lambda g: g[1])] == [
        ((2, 4), (10, 12)), ((20, 21), (1, 2)), ((40, 40), (40, 40))]


def test_a_gap_on_one_side_only_still_splits():
    # close on side B (units 5 and 6), far apart on side A: two groups
    seeds = np.array([[0, 5], [9, 6]], np.int64)
    assert len(ex.cluster_seeds(seeds, 2, 2)) == 2
    assert len(ex.cluster_seeds(seeds, 9, 2)) == 1


def test_no_seeds_no_groups():
    assert ex.cluster_seeds(np.empty((0, 2), np.int64), 3, 3) == []


def test_kernel_makes_the_twins_groups():
    pytest.importorskip("numba")
    from reuse.stages.align.extend_kernel import split_groups

    rng = np.random.default_rng(5)
    for trial in range(300):
        m = int(rng.integers(1, 60))
        seeds = rng.integers(0, 40, size=(m, 2)).astype(np.int64)
        ga, gb = int(rng.integers(0, 5)), int(rng.integers(0, 5))
        order, bounds, ranges = split_groups(seeds, ga, gb)
        got = [(seeds[order[lo:hi]], (r[0], r[1]), (r[2], r[3])) for (lo, hi), r in zip(bounds.tolist(), ranges.tolist())]
        twin = [(g, *ex._ranges(g)) for g in ex._split_groups(seeds, ga, gb)]
        assert _as_sets(got) == _as_sets(twin), trial
        assert sorted(order.tolist()) == list(range(m))  # every seed in exactly one group


def _pair_rows():
    from reuse.stages.align.seed import raw_rows
    from reuse.stages.align.units import sentence_units
    from reuse.text.tokens import tokenize
    from tests.stages.align.test_aligner import FILLER_A, FILLER_B, OBFUSCATED, PARAPHRASE, SOURCE

    a, b = FILLER_A + SOURCE + FILLER_B, PARAPHRASE + FILLER_B + OBFUSCATED
    ua, ub = (sentence_units(t, tokenize(t), min_terms=3, max_words=60) for t in (a, b))
    return raw_rows(ua, ub), len(ua), len(ub)


def test_compiled_extension_gives_the_twins_clusters_and_similarities():
    pytest.importorskip("numba")
    from reuse.stages.align.seed import fragment_similarity

    space, na, nb = _pair_rows()
    rng = np.random.default_rng(3)
    for trial in range(200):
        m = int(rng.integers(1, 30))
        seeds = np.stack((rng.integers(0, na, m), rng.integers(0, nb, m)), axis=1).astype(np.int64)
        settings = dict(gap_a=int(rng.integers(0, 4)), gap_b=int(rng.integers(0, 8)), min_gap=int(rng.integers(0, 2)),
                        min_similarity=float(rng.uniform(0.05, 0.6)))
        compiled = ex.extend(seeds, space=space, **settings)
        twin = ex.extend(seeds, similarity=lambda a, b: fragment_similarity(space, a, b), **settings)
        assert [(c.seeds.tolist(), c.a, c.b, c.similarity) for c in compiled] == \
            [(c.seeds.tolist(), c.a, c.b, c.similarity) for c in twin], trial


def test_compiled_grow_and_trim_give_the_twins_ranges_and_cosine(monkeypatch):
    pytest.importorskip("numba")
    space, na, nb = _pair_rows()
    rng = np.random.default_rng(4)
    for trial in range(200):
        a0, b0 = int(rng.integers(0, na)), int(rng.integers(0, nb))
        a, b = (a0, int(rng.integers(a0, na))), (b0, int(rng.integers(b0, nb)))
        settings = dict(grow_steps=[None, 0, 1, 3][trial % 4], grow_min_gain=float(rng.choice([1e-6, 0.01])),
                        trim_a=bool(rng.integers(0, 2)), trim_b=bool(rng.integers(0, 2)))
        monkeypatch.setattr(ex, "ENABLED", True)
        compiled = ex.fit(a, b, space, **settings)
        monkeypatch.setattr(ex, "ENABLED", False)
        assert compiled == ex.fit(a, b, space, **settings), trial
