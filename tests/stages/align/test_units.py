"""Sentence units of a document (and the pair space built from them); the unit cache must not change any result."""
import numpy as np
import pytest

from reuse.config import ReuseConfig
from reuse.model import Document
from reuse.stages.align import units as align_units
from reuse.stages.align.aligner import align_documents
from reuse.stages.align.seed import pair_space, raw_rows
from reuse.stages.align.units import cached_sentence_units, sentence_units
from reuse.text.tokens import sentence_starts, tokenize
from tests.stages.align.test_aligner import FILLER_A, FILLER_B, OBFUSCATED, PARAPHRASE, SOURCE, SUMMARY


def _docs():
    texts = [FILLER_A + SOURCE + FILLER_B, FILLER_B + OBFUSCATED, FILLER_A + PARAPHRASE, SUMMARY]
    return [(Document(id=f"d{i}", text=t), tokenize(t)) for i, t in enumerate(texts)]


def test_cached_units_equal_fresh_units():
    for doc, tokens in _docs():
        fresh = sentence_units(doc.text, tokens, min_terms=3, max_words=60)
        for _ in range(2):  # a miss, then a hit
            cached = cached_sentence_units(doc.text, tokens, min_terms=3, max_words=60)
            assert cached.terms == fresh.terms and cached.vocab == fresh.vocab
            assert np.array_equal(cached.first, fresh.first) and np.array_equal(cached.last, fresh.last)
            assert np.array_equal(cached.term_ids, fresh.term_ids)


