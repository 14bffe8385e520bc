"""The engine's process pool: forked workers that never outlive the process that started them.

A scan, an index add and the PAN bench all run their batch work here. Workers ignore Ctrl-C
(the parent handles it and stops them) and die with their parent however it ends, SIGKILL
included: orphaned workers blocked on a task queue would otherwise sleep forever.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor


class _Inline(Executor):
    """Runs tasks in the calling process (``jobs=1``): no pickling, easy to debug and profile."""

    def __init__(self, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
        if initializer:
            initializer(*initargs)

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN201 - Executor API
        fut: Future = Future()
        fut.set_result(fn(*args, **kwargs))
        return fut


PARENT_WATCH_SECONDS = 1.0
"""How often a worker checks that its parent is alive where ``PR_SET_PDEATHSIG`` is unavailable."""
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` does, however the parent ends (even SIGKILL).

    A killed parent never shuts its pool down, and workers blocked on the task queue would
    otherwise sleep forever as orphans. On Linux the kernel sends SIGKILL to the worker when the
    parent dies (``prctl(PR_SET_PDEATHSIG)``; the pool is started from the thread that owns it, so
    the signal cannot fire early); everywhere a daemon thread also watches the parent pid.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: the watchdog remains
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="reuse-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _worker_start(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """First thing every worker runs: die with the parent, and leave Ctrl-C to the parent.

    And set aside the objects inherited from the parent (``gc.freeze``): the worker's collections
    would otherwise walk them all, writing to every page that holds one, and copy-on-write then
    gives each worker its own copy of the parent's heap (its documents, aligned pairs, ...).
    """
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    if initializer:
        initializer(*initargs)


class _Pool(ProcessPoolExecutor):
    """A process pool that, left by an exception (Ctrl-C included), drops its queue and stops its workers.

    The plain pool's ``with`` block waits for every queued task first, so an interrupted scan
    would go on computing batches nobody will read.
    """

    def __exit__(self, exc_type, exc, tb):  # noqa: ANN001, ANN204 - Executor API
        if exc_type is None:
            return super().__exit__(exc_type, exc, tb)
        processes = list((getattr(self, "_processes", None) or {}).values())
        self.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.terminate()
        return False


def executor(jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Executor:
    """The engine's pool: ``jobs`` forked worker processes, or this process when ``jobs`` is 1.

    Workers die with this process, even when it is killed with SIGKILL (see :func:`_die_with_parent`).
    Public because the persistent index and the PAN bench run their batch work in the same pool.
    """
    if jobs <= 1:
        return _Inline(initializer, initargs)
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    return _Pool(max_workers=jobs, mp_context=ctx, initializer=_worker_start,
                 initargs=(os.getpid(), initializer, initargs))
