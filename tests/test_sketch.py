import numpy as np
from datasketch import MinHash, MinHashLSH

from reuse.stages.sketch import (
    band_keys,
    batch_window_signatures,
    candidate_pairs,
    lsh_params,
    minhash,
    window_signatures,
)
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


def test_window_signatures_cover_document_signature():
    h32 = np.arange(100, dtype=np.uint32) * 7919
    doc, wins = window_signatures(h32, stride=10, num_perm=32, seed=1)
    assert np.array_equal(doc, minhash(h32, num_perm=32, seed=1))
    assert wins.shape == (9, 32)
    assert np.array_equal(wins[0], minhash(h32[:20], num_perm=32, seed=1))


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


def test_batch_window_signatures_equal_window_signatures_per_document():
    rng = np.random.default_rng(3)
    lengths = [0, 1, 5, 19, 20, 21, 39, 40, 41, 100, 0, 3]  # empty, one block, block edges, many blocks
    parts = [rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32) for n in lengths]
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    for use_numba in (None, False):
        docs, wins, woff = batch_window_signatures(np.concatenate(parts), offsets, stride=20, num_perm=64, seed=1,
                                                   use_numba=use_numba)
        assert len(docs) == len(lengths) and woff[-1] == len(wins)
        for k, h in enumerate(parts):
            doc, win = window_signatures(h, stride=20, num_perm=64, seed=1)
            assert docs[k].tolist() == doc.tolist()
            assert wins[woff[k] : woff[k + 1]].tolist() == win.tolist()
