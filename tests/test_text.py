from reuse.text.tokens import normalize, sentence_spans, tokenize


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
