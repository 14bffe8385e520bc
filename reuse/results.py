"""What a scan finds: pairs, passages, skipped inputs — and their records for the output files.

Field names here are the output contract documented in the README: add fields freely, never
rename or drop one without bumping ``SCHEMA_VERSION``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .corpus import Document, Skip

SCHEMA_VERSION = 1

PASSAGE_KINDS = ("verbatim", "fuzzy", "paraphrase")


@dataclass(frozen=True, slots=True)
class Passage:
    """A shared passage: ``[a_start, a_end)`` in ``doc_a`` aligned with ``[b_start, b_end)`` in ``doc_b``."""

    doc_a: str
    a_start: int
    a_end: int
    doc_b: str
    b_start: int
    b_end: int
    kind: str  # verbatim | fuzzy | paraphrase
    score: float  # similarity of the two sides in [0, 1]; 1.0 for verbatim
    text_a: str
    text_b: str
    matched_words: int = 0
    shared_terms: tuple[str, ...] = ()
    # Token ranges (first, last inclusive) of each side: used for coverage, not written out.
    a_words: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    b_words: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    def to_record(self) -> dict[str, Any]:
        rec = {k: getattr(self, k) for k in PASSAGE_FIELDS}
        rec["score"] = round(self.score, 4)
        rec["shared_terms"] = list(self.shared_terms)
        return rec


PASSAGE_FIELDS = [
    "doc_a", "a_start", "a_end", "doc_b", "b_start", "b_end", "kind", "score",
    "text_a", "text_b", "matched_words", "shared_terms",
]


@dataclass(frozen=True, slots=True)
class Pair:
    """Evidence that two documents share text. ``doc_a`` sorts before ``doc_b`` in input order."""

    doc_a: str
    doc_b: str
    score: float
    tfidf_cosine: float
    jaccard: float
    containment_a: float
    containment_b: float
    n_passages: int
    coverage_a: float
    coverage_b: float
    top_terms: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        rec = asdict(self)
        for k in ("score", "tfidf_cosine", "jaccard", "containment_a", "containment_b", "coverage_a", "coverage_b"):
            rec[k] = round(rec[k], 4)
        rec["top_terms"] = list(self.top_terms)
        rec["kinds"] = list(self.kinds)
        return rec


@dataclass(frozen=True, slots=True)
class Member:
    """One document's passage inside a talking-point cluster."""

    doc: str
    start: int
    end: int
    text: str
    source: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    """A talking point: overlapping passages joined across >= 2 documents.

    ``label`` is its most representative sentence; ``sources`` the distinct sources (the
    document id when a document has no source); ``first_seen``/``last_seen`` the earliest and
    latest member dates when dates are known.
    """

    id: int
    label: str
    members: tuple[Member, ...]
    sources: tuple[str, ...]
    first_seen: str | None = None
    last_seen: str | None = None
    kinds: tuple[str, ...] = ()
    shared_terms: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label,
            "members": [{"doc": m.doc, "start": m.start, "end": m.end, "text": m.text,
                         "source": m.source, "date": m.date} for m in self.members],
            "sources": list(self.sources), "first_seen": self.first_seen, "last_seen": self.last_seen,
            "kinds": list(self.kinds), "shared_terms": list(self.shared_terms),
        }


@dataclass
class Results:
    """Everything :func:`reuse.find_reuse` found, plus the corpus it looked at."""

    documents: list[Document]
    pairs: list[Pair]
    passages: list[Passage]
    skipped: list[Skip]
    config: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    clusters: list[Cluster] = field(default_factory=list)

    def document(self, doc_id: str) -> Document:
        return self._by_id()[doc_id]

    def _by_id(self) -> dict[str, Document]:
        cache = getattr(self, "_doc_index", None)
        if cache is None or len(cache) != len(self.documents):
            cache = {d.id: d for d in self.documents}
            self._doc_index = cache
        return cache

    def passages_of(self, doc_a: str, doc_b: str) -> list[Passage]:
        return [p for p in self.passages if p.doc_a == doc_a and p.doc_b == doc_b]
