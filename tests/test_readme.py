"""The README is true to the tool: its sample outputs, its options table, its install path.

The samples are rewritten from real runs by ``make readme`` (``tools/readme_samples.py``); these tests
fail when the tool's output moves and the README was not regenerated.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.cli.scan import scan
from tests.conftest import SEEDS
from tools.readme_samples import README, SAMPLES, blocks, matches

TEXT = README.read_text(encoding="utf-8")
ROOT = README.parent


def test_every_sample_has_a_block():
    assert set(SAMPLES) <= set(blocks(TEXT))


def test_make_report_sample_is_a_fresh_scan_of_the_seeds(tmp_path):
    result = CliRunner().invoke(main, ["scan", str(SEEDS), "--out", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert matches(SAMPLES["make report"], blocks(TEXT)["make report"], result.stdout), (
        "README.md's `make report` sample differs from a fresh scan of seeds/: run `make readme`")
    show = CliRunner().invoke(main, ["show", str(tmp_path), "1", "--no-color"], catch_exceptions=False)
    assert matches(SAMPLES["reuse show"], blocks(TEXT)["reuse show"], show.stdout), (
        "README.md's `reuse show` sample differs from a fresh run: run `make readme`")


def test_every_scan_option_is_in_the_options_table():
    table = TEXT.split("### Options of `reuse scan`", 1)[1].split("\n## ", 1)[0]
    def listed(flag: str) -> bool:  # `--flag`, `--flag N`, `-o, --out DIR` ...
        return any(f"{flag}{end}" in table for end in ("`", " ", ",", "\\"))

    options = [p for p in scan.params if isinstance(p, click.Option) and not p.hidden]  # old spellings are hidden
    missing = [p.opts for p in options if not any(listed(opt) for opt in p.opts)]
    assert not missing, f"options of `reuse scan` missing from README's table: {missing}"
    assert "`--db FILE`" in table


def test_readme_speaks_without_first_person():
    prose = re.sub(r"```.*?```", "", TEXT, flags=re.S)
    assert re.findall(r"\b(?:I|[Mm]y|[Ww]e|[Oo]ur|[Uu]s|[Mm]e)\b", prose) == []


def test_the_research_log_lives_in_docs():
    assert (ROOT / "docs" / "RESEARCH.md").is_file() and "docs/RESEARCH.md" in TEXT
    assert "Tried and not kept" not in TEXT and len(TEXT.encode("utf-8")) < 48_000


@pytest.mark.parametrize("command", ["pip install .", "pipx install ."])
def test_install_paths_are_shown(command):
    assert command in TEXT


def test_a_wheel_built_from_the_checkout_carries_the_report_templates(tmp_path):
    """What `pip install .` / `pipx install .` install: the package with its templates (package data)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(Path(tmp_path).glob("reuse-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ("report.html.j2", "base.html.j2", "report.css", "report.js", "_pair.html.j2"):
        assert f"reuse/outputs/html/templates/{template}" in names, template
    assert "reuse/cli/scan.py" in names and "reuse/stages/scope.py" in names
    assert not any(n.startswith(("tests/", "tools/", "benchmarks/")) for n in names)
