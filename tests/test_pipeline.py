from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuse import Corpus, ReuseConfig, find_reuse
from reuse.text.tokens import tokenize

from .conftest import COPIED, article


def _check_offsets(results):
    for p in results.passages:
        ta, tb = results.document(p.doc_a).text, results.document(p.doc_b).text
        assert ta[p.a_start : p.a_end] == p.text_a
        assert tb[p.b_start : p.b_end] == p.text_b


def test_copied_paragraph_inside_long_articles_is_found_with_exact_offsets():
    a = article(1, COPIED, words=600)
    b = article(2, COPIED, words=600)
    results = find_reuse(Corpus.from_texts({"a": a, "b": b, "c": article(3, words=600)}))
    [p] = results.passages
    assert (p.doc_a, p.doc_b, p.kind) == ("a", "b", "verbatim")
    assert p.text_a == COPIED.rstrip(".") and a.index(COPIED) == p.a_start
    [top] = [x for x in results.pairs if x.n_passages]
    assert 0 < top.coverage_a < 0.2  # a paragraph, not the article
    assert results.pairs[0] == top and all(x.score < top.score for x in results.pairs[1:])


def test_copy_differing_only_by_nbsp_and_curly_quotes_is_found_exactly():
    original = 'He said the "Free Iran" rally in 2018 was the target of a bomb plot run by an Iranian diplomat named Assadollah Asadi.'
    styled = original.replace('"Free Iran"', "“Free Iran”").replace(" 2018", "\u00a02018").replace("bomb plot", "bomb\u00a0plot")
    a, b = article(4, original), article(5, styled)
    results = find_reuse(Corpus.from_texts({"a": a, "b": b}))
    [p] = results.passages
    assert p.kind == "verbatim"
    assert p.text_a == original.rstrip(".") and p.text_b == styled.rstrip(".")
    assert (p.a_start, p.b_start) == (a.index(original), b.index(styled))


def test_near_duplicate_documents_score_near_one_and_order_by_score():
    base = article(7, words=300)
    near = base.replace("w7x1 ", "changed ", 1)
    results = find_reuse(Corpus.from_texts({"base": base, "near": near, "other": article(8, words=300)}))
    assert results.pairs[0].doc_a == "base" and results.pairs[0].doc_b == "near"
    assert results.pairs[0].score > 0.9 and results.pairs[0].jaccard > 0.8
    assert results.stats["candidates"] >= 1


def test_lsh_candidates_alone_find_reuse_in_large_corpora():
    # all_pairs_max_docs=0 forces the candidate route used on big corpora.
    a, b = article(11, COPIED, words=600), article(12, COPIED, words=600)
    cfg = ReuseConfig(all_pairs_max_docs=0)
    results = find_reuse(Corpus.from_texts({"a": a, "b": b, "c": article(13, words=600)}), cfg)
    assert [(p.doc_a, p.doc_b) for p in results.passages] == [("a", "b")]


def test_a_single_document_has_no_pairs():
    results = find_reuse(Corpus.from_texts({"x": "short"}))
    assert results.pairs == [] and results.passages == []


seps = st.sampled_from([" ", "  ", "\n", "\u00a0", ", ", ". ", " “", "” "])


@st.composite
def planted(draw):
    def text(n):
        # distinct words: a real copied sentence, not one word repeated
        ws = draw(st.lists(st.text(alphabet="qwrtypsdfghjklzxcvbnmé", min_size=2, max_size=7), min_size=n, max_size=n, unique=True))
        return "".join(w + draw(seps) for w in ws)

    copy = text(draw(st.integers(12, 40)))
    a = text(draw(st.integers(0, 40))) + copy + text(draw(st.integers(0, 40)))
    b = text(draw(st.integers(0, 40))) + copy + text(draw(st.integers(0, 40)))
    return a, b


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planted())
def test_every_passage_is_exact_and_on_word_edges(texts):
    a, b = texts
    results = find_reuse(Corpus.from_texts({"a": a, "b": b}))
    _check_offsets(results)
    for p in results.passages:
        for text, s, e in ((a, p.a_start, p.a_end), (b, p.b_start, p.b_end)):
            toks = tokenize(text)
            assert s in set(toks.starts.tolist()) and e in set(toks.ends.tolist())
    assert results.passages, "a planted copy of >= 12 words must be found"


# --- scripts without spaces (character tokens) -------------------------------------------------

ZH_COPIED = "国家气象局周二发布暴雨橙色预警，预计未来三天南方多个省份将出现强降雨天气。"
JA_COPIED = "東京都は月曜日、新型の感染症に関する対策会議を開き、飲食店の営業時間の短縮を要請することを決めた。"


def test_a_chinese_sentence_copied_between_articles_is_verbatim_with_exact_offsets():
    a = "今年夏天的天气格外炎热。许多城市的用电量创下历史新高，电力公司呼吁市民节约用电。" + ZH_COPIED + "专家提醒居民减少外出。"
    b = "本报记者报道：" + ZH_COPIED + "当地政府已经组织人员转移低洼地区的群众，并储备了充足的救灾物资。"
    results = find_reuse(Corpus.from_texts({"a": a, "b": b}))
    [p] = results.passages
    assert p.kind == "verbatim" and p.text_a == p.text_b == ZH_COPIED.rstrip("。")
    assert (p.a_start, p.b_start) == (a.index(ZH_COPIED), b.index(ZH_COPIED))
    [pair] = results.pairs
    assert pair.jaccard > 0 and pair.coverage_b > 0.4


def test_a_japanese_sentence_of_kana_and_kanji_is_verbatim_with_exact_offsets():
    a = "都内の商店街では客足が戻りつつあった。" + JA_COPIED + "店主たちは不安を口にしている。"
    b = "速報です。" + JA_COPIED + "知事は記者会見で協力を呼びかけました。"
    results = find_reuse(Corpus.from_texts({"a": a, "b": b}))
    [p] = results.passages
    assert p.kind == "verbatim" and p.text_a == JA_COPIED.rstrip("。")
    assert (p.a_start, p.a_end, p.b_start) == (a.index(JA_COPIED), a.index(JA_COPIED) + len(JA_COPIED) - 1, 5)


def test_chinese_articles_on_one_topic_share_no_passage_for_a_shared_name():
    """Eight characters are a name, not a passage: character tokens count half a word."""
    a = "国家统计局新闻发言人周二表示，工业生产稳步回升，高技术制造业增长较快，消费市场持续恢复。"
    b = "分析人士认为出口是拉动增长的主要力量。国家统计局新闻发言人没有回答记者关于房地产市场的提问。"
    results = find_reuse(Corpus.from_texts({"a": a, "b": b}))
    assert results.passages == []
