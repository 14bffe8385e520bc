"""Reading documents for claims: surface forms of evidence, line hashes, a batch's compact readings."""
from __future__ import annotations

import numpy as np
import pytest

from reuse.stages.talking.sentences import analyse_batch, line_hashes, surface_forms
from reuse.text.lexicon import LEXICON
from reuse.text.shingle import GOLDEN64, fmix64
from reuse.text.tokens import tokenize
from tests.oracle import TRICKY, random_texts
from tests.stages.talking.reading_oracle import FIELDS, reference_reading


def test_surface_forms_of_words_the_lexicon_has_never_seen():
    # a fresh process (the parent of the engine's workers) meets these words here first
    a, b = "The zorblaxians zorblaxed the quuxifier.", "A zorblaxian zorblaxes quuxifiers"
    ids = tokenize(a + " " + b).ids
    rows = LEXICON.rows(ids, tokenize(a + " " + b).norms)
    terms = np.unique(LEXICON.terms[rows][LEXICON.terms[rows] > 0])
    forms = surface_forms([(a, 5), (b, 3)], terms)
    assert sorted(w for words in forms.values() for w in words) == sorted(
        ["zorblaxians", "zorblaxed", "quuxifier", "zorblaxian", "zorblaxes", "quuxifiers"])
    # only the requested terms, each with its words in order of appearance, side after side
    one = surface_forms([(a, 5), (b, 3)], terms[:1])
    assert list(one) == [int(terms[0])]


def test_line_hashes_fold_each_piece_so_equal_pieces_hash_equal():
    ids = np.array([5, 7, 9, 5, 7, 11, 5, 7, 9], dtype=np.uint64)
    h = line_hashes(ids, np.array([[0, 2], [3, 4], [6, 8], [2, 1], [0, 0]]))
    assert len(h) == 4  # the empty piece (first > last) has none
    assert h[0] == h[2] and len(set(h.tolist())) == 3
    fold = (5 * GOLDEN64 + 7) * GOLDEN64 + 9
    assert h[0] == fmix64(np.array([fold % (1 << 64)], dtype=np.uint64))[0]


def test_a_batch_reading_keeps_units_and_their_spans_without_the_text():
    texts = ["First claim is made here today. Second claim follows it now.\n\nA new paragraph starts here.",
             "", "Short."]
    r, _, _ = analyse_batch(texts, 3)
    assert len(r) == 3 and list(np.diff(r.token_at)) == [len(tokenize(t)) for t in texts]
    assert np.array_equal(r.words.ids[r.codes], np.concatenate([tokenize(t).ids for t in texts]))
    spans = [texts[0][s:e] for s, e in r.unit_chars[r.unit_at[0] : r.unit_at[1]].tolist()]
    assert spans == ["First claim is made here today", "Second claim follows it now", "A new paragraph starts here"]
    lines = r.unit_lines[r.unit_at[0] : r.unit_at[1]]
    assert lines[0, 1] == lines[1, 0] and lines[2, 0] > lines[1, 1]  # the third unit is in another paragraph


def test_titles_and_initials_do_not_end_sentences_but_line_breaks_do():
    text = "President-elect Mrs. Maryam Rajavi spoke. J. R. Smith agreed today. Dr. Chen left.\nDr.\nNew line here."
    r, _, _ = analyse_batch([text], 1)
    assert [text[s:e] for s, e in r.unit_chars.tolist()] == [
        "President-elect Mrs. Maryam Rajavi spoke", "J. R. Smith agreed today", "Dr. Chen left", "Dr", "New line here"]


