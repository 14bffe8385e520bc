"""The local engine's operations: ordered map, broadcast, group by key, texts read back in workers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reuse import jit
from reuse.engine.local import LocalEngine


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _scaled(x: int, factor) -> int:  # noqa: ANN001 - a Broadcast handle
    return x * factor.value


def _read(ref) -> str:  # noqa: ANN001 - a TextRef
    return ref.read()


@pytest.mark.parametrize("jobs", [1, 2])
def test_map_returns_results_in_task_order(jobs):
    with LocalEngine(jobs) as engine:
        got = list(engine.map(_square_and_pid, ((x,) for x in range(50))))
    assert [r for r, _ in got] == [x * x for x in range(50)]
    if jobs == 1:  # this process: nothing pickled
        assert {pid for _, pid in got} == {os.getpid()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broadcast_value_is_read_inside_tasks(jobs):
    with LocalEngine(jobs) as engine:
        factor = engine.broadcast(3)
        assert list(engine.map(_scaled, ((x, factor) for x in range(20)))) == [3 * x for x in range(20)]
        other = engine.broadcast(5)  # a later broadcast reaches the workers too
        assert list(engine.map(_scaled, ((x, other) for x in range(4)))) == [0, 5, 10, 15]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_workers_are_released_once_a_map_is_done():
    # between maps the plan works alone (candidate joins, the talking points' index): idle workers
    # would hold their memory meanwhile
    with LocalEngine(2) as engine:
        workers = {pid for _, pid in engine.map(_square_and_pid, ((x,) for x in range(8)))}
        assert workers and os.getpid() not in workers
        assert not any(_alive(pid) for pid in workers)
        assert [r for r, _ in engine.map(_square_and_pid, ((x,) for x in range(3)))] == [0, 1, 4]  # a new pool


_LOADED_IN_WORKER = """
from reuse import jit
from reuse.engine.local import LocalEngine
from reuse.text import scan_kernels

def loaded(_):
    return [len(k.signatures) for k in (scan_kernels._scan_numba, scan_kernels._scan_utf8, scan_kernels._decode_utf8)]

with LocalEngine(2) as engine:
    print(list(engine.map(loaded, [(0,), (1,)])))
"""


@pytest.mark.skipif(not jit.ENABLED, reason="numba is off: no kernels to load")
def test_workers_start_with_the_tokenizer_kernels_loaded():
    # a fresh process: kernels loaded by earlier tests of this one would hide a missing warm-up
    run = subprocess.run([sys.executable, "-c", _LOADED_IN_WORKER], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert run.stdout.strip() == "[[1, 1, 1], [1, 1, 1]]"


def test_group_by_key_concatenates_values_in_arrival_order():
    items = [(2, np.array([1, 2])), (0, np.array([7])), (2, np.array([3])), (0, np.array([], dtype=np.int64))]
    with LocalEngine(1) as engine:
        got = [(k, v.tolist()) for k, v in engine.group_by_key(items)]
    assert got == [(0, [7]), (2, [1, 2, 3])]


@pytest.mark.parametrize("jobs", [1, 2])
def test_texts_come_back_exactly_in_any_process(jobs):
    texts = ["plain", "", "naïve “quotes” ﬁ", "lone \ud800 surrogate", "x" * 10_000]
    with LocalEngine(jobs) as engine:
        store = engine.texts()
        for t in texts:
            store.add(t)
        store.close()
        assert [store.get(i) for i in range(len(texts))] == texts
        assert list(engine.map(_read, ((store.ref(i),) for i in range(len(texts))))) == texts
