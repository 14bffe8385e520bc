"""The plan's results do not depend on the number of workers, the batch size or the run."""
from __future__ import annotations

import json
import random

import numpy as np

from reuse import Corpus, ReuseConfig, find_reuse
from reuse.api import find_reuse_stream
from reuse.engine.plan import SCORE_CHUNK, tile_order
from reuse.model import Document


def _synthetic(n: int) -> list[Document]:
    from benchmarks.synth import generate

    return [Document(id=r["id"], text=r["text"], origin=r["id"]) for r in generate(n, seed=3)]


def _records(results):
    return [p.to_record() for p in results.pairs], [p.to_record() for p in results.passages]


def test_results_are_identical_whatever_the_jobs_and_batch_size():
    docs = _synthetic(600)
    cfg = ReuseConfig(all_pairs_max_docs=0)  # the candidate route big corpora take
    base = find_reuse(Corpus(documents=docs), cfg, jobs=1, batch_size=1000)
    assert base.passages, "the synthetic corpus plants reuse"
    for jobs, batch in [(2, 64), (1, 37), (2, 600)]:
        assert _records(find_reuse(Corpus(documents=docs), cfg, jobs=jobs, batch_size=batch)) == _records(base)
    streamed = find_reuse_stream(iter(docs), cfg, jobs=2, batch_size=128)
    assert _records(streamed) == _records(base)


TOPIC = ("council budget water plant mayor vote taxes road school river bridge park police fire "
         "housing rent transit bus rail port harbour election debate report audit").split()


def _same_topic(n: int, seed: int = 7) -> list[Document]:
    """Short same-topic texts that share phrases: a small corpus where every pair gets scored."""
    rng = random.Random(seed)
    phrases = [" ".join(rng.choice(TOPIC) for _ in range(12)) for _ in range(30)]
    docs = []
    for i in range(n):
        parts = [rng.choice(phrases) if rng.random() < 0.5 else " ".join(rng.choice(TOPIC) for _ in range(12))
                 for _ in range(6)]
        docs.append(Document(id=f"d{i:03d}", text=". ".join(parts) + ".", origin=f"mem:{i}"))
    return docs


def _records(results) -> str:
    return json.dumps([[p.to_record() for p in results.pairs], [p.to_record() for p in results.passages]],
                      sort_keys=True)


def test_repeated_multi_job_scans_of_a_small_corpus_agree_with_one_job():
    docs = _same_topic(60)
    config = ReuseConfig()
    want = find_reuse_stream(iter(docs), config, jobs=1, batch_size=16)
    assert want.pairs, "the fixture must produce pairs"
    texts = {d.id: d.text for d in docs}
    for _ in range(3):
        got = find_reuse_stream(iter(docs), config, jobs=2, batch_size=16)
        for p in got.passages:  # the first promise: text[start:end] is the passage
            assert texts[p.doc_a][p.a_start : p.a_end] == p.text_a
            assert texts[p.doc_b][p.b_start : p.b_end] == p.text_b
        assert _records(got) == _records(want)


def test_a_small_corpus_aligns_pairs_sharing_a_run_of_words_not_a_set_phrase():
    import numpy as np

    from reuse.engine.plan import small_corpus_pairs
    from reuse.stages.score import Idf
    from reuse.text.tokens import tokenize
    from tests.conftest import COPIED, article

    def topic(k: int) -> str:  # the topic's words, each next to a word of this document alone: no shared run
        return " ".join(f"{w} u{k}x{i}" for i, w in enumerate(TOPIC))

    texts = [article(k, f"{topic(k)}. The regional council said on {COPIED if k < 2 else 'Monday'}.", words=10)
             for k in range(8)]  # the set phrase is in eight documents, the copied sentence in two
    docs = [Document(id=f"d{k}", text=t, origin=f"mem:{k}") for k, t in enumerate(texts)]
    ids = [np.unique(tokenize(t).ids) for t in texts]
    idf = Idf(len(texts), *np.unique(np.concatenate(ids), return_counts=True))
    aligned, listed = small_corpus_pairs(docs, idf, ReuseConfig())
    assert aligned.tolist() == [[0, 1]]
    assert len(listed) >= 8 and [0, 1] in listed.tolist()  # every document's nearest are listed
    _, every = small_corpus_pairs(docs, idf, ReuseConfig(topic_pairs=True))
    assert len(every) == 28  # with topic_pairs, every pair above the floor
    runs, none = small_corpus_pairs(docs, idf, ReuseConfig(pair_neighbours=0))
    assert runs.tolist() == [[0, 1]] and len(none) == 0
    for q in range(len(docs)):  # a query computes the pairs of its row as the scan does
        row = small_corpus_pairs(docs, idf, ReuseConfig(), with_row=q)
        assert row[0].tolist() == [p for p in aligned.tolist() if q in p]
        assert row[1].tolist() == [p for p in listed.tolist() if q in p]


