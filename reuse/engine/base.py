"""What a plan asks of an engine: four operations over batches, and a place to keep texts.

A plan (:mod:`reuse.engine.plan`) is written against this interface only. Each operation has the
obvious Spark counterpart, so a Spark engine is an implementation of the same class:

=====================  =========================================  ===============================
operation              local engine (:mod:`reuse.engine.local`)   Spark
=====================  =========================================  ===============================
``map``                a process pool, results in task order      ``mapPartitions``
``group_by_key``       lists per key in memory, concatenated      ``groupByKey`` / ``partitionBy``
``broadcast``          a value forked into the pool's workers     ``SparkContext.broadcast``
``collect``            the results as a list                      ``collect``
``texts``              a spill file read back by offset           an RDD of texts, joined by number
=====================  =========================================  ===============================

Stages are pure functions of their arguments, so any engine gives the same results (tested for
any number of jobs and any batch size).
"""
from __future__ import annotations

import logging
import resource
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from reuse.model import Progress

log = logging.getLogger("reuse")

T = TypeVar("T")
R = TypeVar("R")


class Broadcast(ABC, Generic[T]):
    """A read-only value every task may read through :attr:`value`; shipped to each worker once."""

    @property
    @abstractmethod
    def value(self) -> T: ...


class TextRef(ABC):
    """A picklable handle on one stored text, read back inside a task with :meth:`read`."""

    @abstractmethod
    def read(self) -> str: ...


class TextStore(ABC):
    """The texts of a run, numbered in input order: written once, read back by number."""

    @abstractmethod
    def add(self, text: str) -> None: ...

    @abstractmethod
    def ref(self, i: int) -> TextRef: ...

    def get(self, i: int) -> str:
        """Text number ``i``, in the calling process."""
        return self.ref(i).read()

    def close(self) -> None:  # noqa: B027 - optional hook
        """No more texts will be added (reading stays possible)."""


class Engine(ABC):
    """Runs the stages of a plan. Use as a context manager: ``with LocalEngine(jobs=4) as engine``."""

    jobs: int = 1
    forks: bool = False
    """Whether tasks are run by processes forked from this one (or by this one): a broadcast value
    then reaches them as it is, never pickled, so it may hold anything (a stage's working arrays,
    an open file's reader)."""

    @abstractmethod
    def map(self, fn: Callable[..., R], tasks: Iterable[tuple]) -> Iterator[R]:
        """``fn(*task)`` for every task, results in task order; tasks are drawn as workers free up."""

    @abstractmethod
    def broadcast(self, value: T) -> Broadcast[T]:
        """``value`` made readable in every task that receives the returned handle."""

    @abstractmethod
    def texts(self) -> TextStore:
        """A new, empty store for the texts of a run."""

    def scratch(self) -> Path | None:
        """A folder on disk that every task of this engine can read and write, removed by :meth:`close`;
        None where tasks share none (a stage then keeps in memory what it would have put there)."""
        return None

    def group_by_key(self, items: Iterable[tuple[int, np.ndarray]]) -> Iterator[tuple[int, np.ndarray]]:
        """The values of each key concatenated, keys in ascending order (values in arrival order)."""
        groups: dict[int, list[np.ndarray]] = {}
        for key, value in items:
            groups.setdefault(key, []).append(value)
        for key in sorted(groups):
            parts = groups.pop(key)
            yield key, np.concatenate(parts) if parts else np.empty(0)

    def collect(self, results: Iterable[R]) -> list[R]:
        """All results, in order, in the calling process."""
        return list(results)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release workers and temporary storage."""


class Clock:
    """Times the stages of a plan (``with clock("sketch"): ...``) and notes peak memory after each."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_rss_mb: dict[str, float] = {}
        self.tick: Progress = progress or (lambda stage, done, total: None)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[stage] = round(time.perf_counter() - start, 4)
        self.peak_rss_mb[stage] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
        log.info("stage %s: %.1f s (peak RSS of this process so far %.0f MB)", stage, self.seconds[stage],
                 self.peak_rss_mb[stage])

    def stats(self) -> dict[str, Any]:
        return {"seconds": dict(self.seconds), "peak_rss_mb": dict(self.peak_rss_mb)}
