import numpy as np

from reuse.text.shingle import hash32, shingle_hashes
from reuse.text.tokens import tokenize


def test_one_shingle_per_position_and_none_for_short_texts():
    ids = tokenize("one two three four five six").ids
    assert len(shingle_hashes(ids, 3)) == 4
    assert len(shingle_hashes(ids[:2], 3)) == 0


def test_equal_word_sequences_give_equal_hashes_and_order_matters():
    a = shingle_hashes(tokenize("alpha beta gamma").ids, 3)
    b = shingle_hashes(tokenize("ALPHA beta gamma").ids, 3)
    c = shingle_hashes(tokenize("gamma beta alpha").ids, 3)
    assert a[0] == b[0] and a[0] != c[0]


def test_hash32_fits_datasketch_affine32_width():
    h = hash32(shingle_hashes(tokenize("a b c d e f g").ids, 2))
    assert h.dtype == np.uint32