def test_cache_is_not_used_for_other_tokens_of_the_same_text():
    doc, tokens = _docs()[0]
    cached_sentence_units(doc.text, tokens, min_terms=3, max_words=60)
    other = tokenize(doc.text[: len(doc.text) // 2])
    got = cached_sentence_units(doc.text[: len(doc.text) // 2], other, min_terms=3, max_words=60)
    assert got.terms == sentence_units(doc.text[: len(doc.text) // 2], other, min_terms=3, max_words=60).terms


def test_pair_space_columns_follow_first_occurrence_over_both_documents():
    (_, ta), (_, tb) = _docs()[:2]
    ua = sentence_units(_docs()[0][0].text, ta, min_terms=3, max_words=60)
    ub = sentence_units(_docs()[1][0].text, tb, min_terms=3, max_words=60)
    vocab: dict[str, int] = {}
    for units in (ua, ub):
        for terms in units.terms:
            for t in terms:
                vocab.setdefault(t, len(vocab))
    space = pair_space(ua, ub)
    assert space.a.shape[1] == len(vocab)
    for units, counts in ((ua, space.a_bin), (ub, space.b_bin)):
        for u, terms in enumerate(units.terms):
            assert sorted(counts[u].indices.tolist()) == sorted({vocab[t] for t in terms})


def test_alignment_is_the_same_with_and_without_the_cache():
    config = ReuseConfig()
    docs = _docs()
    pairs = [(x, y) for x in docs for y in docs if x is not y]
    align_units._cache.clear()
    cold = []
    for (da, ta), (db, tb) in pairs:
        align_units._cache.clear()
        cold.append(align_documents(da, ta, db, tb, config))
    warm = [align_documents(da, ta, db, tb, config) for (da, ta), (db, tb) in pairs]
    assert warm == cold
    assert any(cold)


def _reference_space(ua, ub):
    """The tf-isf matrices built with scipy's own products, as the aligner first did."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    mats = []
    for units in (ua, ub):
        rows = [u for u, terms in enumerate(units.terms) for _ in terms]
        cols = [vocab.setdefault(t, len(vocab)) for terms in units.terms for t in terms]
        mats.append((rows, cols, len(units)))
    width = len(vocab)
    ca, cb = (sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, width)) for r, c, n in mats)
    ca.sum_duplicates()
    cb.sum_duplicates()
    a_bin, b_bin = (ca > 0).astype(np.float64), (cb > 0).astype(np.float64)
    df = np.asarray(a_bin.sum(axis=0)).ravel() + np.asarray(b_bin.sum(axis=0)).ravel()
    scale = sparse.diags(np.log(max(1, len(ua) + len(ub)) / np.maximum(df, 1.0)))
    out = {"a_bin": a_bin, "b_bin": b_bin}
    for side, counts in (("a", ca), ("b", cb)):
        raw = (counts @ scale).tocsr()
        raw.sort_indices()
        norms = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out[side + "_raw"], out[side] = raw, (sparse.diags(1.0 / norms) @ raw).tocsr()
    return out


def test_pair_space_is_bit_identical_to_scipy_products():
    # Entry order matters: later cosines are summed in it, so equal values are not enough.
    docs = _docs()
    for da, ta in docs:
        for db, tb in docs:
            ua = sentence_units(da.text, ta, min_terms=3, max_words=35)
            ub = sentence_units(db.text, tb, min_terms=3, max_words=35)
            space, ref = pair_space(ua, ub), _reference_space(ua, ub)
            for name, m in ref.items():
                got = getattr(space, name)
                assert got.shape == m.shape
                assert np.array_equal(got.indptr, m.indptr) and np.array_equal(got.indices, m.indices)
                assert np.array_equal(got.data.view(np.int64), m.data.view(np.int64)), name


def test_units_kernel_equals_its_numpy_twin():
    kernel = align_units._kernel()
    if kernel is None:
        pytest.skip("numba not installed")
    from tests.oracle import random_texts

    texts = [d.text for d, _ in _docs()] + random_texts(100, seed=4) + ["Yes. No. Maybe so. " * 20, "a " * 300]
    for text in texts:
        tokens = tokenize(text)
        if not len(tokens):
            continue
        starts, gid = sentence_starts(text, tokens), align_units.token_terms(tokens)
        for min_terms, max_words in ((3, 35), (1, 5), (6, 60)):
            fast = kernel(starts, gid, min_terms, max_words, align_units.term_slots())
            assert (align_units.term_slots() == -1).all()  # the scratch is left as found
            slow = align_units._assemble(starts, gid, min_terms, max_words)
            assert all(np.array_equal(x, y) for x, y in zip(fast, slow)), repr(text[:60])


def test_token_terms_are_the_same_after_the_table_is_rebuilt():
    tokens = [t for _, t in _docs()]
    before = [align_units.token_terms(t) for t in tokens]
    align_units._rebuild_table()
    assert all(np.array_equal(align_units.token_terms(t), b) for t, b in zip(tokens, before))
    assert not align_units._RECENT  # every id was found in the table


def test_raw_rows_sum_as_the_pair_spaces_own():
    from reuse.stages.align.seed import range_vector

    for (da, ta), (db, tb) in ((_docs()[0], _docs()[1]), (_docs()[2], _docs()[3]), (_docs()[1], _docs()[1])):
        ua = sentence_units(da.text, ta, min_terms=3, max_words=35)
        ub = sentence_units(db.text, tb, min_terms=3, max_words=35)
        space = pair_space(ua, ub)
        for use_numba in (False, None):
            raw = raw_rows(ua, ub, use_numba=use_numba)
            for name, n in (("a_raw", len(ua)), ("b_raw", len(ub))):
                x, y = getattr(space, name), getattr(raw, name)
                assert x.shape == y.shape and np.array_equal(x.indptr, y.indptr)
                for first in range(n):
                    for last in range(first, min(n, first + 6)):
                        assert range_vector(x, first, last).tobytes() == range_vector(y, first, last).tobytes()


def test_every_token_knows_its_unit():
    for doc, tokens in _docs():
        units = sentence_units(doc.text, tokens, min_terms=3, max_words=35)
        of_token = units.unit_of_token(len(tokens))
        assert len(of_token) == len(tokens) and of_token[0] == 0 and of_token[-1] == len(units) - 1
        assert all(units.first[u] <= t <= units.last[u] for t, u in enumerate(of_token.tolist()))


def test_units_are_found_again_for_the_same_text_tokenised_afresh(monkeypatch):
    doc, tokens = _docs()[0]
    first = cached_sentence_units(doc.text, tokens, min_terms=3, max_words=60)
    monkeypatch.setattr(align_units, "sentence_units", None)  # would raise if called
    text = (doc.text + " ")[:-1]  # an equal string, another object (as another chunk reads it)
    again = cached_sentence_units(text, tokenize(text), min_terms=3, max_words=60)
    assert again is first


def test_copy_seeds_count_in_a_table_or_by_sorting_alike(monkeypatch):
    from reuse.stages.align import seed

    (da, ta), (db, tb) = _docs()[:2]
    ua = sentence_units(da.text, ta, min_terms=3, max_words=35)
    ub = sentence_units(db.text, tb, min_terms=3, max_words=35)
    unit_a, unit_b = ua.unit_of_token(len(ta)), ub.unit_of_token(len(tb))
    matches = np.stack(np.meshgrid(np.arange(0, len(ta), 3), np.arange(0, len(tb), 5)), axis=-1).reshape(-1, 2)
    table = seed.copy_seeds(matches, unit_a, unit_b, min_shared=2)
    monkeypatch.setattr(seed, "BINCOUNT_MAX_KEYS", 0)
    assert len(table) and np.array_equal(table, seed.copy_seeds(matches, unit_a, unit_b, min_shared=2))


def test_a_batch_of_documents_gets_each_ones_token_terms():
    from reuse.text.tokens import token_batch

    tokens = [t for _, t in _docs()]
    alone = [align_units.token_terms(t) for t in tokens]
    together = align_units.batch_token_terms(token_batch(tokens))
    assert all(np.array_equal(x, y) for x, y in zip(alone, together))


def test_units_from_the_text_in_one_compiled_call_equal_the_step_by_step_ones(monkeypatch):
    whole = align_units._text_kernel()
    if whole is None:
        pytest.skip("numba not installed")
    from tests.oracle import random_texts

    texts = [d.text for d, _ in _docs()] + random_texts(100, seed=6) + ["Yes. No. Maybe so. " * 20, "a " * 300,
                                                                         "Line one\n\nline two. 東京タワー。次の文"]
    built = []
    for text in texts:
        tokens = tokenize(text)
        built.append([align_units.sentence_units(text, tokens, min_terms=m, max_words=w) for m, w in ((3, 35), (1, 5))])
    monkeypatch.setattr(align_units, "_text_kernel", lambda: None)
    for text, got in zip(texts, built):
        tokens = tokenize(text)
        want = [align_units.sentence_units(text, tokens, min_terms=m, max_words=w) for m, w in ((3, 35), (1, 5))]
        for g, w in zip(got, want):
            for name in ("first", "last", "term_ids", "term_rows", "term_gids", "of_token"):
                assert np.array_equal(getattr(g, name), getattr(w, name)), (name, repr(text[:60]))
