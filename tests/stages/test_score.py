import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from reuse.stages.score import (
    PARAPHRASE_FLOOR,
    TOPIC_WEIGHT,
    Idf,
    all_pair_cosines,
    cosine_and_terms,
    headline,
    neighbour_pairs,
    pair_cosines,
    passage_weight,
    set_overlap,
    term_vector,
    weighted_coverage,
)
from reuse.text.stopwords import is_term
from reuse.text.tokens import tokenize

TEXTS = ["The Albania expelled the ambassador, Albania said.", "Albania expelled an envoy.", "The weather is fine."]


def _idf(tokens) -> Idf:
    terms, docs = np.unique(np.concatenate([np.unique(t.ids) for t in tokens]), return_counts=True)
    return Idf(len(tokens), terms, docs)


def test_set_overlap_exact_values():
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5, 6, 7, 8], dtype=np.uint64)
    assert set_overlap(a, b) == pytest.approx((2 / 8, 2 / 4, 2 / 6))


def test_term_vectors_are_scikit_learns_sublinear_smoothed_tfidf():
    tokens = [tokenize(t) for t in TEXTS]
    idf = _idf(tokens)
    sk = TfidfVectorizer(analyzer=lambda toks: [w for w in toks if is_term(w)], sublinear_tf=True)
    matrix = sk.fit_transform([t.norms for t in tokens]).toarray()
    vocab = sk.get_feature_names_out()
    for row, t in zip(matrix, tokens):
        v = term_vector(t, idf)
        got = {v.norms[int(p)]: w for p, w in zip(v.positions, v.weights)}
        assert got == pytest.approx({str(vocab[c]): row[c] for c in np.flatnonzero(row)})


def test_cosine_and_top_terms_ignore_function_words():
    tokens = [tokenize(t) for t in TEXTS]
    idf = _idf(tokens)
    v = [term_vector(t, idf) for t in tokens]
    cos, top = cosine_and_terms(v[0], v[1])
    assert cos > 0.3 and set(top) == {"albania", "expelled"}
    assert cosine_and_terms(v[0], v[2]) == (0.0, ())


def test_all_pair_cosines_of_one_row_are_those_of_the_whole_product():
    texts = [f"{TEXTS[k % 3]} Extra words {k} and albania {k % 2}." for k in range(7)]
    tokens = [tokenize(t) for t in texts]
    vectors = [term_vector(t, _idf(tokens)) for t in tokens]
    every = all_pair_cosines(vectors, 0.05)
    for q in range(len(vectors)):
        mine = every[(every[:, 0] == q) | (every[:, 1] == q)]
        assert np.array_equal(all_pair_cosines(vectors, 0.05, with_row=q), mine)


def test_pair_cosines_are_the_cosines_of_the_whole_product():
    texts = [f"{TEXTS[k % 3]} Extra words {k} and albania {k % 2}." for k in range(7)]
    tokens = [tokenize(t) for t in texts]
    vectors = [term_vector(t, _idf(tokens)) for t in tokens]
    pairs = np.array([[0, 1], [0, 2], [3, 5], [4, 6]])
    want = [cosine_and_terms(vectors[i], vectors[j])[0] for i, j in pairs.tolist()]
    assert pair_cosines(vectors, pairs) == pytest.approx(want)
    assert pair_cosines(vectors, pairs[:0]).shape == (0,)


def test_neighbour_pairs_hold_each_documents_nearest_and_agree_row_by_row():
    texts = ["Albania expelled the ambassador of Iran.", "Albania expelled an envoy of Iran.",
             "The Iran envoy left Albania.", "Weather in Tirana was fine.", "Fine weather in Tirana today."]
    tokens = [tokenize(t) for t in texts]
    vectors = [term_vector(t, _idf(tokens)) for t in tokens]
    nearest = neighbour_pairs(vectors, 1, 0.05)
    assert [0, 1] in nearest.tolist() and [3, 4] in nearest.tolist()
    assert not any({i, j} == {0, 3} for i, j in nearest.tolist())
    # Every document with k = n - 1: every pair above the floor, as the whole product gives them.
    assert np.array_equal(neighbour_pairs(vectors, 4, 0.05), all_pair_cosines(vectors, 0.05))
    for q in range(len(texts)):
        assert neighbour_pairs(vectors, 1, 0.05, with_row=q).tolist() == [p for p in nearest.tolist() if q in p]


def test_neighbour_ties_go_to_the_earlier_document():
    texts = ["Albania expelled the ambassador of Iran."] * 3 + ["Weather in Tirana was fine."]
    tokens = [tokenize(t) for t in texts]
    vectors = [term_vector(t, _idf(tokens)) for t in tokens]
    # Documents 1 and 2 are equally near document 0 (and 0 and 2 to 1): k = 1 keeps the earlier.
    assert neighbour_pairs(vectors, 1, 0.05).tolist() == [[0, 1], [0, 2]]


def test_weighted_coverage_counts_overlaps_once_at_highest_weight():
    chars = np.array([4, 4, 4, 4], dtype=float)
    assert weighted_coverage(chars, [(0, 1, 1.0), (1, 2, 0.5)]) == pytest.approx((0.75, 0.625))


def test_headline_orders_copied_over_edited_over_topical():
    copied = headline(1.0, 0.5, 0.9)
    edited = headline(0.7, 0.4, 0.8)
    topical = headline(0.0, 0.0, 0.9)
    assert copied == 1.0 and copied > edited > topical and topical <= TOPIC_WEIGHT


def test_coverage_counts_every_passage_even_one_of_weight_zero():
    """``coverage`` is the share of text in passages ("% of A reused"); only the score weighs them."""
    chars = np.array([4, 4, 4, 4], dtype=float)
    assert weighted_coverage(chars, [(0, 1, 0.0)]) == pytest.approx((0.5, 0.0))


def test_passage_weight_counts_wording_and_ignores_topic_level_paraphrase():
    assert passage_weight("verbatim", 1.0) == 1.0
    assert passage_weight("fuzzy", 0.7) == 0.7  # the share of its words in exact runs
    assert passage_weight("paraphrase", PARAPHRASE_FLOOR) == 0.0  # what shared topic words reach
    assert passage_weight("paraphrase", 1.0) == 1.0
    weights = [passage_weight("paraphrase", s) for s in (0.2, 0.4, 0.6, 0.8)]
    assert weights == sorted(weights) and weights[0] == 0.0 < weights[1]


def test_term_vectors_of_a_batch_are_each_documents_own():
    from reuse.stages.score import term_vectors
    from reuse.text.tokens import token_batch

    texts = [*TEXTS, "", "東京タワー Tokyo tower, a tower.", TEXTS[0] * 3]
    tokens = [tokenize(t, lazy_norms=True) for t in texts]
    idf = _idf(tokens)
    for alone, together in zip([term_vector(t, idf) for t in tokens], term_vectors(token_batch(tokens), idf)):
        assert np.array_equal(alone.ids, together.ids) and np.array_equal(alone.positions, together.positions)
        assert alone.weights.tobytes() == together.weights.tobytes()  # to the last bit
