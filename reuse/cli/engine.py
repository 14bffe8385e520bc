"""``reuse scan --engine spark``: the flags that choose and configure the engine, kept out of scan.py."""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from reuse.config import ReuseConfig
from reuse.errors import ConfigError
from reuse.model import Document, Results, Skip


def spark_options(f):  # noqa: ANN001, ANN201 - decorator
    f = click.option("--checkpoint", type=click.Path(file_okay=False), default=None,
                     help="Spark: keep each stage's Parquet here; run again with it to resume a failed job.")(f)
    f = click.option("--spark-conf", multiple=True, metavar="KEY=VALUE",
                     help="Spark: a setting for the session (repeatable), e.g. spark.executor.memory=4g.")(f)
    f = click.option("--spark-master", default=None,
                     help="Spark: the master URL, e.g. spark://host:7077 or local[2] [spark-submit's, else local[*]].")(f)
    f = click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
                     help="Run on this machine's cores, or on Apache Spark (pip install 'reuse[spark]').")(f)
    return f


def check_engine(engine: str, checkpoint: str | None, jobs: int | None = None) -> None:
    """Fail early, in one line, when Spark is asked for but cannot run (before any input is read)."""
    if engine == "spark":
        if jobs is not None:
            raise ConfigError("--jobs sets the local engine's processes: with --engine spark, use "
                              "--spark-master 'local[N]' or the cluster's executors")
        from reuse.engine.spark_support import require_spark

        require_spark()
    elif checkpoint:
        raise ConfigError("--checkpoint resumes Spark jobs: use it with --engine spark")


def input_key(paths: Sequence[str | Path]) -> list[Any]:
    """What names the input in a checkpoint's manifest: each path with its files' count, bytes, newest time."""
    key: list[Any] = []
    for p in paths:
        path = Path(p)
        if str(p) == "-":
            key.append(["-"])
            continue
        files = [path] if path.is_file() else [Path(r, f) for r, _, fs in os.walk(path) for f in fs]
        stats = [f.stat() for f in files]
        key.append([str(path.resolve()), len(stats), sum(s.st_size for s in stats), max((s.st_mtime_ns for s in stats), default=0)])
    return key


def run_spark(items: Iterable[Document | Skip], config: ReuseConfig, paths: Sequence[str | Path], master: str | None,
              conf: Sequence[str], checkpoint: str | None, progress: Any,
              reference: Iterable[Document | Skip] | None = None) -> Results:
    """The Spark engine over the readers' stream (``paths``, references included, name the input)."""
    from reuse.engine import spark
    from reuse.engine.spark_support import parse_conf

    return spark.run(items, config, master=master, conf=parse_conf(conf), checkpoint=checkpoint,
                     input_key=input_key(paths), progress=progress, reference=reference)
