"""Records crossing between the scan's process and its workers as tuples of their fields, in order.

Pickling a dataclass with slots lists its fields anew for every object, each way: an align task
carries a thousand documents out and its aligned pairs and passages back, and the scan's process
pickles and unpickles every one of them while the workers run. A tuple of the fields pickles at C
speed and builds the record again with one call to its constructor (the same record: tested).
"""
from __future__ import annotations

import operator

from reuse.model import Document, Pair, Passage
from reuse.stages.pair import Aligned

document_fields = operator.attrgetter(*Document.__slots__)
"""A document's fields in order (a tuple)."""
_DOCUMENT_TEXT = Document.__slots__.index("text")
_PAIR_FIELDS = operator.attrgetter(*Pair.__slots__)
_PASSAGE_FIELDS = operator.attrgetter(*Passage.__slots__)
_TEXTS = (Passage.__slots__.index("text_a"), Passage.__slots__.index("text_b"))


def document(fields: tuple, text: str) -> Document:
    """The document of ``fields`` (:data:`document_fields`) with ``text``."""
    values = list(fields)
    values[_DOCUMENT_TEXT] = text
    return Document(*values)


def pack_aligned(aligned: list[Aligned]) -> list[tuple]:
    """Aligned pairs as tuples of their fields, passages without their texts (the scan cuts them
    again from the documents at the end: :func:`with_texts`)."""
    ta, tb = _TEXTS
    rows = []
    for a in aligned:
        passages = []
        for p in a.passages:
            fields = list(_PASSAGE_FIELDS(p))
            fields[ta] = fields[tb] = ""
            passages.append(fields)
        rows.append((a.i, a.j, a.cosine, None if a.pair is None else _PAIR_FIELDS(a.pair), passages))
    return rows


def unpack_aligned(rows: list[tuple]) -> list[Aligned]:
    """The aligned pairs :func:`pack_aligned` packed."""
    return [Aligned(i, j, cosine, None if pair is None else Pair(*pair), [Passage(*p) for p in passages])
            for i, j, cosine, pair, passages in rows]


def with_texts(p: Passage, text_a: str, text_b: str) -> Passage:
    """``dataclasses.replace(p, text_a=text_a, text_b=text_b)`` without its cost per field name."""
    fields = list(_PASSAGE_FIELDS(p))
    fields[_TEXTS[0]], fields[_TEXTS[1]] = text_a, text_b
    return Passage(*fields)
