"""Talking points: paraphrase passages, suppression of boilerplate and names, clusters, --meta."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.api import find_reuse
from reuse.cli import main
from reuse.config import ReuseConfig
from reuse.errors import ConfigError
from reuse.eval.annotation import baseline_passages, evaluate, load_pairs
from reuse.io.readers import read_paths
from reuse.model import Corpus, Document, Passage, Results
from reuse.stages.score import TOPIC_WEIGHT
from reuse.stages.talking.cluster import cluster_passages
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"

# Four short articles: A and B make the same two claims in different words; C and D are about
# other things (they give the corpus its term statistics).
ARTICLE_A = (
    "The city council voted on Tuesday to close the Riverside bridge after engineers found deep cracks "
    "in its steel supports. Residents have complained about potholes on the ring road for years. "
    "The council set aside 8 million dollars for the repairs and asked the state to share the cost."
)
ARTICLE_B = (
    "Schools will open an hour later next month because of a shortage of bus drivers. "
    "Inspectors discovered serious cracking in the steel supports of Riverside bridge, so councillors "
    "shut it on Tuesday. A budget of 8 million dollars was approved by councillors, who want the state to pay part."
)
ARTICLE_C = (
    "The regional orchestra announced its winter season on Monday, with music by Brahms and Sibelius. "
    "Tickets go on sale next week, and students can buy seats for half price at every concert."
)
ARTICLE_D = (
    "Heavy rain flooded several streets in the old town overnight, and firefighters pumped water "
    "out of cellars until dawn. The weather service expects drier days from Thursday onwards."
)


def scan(texts: dict[str, str], **config) -> Results:
    return find_reuse(Corpus.from_texts(texts), ReuseConfig(**config))


# --- paraphrase passages -----------------------------------------------------------------------

def test_reworded_claims_are_paraphrase_passages_with_exact_offsets():
    texts = {"a": ARTICLE_A, "b": ARTICLE_B, "c": ARTICLE_C, "d": ARTICLE_D}
    r = scan(texts)
    para = [p for p in r.passages if p.kind == "paraphrase"]
    assert {(p.doc_a, p.doc_b) for p in para} == {("a", "b")}
    assert len(para) == 2
    bridge, money = sorted(para, key=lambda p: p.a_start)
    assert bridge.text_a.startswith("The city council voted on Tuesday")
    assert bridge.text_b.startswith("Inspectors discovered serious cracking")
    assert money.text_a.startswith("The council set aside 8 million dollars")
    assert money.text_b.startswith("A budget of 8 million dollars")
    for p in para:
        assert texts[p.doc_a][p.a_start:p.a_end] == p.text_a
        assert texts[p.doc_b][p.b_start:p.b_end] == p.text_b
        assert p.text_a[0].isalnum() and p.text_a[-1].isalnum()  # word edges
        assert 0.0 < p.score <= 1.0
        assert p.a_words is not None and p.b_words is not None
    assert {"cracks", "steel", "supports"} <= set(bridge.shared_terms)
    assert {"8", "million", "dollars"} <= set(money.shared_terms)
    # The unrelated sentences ("potholes", "bus drivers") are not matched.
    assert not any("potholes" in p.text_a or "drivers" in p.text_b for p in para)
    # The pair's score accounts for the paraphrases: above what topic alone can give.
    pair = next(p for p in r.pairs if (p.doc_a, p.doc_b) == ("a", "b"))
    assert "paraphrase" in pair.kinds and pair.score > 2 * TOPIC_WEIGHT and pair.n_passages == 2


TWO_SENTENCES = ("The mayor spoke to reporters after the storm. Engineers inspected the Riverside bridge on Monday "
                 "morning. They found deep cracks in its steel supports and ordered it closed.\n\nThe festival "
                 "will go ahead as planned.")
ONE_SENTENCE = ("On Monday morning inspectors discovered cracking in the steel supports of the Riverside bridge and "
                "closed it. Traffic was diverted through the old town.")


def test_a_claim_told_in_two_sentences_meets_its_one_sentence_restatement():
    texts = {"a": TWO_SENTENCES, "b": ONE_SENTENCE, "c": ARTICLE_C, "d": ARTICLE_D}
    para = [p for p in scan(texts).passages if p.kind == "paraphrase"]
    assert len(para) == 1  # one passage, not one per sentence of A
    (p,) = para
    assert p.text_a == ("Engineers inspected the Riverside bridge on Monday morning. They found deep cracks in its "
                        "steel supports and ordered it closed")
    assert p.text_a == TWO_SENTENCES[p.a_start:p.a_end] and p.text_b == ONE_SENTENCE[p.b_start:p.b_end]
    assert p.text_b.startswith("On Monday morning inspectors") and p.text_b.endswith("closed it")
    assert {"riverside", "monday", "steel", "supports"} <= set(p.shared_terms)
    # Sentence by sentence, each half matches on its own, and each half less well.
    single = [q for q in scan(texts, paraphrase_window=1).passages if q.kind == "paraphrase"]
    assert len(single) == 2 and all(q.score < p.score for q in single)
    assert all(q.text_a in p.text_a for q in single)


def _units(texts: list[str], window: int = 2, min_words: int = 3) -> list:
    """Claim units of ``texts`` as the stage builds them (both passes, inline)."""
    import numpy as np

    from reuse.stages.talking.units import count_batch, merge, units_batch

    counts = count_batch(texts, [-1] * len(texts), min_words)
    model, _, _ = merge([counts], min_docs=2, background_share=0.25)
    return units_batch(counts.readings, [np.empty((0, 2), np.int64)] * len(texts), model, window=window)


def test_windows_stay_inside_a_paragraph():
    (u,) = _units([TWO_SENTENCES])
    assert u.n_sentences == 4
    sents, windows = u.words[:4], u.words[4:]
    # Sentences 1+2 and 2+3 of the first paragraph; nothing joins the third to the festival line.
    assert [tuple(w) for w in windows] == [(sents[0, 0], sents[1, 1]), (sents[1, 0], sents[2, 1])]
    (single,) = _units([TWO_SENTENCES], window=1)
    assert len(single) == 4
    for (s, e), (f, last) in zip(u.chars, u.words):
        assert TWO_SENTENCES[s:e].split()[0].strip(".") and s < e and f <= last


# --- claim evidence ----------------------------------------------------------------------------
# Two articles on one topic ("the regime", "terror" in most of their sentences): one claim in
# common, told with other words and another word order; everything else shares only the topic.
TOPIC_A = (
    "The regime has relied on terror for decades, its critics say. "
    "Albania expelled Iran's ambassador and the head of its intelligence station in December 2018. "
    "Officials said the regime used its embassy to plan terror against dissidents. "
    "The regime denies any role in terror plots in Europe. "
    "Local elections in Tirana passed without incident this spring."
)
TOPIC_B = (
    "Terror remains the regime's favourite tool against opponents abroad. "
    "In December 2018 the Albanian government ordered the expulsion of the Iranian ambassador and an "
    "intelligence officer. "
    "The regime answered every protest at home with more terror. "
    "Western governments have been slow to confront the regime over terror."
)


def test_a_reworded_claim_with_the_same_actors_and_event_is_a_passage():
    texts = {"a": TOPIC_A, "b": TOPIC_B, "c": ARTICLE_C, "d": ARTICLE_D}
    para = [p for p in scan(texts).passages if p.kind == "paraphrase"]
    assert len(para) == 1
    (p,) = para
    assert p.text_a.startswith("Albania expelled") and p.text_b.startswith("In December 2018 the Albanian")
    # the evidence, in the forms each side uses: actor/place, event, date
    assert {"albania", "albanian", "expelled", "expulsion", "ambassador", "december", "2018"} <= set(p.shared_terms)


def test_sentences_sharing_only_the_topic_are_not_passages():
    texts = {"a": TOPIC_A, "b": TOPIC_B, "c": ARTICLE_C, "d": ARTICLE_D}
    para = [p for p in scan(texts, paraphrase_min_score=0.0).passages if p.kind == "paraphrase"]
    # "the regime ... terror" is in most sentences of both: however similar, those pairs are topic
    assert all("Albania" in p.text_a for p in para) and len(para) == 1


def test_claims_are_found_between_documents_the_aligner_never_compares():
    # all_pairs_max_docs=0: like a corpus of millions, only pairs sharing wording are aligned;
    # the claim still comes from the evidence index over sentences.
    texts = {"a": TOPIC_A, "b": TOPIC_B, "c": ARTICLE_C, "d": ARTICLE_D}
    r = scan(texts, all_pairs_max_docs=0)
    para = [p for p in r.passages if p.kind == "paraphrase"]
    assert [(p.doc_a, p.doc_b) for p in para] == [("a", "b")]
    (pair,) = [q for q in r.pairs if (q.doc_a, q.doc_b) == ("a", "b")]
    assert pair.kinds == ("paraphrase",) and pair.n_passages == 1 and pair.tfidf_cosine > 0


def test_units_kept_in_a_scratch_folder_give_the_same_talking_points(tmp_path):
    from reuse.stages.talking.points import CorpusAccess, talking_points

    class OnDisk(CorpusAccess):
        def scratch(self) -> Path:
            return tmp_path

    docs = [Document(id=k, text=t, origin=k) for k, t in {"a": TOPIC_A, "b": TOPIC_B, "c": ARTICLE_C, "d": ARTICLE_D}.items()]
    want = talking_points(docs, [], ReuseConfig())
    got = talking_points(docs, [], ReuseConfig(), OnDisk(docs))
    assert want.passages and (want.pairs, want.passages, want.clusters) == (got.pairs, got.passages, got.clusters)
    assert list(tmp_path.iterdir()) == []


def test_lemmas_meet_across_inflection_and_derivation():
    from reuse.text.lexicon import term_of

    assert term_of("expelled") == term_of("expulsion") == term_of("expel")
    assert term_of("was") == term_of("be") and term_of("seized") == term_of("seize")
    assert term_of("bombers") == term_of("bomb") and term_of("arrested") == term_of("arrest")
    assert term_of("2018") == "2018"


def test_paraphrase_can_be_switched_off():
    r = scan({"a": ARTICLE_A, "b": ARTICLE_B, "c": ARTICLE_C, "d": ARTICLE_D}, paraphrase=False)
    assert not [p for p in r.passages if p.kind == "paraphrase"]


def test_config_validates_talking_point_settings():
    with pytest.raises(ConfigError, match="paraphrase_min_score"):
        ReuseConfig(paraphrase_min_score=1.5)
    with pytest.raises(ConfigError, match="boilerplate_min_docs"):
        ReuseConfig(boilerplate_min_docs=1)
    with pytest.raises(ConfigError, match="paraphrase"):
        ReuseConfig(paraphrase="yes")
    with pytest.raises(ConfigError, match="paraphrase_window"):
        ReuseConfig(paraphrase_window=0)


# --- suppression -------------------------------------------------------------------------------

SIGN_OFF = ("Subscribe to the Harbour Herald for local news, sport and weather delivered to your inbox "
            "every single morning of the week.")
NAME = "the National Council of Resistance of Iran (NCRI)"


def _docs_with_sign_off() -> list[Document]:
    return [
        Document(id="h1", source="herald", text=f"{ARTICLE_C}\n\n{SIGN_OFF}"),
        Document(id="h2", source="herald", text=f"{ARTICLE_D}\n\n{SIGN_OFF}"),
        Document(id="g1", source="gazette", text=ARTICLE_A),
    ]


def test_phrase_repeated_within_one_source_is_boilerplate():
    r = find_reuse(Corpus(documents=_docs_with_sign_off()), ReuseConfig())
    assert not r.passages
    assert r.stats["suppressed"] == 1  # the aligner found it; the corpus stage dropped it


def test_phrase_repeated_across_sources_is_kept():
    docs = _docs_with_sign_off() + [Document(id="g2", source="gazette", text=f"{ARTICLE_B}\n\n{SIGN_OFF}")]
    r = find_reuse(Corpus(documents=docs), ReuseConfig())
    verbatim = [p for p in r.passages if p.kind == "verbatim"]
    assert {(p.doc_a, p.doc_b) for p in verbatim} == {("h1", "h2"), ("h1", "g2"), ("h2", "g2")}
    assert all(p.text_a.startswith("Subscribe to the Harbour Herald") for p in verbatim)


def test_without_sources_each_document_is_its_own_source():
    docs = [Document(id=d.id, text=d.text) for d in _docs_with_sign_off()]
    r = find_reuse(Corpus(documents=docs), ReuseConfig())
    assert [(p.doc_a, p.doc_b, p.kind) for p in r.passages] == [("h1", "h2", "verbatim")]


def test_a_bare_name_is_not_reuse():
    texts = {
        "x": f"Yesterday a spokesman for {NAME} told reporters in Berlin that the weather had been kind.",
        "y": f"Farmers met a delegation from {NAME} at the cattle market on Friday to discuss grain prices.",
        "z": ARTICLE_C,
    }
    r = scan(texts)
    assert r.passages == []
    assert r.stats["suppressed"] == 1
    kept = scan(texts, min_claim_words=0)  # the aligner does find the name; suppression is what drops it
    assert [p.text_a for p in kept.passages] == [NAME[:-1]]


def test_a_claim_around_a_name_is_kept():
    claim = f"{NAME} said the regime planned to bomb the rally near Paris in June"
    texts = {"x": f"On Monday {claim}, according to the police.", "y": f"Critics noted that {claim} last year.",
             "z": ARTICLE_C}
    r = scan(texts)
    assert len(r.passages) == 1 and r.passages[0].kind == "verbatim"


# --- clusters ----------------------------------------------------------------------------------

def _p(a: str, a0: int, a1: int, b: str, b0: int, b1: int, kind: str = "paraphrase", score: float = 0.5,
       terms: tuple[str, ...] = ()) -> Passage:
    return Passage(doc_a=a, a_start=a0, a_end=a1, doc_b=b, b_start=b0, b_end=b1, kind=kind, score=score,
                   text_a="", text_b="", shared_terms=terms)


def test_overlapping_passages_join_into_one_cluster():
    docs = [
        Document(id="A", text="a" * 100, source="Herald", date="2020-03-01"),
        Document(id="B", text="b" * 100, source="Gazette", date="2019-12-24"),
        Document(id="C", text="c" * 100, date=None),
        Document(id="D", text="d" * 100, source="Herald", date="2021-01-01"),
        Document(id="E", text="e" * 100, source="Post", date="2018-05-05"),
    ]
    passages = [
        _p("A", 0, 10, "B", 0, 10, terms=("bomb", "paris")),
        _p("B", 5, 15, "C", 20, 30, kind="verbatim", score=1.0, terms=()),  # overlaps B[0:10]
        _p("A", 50, 60, "D", 50, 60, terms=("expel",)),  # a second, separate talking point
        _p("D", 70, 80, "E", 0, 9),  # a third one, touching D elsewhere
    ]
    clusters = cluster_passages(passages, docs)
    assert len(clusters) == 3
    first = clusters[0]
    assert first.id == 1
    assert [(m.doc, m.start, m.end) for m in first.members] == [("A", 0, 10), ("B", 0, 15), ("C", 20, 30)]
    assert first.sources == ("Herald", "Gazette", "C")  # C has no source: its id stands in
    assert (first.first_seen, first.last_seen) == ("2019-12-24", "2020-03-01")
    assert first.kinds == ("verbatim", "paraphrase") and first.shared_terms == ("bomb", "paris")
    assert first.members[1].text == "b" * 15
    # Clusters are listed by number of sources: A-D share one source (Herald), D-E has two.
    assert [c.sources for c in clusters[1:]] == [("Herald", "Post"), ("Herald",)]
    assert clusters[2].first_seen == "2020-03-01" and clusters[2].last_seen == "2021-01-01"


def test_average_linkage_stops_a_weak_passage_from_chaining_two_talking_points():
    import numpy as np
    from scipy import sparse

    docs = [Document(id=k, text="x" * 100) for k in "ABCD"]
    passages = [
        _p("A", 0, 10, "B", 0, 10, score=0.6),  # talking point 1: A-B
        _p("C", 0, 10, "D", 0, 10, score=0.6),  # talking point 2: C-D
        _p("B", 0, 10, "C", 0, 10, score=0.2),  # a weak bridge between them
    ]
    topic = {"A": 0, "B": 0, "C": 1, "D": 1}

    # one row per passage side (A then B): A and B talk about topic 0, C and D about topic 1
    sides = [doc for p in passages for doc in (p.doc_a, p.doc_b)]
    vectors = sparse.csr_matrix(np.array([[1.0, 0.0] if topic[doc] == 0 else [0.0, 1.0] for doc in sides]))

    assert len(cluster_passages(passages, docs)) == 1  # plain union-find chains them
    guarded = cluster_passages(passages, docs, vectors=vectors, min_link=0.15)
    assert sorted(tuple(m.doc for m in c.members) for c in guarded) == [("A", "B"), ("C", "D")]


def test_cluster_label_is_the_best_linked_sentence():
    texts = {"a": ARTICLE_A, "b": ARTICLE_B, "c": ARTICLE_C, "d": ARTICLE_D,
             "e": "Councillors said on Tuesday the Riverside bridge stays shut while cracks in its steel supports "
                  "are repaired."}
    r = scan(texts)
    bridge = next(c for c in r.clusters if "Riverside" in c.label)
    assert {m.doc for m in bridge.members} == {"a", "b", "e"}
    assert bridge.label in {" ".join(m.text.split()) for m in bridge.members}
    assert r.stats["clusters"] == len(r.clusters)


# --- --meta, clusters.jsonl --------------------------------------------------------------------

def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (d / "c.txt").write_text(ARTICLE_C, encoding="utf-8")
    (d / "d.txt").write_text(ARTICLE_D, encoding="utf-8")
    return d


def test_scan_with_meta_writes_clusters_with_sources_and_dates(tmp_path):
    folder = _folder(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("id,source,date,title\na.txt,Herald,2024-05-02,Bridge shut\nb,Gazette,2024-04-30,\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scan", str(folder), "--meta", str(meta), "--out", str(out),
                                       "--formats", "jsonl", "-q"])
    assert result.exit_code == 0, result.output
    assert "talking points" in result.output
    clusters = [json.loads(line) for line in (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(clusters) == 2
    for c in clusters:
        assert set(c) >= {"id", "label", "members", "sources", "first_seen", "last_seen"}
        assert c["sources"] == ["Herald", "Gazette"]
        assert (c["first_seen"], c["last_seen"]) == ("2024-04-30", "2024-05-02")
        for m in c["members"]:
            text = (folder / m["doc"]).read_text(encoding="utf-8")
            assert text[m["start"]:m["end"]] == m["text"]


# --- the seed corpus and graded reuse ----------------------------------------------------------

def test_seed_talking_points_are_found(seeds_dir):
    r = find_reuse(read_paths([seeds_dir]))
    labels = " ".join(c.label for c in r.clusters[:3])
    assert "bomb" in labels.lower() or "plot" in labels.lower()
    expelled = [c for c in r.clusters if "expel" in c.label.lower()]
    assert expelled and len(expelled[0].sources) >= 4
    # No reported passage is only the shared name.
    assert not any(p.text_a.strip(" (").lower().startswith("the national council of resistance") and
                   len(p.text_a.split()) <= 9 for p in r.passages)
    scores = evaluate(r.passages, r.clusters, load_pairs(FIXTURES / "seed_talking_points.jsonl"))
    # The annotation lists every cross-document pair of sentences stating one claim (114 pairs of
    # 21 claims); these floors guard against regressions, the numbers are in the README.
    assert scores.precision >= 0.75 and scores.recall >= 0.33 and scores.cluster_recall >= 0.4
    # ... and they beat plain sentence TF-IDF (about as many passages at cosine 0.2) on both counts.
    plain = evaluate(baseline_passages(read_paths([seeds_dir]).documents, 0.2), [],
                     load_pairs(FIXTURES / "seed_talking_points.jsonl"))
    assert abs(plain.reported - scores.reported) <= 15
    assert scores.recall >= plain.recall + 0.05 and scores.precision >= plain.precision + 0.2


@pytest.mark.parametrize("folder", ["graded", "graded_bayes"])
def test_headline_score_ranks_graded_reuse(folder):
    """Human-written grades of reuse of ``original.txt``: copied > light > heavy > independent.

    ``independent.txt`` is written without looking at the original, on the same subject (the
    bridge story shares the bridge, the street and the suburbs), so shared topic words alone
    must not lift it to the level of a reworded copy.
    """
    r = find_reuse(read_paths([FIXTURES / folder]))
    score = {frozenset((p.doc_a, p.doc_b)): p.score for p in r.pairs}

    def s(name: str) -> float:
        return score.get(frozenset(("original.txt", name)), 0.0)

    assert s("copied.txt") > s("light.txt") > s("heavy.txt") > s("independent.txt")
    assert s("heavy.txt") > 2 * s("independent.txt")


# --- properties --------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = ["Paris", "bomb", "plot", "foiled", "the", "embassy", "expelled", "Albania", "in", "2018", "diplomat",
          "arrested", "rally", "and", "of", "“Free", "Iran”", "regime’s", "police", "network", "—", "1,000"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(_WORDS), min_size=3, max_size=14), min_size=1, max_size=5),
                min_size=2, max_size=4))
def test_every_passage_and_member_is_an_exact_slice_on_word_edges(docs):
    texts = {f"d{k}": "\n".join(" ".join(s) + "." for s in sentences) for k, sentences in enumerate(docs)}
    r = find_reuse(Corpus.from_texts(texts), ReuseConfig(min_passage_words=3))
    for p in r.passages:
        assert texts[p.doc_a][p.a_start:p.a_end] == p.text_a and texts[p.doc_b][p.b_start:p.b_end] == p.text_b
        assert 0.0 < p.score <= 1.0
        for text, s, e in ((texts[p.doc_a], p.a_start, p.a_end), (texts[p.doc_b], p.b_start, p.b_end)):
            assert e > s and text[s].isalnum() and text[e - 1].isalnum()
    for c in r.clusters:
        assert len({m.doc for m in c.members}) >= 2
        assert all(texts[m.doc][m.start:m.end] == m.text for m in c.members)


def test_background_is_topic_words_or_words_spread_over_a_large_corpus():
    from reuse.stages.talking.units import count_batch, merge
    from reuse.text.lexicon import term_of
    from reuse.text.tokens import token_hash

    def background(texts: list[str]) -> set[str]:
        model, flags, _ = merge([count_batch(texts, [-1] * len(texts), 3)], min_docs=2, background_share=0.25)
        words = {w.strip(".").lower() for t in texts for w in t.split()}
        by_hash = {token_hash("\x01" + term_of(w)): w for w in words}
        return {by_hash[int(h)] for h, f in zip(model.vocab, flags) if f and int(h) in by_hash}

    claim = "Officials said the country expelled the ambassador in December."
    few = [f"{claim} Local weather was mild in town number {k}." for k in range(5)]
    assert background(few) == set()  # five documents repeating a claim: still evidence
    topical = [f"The regime acted. The regime spoke today. Kids played {k} games." for k in range(5)]
    assert "regime" in background(topical)  # recurs within each document, in most sentences
    many = [f"Local weather was mild in town number {k} on market day." for k in range(24)]
    many += [claim, claim.replace("Officials said", "Reports say")]
    bg = background(many)
    assert "weather" in bg and "expelled" not in bg and "ambassador" not in bg


def test_first_and_last_seen_compare_iso_dates_as_times():
    docs = [Document(id="A", text="a" * 50, date="2019-06-10T08:00:00+02:00"),
            Document(id="B", text="b" * 50, date="2019-06-10"),
            Document(id="C", text="c" * 50, date="2019-06-09T23:30:00-05:00")]
    (c,) = cluster_passages([_p("A", 0, 9, "B", 0, 9), _p("B", 5, 12, "C", 0, 9)], docs)
    # as text, C would come first; as times B (00:00 UTC) < C (04:30 UTC) < A (06:00 UTC)
    assert (c.first_seen, c.last_seen) == ("2019-06-10", "2019-06-10T08:00:00+02:00")


def test_a_new_pairs_overlap_is_that_of_its_shingle_sets(monkeypatch):
    import reuse.stages.talking.points as pts
    from reuse.stages.score import set_overlap
    from reuse.text.shingle import shingle_hashes
    from reuse.text.tokens import tokenize

    docs = [Document(id=f"d{k}", text=t) for k, t in enumerate([ARTICLE_A, ARTICLE_B, ARTICLE_A + " " + ARTICLE_C, ""])]
    monkeypatch.setattr(pts, "KEPT", 2)  # documents leave the cache and come back
    access = pts.CorpusAccess(docs)
    for i, j in [(0, 1), (0, 2), (1, 2), (2, 3), (0, 2), (3, 0)]:
        pair = access.new_pair(i, j, 3)
        want = set_overlap(*(shingle_hashes(tokenize(docs[k].text).ids, 3) for k in (i, j)))
        assert (pair.jaccard, pair.containment_a, pair.containment_b) == want
        assert len(access._tokens) <= 2 and len(access._shingles) <= 2
    assert access.new_pair(0, 2, 3).containment_a == 1.0  # every shingle of A is in A + C


def test_the_kept_values_are_the_last_used():
    from reuse.stages.talking.points import KEPT, _kept

    cache: dict = {}
    made = []
    for key in [1, 2, 1, *range(10, 10 + KEPT - 1), 1, 2]:
        _kept(cache, key, lambda key=key: made.append(key) or key * 10)
    assert made.count(1) == 1 and made.count(2) == 2  # 1 was used again: 2 left first
    assert len(cache) == KEPT and list(cache)[-2:] == [1, 2]
