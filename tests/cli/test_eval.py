"""``reuse eval pan`` on a small sample of the real PAN13 corpus (a few pairs per part).

The corpus is research data kept outside the repository: ``../shared/bench/pan13-train`` from the
repository root, or wherever ``REUSE_PAN_DIR`` points. Without it these tests are skipped.
"""
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.eval.pan.xml import read_annotations
from tests.conftest import ROOT

PAN_DIR = Path(os.environ.get("REUSE_PAN_DIR") or ROOT.parent / "shared" / "bench" / "pan13-train")
needs_corpus = pytest.mark.skipif(
    not (PAN_DIR / "pairs").is_file(),
    reason=f"PAN13 corpus not found at {PAN_DIR} (set REUSE_PAN_DIR to its folder)",
)
PER_PART = 3


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The first few pairs of every part, and the bench's JSON output on them."""
    tmp = tmp_path_factory.mktemp("pan")
    lines = []
    for part in sorted(p for p in PAN_DIR.iterdir() if (p / "pairs").is_file()):
        lines += (part / "pairs").read_text(encoding="utf-8").splitlines()[:PER_PART]
    (tmp / "pairs").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("eval", "pan", PAN_DIR, "--pairs", tmp / "pairs", "--out", tmp / "out", "--json", "--jobs", 2, "-q")
    assert result.exit_code == 0, result.output
    return tmp, lines, json.loads(result.stdout)


@needs_corpus
def test_bench_writes_one_detection_file_per_pair(sample):
    tmp, lines, _ = sample
    names = sorted(p.name for p in (tmp / "out").iterdir())
    expected = sorted(f"{Path(s).stem}-{Path(r).stem}.xml" for s, r in (line.split() for line in lines))
    assert names == expected
    for name in names:
        susp = name.split("-source-")[0] + ".txt"
        for d in read_annotations(tmp / "out" / name, name="detected-plagiarism"):
            assert d.this_reference == susp and d.this_length > 0 and d.source_length > 0


@needs_corpus
def test_bench_scores_every_part_and_overall(sample):
    _, lines, out = sample
    scores = out["scores"]
    assert set(scores) == {"01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation",
                           "04-translation-obfuscation", "05-summary-obfuscation", "overall"}
    assert scores["overall"]["pairs"] == len(lines)
    assert scores["01-no-plagiarism"]["detections"] == 0
    # verbatim copies are all found; precision on three pairs is at the mercy of unlabelled overlap
    assert scores["02-no-obfuscation"]["recall"] > 0.95 and scores["02-no-obfuscation"]["plagdet"] > 0.75
    for part, s in scores.items():
        assert 0 <= s["precision"] <= 1 and 0 <= s["recall"] <= 1 and s["granularity"] >= 1, part


@needs_corpus
def test_bench_table_on_stdout(tmp_path):
    line = (PAN_DIR / "02-no-obfuscation" / "pairs").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "pairs").write_text(line + "\n", encoding="utf-8")
    result = run("bench", "pan", PAN_DIR, "--pairs", tmp_path / "pairs", "--jobs", 1, "-q")  # the old name
    assert result.exit_code == 0
    assert "02-no-obfuscation" in result.stdout and "plagdet" in result.stdout and "overall" in result.stdout


def test_bench_on_a_folder_that_is_not_a_corpus_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["eval", "pan", str(tmp_path)])
    assert result.exit_code == 2 and "error:" in result.output and "Traceback" not in result.output


def test_eval_talking_points_scores_a_scan_and_the_baseline(tmp_path):
    labels = ROOT / "tests" / "fixtures" / "seed_talking_points.jsonl"
    ours = run("eval", "talking-points", labels, ROOT / "seeds")
    plain = run("eval", "talking-points", "--baseline", "0.2", labels, ROOT / "seeds")
    assert ours.exit_code == 0 and plain.exit_code == 0
    for res in (ours, plain):
        assert re.match(r"\d+ labelled pairs, \d+ reported", res.stdout) and "recall" in res.stdout and "precision" in res.stdout
    assert "cluster recall 0.00" in plain.stdout and "cluster recall 0.00" not in ours.stdout


def test_eval_talking_points_curve_prints_one_line_per_threshold():
    labels = ROOT / "tests" / "fixtures" / "seed_talking_points.jsonl"
    res = run("eval", "talking-points", "--curve", "0.3,0.2", labels, ROOT / "seeds")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert [ln.split()[0] for ln in lines] == ["0.30", "0.20"]
    reported = [int(re.search(r"(\d+) reported", ln).group(1)) for ln in lines]
    assert reported[0] < reported[1]  # a lower bar reports more passages
    as_json = run("eval", "talking-points", "--curve", "0.3", "--json", labels, ROOT / "seeds")
    (point,) = json.loads(as_json.stdout)
    assert point["threshold"] == 0.3 and point["reported"] == reported[0]
    bad = run("eval", "talking-points", "--curve", "x", labels, ROOT / "seeds")
    assert bad.exit_code == 2
