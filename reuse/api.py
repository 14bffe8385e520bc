"""The library's entry points: ``find_reuse`` over a corpus, ``find_reuse_stream`` over a stream.

Library code: it never prints. Progress is reported through an optional callback
``progress(stage, done, total)`` that the CLI turns into a progress bar on stderr.
"""
from __future__ import annotations

from collections.abc import Iterable

from reuse.config import ReuseConfig
from reuse.model import Corpus, Document, Progress, Results, Skip


def find_reuse(
    corpus: Corpus, config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = 1, batch_size: int | None = None,
) -> Results:
    """Find every pair of documents that share text, and the passages they share.

    Candidate pairs come from whole-document LSH (near-duplicates) and a join on sampled shingles
    (partial reuse), verified on exact shingle overlap; on corpora of at most
    ``config.all_pairs_max_docs`` documents every pair is scored, so the pair table is complete.
    ``jobs`` worker processes (``None``: all cores) and ``batch_size`` change speed and memory,
    never the results.

    >>> import reuse
    >>> text = "The committee approved the new budget after a long debate on Tuesday night."
    >>> corpus = reuse.Corpus.from_texts({"a": "Wire copy. " + text, "b": text + " More."})
    >>> [(p.doc_a, p.doc_b, p.kinds) for p in find_reuse(corpus).pairs]
    [('a', 'b', ('verbatim',))]
    """
    return _scan([*corpus.documents, *corpus.skipped], config, progress, jobs, batch_size, corpus.documents)


def find_reuse_stream(
    items: Iterable[Document | Skip], config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = None, batch_size: int | None = None,
) -> Results:
    """:func:`find_reuse` over a stream of documents (e.g. ``reuse.io.readers.iter_paths``), memory bounded.

    Texts are spilled to a temporary file rather than held; the results keep every document of
    a small corpus and otherwise the documents that appear in a pair.
    """
    return _scan(items, config, progress, jobs, batch_size, None)


def _scan(items: Iterable[Document | Skip], config: ReuseConfig | None, progress: Progress | None,
          jobs: int | None, batch_size: int | None, documents: list[Document] | None) -> Results:
    from reuse.engine import plan  # the engine imports every stage: loaded when first used
    from reuse.engine.local import LocalEngine

    with LocalEngine(jobs) as engine:
        return plan.scan(iter(items), config or ReuseConfig(), engine, batch_size=batch_size or plan.DEFAULT_BATCH_SIZE,
                         progress=progress, documents=documents)
