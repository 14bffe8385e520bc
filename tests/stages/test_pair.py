"""One chunk of pairs: how each pair is scored (aligned, verified first, or listed unaligned)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from reuse import ReuseConfig
from reuse.model import Document
from reuse.stages.candidates import ALIGN, LIST, VERIFY
from reuse.stages.pair import run_words, score_chunk
from reuse.stages.score import Idf
from reuse.text.tokens import tokenize
from tests.conftest import COPIED, article


def _chunk(texts: list[str], pairs: list[list[int]], how: list[int], config: ReuseConfig):
    docs = {k: Document(id=f"d{k}", text=t, origin=f"mem:{k}") for k, t in enumerate(texts)}
    ids = np.concatenate([np.unique(tokenize(t).ids) for t in texts])
    idf = Idf(len(texts), *np.unique(ids, return_counts=True))
    return score_chunk(np.array(pairs, dtype=np.int64), np.array(how, dtype=np.int8), docs, idf, config)


def test_each_pair_is_aligned_verified_or_listed_as_asked():
    texts = [article(1, COPIED), article(2, COPIED), article(3, "the mayor said so")]
    res = _chunk(texts, [[0, 1], [0, 1], [0, 2], [1, 2]], [ALIGN, LIST, VERIFY, LIST], ReuseConfig())
    aligned, listed, unrelated = res.aligned[0], res.aligned[1], res.aligned[2:]
    assert aligned.passages and aligned.pair.n_passages == len(aligned.passages)
    # Listed: the same pair's TF-IDF record, never aligned.
    assert listed.passages == [] and listed.pair.n_passages == 0 and listed.cosine == aligned.cosine
    # A candidate sharing no shingle fails verification; the listed pair below the floor lists nothing.
    assert [a.pair for a in unrelated] == [None]
    assert res.verified == 0 and res.ran == 1


def test_a_boolean_verify_array_still_reads_as_verify_or_align():
    texts = [article(1, COPIED), article(2, COPIED)]
    res = _chunk(texts, [[0, 1]], [True], ReuseConfig())
    assert res.verified == 1 and res.aligned[0].passages


def test_run_words_is_the_shortest_passage_capped():
    assert run_words(ReuseConfig(min_passage_words=3)) == 3
    assert run_words(ReuseConfig(min_passage_words=100)) == 12


def test_shared_counts_of_a_chunk_are_each_pairs_exact_shared_shingles(monkeypatch):
    from reuse.stages import pair as pair_module

    rng = np.random.default_rng(8)
    sets = {n: np.unique(rng.integers(0, 60, int(rng.integers(0, 40))).astype(np.uint64)) for n in (7, 3, 12, 5)}
    prepared = {n: SimpleNamespace(distinct=v) for n, v in sets.items()}
    pairs = np.array([[3, 7], [5, 12], [3, 12], [7, 12], [3, 5]], np.int64)
    want = [len(np.intersect1d(sets[i], sets[j])) for i, j in pairs.tolist()]
    assert pair_module.shared_counts(pairs, prepared).tolist() == want
    monkeypatch.setattr(pair_module, "_kernels", lambda: None)  # the numpy twin
    assert pair_module.shared_counts(pairs, prepared).tolist() == want


def test_a_chunks_cosines_and_top_terms_are_each_pairs_to_the_last_bit(monkeypatch):
    from benchmarks.synth import generate
    from reuse.stages import pair as pair_module
    from reuse.stages.pair import cosines_and_terms, prepare
    from reuse.stages.score import cosine_and_terms

    texts = [r["text"] for r in generate(30, seed=4)]
    texts += [texts[0] + " " + texts[1], " ".join(texts[:6]), "tie tie tie break even", "even tie break", ""]
    docs = {k: Document(id=f"d{k}", text=t) for k, t in enumerate(texts)}
    ids = np.concatenate([np.unique(tokenize(t).ids) for t in texts])
    prepared = prepare(docs, Idf(len(texts), *np.unique(ids, return_counts=True)), ReuseConfig())
    n = len(texts)
    pairs = np.array([(i, j) for i in range(n) for j in range(n) if i != j], np.int64)
    want = [cosine_and_terms(prepared[i].vector, prepared[j].vector) for i, j in pairs.tolist()]
    assert sum(len(top) == 8 for _, top in want) > 10 and max(len(prepared[k].vector.ids) for k in docs) > 128
    assert cosines_and_terms(pairs, prepared) == want
    monkeypatch.setattr(pair_module, "_kernels", lambda: None)  # the numpy twin
    assert cosines_and_terms(pairs, prepared) == want


def test_the_compiled_sum_is_numpys_pairwise_sum():
    import pytest

    pytest.importorskip("numba")
    from reuse.stages.pair_kernel import pairwise_sum

    rng = np.random.default_rng(2)
    for n in [*range(0, 140), 255, 256, 257, 1000, 4099]:
        a = rng.random(n + 3) * rng.random(n + 3)
        assert pairwise_sum(a, 3, n) == float(a[3:].sum())
