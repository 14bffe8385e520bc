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
