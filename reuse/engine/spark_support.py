"""What the Spark engine needs around the plan: a quiet session, a work folder that resumes, results on disk.

* :func:`session` starts (or joins) a SparkSession that logs only warnings to stderr, with one
  clear error when pyspark or Java is missing.
* :class:`WorkFolder` holds each expensive stage as a Parquet table; a stage whose table is
  complete (Spark's ``_SUCCESS`` marker) is read back instead of recomputed, so a failed job run
  again with the same ``--checkpoint`` folder resumes after the last finished stage.
* :class:`StoredValue` is a value an executor reduced and wrote to the work folder (the corpus
  IDF, the talking-points model), which tasks read from there: a broadcast that never passes
  through the driver, whose memory so stays the same whatever the corpus size.
* :class:`StoredRecords` is a read-only sequence over records the executors wrote, read back in
  row batches: the driver streams results to the output files without holding them.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reuse.errors import ConfigError

LOG4J = Path(__file__).with_name("log4j2.properties")
"""Spark's JVM logs: warnings and errors on stderr, none of its start-up chatter."""


def require_spark() -> None:
    """Raise a one-line :class:`ConfigError` when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ConfigError("--engine spark needs pyspark: pip install 'reuse[spark]'") from None
    java = os.environ.get("JAVA_HOME")
    if not (java and Path(java, "bin", "java").exists()) and shutil.which("java") is None:
        raise ConfigError("--engine spark needs Java 17: apt-get install openjdk-17-jre-headless (or set JAVA_HOME)")


def session(master: str | None, conf: dict[str, str]) -> Any:
    """A SparkSession on ``master`` with the engine's defaults, overridden by ``conf``.

    ``master`` None: the one ``spark-submit --master`` gave, else ``local[*]``. Executors run this
    interpreter unless ``PYSPARK_PYTHON`` names another; on a cluster, install reuse on every node.
    """
    require_spark()
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # started by spark-submit: its --master and --conf hold
    if master is None and not submitted:
        master = "local[*]"
    if master is None or master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # PySpark starts Python workers with PYSPARK_PYTHON (default python3), not the driver's interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", conf.get("spark.pyspark.python", sys.executable))
    from pyspark.sql import SparkSession

    java_opts = f"-Dlog4j2.configurationFile={LOG4J.as_uri()}"
    settings = {
        "spark.app.name": "reuse",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.extraJavaOptions": java_opts,
        "spark.executor.extraJavaOptions": java_opts,
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        "spark.sql.shuffle.partitions": "16",
        "spark.python.worker.reuse": "true",
        **conf,
    }
    builder = SparkSession.builder if master is None else SparkSession.builder.master(master)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def parse_conf(pairs: Sequence[str]) -> dict[str, str]:
    """``["KEY=VALUE", ...]`` -> dict, with a one-line error naming a malformed pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--spark-conf: expected KEY=VALUE, got {pair!r} (e.g. spark.executor.memory=4g)")
        out[key.strip()] = value
    return out


