"""The Spark engine: the engine interface of :mod:`reuse.engine.base` on a SparkSession, same results.

=====================  ==========================================================================
operation              here
=====================  ==========================================================================
``map``                the tasks in windows of ``2 * jobs``, each window one ``mapPartitions`` job
``group_by_key``       ``partitionBy`` on the key; values concatenated in arrival order
``broadcast``          ``SparkContext.broadcast``
``collect``            the results as a list
``texts``              texts carried in their handles (so a task on any executor reads them)
=====================  ==========================================================================

Any plan written against that interface runs on it (``plan.scan(items, config, SparkEngine())``
gives the local engine's results, tested) but feeds the tasks from the driver. For corpora larger
than one machine, :meth:`SparkEngine.scan` runs the same stages as a Spark dataflow
(:mod:`reuse.engine.spark_plan`): the documents go from the input to Parquet to the executors,
candidates are grouped where their keys meet, pairs meet their texts in a join, and nothing
collects the corpus or the candidate pairs on the driver.

pyspark is imported when a session starts, never with this module's callers (``reuse --version``
stays instant); without it, one line says ``pip install 'reuse[spark]'``.
"""
from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from reuse.config import ReuseConfig
from reuse.engine import spark_support as support
from reuse.engine.base import Broadcast, Engine, TextRef, TextStore
from reuse.model import Document, Progress, Results, Skip
from reuse.version import __version__

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MASTER = "local[*]"


class SparkEngine(Engine):
    """The :class:`~reuse.engine.base.Engine` of a Spark cluster.

    ``master``: a Spark master URL (``local[2]``, ``spark://host:7077``); None takes the one
    ``spark-submit`` gave, else ``local[*]``. ``conf``: Spark settings for the session. ``spark``:
    an existing SparkSession to use (left running on close); else one is started and stopped.
    """

    def __init__(self, *, master: str | None = DEFAULT_MASTER, conf: dict[str, str] | None = None,
                 spark: Any = None) -> None:
        if conf is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in conf.items()):
            raise TypeError("conf: a dict of str to str (Spark settings)")
        self._own = spark is None
        self.spark = support.session(master, conf or {}) if spark is None else spark
        self.sc = self.spark.sparkContext
        self.jobs = max(1, int(self.sc.defaultParallelism))
        self._held: list[Any] = []

    def map(self, fn: Callable[..., R], tasks: Iterable[tuple]) -> Iterator[R]:
        window: list[tuple] = []
        for task in tasks:
            window.append(task)
            if len(window) == 2 * self.jobs:
                yield from self._run(fn, window)
                window = []
        if window:
            yield from self._run(fn, window)

    def _run(self, fn: Callable[..., R], window: list[tuple]) -> list[R]:
        rdd = self.sc.parallelize(list(enumerate(window)), len(window))
        done = dict(rdd.map(lambda kt: (kt[0], fn(*kt[1]))).collect())
        return [done[k] for k in range(len(window))]

    def broadcast(self, value: T) -> Broadcast[T]:
        held = self.sc.broadcast(value)
        self._held.append(held)
        return SparkBroadcast(held)

    def texts(self) -> TextStore:
        return CarriedTexts()

    def group_by_key(self, items: Iterable[tuple[int, np.ndarray]]) -> Iterator[tuple[int, np.ndarray]]:
        numbered = self.sc.parallelize([(key, (seq, value)) for seq, (key, value) in enumerate(items)], self.jobs)
        grouped = numbered.groupByKey(self.jobs).mapValues(_concatenate).sortByKey()
        yield from grouped.toLocalIterator()

    def scan(self, items: Iterable[Document | Skip], config: ReuseConfig, *, checkpoint: str | Path | None = None,
             input_key: Any = None, progress: Progress | None = None,
             reference: Iterable[Document | Skip] | None = None) -> Results:
        """The stage plan as a Spark dataflow (:mod:`reuse.engine.spark_plan`): the local engine's results.

        ``checkpoint``: the work folder (kept, and resumed from when run again with the same input
        and settings); a temporary folder otherwise, removed when the results are garbage collected.
        ``input_key`` names the input in the folder's manifest (the CLI passes paths, sizes, times).
        ``reference``: a second stream compared with ``items``, never with itself (:mod:`reuse.stages.scope`).
        """
        from reuse.engine.spark_plan import SparkPlan

        root = Path(tempfile.mkdtemp(prefix="reuse-spark-")) if checkpoint is None else Path(checkpoint)
        work = support.WorkFolder(root, {"version": __version__, "config": config.to_dict(), "input": input_key})
        tick = progress or (lambda stage, done, total: None)
        results = SparkPlan(self.spark, config, work, tick).run(items, reference)
        if checkpoint is None:  # the results are read from the folder: it goes with them
            weakref.finalize(results, shutil.rmtree, str(root), True)
        return results

    def close(self) -> None:
        for held in self._held:
            held.unpersist()
        self._held.clear()
        if self._own:
            self.spark.stop()
            self._own = False


def _concatenate(values: Iterable[tuple[int, np.ndarray]]) -> np.ndarray:
    parts = [v for _, v in sorted(values, key=lambda sv: sv[0])]
    return np.concatenate(parts) if parts else np.empty(0)


@dataclass(frozen=True)
class SparkBroadcast(Broadcast[T]):
    """A Spark broadcast variable behind the engine interface (pickles as Spark's handle)."""

    held: Any

    @property
    def value(self) -> T:
        return self.held.value


@dataclass(frozen=True)
class CarriedText(TextRef):
    text: str

    def read(self) -> str:
        return self.text


class CarriedTexts(TextStore):
    """Texts kept by the driver and shipped inside each task's handles (no shared disk needed)."""

    def __init__(self) -> None:
        self._texts: list[str] = []

    def add(self, text: str) -> None:
        self._texts.append(text)

    def ref(self, i: int) -> TextRef:
        return CarriedText(self._texts[i])


def run(items: Iterable[Document | Skip], config: ReuseConfig, *, master: str | None = DEFAULT_MASTER,
        conf: dict[str, str] | None = None, spark: Any = None, **kw: Any) -> Results:
    """:meth:`SparkEngine.scan` in a session of its own (or ``spark``'s, left running)."""
    with SparkEngine(master=master, conf=conf, spark=spark) as engine:
        return engine.scan(items, config, **kw)
