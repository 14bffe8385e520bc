import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from reuse.stages.minhash import batch_minhash, lsh_params, minhash
from reuse.text.shingle import batch_shingles, hash32, shingle_hashes
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
    lsh = MinHashLSH(threshold=0.5, num_perm=128)  # the defaults, through the public class
    assert lsh_params(0.5, 128) == (lsh.b, lsh.r)
    for threshold in (0.1, 0.2, 0.3, 0.5, 0.8, 0.95):  # and the optimiser it calls, where it also takes b < 2
        for num_perm in (16, 64, 128, 256):
            assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5), (threshold, num_perm)


def test_batch_shingles_and_signatures_equal_per_document_ones():
    rng = np.random.default_rng(0)
    lens = rng.integers(0, 300, 60)
    lens[3] = 0
    lens[4] = 4
    offsets = np.concatenate(([0], np.cumsum(lens)))
    ids = rng.integers(0, 2**63, offsets[-1], dtype=np.int64).astype(np.uint64)
    sh, sh_off = batch_shingles(ids, offsets, 5)
    sigs = batch_minhash(hash32(sh), sh_off, num_perm=64, seed=3)
    for d in range(len(lens)):
        one = shingle_hashes(ids[offsets[d] : offsets[d + 1]], 5)
        assert np.array_equal(sh[sh_off[d] : sh_off[d + 1]], one)
        assert np.array_equal(sigs[d], minhash(hash32(one), num_perm=64, seed=3))
