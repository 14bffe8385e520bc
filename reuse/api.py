"""The library's entry points: ``find_reuse`` over a corpus, ``find_reuse_stream`` over a stream.

Library code: it never prints. Progress is reported through an optional callback
``progress(stage, done, total)`` that the CLI turns into a progress bar on stderr.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from reuse.config import ReuseConfig
from reuse.model import Corpus, Document, Results, Skip

Progress = Callable[[str, int, int], None]


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
    """
    from reuse.engine import local  # the engine imports the stages: loaded when first used

    return local.run(
        iter([*corpus.documents, *corpus.skipped]), config or ReuseConfig(), jobs=jobs,
        batch_size=batch_size or local.DEFAULT_BATCH_SIZE, progress=progress, documents=corpus.documents,
    )


def find_reuse_stream(
    items: Iterable[Document | Skip], config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = None, batch_size: int | None = None,
) -> Results:
    """:func:`find_reuse` over a stream of documents (e.g. ``reuse.corpus.iter_paths``), memory bounded.

    Texts are spilled to a temporary file rather than held; the results keep every document of
    a small corpus and otherwise the documents that appear in a pair.
    """
    from reuse.engine import local  # the engine imports the stages: loaded when first used

    return local.run(
        items, config or ReuseConfig(), jobs=jobs, batch_size=batch_size or local.DEFAULT_BATCH_SIZE,
        progress=progress,
    )
