from reuse.config import ReuseConfig
from reuse.model import VERBATIM, Document
from reuse.stages.align.aligner import align_documents
from reuse.text.tokens import tokenize

from .conftest import article


def _passages(a: str, b: str, **settings) -> list[tuple[str, str, bool]]:
    da, db = Document("a", a), Document("b", b)
    found = align_documents(da, tokenize(a), db, tokenize(b), ReuseConfig(**settings))
    return [(p.text_a, p.text_b, p.kind == VERBATIM) for p in found]


def test_verbatim_copy_is_one_passage_with_exact_text(copied_passage):
    a, b = article(1, copied_passage), article(2, copied_passage)
    [(ta, tb, verbatim)] = _passages(a, b)
    assert ta == tb and verbatim
    assert copied_passage.startswith(ta.rstrip("."))


def test_edited_copy_is_one_fuzzy_passage_not_fragments(copied_passage):
    edited = copied_passage.replace("long debate", "lengthy and heated debate").replace("promised", "vowed")
    a, b = article(1, copied_passage), article(2, edited)
    [(ta, tb, verbatim)] = _passages(a, b)
    assert not verbatim
    assert ta.startswith("The committee approved") and tb.startswith("The committee approved")
    assert "heated debate" in tb and "summer season" in ta and "summer season" in tb


def test_short_common_phrases_are_not_passages():
    a = article(1, "at the end of the day")
    b = article(2, "at the end of the day")
    assert _passages(a, b, min_passage_words=8) == []


def test_unrelated_texts_share_nothing():
    assert _passages(article(1), article(2)) == []


def test_passage_repeated_twice_in_b_is_found_at_both_places(copied_passage):
    a = article(1, copied_passage)
    b = article(2, copied_passage + " " + " ".join(f"gap{k}" for k in range(40)) + ". " + copied_passage)
    assert len(_passages(a, b)) == 2
