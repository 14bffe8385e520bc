"""The library's entry points: ``find_reuse`` over a corpus, ``find_reuse_stream`` over a stream.

Library code: it never prints. Progress is reported through an optional callback
``progress(stage, done, total)`` that the CLI turns into a progress bar on stderr.
"""
from __future__ import annotations

from collections.abc import Iterable

from reuse.config import ReuseConfig
from reuse.model import Corpus, Document, Progress, Results, Skip, unique_documents


def find_reuse(
    corpus: Corpus, config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = 1, batch_size: int | None = None, reference: Corpus | None = None,
) -> Results:
    """Find every pair of documents that share text, and the passages they share.

    Candidate pairs come from whole-document LSH (near-duplicates) and a join on sampled shingles
    (partial reuse), verified on exact shingle overlap; on corpora of at most
    ``config.all_pairs_max_docs`` documents every pair is scored, and aligned where the two share
    a run of words long enough for a passage.
    ``jobs`` worker processes (``None``: all cores) and ``batch_size`` change speed and memory,
    never the results. With a ``reference`` corpus, the documents of ``corpus`` are compared
    with each other and with the references, never two references with each other (pairs keep
    the scanned document as ``doc_a``).

    >>> import reuse
    >>> new = reuse.Corpus.from_texts({"new.txt": "the council approved the budget for the new bridge today"})
    >>> old = reuse.Corpus.from_texts({"old.txt": "yesterday the council approved the budget for the new bridge"})
    >>> [(p.doc_a, p.doc_b) for p in find_reuse(new, reuse.ReuseConfig(min_passage_words=5), reference=old).pairs]
    [('new.txt', 'old.txt')]
    """
    refs = reference.documents if reference is not None else []
    return _scan([*corpus.documents, *corpus.skipped], config, progress, jobs, batch_size,
                 documents=list(unique_documents([*corpus.documents, *refs], [])),
                 reference=[*refs, *reference.skipped] if reference is not None else None)


def find_reuse_stream(
    items: Iterable[Document | Skip], config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = None, batch_size: int | None = None, reference: Iterable[Document | Skip] | None = None,
) -> Results:
    """:func:`find_reuse` over a stream of documents (e.g. ``reuse.io.readers.iter_paths``), memory bounded.

    Texts are spilled to a temporary file rather than held; the results keep every document of
    a small corpus and otherwise the documents that appear in a pair. ``reference`` is a second
    stream, read after ``items``, compared with them but never with itself.
    """
    return _scan(items, config, progress, jobs, batch_size, documents=None, reference=reference)


def _scan(items: Iterable[Document | Skip], config: ReuseConfig | None, progress: Progress | None,
          jobs: int | None, batch_size: int | None, *, documents: list[Document] | None,
          reference: Iterable[Document | Skip] | None) -> Results:
    from reuse.engine import plan  # the engine imports every stage: loaded when first used
    from reuse.engine.local import LocalEngine

    with LocalEngine(jobs) as engine:
        return plan.scan(iter(items), config or ReuseConfig(), engine, batch_size=batch_size or plan.DEFAULT_BATCH_SIZE,
                         progress=progress, documents=documents, reference=reference)
