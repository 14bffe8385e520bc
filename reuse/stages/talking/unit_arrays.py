"""The claim units of a corpus as flat arrays, and where they are kept: in memory, or in files.

The units pass (:func:`~reuse.stages.talking.units.units_batch`) gives each batch's units as one
:class:`Units`; the stage joins them into the corpus's. Their entries grow with the corpus (about
5 KB a document: sentences' entries only, a window's derived when read), so a scan joins them into
files of a scratch folder, one per field, and reads them back as read-only memory maps: the
stage's memory is then what it touches of them, in the page cache (file-backed pages the system
may drop and read again), not a copy in the heap. Without a folder they are joined in memory.

The batches' :class:`~reuse.stages.talking.sentences.Readings`, kept from the count pass for the
units pass, go to that folder too (:func:`keep_readings`), written and read back by the worker
that handles the batch, so they never travel to the process that joins the units.
"""
from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from reuse.heap import release_free_memory
from reuse.stages.talking.sentences import Readings


@dataclass(frozen=True, slots=True)
class DocUnits:
    """One document's claim units: sentences first, then windows of 2+ adjacent sentences.

    ``words`` and ``chars`` are each unit's token range (inclusive) and character span; sentence
    ``u``'s terms are ``terms[indptr[u]:indptr[u+1]]`` with ``weights`` (L2-normalised), the token
    position of each (``pos``; a name word's is its phrase's first word), ``flags`` (``ENTRY_*``)
    and ``phrase`` (the words of its name phrase in the sentence; 1 outside names). A window's
    entries are not stored (its rows are empty): they are its sentences' (``spans``: each unit's
    first and last sentence), derived when read (:class:`.unit_rows.UnitRows`) under its ``norm``
    (each unit's L2 norm before normalising, unknown terms included).
    ``words``, ``pos``, ``spans`` and ``chars`` are as narrow as their values allow (:func:`narrowest`:
    uint16, uint16, uint16 and int32 unless a document is very long): widen them before arithmetic
    that may leave that range.
    ``claim_words`` answers the requested token ranges (see :func:`~.units.units_batch`).
    """

    words: np.ndarray
    chars: np.ndarray
    n_sentences: int
    spans: np.ndarray
    norm: np.ndarray
    indptr: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    pos: np.ndarray
    flags: np.ndarray
    phrase: np.ndarray
    claim_words: np.ndarray

    def __len__(self) -> int:
        return len(self.words)


def narrowest(x: np.ndarray, *dtypes: type) -> np.dtype:
    """The first of the integer ``dtypes`` that holds every value of ``x`` (the last one else): a
    token position is a 16-bit number in all but the longest documents, a character offset a 32-bit
    one, and the units' arrays grow with the corpus. (:meth:`Units.join` widens a field whose
    parts differ.)"""
    lo, hi = (int(x.min()), int(x.max())) if x.size else (0, 0)
    for t in dtypes[:-1]:
        if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max:
            return np.dtype(t)
    return np.dtype(dtypes[-1])


_OFFSETS = ("first_row", "indptr", "claim_at")
"""The fields that count from the start of their run: a joined part's count from the previous parts' end."""


@dataclass(frozen=True, slots=True)
class Units:
    """The units of a run of documents (a batch, or the corpus) as one set of flat arrays.

    Row ``r`` is one unit; document ``k``'s are rows ``first_row[k]:first_row[k+1]``, and row ``r``'s
    entries ``indptr[r]:indptr[r+1]`` (a CSR layout: :func:`.candidates.unit_matrix` and
    :class:`.unit_rows.UnitRows` use these arrays as they are, no copy). A window's row is empty: its
    entries are derived from its sentences' when read (:class:`DocUnits`), so that the stored entries
    are the sentences' alone (windows held 59% of them, copies). One object, not one per
    document (100k sets of small arrays cost more than their contents); ``units[k]`` gives one's views.
    """

    first_row: np.ndarray
    n_sentences: np.ndarray
    words: np.ndarray
    chars: np.ndarray
    spans: np.ndarray  # (rows, 2): each unit's first and last sentence, counted in its document
    norm: np.ndarray  # float64 per row
    indptr: np.ndarray
    terms: np.ndarray
    weights: np.ndarray
    pos: np.ndarray
    flags: np.ndarray
    phrase: np.ndarray
    claim_at: np.ndarray  # document k's claim_words are claim_words[claim_at[k]:claim_at[k+1]]
    claim_words: np.ndarray

    def __len__(self) -> int:
        return len(self.n_sentences)

    def __iter__(self) -> Iterator[DocUnits]:
        return (self[k] for k in range(len(self)))

    def __getitem__(self, k: int) -> DocUnits:
        u0, u1 = int(self.first_row[k]), int(self.first_row[k + 1])
        e = slice(int(self.indptr[u0]), int(self.indptr[u1]))
        return DocUnits(self.words[u0:u1], self.chars[u0:u1], int(self.n_sentences[k]), self.spans[u0:u1],
                        self.norm[u0:u1], self.indptr[u0 : u1 + 1] - self.indptr[u0], self.terms[e], self.weights[e],
                        self.pos[e], self.flags[e], self.phrase[e],
                        self.claim_words[self.claim_at[k] : self.claim_at[k + 1]])

    @classmethod
    def join(cls, parts: Iterable[Units], folder: Path | None = None) -> Units:
        """The units of consecutive runs of documents (at least one) as one: in files of ``folder``,
        mapped read-only, or, without one, in memory (the fields joined one at a time, the parts'
        copies handed back to the system at once: the result plus one field, not twice it)."""
        names = [f.name for f in fields(cls)]
        sink: _Fields = _Files(folder) if folder is not None else _Memory()
        offsets = dict.fromkeys(_OFFSETS, 0)
        for f in _OFFSETS:
            sink.add(f, np.zeros(1, np.int32 if f == "indptr" else np.int64))
        for part in parts:
            for f in names:
                x = getattr(part, f)
                if f in offsets:
                    y = x[1:].astype(np.int64) + offsets[f]
                    # the entries' offsets are 32-bit until the corpus has 2**31 entries: so
                    # the unit matrix shares them (scipy made them a 32-bit copy)
                    sink.add(f, y.astype(narrowest(y, np.int32, np.int64)) if f == "indptr" else y)
                    offsets[f] += int(x[-1])
                else:
                    sink.add(f, x)
        return cls(**{f: sink.array(f) for f in names})


