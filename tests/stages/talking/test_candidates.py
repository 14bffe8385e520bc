"""The evidence index behind talking points: candidate sentence pairs at any corpus size."""
from __future__ import annotations

import numpy as np
from scipy import sparse

from reuse.stages.talking import candidates as cand


def _matrix(rows: list[list[int]], n_terms: int) -> sparse.csr_matrix:
    data, cols, indptr = [], [], [0]
    for r in rows:
        w = 1.0 / np.sqrt(len(r)) if r else 0.0
        data += [w] * len(r)
        cols += r
        indptr.append(len(cols))
    return sparse.csr_matrix((np.array(data), np.array(cols, dtype=np.int32), np.array(indptr)), shape=(len(rows), n_terms))


def test_candidates_share_two_evidence_terms_across_documents():
    # units of three documents; terms 0-1 shared by units 0 (doc 0) and 2 (doc 1); unit 1 is in doc 0 too
    m = _matrix([[0, 1, 5], [0, 1, 6], [0, 1, 7], [2, 3], [2, 8]], 9)
    row_doc = np.array([0, 0, 1, 2, 2])
    pairs, cos = cand.candidate_pairs(m, row_doc, np.zeros(9, bool), min_score=0.0)
    assert sorted(map(tuple, pairs.tolist())) == [(0, 2), (1, 2)]  # never within a document, never one term
    assert np.all(cos > 0.6)
    # a background term is no evidence: with term 1 background, nothing shares two
    bg = np.zeros(9, bool)
    bg[1] = True
    assert len(cand.candidate_pairs(m, row_doc, bg, min_score=0.0)[0]) == 0
    # the scan's scope applies: a document pair it refuses is never a candidate
    refuse = lambda docs: ~((docs[:, 0] == 0) & (docs[:, 1] == 1))  # noqa: E731
    assert len(cand.candidate_pairs(m, row_doc, np.zeros(9, bool), min_score=0.0, allowed=refuse)[0]) == 0


def test_candidates_do_not_depend_on_the_block_size(monkeypatch):
    rng = np.random.default_rng(3)
    rows = [sorted(set(rng.integers(0, 60, size=8).tolist())) for _ in range(300)]
    m = _matrix(rows, 60)
    row_doc = np.arange(300) // 7
    whole = cand.candidate_pairs(m, row_doc, np.zeros(60, bool), min_score=0.1)
    monkeypatch.setattr(cand, "BLOCK_ROWS", 13)
    blocked = cand.candidate_pairs(m, row_doc, np.zeros(60, bool), min_score=0.1)
    assert np.array_equal(whole[0], blocked[0]) and np.allclose(whole[1], blocked[1])


def test_the_df_cap_keeps_the_index_linear_in_the_corpus():
    # 1,000 rare columns (df 3) and one column in half of 100,000 units
    counts = np.concatenate((np.full(1000, 3), [50_000]))
    cap = cand.evidence_cap(counts, n_rows=100_000, budget=50)
    assert 3 <= cap < 50_000  # the huge column cannot nominate pairs; the rare ones all can
    assert cand.evidence_cap(np.array([2, 5, 40]), n_rows=30) == 40  # a small corpus is never capped


def test_best_links_keep_each_units_best_match_in_the_other_document():
    pairs = np.array([[0, 2], [0, 3], [1, 2], [1, 3]])
    row_doc = np.array([0, 0, 1, 1])
    keep = cand.best_links(pairs, np.array([0.5, 0.3, 0.4, 0.2]), row_doc)
    # (0, 3) is unit 3's best in document 0; (1, 3) is the best of neither unit: one generic
    # sentence does not fan out to every sentence of the other document
    assert keep.tolist() == [True, True, True, False]
    # each half of the linking alone: the first unit's best, then the second's
    scores = np.array([0.5, 0.3, 0.4, 0.2])
    assert cand.best_of_side(pairs, scores, row_doc, 0).tolist() == [True, False, True, False]
    assert cand.best_of_side(pairs, scores, row_doc, 1).tolist() == [True, True, False, False]


def test_an_index_given_its_stored_evidence_columns_finds_the_same_candidates():
    rng = np.random.default_rng(5)
    m = _matrix([sorted(set(rng.integers(0, 40, size=6).tolist())) for _ in range(120)], 40)
    row_doc, bg = np.arange(120) // 5, np.zeros(40, bool)
    built = cand.CandidateIndex(m, row_doc, bg, min_score=0.1)
    given = cand.CandidateIndex(m, row_doc, bg, min_score=0.1, columns=cand.evidence_columns(m, bg))
    for lo, hi in built.blocks(17):
        (a, ca), (b, cb) = built.block(lo, hi), given.block(lo, hi)
        assert np.array_equal(a, b) and np.array_equal(ca, cb)
    assert len(cand.joined([built.block(lo, hi) for lo, hi in built.blocks()])[0]) > 0


