import numpy as np

from reuse.text.normalize import normalize
from reuse.text.tokens import sentence_spans, sentence_starts, tokenize
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
# --- scripts without spaces ------------------------------------------------------------------

from reuse.text.tokens import character_mask, is_character_token, word_count  # noqa: E402


def _words(text):
    t = tokenize(text)
    return [text[s:e] for s, e in zip(t.starts, t.ends)]


def test_chinese_and_japanese_characters_are_tokens_of_their_own():
    assert _words("外交部发言人说，today 2024年") == ["外", "交", "部", "发", "言", "人", "说", "today", "2024", "年"]
    # kana, the length mark and kanji alike; Latin letters beside them still form words
    assert _words("コーヒーをDrink東京") == ["コ", "ー", "ヒ", "ー", "を", "Drink", "東", "京"]


def test_thai_characters_keep_their_marks_and_hangul_keeps_words():
    assert _words("ไม่มี") == ["ไ", "ม่", "มี"]  # tone and vowel marks stay on their consonant
    assert _words("한국어 문장") == ["한국어", "문장"]  # Hangul separates words with spaces


def test_half_width_kana_normalise_like_full_width():
    assert list(tokenize("ｺｰﾋｰ").ids) == list(tokenize("コーヒー").ids)


def test_character_tokens_count_as_half_a_word():
    t = tokenize("Tokyo 東京タワー 2024")
    assert list(character_mask(t)) == [False, True, True, True, True, True, False]
    assert word_count(t, [0, 1, 2, 6]) == 3.0
    assert is_character_token("京") and not is_character_token("a") and not is_character_token("東京")


def test_sentence_spans_split_at_cjk_full_stops_and_thai_spaces():
    text = "今天下雨。明天呢？晴天！Then English. ฝนตกหนัก วันนี้"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "今天下雨。", "明天呢？", "晴天！", "Then English.", "ฝนตกหนัก", "วันนี้"]


def _starts_of_spans(text, tokens):
    """The first token of each span of sentence_spans: what sentence_starts must give."""
    spans = np.asarray(sentence_spans(text), np.int64).reshape(-1, 2)
    return np.searchsorted(tokens.starts, spans[:, 0]) if len(tokens) else np.empty(0, np.int64)


def test_sentence_starts_number_the_words_of_sentence_spans():
    rng = np.random.default_rng(3)
    alphabet = ["word", "Mr", "2024", "東", "ไม่", "é", " ", " ", "\n", "\n\n", " \n \n", "\t", "\u3000", "\xa0", "\x1c",
                ".", "...", "!", "?", "…", "。", "！", "｡", '"', "'", "”", "’", "»", ")", "]", "」", ",", "-", "😀"]
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(1, 40)))) for _ in range(3000)]
    texts += ["First one here. Second one?\n\n  Third block without stop", "Quote.\" Next. (Aside.) End.",
              "No end here", "今天下雨。明天呢？晴天！Then English. ฝนตกหนัก วันนี้", "...", ""]
    for text in texts:
        tokens = tokenize(text)
        assert np.array_equal(sentence_starts(text, tokens), _starts_of_spans(text, tokens)), repr(text)



def test_sentence_end_kernel_knows_the_patterns_white_space():
    import pytest
    import regex

    from reuse.jit import ENABLED

    if not ENABLED:
        pytest.skip("numba not installed: the pattern itself runs")
    from reuse.text.sentence_ends import CLASS, NEWLINE, SPACE

    space = regex.compile(r"\s")
    table = (CLASS >= SPACE) & (CLASS <= NEWLINE)
    assert [c for c in range(0x110000) if space.match(chr(c))] == np.flatnonzero(table).tolist()
