import numpy as np
from datasketch import MinHashLSH

from reuse.stages.candidates import (
    ALIGN,
    LIST,
    VERIFY,
    anchor_pairs,
    candidate_pairs,
    common_sorted,
    grouped,
    pairs_from_codes,
    pairs_sharing,
    pairs_to_score,
    union_pairs,
)
from reuse.stages.minhash import band_keys, lsh_params, minhash
from reuse.stages.sketch import DOC_MASK
from tests.stages.test_minhash import _datasketch_signature


def test_banding_finds_the_same_candidates_as_datasketch_lsh():
    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**32, 200, dtype=np.uint64).astype(np.uint32)
    sets = [base, np.concatenate([base[:150], rng.integers(0, 2**32, 50, dtype=np.uint64).astype(np.uint32)])]
    sets += [rng.integers(0, 2**32, 200, dtype=np.uint64).astype(np.uint32) for _ in range(6)]
    b, r = lsh_params(0.5, 128)
    sigs = np.stack([minhash(s, num_perm=128, seed=1) for s in sets])
    ours = {tuple(p) for p in candidate_pairs(band_keys(sigs, bands=b, rows=r), np.arange(len(sets)), max_bucket=100)}
    lsh = MinHashLSH(num_perm=128, params=(b, r))
    mh = [_datasketch_signature(s, 128, 1) for s in sets]
    for k, m in enumerate(mh):
        lsh.insert(k, m)
    theirs = {tuple(sorted((k, x))) for k, m in enumerate(mh) for x in lsh.query(m) if x != k}
    assert ours == theirs and (0, 1) in ours


def test_anchors_join_documents_sharing_enough_of_them_and_boilerplate_joins_nothing():
    def key(anchor: int, doc: int) -> int:
        return (anchor << 40) | doc

    keys = [key(1, 0), key(1, 1), key(2, 0), key(2, 1), key(3, 1), key(3, 2)]  # 0 and 1 share two anchors
    keys += [key(9, d) for d in range(5)]  # an anchor in five documents: boilerplate at max_df 4
    codes = anchor_pairs(np.array(keys, dtype=np.uint64), 5, 4)
    assert pairs_from_codes([codes], n_docs=5, min_count=2).tolist() == [[0, 1]]
    assert pairs_from_codes([codes], n_docs=5, min_count=1).tolist() == [[0, 1], [1, 2]]
    assert int(DOC_MASK) < (1 << 40)


def test_pairs_with_evidence_are_aligned_candidates_verified_and_neighbours_listed():
    found = np.array([[0, 1], [1, 3]])
    runs = np.array([[0, 1], [2, 3]])
    listed = np.array([[0, 2], [1, 3], [2, 3]])
    pairs, how = pairs_to_score(found, runs, 4, listed)
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 3], [2, 3]] and how.tolist() == [ALIGN, LIST, VERIFY, ALIGN]
    pairs, how = pairs_to_score(found, runs, 4)
    assert pairs.tolist() == [[0, 1], [1, 3], [2, 3]] and how.tolist() == [ALIGN, VERIFY, ALIGN]
    assert union_pairs(found, found, 4).tolist() == found.tolist()


def test_pairs_sharing_a_key_come_from_an_inverted_index():
    keys = [np.array([1, 2, 2], np.uint64), np.array([2, 3], np.uint64), np.array([3, 4], np.uint64),
            np.array([5], np.uint64), np.array([3], np.uint64)]
    every = pairs_sharing(keys)
    assert every.tolist() == [[0, 1], [1, 2], [1, 4], [2, 4]]
    # Key 3 is held by three documents: with max_docs 2 only key 2 pairs anything.
    assert pairs_sharing(keys, max_docs=2).tolist() == [[0, 1]]
    for q in range(len(keys)):
        assert pairs_sharing(keys, with_row=q).tolist() == [p for p in every.tolist() if q in p]
    assert pairs_sharing(keys[:1]).shape == (0, 2)


def test_grouped_and_common_sorted_are_numpys_unique_and_intersection():
    rng = np.random.default_rng(3)
    for n in (0, 1, 7, 500):
        keys = rng.integers(0, 40, n)
        want = np.unique(keys, return_index=True, return_counts=True)
        for shift in (0, 1 << 61):  # packed below the key, or (too wide to pack) a stable argsort
            distinct, first, counts = grouped(keys + shift)
            assert np.array_equal(distinct, want[0] + shift)
            assert np.array_equal(first, want[1]) and np.array_equal(counts, want[2])
        a, b = np.unique(rng.integers(0, 60, n)), np.unique(rng.integers(0, 60, n))
        want = np.intersect1d(a, b, assume_unique=True, return_indices=True)[1:]
        assert all(np.array_equal(g, w) for g, w in zip(common_sorted(a, b), want))