class _Fields:
    """Where :meth:`Units.join` puts each field's parts, and gets the field back whole."""

    def add(self, name: str, x: np.ndarray) -> None:
        raise NotImplementedError

    def array(self, name: str) -> np.ndarray:
        raise NotImplementedError


class _Memory(_Fields):
    """Parts held until the field is asked for (``np.concatenate`` widens narrow parts to the widest)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {}

    def add(self, name: str, x: np.ndarray) -> None:
        self.parts.setdefault(name, []).append(x)

    def array(self, name: str) -> np.ndarray:
        out = np.concatenate(self.parts.pop(name))
        release_free_memory()
        return out


class _Files(_Fields):
    """One file per field, appended to part by part, then mapped read-only and unlinked (the mapping
    keeps its pages; the file's space is freed when the array is)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.files: dict[str, tuple[Path, object, np.dtype, tuple[int, ...]]] = {}

    def add(self, name: str, x: np.ndarray) -> None:
        if name not in self.files:
            path = self.folder / f"units-{name}-{os.getpid()}-{id(self)}.bin"
            self.files[name] = (path, open(path, "wb"), x.dtype, x.shape[1:])  # noqa: SIM115 - closed in array()
        path, fh, dtype, tail = self.files[name]
        if x.shape[1:] != tail:
            raise ValueError(f"units field {name}: parts of shape {tail} and {x.shape[1:]}")
        if x.dtype != dtype:  # a field is as narrow as its parts allow: a wider part widens it
            wide = np.promote_types(dtype, x.dtype)
            if wide != dtype:
                fh = self._widen(name, wide)
            x = x.astype(wide)
        fh.write(np.ascontiguousarray(x).data)  # type: ignore[attr-defined]

    def _widen(self, name: str, dtype: np.dtype, block: int = 1 << 22) -> object:
        """Rewrite field ``name``'s file so far in the wider ``dtype`` (rare: a part's values did not
        fit the narrow type of the parts before it), a block of rows at a time; its new handle."""
        path, fh, old, tail = self.files[name]
        fh.close()  # type: ignore[attr-defined]
        row = int(np.prod(tail, dtype=np.int64))
        wide = path.with_suffix(".wide")
        with open(path, "rb") as src, open(wide, "wb") as dst:
            while len(x := np.fromfile(src, dtype=old, count=block * max(row, 1))):
                dst.write(x.astype(dtype).data)
        os.replace(wide, path)
        self.files[name] = (path, open(path, "ab"), np.dtype(dtype), tail)  # noqa: SIM115 - closed in array()
        return self.files[name][1]

    def array(self, name: str) -> np.ndarray:
        path, fh, dtype, tail = self.files.pop(name)
        fh.close()  # type: ignore[attr-defined]
        row = dtype.itemsize * int(np.prod(tail, dtype=np.int64))
        rows = path.stat().st_size // row if row else 0
        try:
            if rows == 0:
                return np.empty((0, *tail), dtype)
            return np.asarray(np.memmap(path, dtype=dtype, mode="r", shape=(rows, *tail)))
        finally:
            with contextlib.suppress(OSError):
                path.unlink()


def keep_readings(readings: Readings, path: str) -> None:
    """Write a batch's readings to ``path`` (read back once, by :func:`take_readings`)."""
    with open(path, "wb") as fh:
        pickle.dump(readings, fh, protocol=pickle.HIGHEST_PROTOCOL)


def take_readings(path: str) -> Readings:
    """The readings :func:`keep_readings` wrote to ``path``; the file is removed (each is read once)."""
    with open(path, "rb") as fh:
        readings = pickle.load(fh)
    with contextlib.suppress(OSError):
        os.unlink(path)
    return readings
