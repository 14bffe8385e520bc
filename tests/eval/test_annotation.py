import json

import pytest

from reuse.errors import InputError
from reuse.eval.annotation import baseline_passages, evaluate, load_pairs
from reuse.model import Corpus
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_B, ARTICLE_C, _p


def test_baseline_links_sentences_by_plain_tfidf():
    docs = Corpus.from_texts({"a": ARTICLE_A, "b": ARTICLE_B, "c": ARTICLE_C}).documents
    found = baseline_passages(docs, 0.2)
    assert found and all(p.doc_a != p.doc_b and p.score >= 0.2 for p in found)
    texts = {"a": ARTICLE_A, "b": ARTICLE_B, "c": ARTICLE_C}
    assert all(texts[p.doc_a][p.a_start:p.a_end] == p.text_a and texts[p.doc_b][p.b_start:p.b_end] == p.text_b
               for p in found)
    assert any(p.text_a.startswith("The council set aside") and p.text_b.startswith("A budget") for p in found)
    assert len(baseline_passages(docs, 0.9)) < len(found)


def test_annotation_scores_hits_in_either_orientation(tmp_path):
    labels = tmp_path / "labels.jsonl"
    rows = [{"doc_a": "x", "a_start": 0, "a_end": 10, "doc_b": "y", "b_start": 20, "b_end": 30, "talking_point": "t"},
            {"doc_a": "x", "a_start": 0, "a_end": 10, "doc_b": "y", "b_start": 20, "b_end": 30, "talking_point": "u"},
            {"doc_a": "x", "a_start": 50, "a_end": 60, "doc_b": "z", "b_start": 0, "b_end": 5}]
    labels.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    gold = load_pairs(labels)
    assert len(gold) == 2  # one pair filed under two talking points counts once
    reported = [_p("y", 25, 28, "x", 5, 12), _p("x", 100, 110, "y", 0, 5)]
    scores = evaluate(reported, [], gold)
    assert (scores.recall, scores.precision, scores.cluster_recall) == (0.5, 0.5, 0.0)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_a": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:1"):
        load_pairs(bad)
