"""The benchmark corpora tell the truth: generated text is English-like and deterministic, every
planted pair really shares text, and the harness's measures read results as documented.

The English model is counted here from the repository's seed articles, so these tests need no
research data; the benchmarks count it from ``../shared/bench/pan13-train/src``.
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from benchmarks.english import EnglishModel
from benchmarks.heavy import HEAVY, TOPIC, generate
from benchmarks.measure import align_times, quality
from benchmarks.synth import read_truth, truth_pairs, write_records

from .conftest import SEEDS


@pytest.fixture(scope="module")
def model() -> EnglishModel:
    return EnglishModel.from_folder(SEEDS)


def _words(text: str) -> list[str]:
    return [w.strip(".,").lower() for w in text.split()]


def _runs(text: str, k: int = 8) -> set[tuple[str, ...]]:
    w = _words(text)
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def test_model_keeps_punctuation_as_tokens_and_renders_capitalised_sentences():
    m = EnglishModel.from_texts(["The cat sat on the mat. The dog sat, then the cat ran."] * 3, min_count=1)
    assert m.words[:2] == (".", ",") and "cat" in m.words
    text = m.render(m.chains(np.random.default_rng(1), 1, 40)[0], np.random.default_rng(2))
    for sentence in text.replace("\n\n", " ").split(". "):
        assert sentence[:1].isupper()
    assert text.endswith(".")


def test_rare_tokens_are_dropped_so_chains_do_not_recite_the_source():
    m = EnglishModel.from_texts(["the cat sat. the dog sat. zyzzyva once."] * 2, min_count=3)
    assert m.words == (".", ",", "the", "sat")  # 4 times each; the others only twice
    assert set(m.chains(np.random.default_rng(0), 3, 50).ravel().tolist()) <= {0, 2, 3}  # "," never followed a word


def test_generation_is_deterministic_and_streams(model):
    first = list(generate(300, HEAVY, seed=3, model=model))
    again = generate(300, HEAVY, seed=3, model=model)
    assert next(again) == first[0]  # an iterator: records come one at a time
    assert list(again) == first[1:]
    assert [r["id"] for r in first] == sorted(r["id"] for r in first)
    other = list(generate(300, HEAVY, seed=4, model=model))
    assert [r["text"] for r in other] != [r["text"] for r in first]
    lengths = [len(r["text"].split()) for r in first]
    assert 450 < np.mean(lengths) < 750


def test_planted_pairs_share_text_and_name_only_earlier_documents(model):
    recs = list(generate(400, HEAVY, seed=5, model=model))
    by_id = {r["id"]: r for r in recs}
    kinds = [p["kind"] for r in recs for p in r["planted"]]
    assert kinds.count("passage") > 40 and kinds.count("near_duplicate") >= 2
    for rec in recs:
        for p in rec["planted"]:
            assert p["with"] < rec["id"]
            if p["kind"] == "marginal":
                continue
            # A copy of a copy of a copy keeps its words in runs broken by each generation's edits.
            shared = _runs(rec["text"], 5) & _runs(by_id[p["with"]]["text"], 5)
            assert len(shared) >= 2, (rec["id"], p)
            if p["kind"] == "near_duplicate":
                a, b = _runs(rec["text"], 5), _runs(by_id[p["with"]]["text"], 5)
                assert len(a & b) > 0.5 * len(a)


def test_unplanted_pairs_share_no_passage(model):
    recs = list(generate(300, HEAVY, seed=6, model=model))
    truth = truth_pairs(recs) | truth_pairs(recs, marginal=True)
    runs = [_runs(r["text"], 12) for r in recs]
    for i in range(0, len(recs), 7):  # a sample of pairs keeps the test quick
        for j in range(i + 1, len(recs), 5):
            if (recs[i]["id"], recs[j]["id"]) not in truth:
                assert not runs[i] & runs[j], (recs[i]["id"], recs[j]["id"])


def test_topic_articles_share_a_vocabulary(model):
    plain = list(generate(60, dataclasses.replace(HEAVY, p_passage=0, p_near_duplicate=0), seed=2, model=model))
    topic = list(generate(60, dataclasses.replace(TOPIC, p_passage=0, p_near_duplicate=0), seed=2, model=model))

    def mean_overlap(recs: list[dict]) -> float:
        sets = [set(_words(r["text"])) for r in recs]
        return float(np.mean([len(a & b) / len(a | b) for k, a in enumerate(sets) for b in sets[k + 1 :]]))

    assert mean_overlap(topic) > mean_overlap(plain)


def test_truth_reads_group_and_with_entries(tmp_path):
    recs = [
        {"id": "a", "planted": [{"group": 1, "role": "source", "kind": "verbatim"}]},
        {"id": "b", "planted": [{"group": 1, "role": "copy", "kind": "verbatim"}]},
        {"id": "c", "planted": [{"with": "a", "kind": "passage", "words": 40},
                                {"with": "b", "kind": "marginal", "words": 3}]},
    ]
    assert truth_pairs(recs) == {("a", "b"), ("a", "c")}
    assert truth_pairs(recs, marginal=True) == {("b", "c")}
    path = write_records(({**r, "text": ""} for r in recs), tmp_path / "c.jsonl")
    assert read_truth(path) == {("a", "b"), ("a", "c")}


def test_quality_counts_pairs_with_passages_and_ignores_marginal_ones(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    rows = [("a", "b", 1, ["verbatim"]), ("c", "a", 2, ["fuzzy"]), ("b", "c", 1, ["verbatim"]), ("a", "d", 0, []),
            ("b", "d", 1, ["paraphrase"]), ("c", "d", 2, ["fuzzy", "paraphrase"])]
    pairs.write_text("".join(json.dumps({"doc_a": a, "doc_b": b, "n_passages": n, "kinds": k}) + "\n"
                             for a, b, n, k in rows))
    q = quality(pairs, truth={("a", "b"), ("a", "c"), ("a", "e")}, ignore={("b", "c")})
    assert q == {"recall": 2 / 3, "precision": 0.5, "predicted": 4, "truth": 3, "unplanted_paraphrase_only": 1,
                 "copy_precision": 2 / 3, "copy_predicted": 3}


def test_aligner_is_timed_per_pair(copied_passage):
    texts = {"x": "Intro words here. " + copied_passage, "y": copied_passage + " Other ending words.", "z": "nothing"}
    res = align_times([("x", "y"), ("x", "y"), ("x", "z")], texts)
    assert res["pairs"] == 2 and res["max"] >= res["median"] >= 0
