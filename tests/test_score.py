import numpy as np
import pytest

from reuse.stages.score import (
    PARAPHRASE_FLOOR,
    TOPIC_WEIGHT,
    headline,
    pair_cosines,
    passage_weight,
    set_overlap,
    tfidf_matrix,
    top_shared_terms,
    weighted_coverage,
)


def test_set_overlap_exact_values():
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5, 6, 7, 8], dtype=np.uint64)
    assert set_overlap(a, b) == pytest.approx((2 / 8, 2 / 4, 2 / 6))


def test_tfidf_cosine_and_top_terms_ignore_function_words():
    m, terms = tfidf_matrix([["the", "albania", "expelled", "ambassador"], ["the", "albania", "expelled", "envoy"], ["the", "weather"]])
    cos = pair_cosines(m, np.array([[0, 1], [0, 2]]))
    assert cos[0] > 0.3 and cos[1] == pytest.approx(0.0)
    assert set(top_shared_terms(m, terms, 0, 1)) == {"albania", "expelled"}


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