def _abbreviation_texts(n: int) -> list[str]:
    import random

    rng = random.Random(3)
    parts = ["Mr.", "Dr.", "S.", "A.", "etc.", "vs.", "x_Dr.", "Hello.", "e.g.", " ", " ", "\n", "\n\n", "\t", ". ",
             "word", "Word", "WORD", '"', "”", ")", "—", "。", "ไทย", " ไทย", "!", "?", "…", ",", ";", ":", "•",
             "\xa0", "\u2003", "\x1c", "_", "中", "é", "\u0301", "’", "»"]
    return ["".join(rng.choice(parts) for _ in range(rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("min_words", [1, 4])
def test_a_batch_is_read_as_each_document_alone_would_be(min_words):
    texts = [*TRICKY, *random_texts(150, seed=5), *_abbreviation_texts(400),
             "Mr. Smith met Dr. Jones.\n\nTHE HEADLINE HERE\nA line. \"Dr. Who\" came. Hello. Dr. Smith left."]
    for s in range(0, len(texts), 61):  # batches with empty texts, Thai, headings and titles in them
        batch = texts[s : s + 61]
        r, initial, upper = analyse_batch(batch, min_words)
        want = reference_reading(batch, min_words)
        for name in FIELDS:
            got = getattr(r, name)
            assert got.dtype == want[name].dtype and np.array_equal(got, want[name]), (s, name)
        assert np.array_equal(initial, want["initial"]) and np.array_equal(upper, want["upper"])


def test_the_compiled_gap_marks_are_the_numpy_ones(monkeypatch):
    from reuse.jit import ENABLED
    from reuse.stages.talking import sentences
    from reuse.text.scan import scan_batch

    if not ENABLED:
        pytest.skip("numba not installed: the numpy pass runs")
    texts = ["“Hello,” he said; • item: x\n\nNew line. 東京は日本の首都です。", "", "a.b", "Mr. Chen — Dr. Lee!\n"]
    _, cps, _, (starts, ends, _, _) = scan_batch(texts)
    compiled = sentences._gaps(cps, starts, ends)
    end = sentences._END_MARK
    monkeypatch.setattr(sentences, "NUMBA", False)
    assert (compiled & ~np.uint8(end)).tolist() == sentences._gaps(cps, starts, ends).tolist() and compiled.any()
    # and the compiled pass marks the gaps holding a sentence end (the numpy one leaves it to the pattern)
    from reuse.text.sentence_ends import CLASS, end_positions

    at = end_positions(cps, CLASS)
    want = np.searchsorted(at, starts) > np.searchsorted(at, np.r_[0, ends[:-1]])
    assert np.array_equal((compiled & end) > 0, want) and want.sum() >= 4


def test_the_tables_read_characters_as_the_patterns_do():
    from reuse.stages.talking import sentences

    chars = np.arange(0x3100, dtype=np.uint32)  # every table's code points, and more
    for after in (".", "A", "”."):  # each character, then a stop, a letter, a closer and a stop
        tail = np.frombuffer(after.encode("utf-32-le"), np.uint32)
        cps = np.concatenate([np.r_[c, tail] for c in chars]).astype(np.uint32)
        got = sentences._closed(cps, np.arange(len(chars)) * (1 + len(tail)))
        assert got.tolist() == [sentences._CLOSED.match(chr(c) + after) is not None for c in chars.tolist()]
    assert sentences._closed(np.array([41, 46], np.uint32), np.array([0, 1, 2])).tolist() == [True, True, False]
    tests = sentences._char_tests(chars)
    assert ((tests & sentences._IS_SPACE) > 0).tolist() == [sentences._SPACE.match(chr(c)) is not None for c in chars.tolist()]
    assert ((tests & sentences._IS_NONWORD) > 0).tolist() == [sentences._NONWORD.match(chr(c)) is not None
                                                             for c in chars.tolist()]


def test_surface_forms_list_each_word_once_in_order_of_appearance():
    from reuse.stages.talking.sentences import surface_forms_batch

    a, b = "Rebels Expelled the envoy; the envoy was expelled.", "The expulsion of the ENVOY: they expel envoys"
    groups = [[(a, 7), (b, 6)], [(b, 7)], [(a, 2)]]
    rows = LEXICON.rows(tokenize(a + " " + b).ids, tokenize(a + " " + b).norms)  # first: it may add words to LEXICON.terms
    hashes = LEXICON.terms[rows]
    terms = np.unique(hashes[hashes > 0])[::2]  # some of the words' terms
    want = []
    for sides in groups:  # one word at a time: each side's words up to its last, side after side
        forms: dict[int, list[str]] = {}
        for text, last in sides:
            t = tokenize(text)
            for k, h in enumerate(LEXICON.terms[LEXICON.rows(t.ids, t.norms)].tolist()):
                if k <= last and h in set(terms.tolist()) and t.norms[k] not in forms.setdefault(h, []):
                    forms[h].append(t.norms[k])
        want.append({h: words for h, words in forms.items() if words})
    got = surface_forms_batch(groups, [terms] * len(groups))
    assert got == want and [list(g) for g in got] == [list(w) for w in want]
    assert any(len(words) > 1 for words in got[0].values())  # "envoy", "envoys"; "expelled", "expulsion"
