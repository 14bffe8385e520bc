"""The claim-evidence rule: what two sentences must share to be a talking point (issue 11, Finding 1)."""
from __future__ import annotations

import numpy as np

from reuse.api import find_reuse
from reuse.config import ReuseConfig
from reuse.model import Corpus, Results
from reuse.stages.talking.evidence import is_claim, judge
from tests.stages.talking.test_points import ARTICLE_C, ARTICLE_D, TOPIC_A, TOPIC_B, _units

# Two unrelated stories that happen to share a two-word name and one event phrase.
COACH = ("Carla Mendes, the new coach of the rowing club, said an obsessive compulsive eye for detail "
         "wins races on the river.")
COURT = ("A court in Lisbon heard that Carla Mendes sold forged paintings to collectors; a doctor called "
         "her obsessive compulsive since childhood.")


def scan(texts: dict[str, str], **config) -> Results:
    return find_reuse(Corpus.from_texts(texts), ReuseConfig(**config))


def test_a_shared_name_and_one_event_phrase_is_not_a_talking_point():
    # all_pairs_max_docs=0: like a large corpus, pairs come from the evidence index, not the aligner.
    texts = {"a": TOPIC_A, "b": TOPIC_B, "coach": COACH, "court": COURT, "c": ARTICLE_C, "d": ARTICLE_D}
    r = scan(texts, all_pairs_max_docs=0)
    # the same claim in other words still is one: actors, event and date
    assert {(p.doc_a, p.doc_b) for p in r.passages if p.kind == "paraphrase"} == {("a", "b")}
    assert not [p for p in r.pairs if {p.doc_a, p.doc_b} == {"coach", "court"}]


def test_words_adjacent_in_both_texts_are_one_piece_of_evidence():
    texts = [COACH, COURT, ARTICLE_C, ARTICLE_D]
    units = _units(texts)
    n_terms = max(int(u.terms.max()) for u in units if len(u.terms)) + 1
    background = np.zeros(n_terms, dtype=bool)
    surprise = np.full(n_terms, 2.0)
    m = judge(0, 0, units[0], 1, 0, units[1], 0.5, background, surprise)
    # "Carla Mendes" is one name; "obsessive compulsive" one event, not two
    assert (m.names, m.specifics, m.events) == (1, 0, 1)
    assert m.strength == 4.0
    words = judge(0, 0, units[0], 1, 0, units[1], 0.5, background, surprise, phrases=False)
    assert (words.names, words.events, words.strength) == (1, 2, 6.0)
    # a pair the index alone found must beat chance over all unit pairs; one the aligner nominated, log n
    n_units = sum(len(u) for u in units)
    assert not is_claim(m, 2, n_units, nominated=False)
    assert is_claim(words, 2, n_units, nominated=True)


# Unrelated sentences citing one name whose accents the source dropped ("Félix Enríquez Alcalá"):
# its pieces read as names ("Enr", "Alcal") and plain words ("lix", "quez"), one stretch of text.
CITED = ["Critics praised the pilot episode of the series directed by F lix Enr quez Alcal in a review.",
         "The ferry timetable changes next spring, the harbour board said, quoting F lix Enr quez Alcal again."]


def test_a_run_of_names_and_words_adjacent_in_both_texts_is_one_piece():
    units = _units([*CITED, ARTICLE_C, ARTICLE_D])
    n_terms = max(int(u.terms.max()) for u in units if len(u.terms)) + 1
    background = np.zeros(n_terms, dtype=bool)
    surprise = np.full(n_terms, 2.0)
    m = judge(0, 0, units[0], 1, 0, units[1], 0.5, background, surprise)
    # one coincidence (a name, at its rarest word), not two names and two events
    assert (m.names, m.specifics, m.events, m.strength) == (1, 0, 0, 2.0)
    assert not is_claim(m, 2, sum(len(u) for u in units))
    # inside a pair the aligner nominated, words still count one by one
    words = judge(0, 0, units[0], 1, 0, units[1], 0.5, background, surprise, phrases=False)
    assert (words.names, words.events) == (2, 2)


def test_documents_citing_one_name_are_no_talking_point():
    texts = {"a": TOPIC_A, "b": TOPIC_B, "pilot": CITED[0], "ferry": CITED[1], "c": ARTICLE_C, "d": ARTICLE_D}
    r = scan(texts, all_pairs_max_docs=0)
    assert not [p for p in r.pairs if {p.doc_a, p.doc_b} == {"pilot", "ferry"}]
    assert {(p.doc_a, p.doc_b) for p in r.passages if p.kind == "paraphrase"} == {("a", "b")}
