"""The batch fast paths give exactly what the per-document reference code gives, and results do not
depend on the number of workers or the batch size."""
from __future__ import annotations

import random

import numpy as np
import pytest
import xxhash

from reuse import Corpus, ReuseConfig, find_reuse
from reuse.api import find_reuse_stream
from reuse.model import Document
from reuse.stages import batch as stages
from reuse.stages.sketch import batch_minhash, batch_shingles, minhash
from reuse.text import xxh3
from reuse.text.fast import batch_token_ids, tokenize_fast
from reuse.text.shingle import hash32, shingle_hashes
from reuse.text.tokens import tokenize

TRICKY = [
    "Iran’s  “diplomat”\u00a0Assadollah Asadi—arrested.",  # curly quotes, NBSP, em dash
    "ﬁle ﬂow ﬃx: ligatures fold under NFKC",  # NFKC ligatures
    "Straße STRASSE ΣΊΣΥΦΟΣ ǅemal İstanbul Kelvin K",  # casefold beyond lower()
    "café cafe\u0301 naïve x\u0308y ko\u0300\u0301\u0302",  # combining marks
    "２０２４ ｆｕｌｌｗｉｄｔｈ Ⅻ ① ½",  # compatibility digits/letters
    "tabs\tand\nnew\r\nlines\u2028sep\u3000ideographic space",
    "", "a", "x" * 200 + " " + "y" * 17 + " " + "z" * 129,  # token lengths around the kernel limits
    "\ud800 lone surrogate \udfff",
    "nul\x00inside text",
    "国家气象局周二发布暴雨橙色预警，预计未来三天。",  # Han: one token a character
    "コーヒーを飲みました。東京タワーabcＡＢＣ ｺｰﾋｰ",  # kana, length mark, full- and half-width
    "ภาษาไทยไม่มีช่องว่าง ກະຊວງ ភាសាខ្មែរ မြန်မာ",  # Thai, Lao, Khmer, Myanmar with their marks
    "abc中文def 123 한국어 문장 丽豈 𠀀𠀁 々〇〆ヶ",  # mixed scripts, Hangul words, compatibility ideographs
    "\u0301中 中\u0301\u0302a a\u0301中b \u0e48abc",  # combining marks before, on and after characters
]


def _random_texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,’“”\u00a0é\u0301ﬁ-—\n中文タｰไ\u0e48。"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(n)]


def test_xxh3_matches_xxhash_for_every_length_class():
    rng = random.Random(1)
    strs = [bytes(rng.randrange(256) for _ in range(n)) for n in list(range(1, 129)) * 8]
    buf = np.frombuffer(b"".join(strs) + bytes(16), dtype=np.uint8)
    lens = np.array([len(s) for s in strs])
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    want = np.array([xxhash.xxh3_64_intdigest(s) for s in strs], dtype=np.uint64)
    short = lens <= 16
    assert np.array_equal(xxh3.xxh3_short(buf, starts[short], lens[short]), want[short])
    if xxh3.HAVE_NUMBA:
        got = np.array([xxh3.xxh3_scalar(buf, int(s), int(n)) for s, n in zip(starts, lens)], dtype=np.uint64)
        assert np.array_equal(got, want)


@pytest.mark.parametrize("use_numba", [True, False])
def test_batch_token_ids_equal_tokenize_ids_on_tricky_unicode(use_numba):
    texts = TRICKY + _random_texts(200)
    ids, offsets = batch_token_ids(texts, use_numba=use_numba)
    for d, text in enumerate(texts):
        assert np.array_equal(ids[offsets[d] : offsets[d + 1]], tokenize(text).ids), repr(text)


def test_tokenize_fast_equals_tokenize_in_every_field():
    for text in TRICKY + _random_texts(200, seed=2) + ["Plain ASCII words, only: 42 of them."]:
        a, b = tokenize_fast(text), tokenize(text)
        assert np.array_equal(a.starts, b.starts) and np.array_equal(a.ends, b.ends), repr(text)
        assert np.array_equal(a.ids, b.ids) and a.norms == b.norms, repr(text)