def test_chunks_follow_the_pair_graph():
    # Chains of copies of copies (i, i + 97): far apart in (i, j), neighbours in the pair graph.
    n = 4 * SCORE_CHUNK
    pairs = np.array([(i, i + 97) for i in range(n)], dtype=np.int64)
    order = tile_order(pairs)
    assert sorted(order.tolist()) == list(range(n))
    slots = sum(len(np.unique(pairs[order][s : s + SCORE_CHUNK])) for s in range(0, n, SCORE_CHUNK))
    plain = sum(len(np.unique(pairs[s : s + SCORE_CHUNK])) for s in range(0, n, SCORE_CHUNK))
    assert slots < plain


def test_the_stage_maps_its_own_work_in_the_pool_in_task_order_and_then_lets_go_of_it():
    import weakref

    from reuse.engine.local import LocalEngine
    from reuse.engine.numbered import Numbered
    from reuse.engine.plan import EngineAccess, Reading

    shared = np.arange(10)
    gone = weakref.ref(shared)
    with LocalEngine(2) as engine:
        access = EngineAccess(engine, Numbered(engine.texts(), engine.texts()), None, Reading(ReuseConfig(), False))
        assert list(access.map(_slice_sum, [(k, k + 3) for k in range(8)], shared)) == [3 * k + 3 for k in range(8)]
        del shared
        assert gone() is None  # the engine keeps its broadcasts for the run, not the stage's arrays


def _slice_sum(lo: int, hi: int, shared: np.ndarray) -> int:
    return int(shared[lo:hi].sum())


def test_a_new_pair_is_scored_as_afresh_while_its_documents_features_are_kept(monkeypatch):
    import dataclasses

    from reuse.engine import plan
    from reuse.engine.local import LocalEngine
    from reuse.engine.numbered import Numbered
    from reuse.stages.score import Idf, cosine_and_terms, term_vector
    from reuse.stages.talking import points
    from reuse.text.tokens import tokenize

    monkeypatch.setattr(points, "KEPT", 2)  # documents leave the cache and come back
    docs = _synthetic(6)
    docs[1] = dataclasses.replace(docs[1], text=docs[0].text[:400] + " " + docs[1].text)  # a shared passage
    terms, df = np.unique(np.concatenate([np.unique(tokenize(d.text).ids) for d in docs]), return_counts=True)
    idf = Idf(len(docs), terms, df)
    with LocalEngine(1) as engine:
        corpus = Numbered(engine.texts(), engine.texts())
        for d in docs:
            corpus.add(d)
        corpus.close()
        access = plan.EngineAccess(engine, corpus, idf, plan.Reading(ReuseConfig(), False))
        plain = points.CorpusAccess(docs)
        pairs = [(i, j) for i in range(6) for j in range(6) if i != j] + [(0, 1), (5, 0)]
        for i, j in pairs:
            fresh = plain.new_pair(i, j, 5)
            cosine = cosine_and_terms(term_vector(plain.tokens(i), idf), term_vector(plain.tokens(j), idf))[0]
            assert access.new_pair(i, j, 5) == dataclasses.replace(fresh, tfidf_cosine=cosine)
        assert len(access._vectors) == 2 and len(access._shingles) == 2
    assert any(plain.new_pair(i, j, 5).jaccard > 0 for i, j in pairs)  # some documents share text
