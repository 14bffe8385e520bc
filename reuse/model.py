"""The records every stage passes on: documents and skips in, pairs, passages and clusters out.

Field names here are the output contract documented in the README: add fields freely, never
rename or drop one without bumping ``SCHEMA_VERSION``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: how the library reports progress (the CLI draws bars from it)."""


@dataclass(frozen=True, slots=True)
class Document:
    """One text. ``text`` is exactly as read (decoded, newlines untouched); offsets index it."""

    id: str
    text: str
    source: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    origin: str = ""  # file (and line/row) it came from, for messages
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that was not processed, and why. ``source`` is ``file`` or ``file:line``.

    ``excluded`` marks entries left out on purpose (``--exclude``, hidden folders): listed in the
    ledger like every other skip, but neither warned about nor an error under ``--strict``.
    """

    source: str
    reason: str
    id: str | None = None
    excluded: bool = False

    def to_record(self) -> dict[str, Any]:
        return {"source": self.source, "id": self.id, "reason": self.reason}

    def message(self) -> str:
        ident = f" (id {self.id})" if self.id else ""
        return f"{self.source}: skipped{ident}: {self.reason}"


@dataclass
class Corpus:
    """Documents in input order (ids unique) plus the skip ledger."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.documents)

    @classmethod
    def from_items(cls, items: Iterable[Document | Skip]) -> Corpus:
        """Collect documents, dropping later duplicates of an id (the first one wins)."""
        corpus = cls()
        corpus.documents.extend(unique_documents(items, corpus.skipped))
        return corpus

    @classmethod
    def from_texts(cls, texts: dict[str, str] | Iterable[tuple[str, str]]) -> Corpus:
        """Build a corpus from ``{id: text}`` (handy in notebooks and tests)."""
        pairs = texts.items() if isinstance(texts, dict) else texts
        return cls.from_items(
            checked(Document(id=i, text=t, origin=i)) for i, t in pairs
        )


def unique_documents(items: Iterable[Document | Skip], skipped: list[Skip]) -> Iterator[Document]:
    """The documents of ``items`` whose id was not seen before, in order (the first one wins).

    Skips, and documents repeating an earlier id, are appended to ``skipped``. A generator: the
    input can be a stream of any length.
    """
    first_seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Skip):
            skipped.append(item)
        elif item.id in first_seen:
            skipped.append(Skip(item.origin, f"duplicate id {item.id!r} (first seen at {first_seen[item.id]})", item.id))
        else:
            first_seen[item.id] = item.origin
            yield item


def checked(doc: Document) -> Document | Skip:
    """``doc``, or a :class:`Skip` when its text is empty: no stage can use a blank document."""
    if not doc.text.strip():
        return Skip(doc.origin, "empty or whitespace-only text", doc.id)
    return doc


def source_of(doc: Document) -> str:
    """The outlet a document belongs to: its ``source`` field, or its id when it has none.

    The one rule for every place that groups by source (the report's source map, the talking
    points' boilerplate cut, ``--across-sources``, the database views): a folder of files without
    ``--meta`` is then a corpus of one-document sources, and no two unrelated documents ever
    share an invented "(no source)" outlet.
    """
    return doc.source or doc.id


def date_key(date: str) -> tuple[int, Any]:
    """Order dates by time when they are ISO 8601 ("2019-06-10", "2019-06-10T08:00:00+02:00"),
    after those and as text otherwise. A date without a time zone is taken as UTC, so dates of
    one corpus written with and without zones still compare."""
    try:
        parsed = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return (1, date)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (0, parsed)



VERBATIM, FUZZY, PARAPHRASE = "verbatim", "fuzzy", "paraphrase"
PASSAGE_KINDS = (VERBATIM, FUZZY, PARAPHRASE)
"""What found a passage, most literal first: the order kinds are listed in everywhere."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A shared passage: ``[a_start, a_end)`` in ``doc_a`` aligned with ``[b_start, b_end)`` in ``doc_b``."""

    doc_a: str
    a_start: int
    a_end: int
    doc_b: str
    b_start: int
    b_end: int
    kind: str  # one of PASSAGE_KINDS
    score: float  # similarity of the two sides in [0, 1]; 1.0 for verbatim
    text_a: str
    text_b: str
    matched_words: int = 0
    shared_terms: tuple[str, ...] = ()
    # Token ranges (first, last inclusive) of each side: used for coverage, not written out.
    a_words: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    b_words: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    def swapped(self) -> Passage:
        """The same passage seen from the other document (``doc_b`` becomes side A)."""
        return Passage(self.doc_b, self.b_start, self.b_end, self.doc_a, self.a_start, self.a_end, self.kind,
                       self.score, self.text_b, self.text_a, self.matched_words, self.shared_terms,
                       self.b_words, self.a_words)

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

    def swapped(self) -> Pair:
        """The same pair seen from ``doc_b`` (each side's figures move with it)."""
        return Pair(self.doc_b, self.doc_a, self.score, self.tfidf_cosine, self.jaccard, self.containment_b,
                    self.containment_a, self.n_passages, self.coverage_b, self.coverage_a, self.top_terms, self.kinds)

    def to_record(self) -> dict[str, Any]:
        # Field by field: ``dataclasses.asdict`` deep-copies every tuple: over half of pairs.jsonl writing time.
        rec: dict[str, Any] = {k: getattr(self, k) for k in self.__slots__}
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


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One document that was read, as ``documents.jsonl`` lists it, without its text.

    A scan of a large corpus keeps only the texts of documents in pairs; this is kept for every
    document read, so an unmatched document can be told from one that was never read.
    """

    id: str
    origin: str
    source: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    characters: int = 0
    tokens: int = 0


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
    read: list[DocumentInfo] = field(default_factory=list)
    """Every document read, in input order (empty when the results were built by hand)."""
    document_rows: Iterable[dict[str, Any]] | None = None
    """``documents.jsonl``'s records in input order where the engine made them (Spark: on its
    executors, so that the driver keeps no per-document counters); None: they are counted from the
    pairs and passages as they are written (:func:`reuse.outputs.records.document_records`)."""
    pair_rows: Iterable[dict[str, Any]] | None = None
    """``pairs.jsonl``'s records in order where the engine made them (Spark: each pair with its two
    documents' source and URL, joined on its executors); None: made from ``pairs`` and
    ``documents`` as they are written (:func:`reuse.outputs.records.pair_records`)."""

    def document(self, doc_id: str) -> Document:
        return self._by_id()[doc_id]

    def _by_id(self) -> dict[str, Document]:
        cache = getattr(self, "_doc_index", None)
        if cache is None or len(cache) != len(self.documents):
            cache = {d.id: d for d in self.documents}
            self._doc_index = cache
        return cache
