"""The aligner's hard cases on small readable texts: verbatim, obfuscated, paraphrased, summarised
reuse, and topical documents that share no text (which must yield nothing)."""
from reuse import Corpus, ReuseConfig, find_reuse
from reuse.model import Document
from reuse.stages.align.aligner import align_documents
from reuse.stages.score import TOPIC_WEIGHT
from reuse.text.tokens import tokenize

SOURCE = (
    "The river town of Millbrook voted on Tuesday to build a new water treatment plant. "
    "Engineers had warned for years that the old filters could not remove the lead found in older pipes. "
    "The council approved a budget of forty million dollars after a long and heated debate about costs. "
    "Mayor Helen Ortiz promised that construction would begin before the end of the summer season. "
    "Residents will pay a small monthly surcharge on their water bills for the next twenty years. "
    "Several farmers objected that the plant would draw too much water from the river during droughts. "
    "The state environmental agency must still approve the design before any digging can start. "
    "Officials expect the finished plant to serve about sixty thousand households across the valley."
)

# Unrelated prose around the reuse: a gardening column (different vocabulary, real sentences).
FILLER_A = (
    "Tomatoes need at least six hours of direct sunlight every day to ripen well. "
    "Gardeners in cooler regions often start their seedlings indoors in late winter. "
    "A layer of straw mulch keeps the soil moist and discourages weeds from sprouting. "
    "Pinching off the small shoots between stems helps the plant put energy into fruit. "
)
FILLER_B = (
    "Basil grows best when it is planted next to peppers and kept away from mint. "
    "Water the beds early in the morning so the leaves can dry before evening. "
    "Crop rotation each spring reduces the diseases that build up in the same patch of ground. "
    "Compost made from kitchen scraps returns valuable nutrients to tired soil. "
)

COPY = (
    "Engineers had warned for years that the old filters could not remove the lead found in older pipes. "
    "The council approved a budget of forty million dollars after a long and heated debate about costs. "
    "Mayor Helen Ortiz promised that construction would begin before the end of the summer season."
)

# Random obfuscation: words shuffled, dropped, inserted and replaced by synonyms.
OBFUSCATED = (
    "For years engineers had cautioned that the old filters could not remove lead found in the older pipes. "
    "After a long heated debate about costs the council approved a budget of forty million dollars. "
    "Construction would begin before the end of summer, Mayor Helen Ortiz pledged to residents."
)

# A paraphrase such as a round trip through machine translation produces.
PARAPHRASE = (
    "For many years, technicians had cautioned that the ancient filters were unable to eliminate the lead "
    "present in older pipes. After a lengthy and heated discussion over expenses, the council approved a "
    "budget of forty million dollars. Mayor Helen Ortiz pledged that building works would start before "
    "summer is over."
)

SUMMARY = (
    "Millbrook approved a forty million dollar water treatment plant because old filters could not remove lead. "
    "Residents will pay a surcharge on water bills, and farmers worry about river water in droughts. "
    "The state agency must approve the design, and the plant should serve sixty thousand households."
)

# Same topic, no shared passage: another town, another story about water.
TOPICAL = (
    "In the hill village of Ashford, the water board postponed plans for a treatment plant again. "
    "Board members said the cost estimates from the engineering firm were far too high to accept. "
    "Some residents have complained for months about cloudy water coming from their kitchen taps. "
    "The board will meet again next month to consider a smaller filtration system instead. "
    "A spokesman said the state has offered a grant that could cover part of the expense."
)


def align(a: str, b: str, config: ReuseConfig | None = None):
    return align_documents(Document("a", a), tokenize(a), Document("b", b), tokenize(b),
                           config or ReuseConfig(short_phrases=False))


def only(passages):
    assert len(passages) == 1, passages
    return passages[0]


def test_verbatim_copy_is_one_verbatim_passage_with_exact_edges():
    a = FILLER_A + COPY + " " + FILLER_B
    p = only(align(a, SOURCE))
    assert p.kind == "verbatim" and p.score == 1.0
    assert p.text_a == p.text_b == COPY.rstrip(".")
    assert (p.a_start, p.b_start) == (a.index(COPY), SOURCE.index(COPY))


