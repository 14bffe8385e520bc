"""The compiled exact-evidence kernel and its numpy reference give identical arrays."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.stages.align.runs import _kernel, word_evidence
from reuse.text.tokens import tokenize
from tests.stages.align.test_aligner import COPY, FILLER_A, FILLER_B, OBFUSCATED, SOURCE

needs_numba = pytest.mark.skipif(_kernel() is None, reason="numba not installed")


def _both(a_ids: np.ndarray, b_ids: np.ndarray, **kw):
    args = dict(k=3, max_occurrences=20, max_gap=12, min_words=8) | kw
    return word_evidence(a_ids, b_ids, use_numba=True, **args), word_evidence(a_ids, b_ids, use_numba=False, **args)


def _same(x, y) -> None:
    for name in ("matches", "runs", "spans", "similarity"):
        assert np.array_equal(getattr(x, name), getattr(y, name)), name


@needs_numba
def test_kernel_equals_reference_on_prose():
    texts = [FILLER_A + SOURCE + FILLER_B, FILLER_B + COPY + FILLER_A, FILLER_B + OBFUSCATED, COPY + " " + COPY]
    for a in texts:
        for b in texts:
            _same(*_both(tokenize(a).ids, tokenize(b).ids))


@needs_numba
@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=0, max_size=120), st.lists(st.integers(0, 6), min_size=0, max_size=120),
       st.integers(1, 4), st.integers(0, 6))
def test_kernel_equals_reference_on_repetitive_sequences(a, b, max_occ, max_gap):
    # A tiny alphabet makes repeats, overlapping runs, ties and containment common.
    x, y = _both(np.asarray(a, np.uint64), np.asarray(b, np.uint64), max_occurrences=max_occ, max_gap=max_gap,
                 min_words=2)
    _same(x, y)


def test_copied_passage_is_one_span_with_its_exact_extent():
    a, b = FILLER_A + COPY + " " + FILLER_B, "Breaking news. " + COPY + " More later."
    ta, tb = tokenize(a), tokenize(b)
    ev = word_evidence(ta.ids, tb.ids, k=3, max_occurrences=20, max_gap=12, min_words=8)
    [(a0, a1, b0, b1)] = ev.spans.tolist()
    assert a[ta.starts[a0] : ta.ends[a1]] == b[tb.starts[b0] : tb.ends[b1]] == COPY.rstrip(".")
    assert ev.similarity.tolist() == [1.0]
