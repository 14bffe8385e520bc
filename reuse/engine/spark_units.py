"""The corpus's claim units as one stored matrix on Spark: flat files every task maps read-only.

The units pass writes each 256-document chunk's :class:`~reuse.stages.talking.units.Units` as a
stage. The paraphrase evidence index, its judging and the talking task read the corpus's units as
one set of flat arrays (the layout of :meth:`Units.join`); here each chunk is stored with its
sizes beside it (:func:`unit_rows`: :func:`chunk_sizes`, a few numbers a chunk, in a column of
their own, so collecting them reads no chunk), the driver lays out one ``.npy`` file per field
at its full length (:meth:`StoredUnits.create`: sparse files, nothing read or held), and each
task writes its chunks at their offsets (:meth:`StoredUnits.write`): each chunk read once. A task then maps the
files (:meth:`StoredUnits.load`): their pages are the system's page cache, shared by every Python
worker of a node, not a copy in each one's heap. The folder must be one every node sees (the
work folder).
"""
from __future__ import annotations

import json
import pickle
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from reuse.stages.talking.unit_arrays import narrowest
from reuse.stages.talking.units import Units

FIELDS = tuple(f.name for f in fields(Units))
"""The fields of :class:`Units`, one file each."""

_COUNTED = {"first_row": "rows", "indptr": "entries", "claim_at": "claims"}
"""The fields that count from the start of their run (:meth:`Units.join`), and what they count."""
_LENGTH = {"first_row": "docs", "n_sentences": "docs", "claim_at": "docs", "words": "rows", "chars": "rows",
           "spans": "rows", "norm": "rows", "indptr": "rows", "terms": "entries", "weights": "entries",
           "pos": "entries", "flags": "entries", "phrase": "entries", "claim_words": "claims"}
"""The axis each field runs along (the counted ones have one more entry: their leading 0)."""

Sizes = dict[str, int]
"""A chunk's ``docs``, ``rows`` (units), ``entries`` and ``claims`` (claim-word answers)."""


def chunk_sizes(ord_: int, units: Units) -> tuple[int, Sizes, dict[str, tuple[str, tuple[int, ...]]]]:
    """A chunk's sizes, and each field's dtype and trailing shape (for the files' layout)."""
    sizes = {"docs": len(units), "rows": int(units.first_row[-1]), "entries": int(units.indptr[-1]),
             "claims": int(units.claim_at[-1])}
    return ord_, sizes, {f: (getattr(units, f).dtype.str, getattr(units, f).shape[1:]) for f in FIELDS}


def field_layout(name: str, sizes: list[tuple[int, Sizes, dict[str, tuple[str, tuple[int, ...]]]]],
                 total: Sizes) -> tuple[np.dtype, tuple[int, ...]]:
    """A field's dtype and trailing shape in the stored files: the widest of the chunks' (the units
    pass stores each chunk's positions and spans in the narrowest type that holds them, so chunks
    differ), and for a counted field one that holds the corpus's total (as :meth:`Units.join`)."""
    if not sizes:
        return np.dtype(np.int64), ()
    dtype = np.result_type(*(np.dtype(s[2][name][0]) for s in sizes))
    if name in _COUNTED:
        dtype = narrowest(np.array([total[_COUNTED[name]]]), dtype, np.int64)
    return dtype, sizes[0][2][name][1]