class WorkFolder:
    """The run's folder: one Parquet table per finished stage, and a manifest naming the run.

    The manifest holds the configuration and the caller's description of the input; a folder
    written by another run is refused (one line), never silently mixed with this one.
    """

    def __init__(self, root: str | Path, manifest: dict[str, Any]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / "manifest.json"
        if path.exists():
            held = json.loads(path.read_text(encoding="utf-8"))
            if held != json.loads(json.dumps(manifest)):
                raise ConfigError(f"--checkpoint {self.root}: holds another run (other input or settings); "
                                  "remove it or choose an empty folder")
        else:
            path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")

    def path(self, name: str) -> Path:
        return self.root / name

    def done(self, name: str) -> bool:
        """Whether the stage table ``name`` was written completely (Spark's ``_SUCCESS`` marker)."""
        return (self.root / name / "_SUCCESS").exists()

    def stage(self, spark: Any, name: str, build: Callable[[], Any]) -> Any:
        """The DataFrame of stage ``name``: read back when done, else built, written, then read back."""
        if not self.done(name):
            build().write.mode("overwrite").parquet(str(self.path(name)))
        return spark.read.parquet(str(self.path(name)))

    def save_json(self, name: str, value: Any) -> None:
        tmp = self.root / f".{name}.tmp"
        tmp.write_text(json.dumps(value), encoding="utf-8")
        os.replace(tmp, self.root / name)

    def load_json(self, name: str) -> Any:
        path = self.root / name
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def pickled_rows(spark: Any, rdd: Any) -> Any:
    """``(ord, object)`` pairs as a DataFrame of ``(ord, blob)``: Python records the plan keeps exactly."""
    from pyspark.sql.types import BinaryType, LongType, StructField, StructType

    schema = StructType([StructField("ord", LongType(), False), StructField("blob", BinaryType(), False)])
    return spark.createDataFrame(rdd.map(lambda kv: (int(kv[0]), bytearray(pickle.dumps(kv[1], protocol=5)))), schema)


RESULT_ROW_GROUP_BYTES = 4 << 20
"""Row groups of the results tables: the driver reads them one row group's column at a time while
it writes the output files, so their size bounds its memory whatever the corpus size (Spark's
default, 128 MB, let the driver's peak grow with the results up to that)."""


def save_results(frame: Any, path: str | Path) -> None:
    """Write a results table (``(ord, blob)``, :func:`pickled_rows`) in row groups of about
    :data:`RESULT_ROW_GROUP_BYTES`, for :class:`StoredRecords` to stream."""
    frame.write.mode("overwrite").option("parquet.block.size", str(RESULT_ROW_GROUP_BYTES)).parquet(str(path))


@dataclass(frozen=True)
class StoredValue:
    """A value in a file of the work folder (which every node sees), read once per Python worker:
    what ``SparkContext.broadcast`` gives tasks, for values the driver should not hold."""

    path: str

    @property
    def value(self) -> Any:
        stat = os.stat(self.path)
        return _load_value(self.path, stat.st_mtime_ns, stat.st_size)

    def unpersist(self) -> None:
        """Nothing to let go of here (the file goes with the work folder); as a broadcast's."""


@lru_cache(maxsize=4)
def _load_value(path: str, mtime_ns: int, size: int) -> Any:  # a file written again is read again
    with open(path, "rb") as f:
        return pickle.load(f)


def store_value(rdd: Any, path: Path, make: Callable[[Any], Any]) -> list[Any]:
    """Write ``make(value)[0]`` of the one-value RDD ``rdd`` to ``path`` from the executor that holds it
    (a temporary file, then renamed); the driver gets ``make(value)[1]``, something small."""
    target = str(path)

    def write(values: Iterable[Any]) -> Iterator[Any]:
        for value in values:
            stored, small = make(value)
            tmp = f"{target}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                pickle.dump(stored, f, protocol=5)
            os.replace(tmp, target)
            yield small

    return rdd.mapPartitions(write).collect()


class StoredRecords(Sequence):
    """Objects pickled in a ``(ord, blob)`` Parquet table, read back in order in row batches.

    Spark writes one file per partition (``part-00000-...``), so a table written from a sorted
    RDD reads back in order file by file. Slicing from the start (``pairs[:10]``) reads only what
    it needs; ``len`` comes from the files' footers.
    """

    def __init__(self, folder: str | Path) -> None:
        self.files = sorted(Path(folder).glob("part-*.parquet"))
        self._len: int | None = None

    def __len__(self) -> int:
        if self._len is None:
            import pyarrow.parquet as pq

            self._len = sum(pq.ParquetFile(f).metadata.num_rows for f in self.files)
        return self._len

    def __iter__(self) -> Iterator[Any]:
        import pyarrow.parquet as pq

        last = -1
        for f in self.files:
            for batch in _batches(pq.ParquetFile(f)):
                for ord_, blob in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()):
                    if ord_ <= last:
                        raise RuntimeError(f"{f}: records out of order ({ord_} after {last})")
                    last = ord_
                    yield pickle.loads(blob)

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            out = []
            for k, item in enumerate(self):
                if k >= stop:
                    break
                if k >= start and (k - start) % step == 0:
                    out.append(item)
            return out
        k = key + len(self) if key < 0 else key
        for n, item in enumerate(self):
            if n == k:
                return item
        raise IndexError(key)

    def __bool__(self) -> bool:
        return len(self) > 0


def _batches(file: Any) -> Iterator[Any]:
    """A Parquet file's ``(ord, blob)`` batches, one row group at a time, in this thread: over a whole
    file, pyarrow's reader held more of the file the more row groups it had (its memory pool's peak
    4x at 16 row groups, at 4 MB each), so the driver's peak grew with the results."""
    for group in range(file.num_row_groups):
        yield from file.iter_batches(batch_size=1024, row_groups=[group], columns=["ord", "blob"], use_threads=False)


def shuffle_bytes(spark: Any) -> dict[str, int]:
    """Shuffle bytes written per job group (the plan's stage names), from Spark's monitoring REST API.

    The API is served by the web UI, which the engine leaves off unless asked
    (``--spark-conf spark.ui.enabled=true``, as ``make bench-spark`` does): an empty dict without it.
    """
    import urllib.request

    sc = spark.sparkContext
    url = sc.uiWebUrl
    if not url:
        return {}
    base = f"{url}/api/v1/applications/{sc.applicationId}"
    try:
        with urllib.request.urlopen(f"{base}/stages", timeout=30) as fh:
            stages = json.load(fh)
        with urllib.request.urlopen(f"{base}/jobs", timeout=30) as fh:
            jobs = json.load(fh)
    except OSError:
        return {}
    by_stage: dict[int, int] = {}
    for st in stages:
        by_stage[st["stageId"]] = max(by_stage.get(st["stageId"], 0), int(st.get("shuffleWriteBytes", 0)))
    out: dict[str, int] = {}
    for job in jobs:
        name = job.get("jobGroup") or "other"
        out[name] = out.get(name, 0) + sum(by_stage.get(i, 0) for i in job.get("stageIds", []))
    return out
