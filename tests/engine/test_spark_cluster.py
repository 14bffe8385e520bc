"""``reuse scan --engine spark`` on a real standalone cluster: a master and two workers on 127.0.0.1.

Driver and executors are separate processes here (unlike ``local[2]``), so everything the plan
ships to executors must pickle, and every result must come back through Parquet or a shuffle.
The cluster is started by the test from the PySpark distribution and killed at the end.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs pyspark: pip install 'reuse[spark]'")

pytestmark = pytest.mark.spark

START_TIMEOUT = 300  # seconds for the JVMs to come up on a busy machine: a bound, not a measured target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(log: Path, text: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{log.name}: exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)
    raise RuntimeError(f"{log.name}: no {text!r} after {START_TIMEOUT} s")


def _wait_for_workers(ui_port: int, count: int, procs: list[subprocess.Popen]) -> None:
    """Until the master's JSON status (its web UI, ``/json``) lists ``count`` workers ALIVE."""
    deadline = time.monotonic() + START_TIMEOUT
    alive = 0
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"a cluster process exited ({proc.returncode}): {proc.args}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json", timeout=10) as fh:
                status = json.load(fh)
            alive = sum(1 for w in status.get("workers", []) if w.get("state") == "ALIVE")
            if alive >= count:
                return
        except OSError:
            pass  # the UI is not up yet
        time.sleep(1)
    raise RuntimeError(f"{alive} of {count} workers registered after {START_TIMEOUT} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``(master URL, folder of the cluster's logs and work dirs)``."""
    home = Path(pyspark.__file__).parent
    logs = tmp_path_factory.mktemp("cluster")
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    port, ui_port = _free_port(), _free_port()
    url = f"spark://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> tuple[subprocess.Popen, Path]:
        log = logs / f"{name}.log"
        proc = subprocess.Popen([str(home / "bin" / "spark-class"), *args], env=env, stdout=log.open("w"),
                                stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(proc)
        return proc, log

    try:
        master, log = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                            "--port", str(port), "--webui-port", str(ui_port))
        _wait_for(log, "I have been elected leader", master)
        for k in (1, 2):
            start(f"worker{k}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                  "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir", str(logs / f"work{k}"), url)
        _wait_for_workers(ui_port, 2, procs)
        yield url, logs
    finally:
        for proc in reversed(procs):  # each JVM in its own session: end exactly the processes started here
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _scan(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "reuse", "scan", *args, "-q", "--formats", "jsonl,parquet"],
                   check=True, timeout=900, env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"})


def test_a_standalone_cluster_writes_the_local_engines_files(cluster, seeds_dir, tmp_path):
    url, logs = cluster
    _scan(str(seeds_dir), "--out", str(tmp_path / "local"))
    _scan(str(seeds_dir), "--out", str(tmp_path / "cluster"), "--engine", "spark", "--spark-master", url,
          "--spark-conf", "spark.executor.memory=512m", "--spark-conf", "spark.sql.shuffle.partitions=4",
          "--checkpoint", str(tmp_path / "work"))
    names = sorted(f.name for f in (tmp_path / "local").iterdir())
    assert "pairs.parquet" in names and "clusters.jsonl" in names
    for name in names:
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert (tmp_path / "work" / "aligned" / "_SUCCESS").exists()
    # the executors ran in the two workers' processes, not in the driver's
    assert all(any((logs / f"work{k}").glob("app-*/*/stderr")) for k in (1, 2))
