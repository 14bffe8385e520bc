"""Progress of the Spark dataflow while it runs: each Spark stage's start and end on the ``reuse`` log.

The plan's stages take minutes at 100k documents and an hour at a million; the plan logs each
one's time as it ends, so ``-v`` alone would leave such a run silent for most of it. A daemon
thread polls Spark's status tracker (``SparkContext.statusTracker()``: the driver's own view of
its jobs and stages, no web UI needed) and logs at INFO, as each Spark stage starts and ends,
the plan stage it serves, its call site, its tasks and its seconds, and every ``every`` seconds
the tasks done of a stage still running. Library code never prints: the CLI's ``-v`` handler
shows these lines on stderr. A stage that starts and ends between two polls (under a second)
is not seen, which costs a reader nothing.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("reuse")

POLL_S = 1.0
"""Seconds between two looks at the status tracker."""
EVERY_S = 60.0
"""Seconds between two lines about one stage still running."""


class StageInfo(Protocol):
    """What :class:`Watch` reads of ``pyspark.status.SparkStageInfo``."""

    stageId: int
    name: str
    numTasks: int
    numCompletedTasks: int
    numFailedTasks: int


@dataclass
class _Running:
    label: str
    name: str
    tasks: int
    done: int
    failed: int
    started: float
    said: float


class Watch:
    """The Spark stages seen so far, and the lines each look at the running ones adds (no Spark here)."""

    def __init__(self, every: float = EVERY_S) -> None:
        self.every = every
        self.running: dict[int, _Running] = {}
        self.ended: set[int] = set()

    def observe(self, now: float, label: str, active: list[StageInfo]) -> list[str]:
        """Lines for the stages that started, ran on for ``every`` seconds, or ended since the last look.

        ``label``: the plan stage now running (the one a newly seen Spark stage serves); ``active``:
        the Spark stages running now."""
        lines: list[str] = []
        seen = {s.stageId for s in active}
        for s in active:
            run = self.running.get(s.stageId)
            if run is None:
                if s.stageId in self.ended:
                    continue
                run = self.running[s.stageId] = _Running(label, _call_site(s.name), s.numTasks, 0, 0, now, now)
                lines.append(f"spark stage {s.stageId} ({label}) started: {s.numTasks} tasks, {run.name}")
            run.tasks, run.done, run.failed = s.numTasks, s.numCompletedTasks, s.numFailedTasks
            if now - run.said >= self.every:
                run.said = now
                lines.append(f"spark stage {s.stageId} ({run.label}): {run.done}/{run.tasks} tasks done "
                             f"after {now - run.started:.0f} s")
        for sid in sorted(set(self.running) - seen):
            run = self.running.pop(sid)
            self.ended.add(sid)
            failed = f", {run.failed} failed" if run.failed else ""
            lines.append(f"spark stage {sid} ({run.label}) ended: {run.tasks} tasks{failed}, "
                         f"{now - run.started:.1f} s")
        return lines


def _call_site(name: str) -> str:
    """``collect at /path/to/reuse/engine/spark_plan.py:123`` as ``collect at spark_plan.py:123``."""
    head, sep, where = name.partition(" at ")
    return f"{head}{sep}{where.rsplit('/', 1)[-1]}" if sep else name


class StageLog:
    """Logs Spark's stages while the plan runs (``with StageLog(sc) as stages: stages.label = "align"``).

    Started only when the ``reuse`` log shows INFO (``-v``): otherwise nothing polls."""

    def __init__(self, sc: Any, *, poll: float = POLL_S, every: float = EVERY_S) -> None:
        self.sc, self.poll = sc, poll
        self.label = "start"
        self.watch = Watch(every)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> StageLog:
        if log.isEnabledFor(logging.INFO):
            self._thread = threading.Thread(target=self._loop, name="reuse-spark-stages", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def _loop(self) -> None:
        tracker = self.sc.statusTracker()
        while not self._stop.wait(self.poll):
            try:
                active = [s for s in map(tracker.getStageInfo, tracker.getActiveStageIds()) if s is not None]
            except Exception as exc:  # noqa: BLE001 - the session went away: progress is not worth an error
                log.debug("spark stages: status tracker gone (%s)", exc)
                return
            for line in self.watch.observe(time.perf_counter(), self.label, active):
                log.info("%s", line)
