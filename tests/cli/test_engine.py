"""Choosing the engine: one clear line when Spark cannot run, and Spark flags checked before any work."""
from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.engine import spark_support
from reuse.errors import ConfigError


def test_spark_without_pyspark_is_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'reuse\[spark\]'"):
        spark_support.require_spark()


def test_spark_without_java_is_one_line_naming_the_package(monkeypatch):
    pytest.importorskip("pyspark")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(spark_support.shutil, "which", lambda name: None)
    with pytest.raises(ConfigError, match="openjdk-17-jre-headless"):
        spark_support.require_spark()


def test_the_cli_reports_a_missing_pyspark_in_one_line(monkeypatch, seeds_dir, tmp_path):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path), "--engine", "spark"])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == ["error: --engine spark needs pyspark: pip install 'reuse[spark]'"]


def test_checkpoint_is_refused_without_spark(seeds_dir, tmp_path):
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path), "--checkpoint", str(tmp_path / "w")])
    assert res.exit_code == 2 and "--engine spark" in res.output


def test_jobs_is_refused_with_spark(seeds_dir, tmp_path):
    res = CliRunner().invoke(main, ["scan", str(seeds_dir), "--out", str(tmp_path), "--engine", "spark", "-j", "2"])
    assert res.exit_code == 2 and "--spark-master 'local[N]'" in res.output and len(res.output.strip().splitlines()) == 1


def test_spark_conf_pairs_are_parsed_or_refused():
    assert spark_support.parse_conf(["spark.executor.memory=4g", "a.b=x=y"]) == {
        "spark.executor.memory": "4g", "a.b": "x=y"}
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        spark_support.parse_conf(["spark.executor.memory"])
