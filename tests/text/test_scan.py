import numpy as np

from reuse.text.scan import batch_token_ids, scan_batch
from tests.oracle import TRICKY, random_texts, reference_tokenize


def test_batch_token_ids_equal_the_reference_ids_on_tricky_unicode():
    texts = TRICKY + random_texts(200)
    ids, offsets = batch_token_ids(texts)
    for d, text in enumerate(texts):
        assert np.array_equal(ids[offsets[d] : offsets[d + 1]], reference_tokenize(text).ids), repr(text)


def test_a_scanned_batch_holds_each_texts_words_at_its_offset():
    texts = TRICKY + random_texts(100, seed=2)
    joined, cps, text_at, (starts, ends, ids, _) = scan_batch(texts)
    assert len(cps) == len(joined) == sum(len(t) for t in texts) + len(texts) - 1
    doc = np.searchsorted(text_at, starts, side="right") - 1
    for d, text in enumerate(texts):
        ref = reference_tokenize(text)
        assert joined[text_at[d] : text_at[d] + len(text)] == text
        assert np.array_equal(starts[doc == d] - text_at[d], ref.starts) and np.array_equal(ends[doc == d] - text_at[d], ref.ends)
        assert np.array_equal(ids[doc == d], ref.ids), repr(text)
