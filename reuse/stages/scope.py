"""What a scan looks at and what it reports: documents in scope, pairs allowed, pairs kept.

Three questions a user asks before reading any result, answered here once for every engine:

* **Which documents?** ``source``, ``since`` and ``until`` restrict the corpus by outlet and date
  (:func:`in_scope`); documents outside are left out before any work is spent on them.
* **Which pairs may be compared?** With a *reference* set (copydetect's reference directory),
  only pairs with at least one scanned document, never two references; with
  ``across_sources``, only pairs of documents from different sources (:func:`allowed_pairs`).
  Applied to candidate pairs before alignment, so a large reference archive costs sketches,
  not alignments among itself.
* **Which pairs are worth reporting?** Pairs below ``min_score``, and pairs that share no
  passage unless ``topic_pairs`` asks for them (:func:`select_pairs`), with their passages.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.model import Document, Pair, Passage, date_key, source_of


def in_scope(doc: Document, config: ReuseConfig) -> bool:
    """Whether ``doc`` passes the ``source``/``since``/``until`` restrictions.

    A restriction by date leaves out documents without a date (or with one that is not ISO
    8601): nothing says they fall in the range. A bare ``until`` date includes its whole day.
    """
    if config.source and source_of(doc) not in config.source:
        return False
    if config.since is None and config.until is None:
        return True
    if not doc.date:
        return False
    when = date_key(doc.date)
    if when[0] != 0:
        return False
    if config.since is not None and when < date_key(config.since):
        return False
    return not (config.until is not None and when >= _until_bound(config.until))


def _until_bound(until: str) -> tuple[int, Any]:
    """The first instant after ``until``: the next day for a bare date, else just after the time."""
    kind, when = date_key(until)
    step = timedelta(days=1) if "T" not in until and " " not in until.strip() else timedelta(microseconds=1)
    return (kind, when + step)


def restricts(config: ReuseConfig) -> bool:
    """Whether any document-level restriction is set (so the stream needs filtering at all)."""
    return bool(config.source) or config.since is not None or config.until is not None


def allowed_pairs(pairs: np.ndarray, *, reference: np.ndarray | None, sources: np.ndarray | None) -> np.ndarray:
    """Boolean mask over ``(n, 2)`` document-index ``pairs``: which may be compared.

    ``reference[i]`` is True for a reference document (pairs of two are refused); ``sources[i]``
    is an integer code of document i's source (pairs within one source are refused). Either may
    be None (no such rule).
    """
    keep = np.ones(len(pairs), dtype=bool)
    if len(pairs) == 0:
        return keep
    if reference is not None:
        keep &= ~(reference[pairs[:, 0]] & reference[pairs[:, 1]])
    if sources is not None:
        keep &= sources[pairs[:, 0]] != sources[pairs[:, 1]]
    return keep


def source_codes(docs: Sequence[Document]) -> np.ndarray:
    """One integer per document, equal exactly when :func:`~reuse.model.source_of` is equal."""
    codes: dict[str, int] = {}
    return np.fromiter((codes.setdefault(source_of(d), len(codes)) for d in docs), dtype=np.int64, count=len(docs))


def select_pairs(pairs: list[Pair], passages: list[Passage], config: ReuseConfig) -> tuple[list[Pair], list[Passage]]:
    """The pairs worth reporting, and only their passages (order kept).

    A pair is kept when its score, as written out (4 decimals), reaches ``min_score`` and it
    shares at least one passage, or ``topic_pairs`` is set. Run before clustering, so talking points never rest on a dropped pair.
    """
    kept = [p for p in pairs if round(p.score, 4) >= config.min_score and (p.n_passages > 0 or config.topic_pairs)]
    if len(kept) == len(pairs):
        return pairs, passages
    names = {(p.doc_a, p.doc_b) for p in kept}
    return kept, [s for s in passages if (s.doc_a, s.doc_b) in names]
