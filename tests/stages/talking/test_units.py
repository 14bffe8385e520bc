"""Claim units as flat arrays: a corpus's units joined from its batches, and one document's view."""
from __future__ import annotations

from dataclasses import fields

import numpy as np

from reuse.stages.talking.units import Units, count_batch, merge, units_batch
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_B, ARTICLE_C, ARTICLE_D, TWO_SENTENCES


def test_units_joined_from_batches_are_the_units_of_one_batch():
    texts = [ARTICLE_A, ARTICLE_B, TWO_SENTENCES, ARTICLE_C, ARTICLE_D]
    ranges = [np.array([[0, 3], [2, 9]]), np.empty((0, 2), np.int64), np.array([[1, 4]]), np.empty((0, 2), np.int64),
              np.array([[0, 0]])]
    counts = [count_batch(texts[:2], [-1, -1], 3), count_batch(texts[2:], [-1] * 3, 3)]
    model, _, _ = merge(counts, min_docs=2, background_share=0.25)
    whole = units_batch(count_batch(texts, [-1] * 5, 3).readings, ranges, model, window=2)
    joined = Units.join(units_batch(c.readings, r, model, window=2) for c, r in zip(counts, (ranges[:2], ranges[2:])))
    for f in fields(Units):
        a, b = getattr(whole, f.name), getattr(joined, f.name)
        assert a.dtype == b.dtype and np.array_equal(a, b), f.name
    assert len(joined) == 5 and len(joined.claim_words) == 4


def test_a_documents_units_are_views_of_its_rows():
    counts = count_batch([ARTICLE_A, TWO_SENTENCES], [-1, -1], 3)
    model, _, _ = merge([counts], min_docs=2, background_share=0.25)
    units = units_batch(counts.readings, [np.empty((0, 2), np.int64)] * 2, model, window=2)
    first, second = units
    rows = int(units.first_row[1])
    assert len(first) == rows and second.n_sentences == 4
    assert np.array_equal(second.chars, units.chars[rows:])
    r = rows + 1
    entries = units.terms[units.indptr[r] : units.indptr[r + 1]]
    assert np.array_equal(second.terms[second.indptr[1] : second.indptr[2]], entries)


def test_merge_folds_streamed_counts_into_the_same_model(monkeypatch):
    import reuse.stages.talking.boilerplate as bp
    import reuse.stages.talking.units as un

    texts = [ARTICLE_A, ARTICLE_B, TWO_SENTENCES, ARTICLE_C, ARTICLE_D]
    counts = [count_batch([t], [k % 5], 3) for k, t in enumerate(texts * 2)]  # each text twice, in one source
    want, background, n_units = merge(counts, min_docs=2, background_share=0.25)
    monkeypatch.setattr(un, "COMPACT_ROWS", 10)  # summed into one table every few batches
    monkeypatch.setattr(bp, "COMPACT_ROWS", 10)  # ... and the lines clipped again
    got, got_background, got_units = merge(iter(counts), min_docs=2, background_share=0.25)
    assert got_units == n_units and np.array_equal(got_background, background)
    for f in fields(want):
        a, b = getattr(want, f.name), getattr(got, f.name)
        assert a == b if f.name == "hapax_idf" else np.array_equal(a, b), f.name
    assert len(want.boiler) and len(want.names) and len(want.vocab)


def test_groups_per_key_counts_distinct_groups_compiled_as_sorted(monkeypatch):
    import reuse.stages.talking.units as un

    rng = np.random.default_rng(3)
    key = rng.integers(0, 7, 500)
    group = np.sort(rng.integers(0, 40, 500))  # non-decreasing, as units and documents come in token order
    want = np.array([len(set(group[key == k].tolist())) for k in range(9)])
    got = un.groups_per_key(key, group, 9)
    monkeypatch.setattr(un, "ENABLED", False)
    assert got.tolist() == want.tolist() == un.groups_per_key(key, group, 9).tolist() and want[:7].min() > 1


def test_count_batch_counts_words_and_terms_as_sorting_the_tokens_would():
    from reuse.stages.talking.units import _present_terms, _unit_of
    from reuse.text.distinct import distinct

    counts = count_batch(["Too short.\n" + ARTICLE_A, TWO_SENTENCES, "Ok.", ARTICLE_B], [-1] * 4, 3)
    r = counts.readings
    unit_of, _ = _unit_of(r)
    want = np.full(len(r.codes), -1)
    starts = r.units[:, 0] + np.repeat(r.token_at[:-1], np.diff(r.unit_at))
    for u, (s, e) in enumerate(zip(starts, starts + r.units[:, 1] - r.units[:, 0])):
        want[s : e + 1] = u
    assert unit_of.tolist() == want.tolist() and (want < 0).any()
    codes = r.codes[unit_of >= 0]
    terms, at = _present_terms(r.words.terms, codes)
    u, _, inv = distinct(r.words.terms[codes])
    assert np.array_equal(terms, u) and at.tolist() == inv.tolist() and len(terms) < len(r.words.terms)
    ids, seen, _ = (counts.name_ids, counts.name_seen, counts.name_upper)
    assert np.all(np.diff(ids.astype(np.float64)) > 0) and seen.min() >= 1
