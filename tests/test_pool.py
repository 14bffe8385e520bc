"""Worker processes die with their parent, even when it is killed with SIGKILL (issue 14, item 4).

``reuse scan`` and ``reuse index add`` are started with two workers, killed at seeded random points
once their workers run, and every process they started must be gone; the index database must
still pass SQLite's integrity check.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reuse.engine.pool import executor

ROOT = Path(__file__).resolve().parent.parent
RNG = random.Random(14)  # seeded: the kill points are random but the same on every run
SETTLE_SECONDS = 60  # upper bound to wait for processes to start or end (never a speed assertion)


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process, from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), fields[0])
    return out


def _descendants(pid: int) -> set[int]:
    procs, found, todo = _processes(), set(), [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _) in procs.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    procs = _processes()
    return {p for p in pids if p in procs and procs[p][1] != "Z"}  # a zombie has ended, only not yet reaped


def _kill_once_workers_run(args: list[str], cwd: Path) -> set[int]:
    """Start ``reuse ARGS``, SIGKILL it at a random point after its workers start; the workers still alive."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "reuse", *args], cwd=cwd, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SETTLE_SECONDS
        workers: set[int] = set()
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            workers = _descendants(proc.pid)
            time.sleep(0.02)
        assert workers and proc.poll() is None, "no worker seen before the command ended; make the input larger"
        time.sleep(RNG.uniform(0.0, 1.0))
        workers |= _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        return _alive(workers)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # never leave a stray process behind, pass or fail


def _corpus(path: Path, n: int, *, related: bool) -> None:
    rng = random.Random(3)
    vocab = [f"v{k}" for k in range(3000)]
    shared = [" ".join(rng.choice(vocab) for _ in range(60)) for _ in range(20)]
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(n):
            parts = [rng.choice(shared) if related and rng.random() < 0.4 else " ".join(rng.choice(vocab) for _ in range(60))
                     for _ in range(5)]
            fh.write(json.dumps({"id": f"d{k:05d}", "text": ". ".join(parts)}) + "\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_scan_workers_die_with_a_killed_parent(tmp_path):
    _corpus(tmp_path / "c.jsonl", 400, related=True)  # every pair is scored: the scoring pool runs a while
    for _ in range(2):
        assert _kill_once_workers_run(["scan", "c.jsonl", "-j", "2", "--out", "out", "-q"], tmp_path) == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_index_add_workers_die_with_a_killed_parent_and_the_database_stays_valid(tmp_path):
    _corpus(tmp_path / "c.jsonl", 4000, related=False)
    for _ in range(2):
        args = ["index", "add", "c.jsonl", "--db", "idx.db", "-j", "2", "--batch-size", "100", "-q"]
        assert _kill_once_workers_run(args, tmp_path) == set()
        if (tmp_path / "idx.db").exists():
            con = sqlite3.connect(tmp_path / "idx.db")
            try:
                assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                con.close()


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_an_interrupted_pool_drops_its_queue_and_stops_its_workers():
    # Leaving the pool by an exception (Ctrl-C in the parent) must not run every queued task first.
    with pytest.raises(KeyboardInterrupt), executor(2) as pool:  # noqa: PT012 - the block is the subject
        futures = [pool.submit(_sleep_then_pid, 0.05) for _ in range(200)]
        futures[0].result()
        raise KeyboardInterrupt
    finished = [f for f in futures if f.done() and not f.cancelled() and f.exception() is None]
    assert len(finished) < len(futures)
