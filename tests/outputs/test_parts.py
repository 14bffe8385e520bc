"""Outputs as parts: run in forked workers or here, values back in order, the same files for any ``jobs``."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from reuse.outputs.parts import Output, whole, write_all


def _writer(path: Path, text: str):
    def write() -> list[Path]:
        path.write_text(f"{text} {os.getpid()}", encoding="utf-8")
        return [path]

    return write


@pytest.mark.parametrize("jobs", [1, 2])
def test_parts_run_once_each_and_finish_in_order(tmp_path, jobs):
    joined = Output([lambda: "a", lambda: "b", lambda: "c"],
                    lambda values: [tmp_path / "".join(values)])
    outputs = [whole(_writer(tmp_path / "one", "1")), joined, whole(_writer(tmp_path / "two", "2"))]
    assert write_all(outputs, jobs) == [[tmp_path / "one"], [tmp_path / "abc"], [tmp_path / "two"]]
    pids = {p.read_text(encoding="utf-8").split()[1] for p in (tmp_path / "one", tmp_path / "two")}
    assert (pids == {str(os.getpid())}) is (jobs == 1)  # jobs 2: written by forked workers


def test_a_part_that_may_not_fork_runs_here(tmp_path):
    kept = whole(_writer(tmp_path / "kept", "k"), forkable=False)
    write_all([whole(_writer(tmp_path / "one", "1")), whole(_writer(tmp_path / "two", "2")), kept], 2)
    assert (tmp_path / "kept").read_text(encoding="utf-8") == f"k {os.getpid()}"
    assert (tmp_path / "one").read_text(encoding="utf-8") != f"1 {os.getpid()}"


def test_a_failing_part_fails_the_writing(tmp_path):
    def fail() -> list[Path]:
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        write_all([whole(fail), whole(_writer(tmp_path / "one", "1"))], 2)
