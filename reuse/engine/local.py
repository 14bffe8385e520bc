"""The local engine: a process pool on one machine, texts in a spill file, memory bounded.

Documents stream in (a JSONL file is never held whole): each text is appended to a spill file on
disk and read back by byte offset, in any process, only when a later stage needs it. Workers come
from :func:`reuse.engine.pool.executor` (they die with this process, however it ends) and live
for one ``map``: between maps the plan works in this process alone (candidate joins, the talking
points' index), and idle workers would hold their memory meanwhile. ``map`` keeps at most
``2 * jobs`` tasks in flight, so reading never runs ahead of the workers, and returns results in
task order. ``jobs=1`` runs every task in the calling process (no pickling:
easy to debug and profile).

A broadcast value is kept in a table of this process; a pool created after the broadcast gets
the table with its workers (forked: no copy until written), and a task's handle looks the value
up there. So a value crosses to each worker once, not once per task.
"""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from reuse.engine.base import Broadcast, Engine, TextRef, TextStore
from reuse.engine.pool import executor

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """All cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class LocalEngine(Engine):
    """The :class:`~reuse.engine.base.Engine` of one machine: ``jobs`` worker processes (default all cores)."""

    forks = True

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = default_jobs() if jobs is None else max(1, int(jobs))
        self._pool: Executor | None = None
        self._shared: list[int] = []
        self._workdir: Path | None = None

    def map(self, fn: Callable[..., R], tasks: Iterable[tuple]) -> Iterator[R]:
        pool = self._executor()
        pending: deque[Future] = deque()
        for task in tasks:
            pending.append(pool.submit(fn, *task))
            if len(pending) >= 2 * self.jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        self._shutdown_pool()  # idle workers would hold their memory while this process works alone

    def broadcast(self, value: T) -> Broadcast[T]:
        key = next(_KEYS)
        _SHARED[key] = value
        self._shared.append(key)
        self._shutdown_pool()  # the next map forks workers that hold the value
        return _LocalBroadcast(key)

    def texts(self) -> TextStore:
        return SpillFile(self.scratch() / f"texts-{next(_KEYS)}.bin")

    def scratch(self) -> Path:
        """The engine's temporary folder (its spill files, and what stages keep on disk), made on first use."""
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="reuse-"))
        return self._workdir

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.__exit__(*exc)  # left by an error (Ctrl-C too): the queue is dropped, workers stopped
            self._pool = None
        self.close()

    def close(self) -> None:
        self._shutdown_pool()
        for key in self._shared:
            _SHARED.pop(key, None)
        self._shared.clear()
        close_spilled()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def _executor(self) -> Executor:
        if self._pool is None:
            if self.jobs > 1:
                warm_kernels()
            self._pool = executor(self.jobs, _install_shared, (dict(_SHARED),))
        return self._pool

    def _shutdown_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


# --- compiled kernels, loaded before the forks ---------------------------------------------------

_WARM_TEXT = "Warm up, café: twice — 12 words! Again."


@cache
def warm_kernels() -> None:
    """Load the tokenizer's compiled kernels in this process, once, before it forks workers.

    A pool lives for one ``map``, so every stage forks fresh workers; a worker that had to load
    the kernels from numba's cache itself spent about half a CPU second on it (numba's start
    included) before its first task, every worker of every stage. Loaded here, every fork
    inherits them. A no-op without numba (the tokenizer then runs numpy, nothing to load); the
    tokenizer's results never depend on what it tokenized before.
    """
    from reuse.jit import ENABLED

    if ENABLED:
        from reuse.text.scan import batch_token_ids
        from reuse.text.tokens import sentence_starts, tokenize

        tokens = tokenize(_WARM_TEXT)
        sentence_starts(_WARM_TEXT, tokens)
        batch_token_ids([_WARM_TEXT, _WARM_TEXT])


# --- broadcast values ----------------------------------------------------------------------------

_KEYS = itertools.count(1)
_SHARED: dict[int, Any] = {}
"""Broadcast values of this process by key (a worker gets its parent's table when forked)."""


def _install_shared(table: dict[int, Any]) -> None:
    _SHARED.update(table)


@dataclass(frozen=True)
class _LocalBroadcast(Broadcast[T]):
    key: int

    @property
    def value(self) -> T:
        return _SHARED[self.key]


# --- the spill file ------------------------------------------------------------------------------


class SpillFile(TextStore):
    """Texts appended to one file; read back by byte offset, in any process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._pos = 0
        self.offsets = array("q")  # 16 bytes a text (a list of ints takes 70)
        self.lengths = array("q")

    def add(self, text: str) -> None:
        raw = text.encode("utf-8", "surrogatepass")
        self._fh.write(raw)
        self.offsets.append(self._pos)
        self.lengths.append(len(raw))
        self._pos += len(raw)

    def ref(self, i: int) -> TextRef:
        return SpilledText(str(self.path), self.offsets[i], self.lengths[i])

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


@dataclass(frozen=True)
class SpilledText(TextRef):
    path: str
    offset: int
    length: int

    def read(self) -> str:
        return read_spilled(self.path, self.offset, self.length)


_READERS: dict[str, tuple[int, int]] = {}
"""Spill path -> (pid, file descriptor) of this process; a forked child opens its own."""


def read_spilled(path: str, offset: int, length: int) -> str:
    """One text back from a spill file, safe in any process.

    A positional read (``os.pread``) never touches a file offset, and a descriptor inherited
    through ``fork`` is never used: a child opens its own. (A shared ``seek`` + ``read`` let
    forked workers race on one offset and swap each other's texts.)
    """
    pid = os.getpid()
    entry = _READERS.get(path)
    if entry is None or entry[0] != pid:
        entry = _READERS[path] = (pid, os.open(path, os.O_RDONLY))
    raw = os.pread(entry[1], length, offset)
    if len(raw) != length:
        raise OSError(f"{path}: short read at byte {offset} ({len(raw)} of {length} bytes)")
    return raw.decode("utf-8", "surrogatepass")


def close_spilled() -> None:
    """Close this process's spill descriptors (descriptors inherited from a parent are left alone)."""
    pid = os.getpid()
    for path, (owner, fd) in list(_READERS.items()):
        if owner == pid:
            os.close(fd)
        del _READERS[path]
