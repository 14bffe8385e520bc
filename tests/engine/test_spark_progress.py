"""The Spark stages' log lines: what each look at the running stages adds (no session needed)."""
from __future__ import annotations

import logging
from typing import NamedTuple

from reuse.engine.spark_progress import StageLog, Watch


class Info(NamedTuple):
    stageId: int
    name: str
    numTasks: int
    numCompletedTasks: int
    numFailedTasks: int = 0


def test_a_stage_is_said_when_it_starts_while_it_runs_and_when_it_ends():
    watch = Watch(every=60)
    run = Info(7, "collect at /x/reuse/engine/spark_plan.py:123", 24, 0)
    assert watch.observe(0.0, "align", [run]) == ["spark stage 7 (align) started: 24 tasks, collect at spark_plan.py:123"]
    assert watch.observe(30.0, "talking_points", [run._replace(numCompletedTasks=5)]) == []
    assert watch.observe(61.0, "talking_points", [run._replace(numCompletedTasks=10)]) == [
        "spark stage 7 (align): 10/24 tasks done after 61 s"]  # the plan stage it started under
    assert watch.observe(62.5, "talking_points", []) == ["spark stage 7 (align) ended: 24 tasks, 62.5 s"]
    assert watch.observe(63.0, "talking_points", []) == []


def test_stages_that_start_together_are_said_apart_and_an_ended_stage_never_again():
    watch = Watch(every=60)
    a, b = Info(1, "parquet at NativeMethodAccessorImpl.java:0", 2, 0), Info(2, "runJob", 3, 0, 0)
    assert watch.observe(0.0, "ingest", [a, b]) == [
        "spark stage 1 (ingest) started: 2 tasks, parquet at NativeMethodAccessorImpl.java:0",
        "spark stage 2 (ingest) started: 3 tasks, runJob"]
    assert watch.observe(1.0, "ingest", [b._replace(numFailedTasks=1)]) == [
        "spark stage 1 (ingest) ended: 2 tasks, 1.0 s"]
    assert watch.observe(2.0, "sketch", [a, b._replace(numFailedTasks=1)]) == []  # a late report of an ended stage says nothing
    assert watch.observe(3.0, "sketch", []) == ["spark stage 2 (ingest) ended: 3 tasks, 1 failed, 3.0 s"]


def test_nothing_polls_unless_the_log_shows_info():
    logger = logging.getLogger("reuse")
    level = logger.level
    try:
        logger.setLevel(logging.WARNING)
        with StageLog(object()) as stages:  # a session is never touched
            assert stages._thread is None
    finally:
        logger.setLevel(level)
