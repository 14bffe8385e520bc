"""The Spark engine's talking-points tasks: chunks and aggregates that give the local engine's model and units."""
from __future__ import annotations

from dataclasses import fields
from functools import reduce

import numpy as np

from reuse.config import ReuseConfig
from reuse.engine import spark_talking as talk
from reuse.model import Document, Passage
from reuse.stages.pair import Aligned
from reuse.stages.talking.units import Model, Units, count_batch, merge
from tests.stages.talking.test_points import ARTICLE_A, ARTICLE_B, ARTICLE_C, ARTICLE_D, TWO_SENTENCES

FOOTER = "Subscribe to our newsletter for more news every day."
SIGNATURE = "Reporting by the Gazette staff in the capital city."


def _corpus() -> list[Document]:
    """A footer line in three documents of source x and one of y; a signature in three of x alone."""
    texts = [ARTICLE_A + "\n" + SIGNATURE, ARTICLE_B + "\n" + FOOTER + "\n" + SIGNATURE,
             TWO_SENTENCES + "\n" + FOOTER, ARTICLE_C + "\n" + FOOTER + "\n" + SIGNATURE,
             ARTICLE_D, ARTICLE_A + "\n" + FOOTER]
    sources = ["x", "x", "x", "x", "", "y"]
    return [Document(id=f"d{k}", text=t, source=s) for k, (t, s) in enumerate(zip(texts, sources))]


def _same_model(a: tuple, b: tuple) -> None:
    for f in fields(Model):
        x, y = getattr(a[0], f.name), getattr(b[0], f.name)
        assert np.array_equal(x, y), f.name
    assert np.array_equal(a[1], b[1]) and a[2] == b[2]


def test_combined_chunk_aggregates_give_the_model_of_all_batches():
    docs = _corpus()
    config = ReuseConfig(paraphrase_min_words=3)
    codes = {"x": 0, "y": 1}
    for min_docs in (2, 3, 4):
        batches = [docs[:2], docs[2:3], docs[3:]]
        want = merge([count_batch([d.text for d in b], [codes.get(d.source, -1) for d in b], 3) for b in batches],
                     min_docs=min_docs, background_share=0.25)
        parts = [talk.count_chunk((b, []), config) for b in batches]
        for order in (parts, parts[::-1], [parts[1], parts[0], parts[2]]):
            got = merge([reduce(lambda a, b, m=min_docs: talk.combine_counts(a, b, m), order)], min_docs=min_docs,
                        background_share=0.25)
            _same_model(want, got)
        assert len(want[0].boiler) == (1 if min_docs <= 3 else 0)  # the signature's line


def test_chunks_hold_the_local_batches_and_each_documents_ranges_in_the_stages_order():
    docs = [Document(id=f"d{k}", text="") for k in range(talk.CHUNK + 3)]
    passages = [Passage("d1", 0, 1, f"d{talk.CHUNK + 1}", 0, 1, "exact", 1.0, "", "", a_words=(0, 4), b_words=(5, 9)),
                Passage("d1", 0, 1, f"d{talk.CHUNK + 1}", 0, 1, "exact", 1.0, "", "", a_words=(7, 8), b_words=(1, 2))]
    aligned = [Aligned(1, talk.CHUNK + 1, 1.0, None, passages), Aligned(0, 1, 1.0, None, passages[:1])]
    records = [talk.chunk_records(kv) for kv in enumerate(docs)]
    records += [r for al in aligned for r in talk.passage_ranges(al)]
    chunks = dict(talk.gather_chunks(reversed(records)))
    assert sorted(chunks) == [0, 1] and [len(chunks[c][0]) for c in (0, 1)] == [talk.CHUNK, 3]
    assert [d.id for d in chunks[1][0]] == [f"d{talk.CHUNK + k}" for k in range(3)]
    # document 1: its side of pair (0, 1) first, then of (1, CHUNK + 1)
    assert chunks[0][1][1].tolist() == [[5, 9], [0, 4], [7, 8]]
    assert chunks[1][1][1].tolist() == [[5, 9], [1, 2]] and chunks[1][1][0].shape == (0, 2)


def test_units_of_a_chunk_are_the_units_of_its_batch():
    docs = _corpus()
    config = ReuseConfig(paraphrase_min_words=3)
    counts = count_batch([d.text for d in docs], [-1] * len(docs), 3)
    model = merge([counts], min_docs=2, background_share=0.25)[0]
    ranges = [np.array([[0, 3]])] + [np.empty((0, 2), np.int64)] * (len(docs) - 1)
    from reuse.stages.talking.units import units_batch

    want = units_batch(counts.readings, ranges, model, window=config.paraphrase_window)
    got = talk.units_chunk((docs, ranges), model, config)
    for f in fields(Units):
        assert np.array_equal(getattr(want, f.name), getattr(got, f.name)), f.name
