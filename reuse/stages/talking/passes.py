"""The talking stage's two streaming passes over the corpus: counts, then every document's claim units.

Both run as batches of ``CHUNK`` documents through the engine (:meth:`.points.CorpusAccess.batches`,
in its pool), unless the engine ran them itself (Spark, :meth:`.points.CorpusAccess.unit_passes`).
Where the engine gives a scratch folder, each batch's readings wait there between the passes and the
joined units are files mapped read-only (:mod:`.unit_arrays`): what grows with the corpus is on disk.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reuse.config import ReuseConfig
from reuse.heap import release_free_memory
from reuse.model import Document
from reuse.stages.pair import Aligned
from reuse.stages.talking import units as un
from reuse.stages.talking.sentences import Readings
from reuse.stages.talking.unit_arrays import keep_readings, take_readings

if TYPE_CHECKING:
    from reuse.stages.talking.points import CorpusAccess

CHUNK = 256
"""Documents per batch of the two unit passes (fixed, so results never depend on the engine's batches)."""

def _count_task(texts: list[str], sources: list[int], min_words: int, keep: str | None, _shared: Any) -> un.Counts:
    counts = un.count_batch(texts, sources, min_words)
    if keep is None:
        return counts
    keep_readings(counts.readings, keep)  # for this batch's units task, in whichever process runs it
    return replace(counts, readings=None)


def _units_task(_texts: list[str], readings: Readings | str, ranges: list[np.ndarray], window: int, model: un.Model
                ) -> un.Units:
    return un.units_batch(take_readings(readings) if isinstance(readings, str) else readings, ranges, model,
                          window=window)


def unit_passes(docs: Sequence[Document], aligned: Sequence[Aligned], config: ReuseConfig, access: CorpusAccess,
                 step: Callable[[str], AbstractContextManager[None]], folder: Path | None
                 ) -> tuple[un.Model, np.ndarray, int, un.Units, list[dict[tuple[int, int], int]]]:
    """The two unit passes: the corpus model (with its background terms and unit count), every
    document's units, and the claim words of each aligned passage side (per document, by token range).

    With a ``folder``, each batch's readings wait there for the units pass (written and read by the
    workers: only the counts come back), and the units are joined into its files, mapped read-only
    (:meth:`~.unit_arrays.Units.join`): what grows with the corpus is not held in memory."""
    n = len(docs)
    chunks = [list(range(s, min(s + CHUNK, n))) for s in range(0, n, CHUNK)]
    src_code: dict[str, int] = {}
    codes = [src_code.setdefault(d.source, len(src_code)) if d.source else -1 for d in docs]
    kept = [str(folder / f"readings-{k}.pickle") if folder is not None else None for k in range(len(chunks))]
    readings: list[Readings | str | None] = []

    def counted(counts: Iterator[un.Counts]) -> Iterator[un.Counts]:
        # each batch's counts are folded into the corpus's as they come; its readings wait for the units pass
        for c in counts:
            readings.append(c.readings if folder is None else kept[len(readings)])
            yield c

    ran = access.unit_passes()
    with step("count"):
        if ran:
            model, background, n_units = ran[:3]
        else:
            counts = access.batches(_count_task, [(c, ([codes[i] for i in c], config.paraphrase_min_words, kept[k]))
                                                  for k, c in enumerate(chunks)], None)
            model, background, n_units = un.merge(counted(counts), min_docs=config.boilerplate_min_docs,
                                                  background_share=config.background_share)
    release_free_memory()

    ranges: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for al in aligned:
        for p in al.passages:
            if p.a_words is not None and p.b_words is not None:
                ranges[al.i].append(p.a_words)
                ranges[al.j].append(p.b_words)
    window = config.paraphrase_window

    def tasks() -> Iterator[tuple[Sequence[int], tuple]]:
        # the units pass reads the count pass's readings, not the texts (each document is analysed
        # once), and lets go of each batch's readings once its task is out
        for k, c in enumerate(chunks):
            batch, readings[k] = readings[k], None
            yield (), (batch, [np.asarray(ranges[i], dtype=np.int64).reshape(-1, 2) for i in c], window)

    with step("units"):
        units = ran[3] if ran else un.Units.join(access.batches(_units_task, tasks(), model), folder)
    claim_at = [dict(zip(map(tuple, ranges[i]), units.claim_words[units.claim_at[i] : units.claim_at[i + 1]].tolist()))
                for i in range(n)]
    return model, background, n_units, units, claim_at


@contextmanager
def scratch_folder(access: CorpusAccess) -> Iterator[Path | None]:
    """A folder of the access's scratch space for the unit passes, removed after them (None: none)."""
    base = access.scratch()
    if base is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="talking-", dir=base) as folder:
        yield Path(folder)