def test_randomly_obfuscated_copy_is_one_passage_covering_it():
    a = FILLER_A + OBFUSCATED + " " + FILLER_B
    p = only(align(a, SOURCE))
    assert p.kind in ("fuzzy", "paraphrase") and 0.3 < p.score < 1.0
    assert p.a_start == a.index(OBFUSCATED) and p.a_end >= a.index(OBFUSCATED) + len(OBFUSCATED) - 1
    assert p.text_b.startswith("Engineers had warned") and p.text_b.endswith("summer season")


def test_paraphrase_is_found_and_labelled_paraphrase():
    a = FILLER_A + PARAPHRASE + " " + FILLER_B
    p = only(align(a, SOURCE))
    assert p.kind == "paraphrase" and 0.3 < p.score < 1.0
    assert p.text_a.startswith("For many years") and p.text_a.endswith("summer is over")
    assert p.text_b.startswith("Engineers had warned") and p.text_b.endswith("summer season")


def test_summary_spans_the_whole_summarised_text():
    a = FILLER_A + SUMMARY + " " + FILLER_B
    p = only(align(a, SOURCE))
    assert p.text_a.startswith("Millbrook approved") and p.text_a.endswith("sixty thousand households")
    assert p.b_start == 0 and p.b_end == len(SOURCE) - 1  # the whole source, bar the final full stop
    assert p.kind == "paraphrase"


def test_topical_documents_without_shared_text_align_nothing():
    assert align(FILLER_A + TOPICAL + " " + FILLER_B, SOURCE) == []
    assert align(FILLER_A, FILLER_B) == []


def test_offsets_are_exact_and_sides_can_be_swapped():
    a = FILLER_A + PARAPHRASE + " " + FILLER_B
    [p] = align(a, SOURCE)
    [q] = align(SOURCE, a)
    assert (q.text_a, q.text_b) == (p.text_b, p.text_a)
    assert a[p.a_start:p.a_end] == p.text_a and SOURCE[p.b_start:p.b_end] == p.text_b


def test_paraphrased_passage_counts_in_the_pair_score():
    docs = {"src": SOURCE, "para": FILLER_A + PARAPHRASE + " " + FILLER_B, "topic": TOPICAL}
    results = find_reuse(Corpus.from_texts(docs), ReuseConfig(paraphrase=False))
    top = results.pairs[0]
    assert {top.doc_a, top.doc_b} == {"src", "para"} and top.kinds == ("paraphrase",)
    # ... and lifts the pair above anything shared topic words alone can give.
    assert max(top.coverage_a, top.coverage_b) > 0.3 and top.score > TOPIC_WEIGHT
    assert not any(p.n_passages for p in results.pairs[1:])


def test_seed_articles_on_one_topic_share_no_passage_level_reuse(seeds_dir):
    # Five advocacy articles on one topic: they share names and a few set phrases (reported as
    # short phrases by default), but the aligner must not turn shared topic words into passages.
    from reuse import read_paths

    results = find_reuse(read_paths([seeds_dir]), ReuseConfig(paraphrase=False, short_phrases=False, topic_pairs=True))
    assert len(results.pairs) == 10
    assert sum(1 for p in results.pairs if p.n_passages) <= 1


def test_short_phrases_are_reported_only_when_asked_for():
    phrase = "the annual report of the regional water authority for the year"
    a = FILLER_A + f"Critics quoted {phrase} at the meeting. " + FILLER_B
    b = f"Nobody had read {phrase} before the vote. " + TOPICAL
    [p] = align(a, b, ReuseConfig(short_phrases=True))
    assert p.kind == "verbatim" and p.text_a == phrase
    assert align(a, b, ReuseConfig(short_phrases=False)) == []


def test_aligner_settings_are_validated_with_a_fix_hint():
    import pytest

    from reuse.errors import ConfigError

    with pytest.raises(ConfigError, match="seed_min_cosine: 1.5 is out of range"):
        ReuseConfig(seed_min_cosine=1.5)
    with pytest.raises(ConfigError, match="summary_min_ratio"):
        ReuseConfig(summary_min_ratio=0.5)
