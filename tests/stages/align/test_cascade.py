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


def test_paraphrase_seeds_from_the_unit_comparison_are_the_pair_spaces():
    texts = [FILLER_A + SOURCE + FILLER_B, FILLER_B + OBFUSCATED, FILLER_A + PARAPHRASE, SUMMARY]
    units = [sentence_units(t, tokenize(t), min_terms=3, max_words=35) for t in texts]
    for ua in units:
        for ub in units:
            got = cascade.sure_paraphrase_seeds(cascade.similar_units(ua, ub, CONFIG), CONFIG)
            want = seed.paraphrase_seeds(seed.pair_space(ua, ub), min_cosine=CONFIG.seed_min_cosine,
                                         min_dice=CONFIG.seed_min_dice)
            assert got is not None and np.array_equal(got, want)


def test_a_cosine_on_the_threshold_is_left_to_the_pair_space():
    u, v = np.array([0, 1]), np.array([0, 0])
    near = (u, v, np.array([CONFIG.seed_min_cosine + 1e-12, 0.9]), np.array([0.9, 0.9]))
    assert cascade.sure_paraphrase_seeds(near, CONFIG) is None
    clear = (u, v, np.array([CONFIG.seed_min_cosine - 0.01, 0.9]), np.array([0.9, 0.9]))
    assert cascade.sure_paraphrase_seeds(clear, CONFIG).tolist() == [[1, 0]]


def test_compiled_cascade_test_and_copy_seeds_agree_with_their_twins(monkeypatch):
    if cascade._kernel() is None:
        pytest.skip("numba not installed")
    from reuse.stages.align.cascade_kernel import copy_seeds as compiled_copy_seeds

    texts = [FILLER_A + SOURCE + FILLER_B, FILLER_B + OBFUSCATED + COPY, FILLER_A + PARAPHRASE, SUMMARY]
    tokens = [tokenize(t) for t in texts]
    units = [sentence_units(t, tok, min_terms=3, max_words=35) for t, tok in zip(texts, tokens)]
    rng = np.random.default_rng(11)
    monkeypatch.setattr(seed, "_copy_seeds_kernel", lambda: None)  # seed.copy_seeds: the twin
    outcomes = set()
    for trial in range(400):
        x, y = rng.integers(0, len(texts), 2)
        ua, ub, na, nb = units[x], units[y], len(tokens[x]), len(tokens[y])
        unit_a, unit_b = ua.unit_of_token(na), ub.unit_of_token(nb)
        matches = np.stack((rng.integers(0, na, 40), rng.integers(0, nb, 40)), axis=1).astype(np.int64)
        matches = matches[np.lexsort((matches[:, 1], matches[:, 0]))][: int(rng.integers(0, 40))]
        shared = int(rng.integers(1, 3))
        copied = seed.copy_seeds(matches, unit_a, unit_b, min_shared=shared)
        assert np.array_equal(compiled_copy_seeds(matches, unit_a, unit_b, shared), copied)

        def boxes(k: int, na: int = na, nb: int = nb) -> np.ndarray:
            a0, b0 = rng.integers(0, na, k), rng.integers(0, nb, k)
            return np.stack((a0, np.minimum(a0 + rng.integers(0, 30, k), na - 1),
                             b0, np.minimum(b0 + rng.integers(0, 30, k), nb - 1)), axis=1).astype(np.int64)

        copies = boxes(int(rng.integers(0, 4)))
        spans = np.concatenate((copies, boxes(int(rng.integers(0, 4)))))
        config = ReuseConfig(short_phrases=False, max_gap_sentences=int(rng.integers(0, 4)),
                             merge_reordered=bool(rng.integers(0, 2)))
        similar = cascade.similar_units(ua, ub, config)
        for given in (spans, None):
            got = cascade.leaves_unexplained(ua, ub, unit_a, unit_b, copied, copies, config, spans=given,
                                             similar=similar)
            want = cascade.leaves_unexplained(ua, ub, unit_a, unit_b, copied, copies, config, spans=given,
                                              similar=similar, use_numba=False)
            assert got == want, trial
            outcomes.add(got)
    assert outcomes == {True, False}
