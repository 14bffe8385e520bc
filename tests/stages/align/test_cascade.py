"""The aligner's cascade: copies are settled by their runs, anything else reaches the sentence machinery."""
import numpy as np
import pytest

from reuse.config import ReuseConfig
from reuse.model import Document
from reuse.stages.align import cascade, seed
from reuse.stages.align.aligner import align_documents
from reuse.stages.align.runs import _kernel
from reuse.stages.align.units import sentence_units
from reuse.text.tokens import tokenize
from tests.stages.align.test_aligner import COPY, FILLER_A, FILLER_B, OBFUSCATED, PARAPHRASE, SOURCE, SUMMARY

CONFIG = ReuseConfig(short_phrases=False)


@pytest.fixture
def sentence_machinery(monkeypatch):
    """Counts the pairs that reach the sentence-level machinery (its tf-isf rows are built per pair)."""
    calls = []
    real = seed.raw_rows

    def spy(ua, ub):
        calls.append((len(ua), len(ub)))
        return real(ua, ub)

    monkeypatch.setattr(seed, "raw_rows", spy)
    return calls


def _align(a: str, b: str):
    return align_documents(Document(id="a", text=a), tokenize(a), Document(id="b", text=b), tokenize(b), CONFIG)


@pytest.mark.skipif(_kernel() is None, reason="without numba the unit comparison is the pair space itself")
def test_copied_passage_is_found_with_exact_offsets_by_the_fast_path(sentence_machinery):
    a, b = FILLER_A + COPY + " " + FILLER_B, "Breaking news. " + COPY + " More later."
    [p] = _align(a, b)
    assert (p.kind, p.text_a, p.text_b) == ("verbatim", COPY.rstrip("."), COPY.rstrip("."))
    assert (p.a_start, p.b_start) == (a.index(COPY), b.index(COPY))
    assert sentence_machinery == []


def test_near_duplicate_is_settled_before_sentence_units(monkeypatch):
    monkeypatch.setattr("reuse.stages.align.aligner.cached_sentence_units", None)  # would raise if called
    edited = SOURCE.replace("Tuesday", "Monday")
    [p] = _align(SOURCE, edited)
    assert p.kind == "fuzzy" and (p.a_start, p.a_end) == (0, len(SOURCE) - 1)


@pytest.mark.parametrize("reworded", [OBFUSCATED, PARAPHRASE, SUMMARY])
def test_cascade_falls_through_to_the_sentence_machinery_for_reworded_reuse(sentence_machinery, reworded):
    found = _align(FILLER_A + SOURCE, FILLER_B + reworded)
    assert sentence_machinery, "the sentence machinery never ran"
    assert found and any(p.kind != "verbatim" for p in found)


def test_copy_continued_in_paraphrase_still_reaches_the_sentence_machinery(sentence_machinery):
    _align(FILLER_A + SOURCE, COPY + " " + PARAPHRASE)
    assert sentence_machinery


def test_unit_pairs_kernel_agrees_with_the_pair_space():
    if cascade._kernel() is None:
        pytest.skip("numba not installed")
    texts = [FILLER_A + SOURCE + FILLER_B, FILLER_B + OBFUSCATED, FILLER_A + PARAPHRASE, SUMMARY]
    units = [sentence_units(t, tokenize(t), min_terms=3, max_words=35) for t in texts]
    for ua in units:
        for ub in units:
            fast = cascade.unit_pairs(ua, ub, 0.1, use_numba=True)
            ref = cascade.unit_pairs(ua, ub, 0.1, use_numba=False)
            assert np.array_equal(fast[0], ref[0]) and np.array_equal(fast[1], ref[1])
            assert np.allclose(fast[2], ref[2], rtol=0, atol=1e-12) and np.allclose(fast[3], ref[3], rtol=0, atol=1e-12)
