import numpy as np

from reuse.text.normalize import normalize, token_hash
from reuse.text.stopwords import CLAIM_STOP_WORDS, FUNCTION_WORDS, STOP_WORDS, is_stop_id, is_term


def test_the_three_bars_are_drawn_from_one_list():
    assert FUNCTION_WORDS < STOP_WORDS < CLAIM_STOP_WORDS
    assert "said" in CLAIM_STOP_WORDS and "said" not in STOP_WORDS
    assert "fire" in STOP_WORDS and "fire" not in FUNCTION_WORDS  # a content word the list holds


def test_terms_and_stop_ids_agree_with_the_list():
    words = ["the", "albania", "x", "of", "expelled"]
    assert [is_term(w) for w in words] == [False, True, False, False, True]
    ids = np.array([token_hash(normalize(w)) for w in words], dtype=np.uint64)
    assert is_stop_id(ids).tolist() == [w in STOP_WORDS for w in words]
