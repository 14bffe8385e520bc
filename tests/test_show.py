"""``reuse show``: a pair from a report folder on the terminal, shared phrasing marked."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.outputs.terminal import ANSI_RESET, ANSI_SHARED, mark_shared

A, B = "000_4c69908819cc8651.txt", "001_3182de4ee06caf7f.txt"


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def report(tmp_path_factory, ) -> str:
    from .conftest import SEEDS
    from .report_fixtures import aligner_only_config

    out = tmp_path_factory.mktemp("report")
    assert run("scan", str(SEEDS), "--out", str(out), "-q", "--config", aligner_only_config(out)).exit_code == 0
    return str(out)


def test_without_pair_lists_pairs_with_ranks(report):
    result = run("show", report)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "score", "doc_a", "doc_b", "passages", "%A", "%B"]
    assert len(lines) == 11 and lines[1].split()[:4] == ["1", "0.053", A, "003_548a5e885e1604d2.txt"]


@pytest.mark.parametrize("spec", [[A, B], [B, A], [f"{A}::{B}"], ["5"]])
def test_pair_by_ids_either_order_or_rank(report, spec):
    result = run("show", report, *spec, "--no-color")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"#5  {A}  <->  {B}\n")
    assert "passage 1/1 · fuzzy · similarity 0.84" in out
    assert "  A 1130-1177: [[to bomb the]]\u00a02018 “[[Free Iran” gathering in Paris]]" in out
    assert "  B 1655-1708: [[to bomb the]] opposition’s [[Free Iran gathering in Paris]]" in out
    assert "\x1b[" not in out


def test_color_flag_uses_ansi(report):
    out = run("show", report, "5", "--color").stdout
    assert f"{ANSI_SHARED}to bomb the{ANSI_RESET}" in out and "[[" not in out


def test_plain_by_default_when_not_a_terminal(report):
    assert "[[to bomb the]]" in run("show", report, "5").stdout


def test_topic_only_pair_says_so(report):
    out = run("show", report, "10").stdout
    assert "0 passages" in out and "topic only" in out


def test_mark_shared_wraps_runs_exactly():
    assert mark_shared("abc def ghi", [(0, 3), (8, 11)], color=False) == "[[abc]] def [[ghi]]"
    assert mark_shared("abc", [], color=True) == "abc"


@pytest.mark.parametrize("args, message", [
    (["nope-dir"], "nope-dir: no such report folder"),
    (["{report}", "x.txt", "y.txt"], "no pair x.txt::y.txt in"),
    (["{report}", "99"], "no pair ranked 99 in"),
    (["{report}", A], "give DOC_A DOC_B, DOC_A::DOC_B or a rank number (4 pairs contain it"),
    (["{report}", "a", "b", "c"], "give at most two document ids"),
])
def test_errors_are_one_line_exit_2(report, tmp_path, args, message):
    args = [a.replace("{report}", report) for a in args]
    if args[0] == "nope-dir":
        args[0] = str(tmp_path / "nope-dir")
    result = run("show", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.output


def test_folder_without_pairs_file_is_a_clear_error(tmp_path):
    result = run("show", str(tmp_path))
    assert result.exit_code == 2 and "pairs.jsonl: not found" in result.stderr


def test_malformed_pairs_file_names_the_line(tmp_path):
    (tmp_path / "pairs.jsonl").write_text(json.dumps({"doc_a": "a"}) + "\n{oops\n", encoding="utf-8")
    result = run("show", str(tmp_path))
    assert result.exit_code == 2 and "pairs.jsonl:2: malformed JSON line" in result.stderr


def test_show_explains_the_score_and_prints_safe_urls(tmp_path):
    from .conftest import COPIED, article

    rows = [{"id": "a", "text": article(1, COPIED), "url": "https://news.example/a"},
            {"id": "b", "text": article(2, COPIED), "url": "javascript:alert(1)\x1b]0;pwned\x07"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run("scan", str(src), "--out", str(tmp_path / "o"), "-q").exit_code == 0
    out = run("show", str(tmp_path / "o"), "1", "--no-color").stdout
    lines = out.splitlines()
    assert lines[2].startswith("Score ") and "% of A and" in lines[2]
    assert "A: https://news.example/a" in lines and not any(line.startswith("B: ") for line in lines)
    assert "javascript" not in out and "\x1b" not in out


def test_show_marks_no_stop_word_alone_in_paraphrases(tmp_path):
    a = ("Officials confirmed the plan today. For years the regime’s embassies in Europe have served as centres of "
         "espionage and terror, the Resistance said on Monday. Nothing else was announced.")
    b = ("A short note opened the meeting. The Resistance has long said that the regime's embassies are terror centres "
         "in the heart of Europe, used for espionage. The meeting then closed.")
    rows = [{"id": "a", "text": a}, {"id": "b", "text": b}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run("scan", str(src), "--out", str(tmp_path / "o"), "-q", "--min-words", "20").exit_code == 0
    out = run("show", str(tmp_path / "o"), "1", "--no-color").stdout
    assert "paraphrase" in out, out
    marked = [m for m in re.findall(r"\[\[(.*?)\]\]", out) if m != "..."]  # "..." is the legend
    assert any("embassies" in m for m in marked) and any("Europe" in m for m in marked)
    stop = {"the", "s", "of", "in", "that", "a", "for", "and"}
    assert all(m.split()[0].lower() not in stop and m.split()[-1].lower() not in stop for m in marked), marked