@dataclass(frozen=True)
class StoredUnits:
    """The folder of the stored unit matrix: a file per field, the chunks' offsets, and a done marker."""

    folder: str

    def path(self, name: str) -> Path:
        return Path(self.folder) / name

    def done(self) -> bool:
        return self.path("_SUCCESS").exists()

    def create(self, sizes: list[tuple[int, Sizes, dict[str, tuple[str, tuple[int, ...]]]]]) -> dict[int, Sizes]:
        """Lay out every field's file at its whole length (zeros) and return each chunk's offsets.

        ``sizes``: :func:`chunk_sizes` of every chunk, in any order; chunks join in ``ord`` order.
        """
        Path(self.folder).mkdir(parents=True, exist_ok=True)
        sizes = sorted(sizes, key=lambda s: s[0])
        offsets: dict[int, Sizes] = {}
        total = dict.fromkeys(("docs", "rows", "entries", "claims"), 0)
        for ord_, size, _ in sizes:
            offsets[ord_] = dict(total)
            for k in total:
                total[k] += size[k]
        for f in FIELDS:
            dtype, tail = field_layout(f, sizes, total)
            length = total[_LENGTH[f]] + (f in _COUNTED)
            np.lib.format.open_memmap(self.path(f"{f}.npy"), mode="w+", dtype=dtype,
                                      shape=(length, *tail)).flush()
        self.path("layout.json").write_text(json.dumps({"total": total}), encoding="utf-8")
        return offsets

    def write(self, chunks: Any, offsets: dict[int, Sizes]) -> None:
        """Write each ``(ord, Units)`` of ``chunks`` at its offsets (each chunk's own place: tasks write
        disjoint ranges of the same files)."""
        files: dict[str, np.ndarray] = {}
        for ord_, units in chunks:
            at = offsets[ord_]
            for f in FIELDS:
                if f not in files:
                    files[f] = np.load(self.path(f"{f}.npy"), mmap_mode="r+")
                x = getattr(units, f)
                start = at[_LENGTH[f]]
                if f in _COUNTED:  # the leading 0 is the previous chunk's end: write the rest, shifted
                    x, start = x[1:].astype(np.int64) + at[_COUNTED[f]], start + 1
                files[f][start : start + len(x)] = x
        for x in files.values():
            x.flush()  # type: ignore[attr-defined]

    def totals(self) -> Sizes:
        """The corpus's ``docs``, ``rows``, ``entries`` and ``claims`` (as laid out)."""
        return json.loads(self.path("layout.json").read_text(encoding="utf-8"))["total"]

    def finish(self) -> None:
        self.path("_SUCCESS").write_text("", encoding="utf-8")

    def load(self) -> Units:
        """The corpus's units, every field mapped read-only from its file."""
        return Units(**{f: self.array(f) for f in FIELDS})

    def save(self, name: str, x: np.ndarray) -> None:
        """Another array next to the units (the evidence index's), written whole then renamed."""
        tmp = self.path(f".{name}.tmp.npy")
        np.save(tmp, x)
        tmp.replace(self.path(f"{name}.npy"))

    def array(self, name: str) -> np.ndarray:
        """A stored array, mapped read-only (a plain ndarray over the mapping, as :mod:`.unit_arrays` gives)."""
        return np.asarray(np.load(self.path(f"{name}.npy"), mmap_mode="r"))


def unit_rows(spark: Any, chunks: Any) -> Any:
    """``(ord, Units)`` chunks as a DataFrame of ``(ord, blob, sizes)``: each chunk pickled, and its
    :func:`chunk_sizes` pickled beside it, so that the layout reads the sizes without the chunks."""
    from pyspark.sql.types import BinaryType, LongType, StructField, StructType

    schema = StructType([StructField("ord", LongType(), False), StructField("blob", BinaryType(), False),
                         StructField("sizes", BinaryType(), False)])
    return spark.createDataFrame(chunks.map(lambda kv: (
        int(kv[0]), bytearray(pickle.dumps(kv[1], protocol=5)), bytearray(pickle.dumps(chunk_sizes(*kv))))), schema)


def lay_out(units: Any, folder: str) -> StoredUnits:
    """The units stage (a DataFrame of :func:`unit_rows`) as one stored matrix in ``folder`` (once: a
    folder already done is kept): the chunks' sizes collected from their own column (a few numbers a
    chunk; Parquet reads that column alone), the files laid out by the driver, each chunk read once,
    by the task that writes it at its place."""
    stored = StoredUnits(folder)
    if not stored.done():
        offsets = stored.create(units.select("sizes").rdd.map(lambda r: pickle.loads(r.sizes)).collect())
        units.select("ord", "blob").rdd.map(lambda r: (r.ord, pickle.loads(r.blob))).foreachPartition(
            lambda it: stored.write(it, offsets))
        stored.finish()
    return stored
