"""The documents of a run, numbered in input order, held so that memory grows slowly with the corpus.

What the stages read of every document (id, source, date, ...) stays in memory; its text and its
extra fields (``meta``: a dict per document, most of a text-less document's size) go to the
engine's stores and come back by number, for the documents the results keep.
"""
from __future__ import annotations

import dataclasses
import pickle
from array import array
from collections.abc import Iterable, Iterator

from reuse.config import ReuseConfig
from reuse.engine.base import TextStore
from reuse.model import Document, DocumentInfo


class Numbered:
    """The documents of a run: ``metas[i]`` without text or ``meta``, ``document(i)`` whole again."""

    def __init__(self, texts: TextStore, extras: TextStore) -> None:
        self.texts, self.extras = texts, extras
        self.metas: list[Document] = []
        self.chars = array("q")  # 8 bytes a document (a list of ints takes 36)
        self.number: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.metas)

    def add(self, doc: Document) -> None:
        self.number[doc.id] = len(self.metas)
        self.metas.append(dataclasses.replace(doc, text="", meta={}))
        self.chars.append(len(doc.text))
        self.texts.add(doc.text)
        self.extras.add(pickle.dumps(doc.meta).decode("latin-1") if doc.meta else "")  # any value, exactly

    def close(self) -> None:
        self.texts.close()
        self.extras.close()

    def batches(self, docs: Iterable[Document], size: int, config: ReuseConfig) -> Iterator[tuple]:
        """Read: number and store each document; ``sketch_batch`` tasks of ``size`` texts."""
        texts: list[str] = []
        first = len(self)
        for doc in docs:
            self.add(doc)
            texts.append(doc.text)
            if len(texts) == size:
                yield texts, first, config
                first, texts = first + len(texts), []
        if texts:
            yield texts, first, config

    def infos(self, tokens: list[int]) -> list[DocumentInfo]:
        """Every document read, without its text (``documents.jsonl``)."""
        return [DocumentInfo(m.id, m.origin, m.source, m.title, m.date, m.url, self.chars[i], tokens[i])
                for i, m in enumerate(self.metas)]

    def document(self, i: int) -> Document:
        extra = self.extras.get(i)
        meta = pickle.loads(extra.encode("latin-1")) if extra else {}
        return dataclasses.replace(self.metas[i], text=self.texts.get(i), meta=meta)

    def documents(self, numbers: Iterable[int]) -> list[Document]:
        return [self.document(i) for i in numbers]