@pytest.mark.parametrize("use_numba", [True, False])
def test_batch_shingles_and_signatures_equal_per_document_ones(use_numba):
    rng = np.random.default_rng(0)
    lens = rng.integers(0, 300, 60)
    lens[3] = 0
    lens[4] = 4
    offsets = np.concatenate(([0], np.cumsum(lens)))
    ids = rng.integers(0, 2**63, offsets[-1], dtype=np.int64).astype(np.uint64)
    sh, sh_off = batch_shingles(ids, offsets, 5)
    sigs = batch_minhash(hash32(sh), sh_off, num_perm=64, seed=3, use_numba=use_numba)
    for d in range(len(lens)):
        one = shingle_hashes(ids[offsets[d] : offsets[d + 1]], 5)
        assert np.array_equal(sh[sh_off[d] : sh_off[d + 1]], one)
        assert np.array_equal(sigs[d], minhash(hash32(one), num_perm=64, seed=3))


def test_sketch_batch_is_the_same_with_and_without_numba():
    texts = TRICKY + _random_texts(100, seed=5)
    a = stages.sketch_batch(texts, 10, ReuseConfig())
    b = stages.sketch_batch(texts, 10, ReuseConfig(), use_numba=False)
    assert np.array_equal(a.band_keys, b.band_keys) and np.array_equal(a.has_shingles, b.has_shingles)
    assert np.array_equal(a.terms, b.terms) and np.array_equal(a.term_docs, b.term_docs)
    for x, y in zip(a.anchors, b.anchors):
        assert np.array_equal(np.sort(x), np.sort(y))


def test_sketches_do_not_depend_on_how_the_corpus_is_cut():
    texts = _random_texts(90, seed=7)
    whole = stages.sketch_batch(texts, 0, ReuseConfig())
    parts = [stages.sketch_batch(texts[s : s + 25], s, ReuseConfig()) for s in range(0, 90, 25)]
    assert np.array_equal(whole.band_keys, np.concatenate([p.band_keys for p in parts]))
    merged = stages.merge_counts([(p.terms, p.term_docs) for p in parts])
    assert np.array_equal(merged[0], whole.terms) and np.array_equal(merged[1], whole.term_docs)
    for k in range(stages.N_PARTITIONS):
        assert np.array_equal(np.sort(whole.anchors[k]), np.sort(np.concatenate([p.anchors[k] for p in parts])))


def _synthetic(n: int) -> list[Document]:
    from benchmarks.synth import generate

    return [Document(id=r["id"], text=r["text"], origin=r["id"]) for r in generate(n, seed=3)]


def _records(results):
    return [p.to_record() for p in results.pairs], [p.to_record() for p in results.passages]


def test_results_are_identical_whatever_the_jobs_and_batch_size():
    docs = _synthetic(600)
    cfg = ReuseConfig(all_pairs_max_docs=0)  # the candidate route big corpora take
    base = find_reuse(Corpus(documents=docs), cfg, jobs=1, batch_size=1000)
    assert base.passages, "the synthetic corpus plants reuse"
    for jobs, batch in [(2, 64), (1, 37), (2, 600)]:
        assert _records(find_reuse(Corpus(documents=docs), cfg, jobs=jobs, batch_size=batch)) == _records(base)
    streamed = find_reuse_stream(iter(docs), cfg, jobs=2, batch_size=128)
    assert _records(streamed) == _records(base)


def test_planted_reuse_is_found_in_a_small_synthetic_corpus():
    from benchmarks.synth import generate, truth_pairs

    recs = list(generate(1500, seed=11))
    truth = truth_pairs(recs)
    res = find_reuse(Corpus(documents=[Document(id=r["id"], text=r["text"]) for r in recs]),
                     ReuseConfig(all_pairs_max_docs=0), jobs=2)
    found = {(min(p.doc_a, p.doc_b), max(p.doc_a, p.doc_b)) for p in res.pairs if p.n_passages}
    assert len(found & truth) >= 0.95 * len(truth) and len(found & truth) >= 0.95 * len(found)
    for p in res.passages:
        assert res.document(p.doc_a).text[p.a_start : p.a_end] == p.text_a


def test_lazy_norms_behave_like_the_tuple():
    for text in TRICKY:
        lazy, ref = tokenize_fast(text, lazy_norms=True).norms, tokenize(text).norms
        assert len(lazy) == len(ref) and [lazy[k] for k in range(len(ref))] == list(ref)
        assert lazy == ref and tuple(lazy) == ref and lazy[-1:] == ref[-1:]
        assert list(lazy.lengths()) == [len(t) for t in ref]
