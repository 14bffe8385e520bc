"""Per-word facts for claim matching: a word's lemma and term, read once per distinct word."""
from __future__ import annotations

import numpy as np

from reuse.text import lexicon
from reuse.text.tokens import tokenize


def _lemminflect_lemma(word: str) -> str:
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    return next((found[pos][0].lower() for pos in lexicon._LEMMA_ORDER if pos in found), word)


def test_lemmas_are_lemminflects_read_from_its_tables():
    from lemminflect.core.Lemmatizer import Lemmatizer

    table = Lemmatizer()._getLemmaDict()
    words = [w for w in table if w.isalpha()][::7] + ["was", "seized", "bombing", "okay", "cyclopes", "xyzzy", "straße"]
    assert [lexicon.lemma(w) for w in words] == [_lemminflect_lemma(w) for w in words]
    assert lexicon.lemma("was") == "be" and lexicon.lemma("bombers") == "bomber"


def test_a_word_is_read_once_and_its_facts_gathered_per_token():
    lex = lexicon.Lexicon()
    t = tokenize("The bombers were expelled in December 2018, the bombers said.")
    uniq, rows, codes = lex.words(t.ids, t.norms)
    assert len(uniq) == len(set(t.ids.tolist())) and np.array_equal(uniq[codes], t.ids)
    flags = lex.flags[rows[codes]]
    norms = list(t.norms)
    assert flags[norms.index("the")] & lexicon.FLAG_CONTENT == 0
    assert flags[norms.index("2018")] & lexicon.FLAG_NUMBER and flags[norms.index("december")] & lexicon.FLAG_MONTH
    terms = lex.terms[rows[codes]]
    assert terms[norms.index("bombers")] == terms[len(norms) - 2] != 0  # both "bombers": one term
    again = lex.words(t.ids, lambda k: (_ for _ in ()).throw(AssertionError("read again")))
    assert np.array_equal(again[1], rows)
