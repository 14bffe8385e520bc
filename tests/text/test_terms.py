import pytest

from reuse.text.terms import stem


@pytest.mark.parametrize("a,b", [
    ("expelled", "expulsion"), ("bomb", "bombing"), ("bombers", "bomb"), ("assassinations", "assassinating"),
    ("albania", "albanian"), ("terrorist", "terrorism"), ("planned", "plans"), ("decided", "decision"),
    ("embassies", "embassy"), ("centres", "centers"),
])
def test_word_variants_share_a_stem(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("a,b", [("bomb", "border"), ("council", "counsel"), ("state", "station")])
def test_different_words_keep_different_stems(a, b):
    assert stem(a) != stem(b)
