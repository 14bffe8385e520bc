import numpy as np

from reuse.text.normalize import normalize
from reuse.text.tokens import sentence_spans, tokenize
from tests.oracle import TRICKY, random_texts, reference_tokenize


def test_token_spans_index_the_original_text():
    text = "Iran’s  “diplomat”\u00a0Assadollah Asadi—arrested."
    toks = tokenize(text)
    words = [text[s:e] for s, e in zip(toks.starts, toks.ends)]
    assert words == ["Iran", "s", "diplomat", "Assadollah", "Asadi", "arrested"]


def test_normalised_forms_fold_case_quotes_and_compatibility_characters():
    assert normalize("ﬁle") == "file"
    assert normalize("IRAN") == "iran"
    a, b = tokenize("the regime’s plot"), tokenize("The regime's PLOT")
    assert list(a.ids) == list(b.ids)


def test_nbsp_and_curly_quotes_do_not_change_token_ids():
    a = tokenize("the 2018 “Free Iran” gathering")
    b = tokenize('the\u00a02018 "Free Iran" gathering')
    assert list(a.ids) == list(b.ids)


def test_sentence_spans_cover_sentences_without_surrounding_space():
    text = "First one here. Second one?\n\n  Third block without stop"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First one here.", "Second one?", "Third block without stop"]


def test_tokenize_equals_the_reference_in_every_field():
    for text in TRICKY + random_texts(200, seed=2) + ["Plain ASCII words, only: 42 of them."]:
        a, b = tokenize(text), reference_tokenize(text)
        assert np.array_equal(a.starts, b.starts) and np.array_equal(a.ends, b.ends), repr(text)
        assert np.array_equal(a.ids, b.ids) and a.norms == b.norms, repr(text)


def test_lazy_norms_behave_like_the_tuple():
    for text in TRICKY:
        lazy, ref = tokenize(text, lazy_norms=True).norms, reference_tokenize(text).norms
        assert len(lazy) == len(ref) and [lazy[k] for k in range(len(ref))] == list(ref)
        assert lazy == ref and tuple(lazy) == ref and lazy[-1:] == ref[-1:]
        assert list(lazy.lengths()) == [len(t) for t in ref]