def test_the_compiled_walk_finds_the_pairs_the_sparse_product_finds():
    from reuse.jit import ENABLED

    if not ENABLED:
        import pytest

        pytest.skip("numba not installed: the product itself runs")
    rng = np.random.default_rng(5)
    rows = [sorted(set(rng.integers(0, 40, size=rng.integers(0, 9)).tolist())) for _ in range(500)]
    m = _matrix(rows, 40)
    columns = cand.column_rows(m, np.arange(40) % 5 != 0)  # every fifth column is no evidence
    row_doc = np.repeat(np.arange(100), rng.multinomial(500, np.ones(100) / 100))
    walk = cand._SharedPairs(m, columns, row_doc, 2)
    walk.out = np.empty((2, 7), np.int64)  # a small buffer: the walk stops and resumes, and grows it for a row
    product = cand._SharedPairs(m, columns, row_doc, 2, compiled=False)
    for lo, hi in [(0, 500), (0, 1), (37, 250), (499, 500)]:
        assert np.array_equal(walk(lo, hi), product(lo, hi)), (lo, hi)
    assert len(product(0, 500)) > 100


def test_most_reached_rows_is_the_same_summed_in_blocks():
    e = sparse.random(500, 40, density=0.1, format="csr", random_state=np.random.default_rng(3))
    col_rows = np.diff(e.T.tocsr().indptr)
    reach = np.r_[0, np.cumsum(col_rows[e.indices])]
    whole = int((reach[e.indptr[1:]] - reach[e.indptr[:-1]]).max())
    assert whole > 0
    assert cand._most_reached(e, col_rows, block=7) == cand._most_reached(e, col_rows) == whole


def test_the_column_rows_are_the_evidence_columns_transposed(monkeypatch):
    import reuse.jit

    rng = np.random.default_rng(7)
    m = sparse.random(300, 50, density=0.08, format="csr", random_state=rng, dtype=np.float32)
    evidence = rng.random(50) < 0.6
    et = (m @ sparse.diags(evidence.astype(np.float32))).T.tocsr()  # the evidence columns' entries, transposed
    et.eliminate_zeros()
    et.sort_indices()
    for compiled in (True, False):
        monkeypatch.setattr(reuse.jit, "ENABLED", compiled and reuse.jit.ENABLED)
        col_ptr, col_rows = cand.column_rows(m, evidence)
        assert col_rows.dtype == np.int32
        assert np.array_equal(col_ptr, et.indptr) and np.array_equal(col_rows, et.indices)  # rows ascending


def test_column_counts_in_blocks_are_bincount():
    m = sparse.random(200, 30, density=0.2, format="csr", random_state=np.random.default_rng(2))
    assert np.array_equal(cand.column_counts(m, block=7), np.bincount(m.indices, minlength=30))


def test_the_compiled_row_dots_are_the_cosines_scipy_sums(monkeypatch):
    import reuse.jit

    rng = np.random.default_rng(11)
    # rows sharing a few columns, and rows sharing dozens and hundreds (numpy's pairwise sums: its
    # eight running sums, its halves): float32 weights with full mantissas, so rounding shows
    for n_cols, density in ((60, 0.15), (100, 0.5), (700, 0.8)):
        m = sparse.random(300, n_cols, density=density, format="csr", random_state=rng, dtype=np.float32)
        m.data = rng.random(m.nnz, dtype=np.float32)
        pairs = rng.integers(0, 300, size=(2000, 2))
        got = {}
        for compiled in (True, False):
            monkeypatch.setattr(reuse.jit, "ENABLED", compiled and reuse.jit.ENABLED)
            got[compiled] = cand.pair_cosines(m, pairs, chunk=700)
        assert got[True].dtype == got[False].dtype == np.float64
        assert np.array_equal(got[True], got[False]), n_cols  # bit for bit
        assert (got[False] > 0).sum() > 1000
    assert cand.pair_cosines(m, pairs[:0]).shape == (0,)


def test_cosines_of_windows_made_as_they_are_met_are_the_gathered_rows(monkeypatch):
    import reuse.jit
    from tests.stages.talking.test_unit_rows import _rows

    u = _rows(3)
    rng = np.random.default_rng(2)
    pairs = np.sort(rng.integers(0, u.n_rows, size=(3000, 2)), axis=0)  # runs of first rows, as the index gives them
    got = {}
    for compiled in (True, False):
        monkeypatch.setattr(reuse.jit, "ENABLED", compiled and reuse.jit.ENABLED)
        got[compiled] = cand.pair_cosines(u, pairs, chunk=500)
    assert np.array_equal(got[True], got[False])  # bit for bit
    windows = u.spans[:, 1] != u.spans[:, 0]
    assert (got[True][windows[pairs[:, 0]] & windows[pairs[:, 1]]] > 0).sum() > 50
