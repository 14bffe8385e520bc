"""Writing a scan's outputs as independent parts, on every core the scan used.

A scan's stages keep all its cores busy, but its output files used to be written one after the
other by the scan's process alone: the report's pair pages (up to 2,000 of them) and its index,
``pairs.jsonl``, ``passages.jsonl``, ... while the other cores idled. Each output is cut into
parts that write their own files (or render a text) and depend on nothing but the results; the
parts run in forked workers (:func:`reuse.engine.pool.executor`: the results cross by ``fork``,
not by pickling) and each output's ``finish`` runs here once its parts are done, in the given
order. Every file's bytes are those of a sequential run, whatever ``jobs``.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reuse.engine.pool import executor

Part = Callable[[], Any]
"""A piece of one output: writes files, or renders text, from the results alone."""


@dataclass(frozen=True)
class Output:
    """One output cut into parts: ``finish`` gets the parts' values in order and returns the files
    written, the principal one first (and may write the last of them, such as the report's index).
    ``forkable``: its parts may run in a forked worker (else they run in this process, which would
    otherwise only wait: a writer holding threads, like pyarrow's, stays out of a fork)."""

    parts: list[Part]
    finish: Callable[[list[Any]], list[Path]]
    forkable: bool = True


def whole(write: Callable[[], list[Path]], *, forkable: bool = True) -> Output:
    """An output written in one part, whose value is its list of files."""
    return Output([write], lambda values: values[0], forkable)


_PARTS: list[Part] = []
"""The parts of the current :func:`write_all`, by number: forked workers get the list with the process."""


def _run(k: int) -> Any:
    return _PARTS[k]()


def write_all(outputs: list[Output], jobs: int) -> list[list[Path]]:
    """Run every output's parts, ``jobs`` at a time in forked workers (``jobs`` 1: all here, in
    order), then each output's ``finish`` in order; returns each output's files."""
    values: list[list[Any]] = [[None] * len(o.parts) for o in outputs]
    every = [(i, k) for i, o in enumerate(outputs) for k in range(len(o.parts))]
    forked = [(i, k) for i, k in every if outputs[i].forkable] if jobs > 1 else []
    if len(forked) < 2:
        forked = []  # a fork for one part would only add its start to the wait
    away = set(forked)
    here = [ik for ik in every if ik not in away]
    _PARTS[:] = [outputs[i].parts[k] for i, k in forked]
    try:
        with executor(min(jobs, len(forked))) if forked else contextlib.nullcontext() as pool:
            futures = [pool.submit(_run, n) for n in range(len(forked))]
            for i, k in here:  # what may not fork runs here meanwhile
                values[i][k] = outputs[i].parts[k]()
            for (i, k), future in zip(forked, futures):
                values[i][k] = future.result()
    finally:
        _PARTS.clear()
    return [o.finish(v) for o, v in zip(outputs, values)]
