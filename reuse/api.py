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
    jobs: int | None = 1, batch_size: int | None = None, reference: Corpus | None = None,
) -> Results:
    """Find every pair of documents that share text, and the passages they share.

    Candidate pairs come from whole-document LSH (near-duplicates) and a join on sampled shingles
    (partial reuse), verified on exact shingle overlap; on corpora of at most
    ``config.all_pairs_max_docs`` documents every pair is scored, so the pair table is complete.
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
    from reuse.engine import local  # the engine imports the stages: loaded when first used

    ref_docs = reference.documents if reference is not None else []
    return local.run(
        iter([*corpus.documents, *corpus.skipped]), config or ReuseConfig(), jobs=jobs,
        batch_size=batch_size or local.DEFAULT_BATCH_SIZE, progress=progress,
        documents=_unique([*corpus.documents, *ref_docs]),
        reference=iter([*ref_docs, *reference.skipped]) if reference is not None else None,
    )


def _unique(docs: list[Document]) -> list[Document]:
    """Documents with later duplicates of an id dropped, as the engine drops them (first wins)."""
    seen: set[str] = set()
    return [d for d in docs if not (d.id in seen or seen.add(d.id))]


def find_reuse_stream(
    items: Iterable[Document | Skip], config: ReuseConfig | None = None, *, progress: Progress | None = None,
    jobs: int | None = None, batch_size: int | None = None, reference: Iterable[Document | Skip] | None = None,
) -> Results:
    """:func:`find_reuse` over a stream of documents (e.g. ``reuse.io.readers.iter_paths``), memory bounded.

    Texts are spilled to a temporary file rather than held; the results keep every document of
    a small corpus and otherwise the documents that appear in a pair. ``reference`` is a second
    stream, read after ``items``, compared with them but never with itself.
    """
    from reuse.engine import local  # the engine imports the stages: loaded when first used

    return local.run(
        items, config or ReuseConfig(), jobs=jobs, batch_size=batch_size or local.DEFAULT_BATCH_SIZE,
        progress=progress, reference=reference,
    )
