import numpy as np
from datasketch import MinHash, MinHashLSH

from reuse.stages.candidates import candidate_pairs
from reuse.stages.minhash import band_keys, lsh_params, minhash
from reuse.text.shingle import hash32, shingle_hashes
from reuse.text.tokens import tokenize


def _datasketch_signature(h32, num_perm, seed):
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x)
    m.update_batch([int(x) for x in h32])
    return m


def test_signature_equals_datasketch_minhash_for_same_hash_seed_and_num_perm():
    h32 = hash32(shingle_hashes(tokenize("the quick brown fox jumps over the lazy dog " * 3).ids, 3))
    for num_perm, seed in [(128, 1), (64, 7)]:
        ours = minhash(h32, num_perm=num_perm, seed=seed)
        theirs = _datasketch_signature(h32, num_perm, seed)
        assert np.array_equal(ours, theirs.hashvalues)
        # and datasketch accepts ours back
        loaded = MinHash(hashvalues=ours, seed=seed, scheme="affine32")
        assert loaded.jaccard(theirs) == 1.0


def test_empty_set_signature_is_datasketch_empty():
    assert np.array_equal(minhash(np.empty(0, np.uint32), num_perm=16, seed=1), MinHash(num_perm=16).hashvalues)


def test_lsh_params_are_the_bands_and_rows_datasketch_chooses():
    for threshold, num_perm in [(0.5, 128), (0.3, 128), (0.8, 64), (0.2, 256), (0.5, 16)]:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert lsh_params(threshold, num_perm) == (lsh.b, lsh.r)


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
