"""The PAN measures against hand-computed cases (Potthast et al. 2010; the official script's conventions)."""
import math

import pytest

from reuse.eval.pan.measures import Annotation, evaluate, granularity, macro_precision, macro_recall, plagdet


def ann(t0, t1, s0, s1, susp="susp-1.txt", src="src-1.txt"):
    """Suspicious range [t0, t1) reused from source range [s0, s1)."""
    return Annotation(susp, t0, t1 - t0, src, s0, s1 - s0)


CASE = ann(0, 100, 0, 100)


def test_half_overlap_on_both_sides_gives_half_precision_and_recall():
    s = evaluate([CASE], [ann(50, 150, 50, 150)])
    # case chars covered: 50 (susp) + 50 (src) of 200; detection chars in the case: 100 of 200
    assert (s.recall, s.precision, s.granularity) == (0.5, 0.5, 1.0)
    assert s.plagdet == pytest.approx(0.5)


def test_a_case_split_in_two_detections_has_granularity_two():
    s = evaluate([CASE], [ann(0, 50, 0, 50), ann(50, 100, 50, 100)])
    assert (s.recall, s.precision, s.granularity) == (1.0, 1.0, 2.0)
    assert s.plagdet == pytest.approx(1 / math.log2(3))  # 0.6309


def test_overlapping_detections_count_shared_characters_once():
    dets = [ann(0, 60, 0, 60), ann(40, 100, 40, 100)]
    assert macro_recall([CASE], dets) == 1.0
    assert macro_precision([CASE], dets) == 1.0
    assert granularity([CASE], dets) == 2.0


def test_macro_recall_averages_over_cases_and_a_missed_case_counts_zero():
    other = ann(500, 600, 300, 400)
    s = evaluate([CASE, other], [ann(0, 100, 0, 100)])
    assert (s.recall, s.precision, s.granularity) == (0.5, 1.0, 1.0)
    assert s.plagdet == pytest.approx(2 * 0.5 / 1.5)


def test_macro_precision_averages_over_detections():
    # one exact detection (precision 1) and one elsewhere (precision 0)
    assert macro_precision([CASE], [ann(0, 100, 0, 100), ann(300, 400, 300, 400)]) == 0.5


def test_overlap_on_one_side_only_detects_nothing():
    s = evaluate([CASE], [ann(0, 100, 500, 600)])
    assert (s.recall, s.precision, s.plagdet) == (0.0, 0.0, 0.0)
    assert s.granularity == 1.0  # no case detected


def test_detections_of_another_document_pair_do_not_count():
    s = evaluate([CASE], [ann(0, 100, 0, 100, src="src-2.txt")])
    assert (s.recall, s.precision) == (0.0, 0.0)


def test_empty_detection_set():
    s = evaluate([CASE], [])
    assert (s.precision, s.recall, s.granularity, s.plagdet) == (0.0, 0.0, 1.0, 0.0)


def test_no_cases_and_no_detections_is_perfect_and_any_detection_is_wrong():
    assert evaluate([], []).plagdet == 1.0
    s = evaluate([], [CASE])
    assert (s.precision, s.recall, s.plagdet) == (0.0, 0.0, 0.0)


def test_plagdet_formula():
    assert plagdet(1.0, 1.0, 1.0) == 1.0
    assert plagdet(0.8, 0.6, 1.5) == pytest.approx((2 * 0.8 * 0.6 / 1.4) / math.log2(2.5))
    assert plagdet(0.0, 1.0, 1.0) == 0.0
