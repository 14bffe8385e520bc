from reuse.stages.align.runs import align_tokens
from reuse.text.tokens import tokenize

from .conftest import article


def _passages(a, b, **kw):
    ta, tb = tokenize(a), tokenize(b)
    out = []
    for al in align_tokens(ta, tb, **kw):
        a0, a1 = ta.char_span(al.a_first, al.a_last)
        b0, b1 = tb.char_span(al.b_first, al.b_last)
        out.append((a[a0:a1], b[b0:b1], al.is_verbatim))
    return out


def test_verbatim_copy_is_one_passage_with_exact_text(copied_passage):
    a, b = article(1, copied_passage), article(2, copied_passage)
    [(ta, tb, verbatim)] = _passages(a, b)
    assert ta == tb == copied_passage.rstrip(".") and verbatim


def test_edited_copy_is_one_fuzzy_passage_not_fragments(copied_passage):
    edited = copied_passage.replace("long debate", "lengthy and heated debate").replace("promised", "vowed")
    a, b = article(1, copied_passage), article(2, edited)
    [(ta, tb, verbatim)] = _passages(a, b)
    assert not verbatim
    assert ta.startswith("The committee approved") and tb.startswith("The committee approved")
    assert "heated debate" in tb and ta.endswith("summer season") and tb.endswith("summer season")


def test_short_common_phrases_are_not_passages():
    a = article(1, "at the end of the day")
    b = article(2, "at the end of the day")
    assert _passages(a, b, min_words=8) == []


def test_unrelated_texts_share_nothing():
    assert _passages(article(1), article(2)) == []


def test_passage_repeated_twice_in_b_is_found_at_both_places(copied_passage):
    a = article(1, copied_passage)
    b = article(2, copied_passage + " " + " ".join(f"gap{k}" for k in range(40)) + ". " + copied_passage)
    assert len(_passages(a, b)) == 2
