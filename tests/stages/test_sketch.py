import numpy as np
import pytest

from reuse import ReuseConfig
from reuse.stages import sketch as stages
from tests.oracle import random_texts


def test_sketches_do_not_depend_on_how_the_corpus_is_cut():
    texts = random_texts(90, seed=7)
    whole = stages.sketch_batch(texts, 0, ReuseConfig())
    parts = [stages.sketch_batch(texts[s : s + 25], s, ReuseConfig()) for s in range(0, 90, 25)]
    assert np.array_equal(whole.band_keys, np.concatenate([p.band_keys for p in parts]))
    merged = stages.merge_counts([(p.terms, p.term_docs) for p in parts])
    assert np.array_equal(merged[0], whole.terms) and np.array_equal(merged[1], whole.term_docs)
    for k in range(stages.N_PARTITIONS):
        assert np.array_equal(np.sort(whole.anchors[k]), np.sort(np.concatenate([p.anchors[k] for p in parts])))


def test_a_batch_of_texts_without_words_has_no_terms_keys_or_anchors():
    sk = stages.sketch_batch(["", "  .. "], 0, ReuseConfig())
    assert len(sk.terms) == 0 and sk.n_tokens.tolist() == [0, 0] and not sk.has_shingles.any()
    assert sum(len(a) for a in sk.anchors) == 0


@pytest.mark.parametrize("rate", [2, 3])  # a power of two is sampled by a mask, any other by division
def test_kernel_anchors_equal_the_numpy_twins(monkeypatch, rate):
    """The compiled kernel looks for content words only in sampled shingles; the twin marks every
    shingle first. Stop-word runs ("one of the most of the") must be left out by both."""
    pytest.importorskip("numba")
    texts = random_texts(40, seed=3) + ["of the and to in of the and to in " * 20 + "ozone layer " * 3]
    config = ReuseConfig(anchor_rate=rate)
    kernel = stages.sketch_batch(texts, 5, config).anchors
    monkeypatch.setattr(stages, "NUMBA", False)
    twin = stages.sketch_batch(texts, 5, config).anchors
    assert sum(len(a) for a in kernel) > 0
    for k in range(stages.N_PARTITIONS):
        assert np.array_equal(np.sort(kernel[k]), np.sort(twin[k]))


def test_kernel_document_frequencies_equal_the_numpy_twins(monkeypatch):
    """Terms repeated within a document count once; the kernel's table grows past its first size."""
    pytest.importorskip("numba")
    rng = np.random.default_rng(5)
    ids = rng.integers(0, 2**64 - 1, 90_000, dtype=np.uint64)
    ids = np.concatenate((ids, ids[:30_000], ids[10:20], ids[10:20]))  # repeats across and inside documents
    offsets = np.array([0, 0, 500, 60_000, 90_000, 120_000, len(ids) - 10, len(ids)])
    kernel = stages._document_frequencies(ids, offsets)
    monkeypatch.setattr(stages, "NUMBA", False)
    twin = stages._document_frequencies(ids, offsets)
    assert len(twin[0]) == 90_000 and twin[1].max() == 4
    assert np.array_equal(kernel[0], twin[0]) and np.array_equal(kernel[1], twin[1])
