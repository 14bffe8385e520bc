from reuse.model import PASSAGE_KINDS, Corpus, Document, Pair, Passage, Skip, source_of, unique_documents


def test_unique_documents_keeps_the_first_of_an_id_and_lists_the_rest():
    skipped: list[Skip] = []
    items = [Document("a", "one", origin="f:1"), Skip("f:2", "bad"), Document("a", "two", origin="f:3"),
             Document("b", "three", origin="f:4")]
    assert [d.text for d in unique_documents(items, skipped)] == ["one", "three"]
    assert [s.source for s in skipped] == ["f:2", "f:3"] and "first seen at f:1" in skipped[1].reason
    corpus = Corpus.from_items(items)
    assert [d.id for d in corpus.documents] == ["a", "b"] and len(corpus.skipped) == 2


def test_a_swapped_pair_and_passage_see_the_same_evidence_from_the_other_side():
    pair = Pair("a", "b", 0.5, 0.3, 0.1, 0.2, 0.4, 1, 0.6, 0.7, ("x",), ("fuzzy",))
    back = pair.swapped()
    assert (back.doc_a, back.containment_a, back.coverage_a) == ("b", 0.4, 0.7) and back.swapped() == pair
    p = Passage("a", 0, 5, "b", 10, 15, "fuzzy", 0.8, "hello", "hallo", 1, ("x",), (0, 0), (2, 2))
    q = p.swapped()
    assert (q.doc_a, q.a_start, q.text_a, q.a_words) == ("b", 10, "hallo", (2, 2)) and q.swapped() == p


def test_source_of_falls_back_to_the_document_and_kinds_are_ordered():
    assert source_of(Document("x", "t", source="Herald")) == "Herald" and source_of(Document("x", "t")) == "x"
    assert PASSAGE_KINDS == ("verbatim", "fuzzy", "paraphrase")
