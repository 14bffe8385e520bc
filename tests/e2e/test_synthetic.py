"""Planted reuse in a synthetic corpus is found, with exact offsets (the route large corpora take)."""
from __future__ import annotations

from reuse import Corpus, ReuseConfig, find_reuse
from reuse.model import Document


def test_planted_reuse_is_found_in_a_small_synthetic_corpus():
    from benchmarks.synth import generate, truth_pairs

    recs = list(generate(1500, seed=11))
    truth = truth_pairs(recs)
    res = find_reuse(Corpus(documents=[Document(id=r["id"], text=r["text"]) for r in recs]),
                     ReuseConfig(all_pairs_max_docs=0), jobs=2)
    found = {(min(p.doc_a, p.doc_b), max(p.doc_a, p.doc_b)) for p in res.pairs if p.n_passages}
    assert len(found & truth) >= 0.95 * len(truth) and len(found & truth) >= 0.95 * len(found)
    for p in res.passages:
        assert res.document(p.doc_a).text[p.a_start : p.a_end] == p.text_a
