"""Datasette serves the scan database as the README says: run history, tables as JSON, documented columns,
with ``-m reuse.metadata.json`` or with nothing but reuse's Datasette plugin installed beside it.

Datasette comes with the test extras (``reuse[datasette]``); the server listens on 127.0.0.1 only,
on a port the system picks free, and is stopped at the end.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main

from .conftest import COPIED, article


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - our own server on 127.0.0.1
        return resp.read()


@pytest.fixture(params=["-m metadata.json", "plugin"])
def served(tmp_path, request):
    """Datasette over a database of two runs, its metadata given with -m, or found by reuse's plugin alone."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(article(1, COPIED), encoding="utf-8")
    (src / "b.txt").write_text(article(2, COPIED), encoding="utf-8")
    db = tmp_path / "out" / "reuse.db"
    for _ in range(2):  # two scans: two runs in the history
        res = CliRunner().invoke(main, ["scan", str(src), "--out", str(tmp_path / "out"), "--db", str(db), "-q"])
        assert res.exit_code == 0, res.output
    port = _free_port()
    metadata = ["-m", str(db.with_name("reuse.metadata.json"))] if request.param != "plugin" else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), *metadata, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to ~30 s for the server to come up; a readiness wait, not a timing check
            if proc.poll() is not None:
                pytest.fail(f"datasette exited: {proc.stderr.read().decode(errors='replace')}")
            try:
                _get(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("datasette did not answer on 127.0.0.1")
        yield base, Path(db)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_datasette_serves_run_history_tables_and_column_descriptions(served):
    base, db = served
    runs = json.loads(_get(f"{base}/reuse/runs.json?_shape=array"))  # newest first
    assert [r["id"] for r in runs] == [2, 1] and all(r["n_pairs"] == 1 for r in runs)
    top = json.loads(_get(f"{base}/reuse/top_pairs.json?_shape=array"))
    assert [(r["run_id"], r["doc_a"], r["doc_b"]) for r in top] == [(2, "a.txt", "b.txt")]
    every = json.loads(_get(f"{base}/reuse/top_pairs_all_runs.json?_shape=array"))
    assert sorted(r["run_id"] for r in every) == [1, 2]
    meta = json.loads(_get(f"{base}/-/metadata.json"))
    described = meta["databases"]["reuse"]["tables"]["pairs"]["columns"]
    assert described["score"] and described["run_id"]
    page = _get(f"{base}/reuse/pairs").decode("utf-8")
    assert "weighted by how much wording survives" in page  # the score column's description is on the page
    canned = json.loads(_get(f"{base}/reuse/reuse_over_time.json?_shape=array"))
    assert [r["run_id"] for r in canned] == [1, 2]
