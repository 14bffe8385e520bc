"""Scope of a scan: reference sets, across-sources, source and date restrictions, --min-score, topic pairs."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from reuse import ReuseConfig
from reuse.api import find_reuse
from reuse.cli import main
from reuse.errors import ConfigError
from reuse.model import Corpus, Document, source_of
from reuse.stages.scope import allowed_pairs, in_scope

from .conftest import COPIED, article

OTHER = ("Residents of the northern district complained for weeks that the new bus timetable left them "
         "waiting in the cold, and the transport office finally agreed to add two early morning routes.")


def corpus(*docs: Document) -> Corpus:
    return Corpus.from_items(docs)


def doc(i: str, text: str, **kw) -> Document:
    return Document(id=i, text=text, origin=i, **kw)


def names(results) -> set[tuple[str, str]]:
    return {(p.doc_a, p.doc_b) for p in results.pairs}


def test_source_of_is_the_source_field_or_the_document_id():
    assert source_of(doc("a.txt", "x", source="Daily")) == "Daily"
    assert source_of(doc("a.txt", "x")) == "a.txt"
    assert source_of(doc("a.txt", "x", source="")) == "a.txt"


def test_reference_pairs_never_join_two_references():
    scanned = corpus(doc("new", article(1, COPIED)))
    reference = corpus(doc("old1", article(2, COPIED + " " + OTHER)), doc("old2", article(3, OTHER)))
    results = find_reuse(scanned, reference=reference)
    assert names(results) == {("new", "old1")}  # old1/old2 share OTHER but are both references
    alone = find_reuse(corpus(*scanned.documents, *reference.documents))
    assert ("old1", "old2") in names(alone)  # the same documents scanned together do pair up
    assert results.stats["reference_documents"] == 2


def test_across_sources_keeps_only_pairs_of_different_sources():
    docs = corpus(doc("a1", article(1, COPIED), source="A"), doc("a2", article(2, COPIED), source="A"),
                  doc("b1", article(3, COPIED), source="B"))
    within = find_reuse(docs)
    assert ("a1", "a2") in names(within)
    across = find_reuse(docs, ReuseConfig(across_sources=True))
    assert names(across) == {("a1", "b1"), ("a2", "b1")}
    assert all(p.doc_a != "a1" or p.doc_b != "a2" for p in across.passages)


def test_across_sources_without_sources_compares_every_document():
    docs = corpus(doc("a", article(1, COPIED)), doc("b", article(2, COPIED)))
    assert names(find_reuse(docs, ReuseConfig(across_sources=True))) == {("a", "b")}


def test_allowed_pairs_mask():
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    ref = np.array([False, True, True])
    assert allowed_pairs(pairs, reference=ref, sources=None).tolist() == [True, True, False]
    src = np.array([0, 0, 1])
    assert allowed_pairs(pairs, reference=None, sources=src).tolist() == [False, True, True]


@pytest.mark.parametrize(("config", "kept"), [
    (ReuseConfig(source=("A",)), {"a1", "a2"}),
    (ReuseConfig(since="2024-06-02"), {"a2", "b1"}),
    (ReuseConfig(until="2024-06-02"), {"a1", "a2"}),  # a bare date includes its whole day (a2 at 18:00)
    (ReuseConfig(since="2024-06-02", until="2024-06-02"), {"a2"}),
    (ReuseConfig(source=("A", "B"), since="2024-06-01T12:00:00Z"), {"a2", "b1"}),
])
def test_source_and_date_restrictions(config, kept):
    docs = [doc("a1", "x", source="A", date="2024-06-01"), doc("a2", "x", source="A", date="2024-06-02T18:00:00+00:00"),
            doc("b1", "x", source="B", date="2024-06-03"), doc("n1", "x", source="B")]  # n1: no date
    assert {d.id for d in docs if in_scope(d, config)} == kept | ({"n1"} if not (config.since or config.until) and
                                                                    "B" in config.source else set())


def test_restrictions_leave_documents_out_of_the_scan():
    docs = corpus(doc("a1", article(1, COPIED), source="A", date="2024-05-01"),
                  doc("a2", article(2, COPIED), source="A", date="2024-06-05"),
                  doc("b1", article(3, COPIED), source="B", date="2024-06-06"))
    results = find_reuse(docs, ReuseConfig(since="2024-06-01"))
    assert names(results) == {("a2", "b1")} and {d.id for d in results.documents} == {"a2", "b1"}
    assert results.stats["out_of_scope"] == 1


@pytest.mark.parametrize("bad", [{"since": "last week"}, {"until": "2024-13-45"}, {"min_score": 1.5},
                                 {"since": "2024-06-02", "until": "2024-06-01"}, {"source": [""]},
                                 {"extract": "article"}, {"across_sources": "yes"}])
def test_scope_settings_are_validated(bad):
    with pytest.raises(ConfigError):
        ReuseConfig(**bad)


def test_pairs_without_passages_are_left_out_unless_asked_for():
    same_topic = ("Water was scarce in the valley that year. The old mayor left town in spring. A hot summer "
                  "came very early. Construction costs rose for every farmer nearby.")  # topic words, no claim
    docs = corpus(doc("a", article(1, COPIED, words=30)), doc("b", article(2, COPIED, words=30)), doc("c", same_topic))
    default = find_reuse(docs)
    assert default.pairs and all(p.n_passages > 0 for p in default.pairs)
    topic = find_reuse(docs, ReuseConfig(topic_pairs=True))
    assert any(p.n_passages == 0 for p in topic.pairs)
    assert {(p.doc_a, p.doc_b) for p in topic.pairs if p.n_passages} == names(default)


def test_min_score_drops_pairs_and_their_passages():
    docs = corpus(doc("a", article(1, COPIED)), doc("b", article(2, COPIED)), doc("c", COPIED))
    every = find_reuse(docs)
    scores = sorted(p.score for p in every.pairs)
    assert len(scores) == 3 and scores[0] < scores[-1]
    cut = (scores[0] + scores[-1]) / 2
    kept = find_reuse(docs, ReuseConfig(min_score=round(cut, 4)))
    assert kept.pairs and all(p.score >= cut for p in kept.pairs) and len(kept.pairs) < 3
    assert {(s.doc_a, s.doc_b) for s in kept.passages} <= names(kept)
    for c in kept.clusters:  # talking points rest only on reported pairs
        assert len({m.doc for m in c.members}) >= 2


def test_cli_scope_flags_and_reference(tmp_path):
    new, old = tmp_path / "new", tmp_path / "old"
    new.mkdir()
    old.mkdir()
    (new / "today.txt").write_text(article(1, COPIED), encoding="utf-8")
    (old / "x.txt").write_text(article(2, COPIED + " " + OTHER), encoding="utf-8")
    (old / "y.txt").write_text(article(3, OTHER), encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", str(new), "--reference", str(old), "--json", "-q"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["doc_a"], r["doc_b"]) for r in rows] == [("today.txt", "x.txt")]
    cfg = tmp_path / "reuse.toml"
    cfg.write_text('across_sources = true\nmin_score = 0.99\nsource = ["nowhere"]\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["scan", str(new), str(old), "--config", str(cfg), "--source", "x.txt",
                                    "--source", "today.txt", "--min-score", "0", "--json", "-q"])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert res.exit_code == 0 and [(r["doc_a"], r["doc_b"]) for r in rows] == [("today.txt", "x.txt")]
    table = CliRunner().invoke(main, ["scan", str(new), str(old), "--source", "x.txt", "--source", "today.txt",
                                      "--out", str(tmp_path / "o"), "-q"])
    assert table.stdout.splitlines()[0].endswith(", 1 outside --source/--since/--until")
