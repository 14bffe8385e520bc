import random

import numpy as np
import xxhash

from reuse.text import xxh3


def test_xxh3_matches_xxhash_for_every_length_class():
    rng = random.Random(1)
    strs = [bytes(rng.randrange(256) for _ in range(n)) for n in list(range(1, 129)) * 8]
    buf = np.frombuffer(b"".join(strs) + bytes(16), dtype=np.uint8)
    lens = np.array([len(s) for s in strs])
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    want = np.array([xxhash.xxh3_64_intdigest(s) for s in strs], dtype=np.uint64)
    short = lens <= 16
    assert np.array_equal(xxh3.xxh3_short(buf, starts[short], lens[short]), want[short])
    if xxh3.HAVE_NUMBA:
        got = np.array([xxh3.xxh3_scalar(buf, int(s), int(n)) for s, n in zip(starts, lens)], dtype=np.uint64)
        assert np.array_equal(got, want)
