import numpy as np

from reuse.text.scan import batch_token_ids
from tests.oracle import TRICKY, random_texts, reference_tokenize


def test_batch_token_ids_equal_the_reference_ids_on_tricky_unicode():
    texts = TRICKY + random_texts(200)
    ids, offsets = batch_token_ids(texts)
    for d, text in enumerate(texts):
        assert np.array_equal(ids[offsets[d] : offsets[d + 1]], reference_tokenize(text).ids), repr(text)
