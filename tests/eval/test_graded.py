"""The graded evaluation (``reuse.eval.graded``, ``reuse eval graded``) and what it protects: a
headline score that ranks reuse as a reader would, with independent same-topic answers below every
revision."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.eval.graded import (
    BEFORE,
    Features,
    Formula,
    Segment,
    answer_grade,
    collect,
    fit,
    pan_grade,
    pan_items,
    pipeline_formula,
    read_features,
    roc_auc,
    scan_folder,
    segments,
    spearman,
    split,
    write_features,
)
from reuse.text.tokens import tokenize
from tests.conftest import ROOT

ANSWERS = ROOT / "tests" / "fixtures" / "graded_answers"


@pytest.fixture(scope="module")
def answer_rows():
    return collect(None, [ANSWERS])


def _feature(group: str, grade: int, score: float, collection: str = "answers") -> Features:
    return Features(collection, group, "a", f"{group}-{grade}", grade, score, score, 0.0, 0.0, 0.0, 0.0, 0.0,
                    100.0, 100.0, (), (Segment(100.0 * score, 0.0, score, 0.0),))


def test_independent_same_topic_answers_score_below_every_revision(answer_rows):
    """Shared topic words give independent answers paraphrase-like matches; they must not lift
    them to the level of a revised answer, in any of the hand-written topics."""
    by_folder: dict[str, dict[str, float]] = {}
    for f in answer_rows:
        by_folder.setdefault(f.group, {})[Path(f.b).stem] = f.score
    assert len(by_folder) == 8
    for folder, s in by_folder.items():
        independent = max(v for k, v in s.items() if k.startswith("independent"))
        assert s["copied"] > s["light"] > s["heavy2"] > independent, folder
        assert s["heavy"] >= independent, folder


def test_the_formula_on_features_is_the_score_the_pipeline_gave(answer_rows):
    """Features hold enough (passage segments per kind) to recompute the headline exactly, so a
    fitted formula means what the pipeline will do with the same constants."""
    formula = pipeline_formula()
    assert all(formula(f) == pytest.approx(f.score, abs=1e-12) for f in answer_rows)
    assert any(abs(BEFORE(f) - f.score) > 0.05 for f in answer_rows)  # the old formula differs


def test_segments_cut_sides_at_passage_edges_keeping_the_best_score_per_kind():
    t = tokenize("aa bb cc dd ee ff")
    segs = segments(t, [(0, 2, "fuzzy", 0.7), (2, 4, "paraphrase", 0.5), (1, 1, "fuzzy", 0.9)])
    assert segs == (Segment(2, 0, 0.7, 0), Segment(2, 0, 0.9, 0), Segment(2, 0, 0.7, 0.5), Segment(4, 0, 0, 0.5))
    assert segments(t, []) == ()


def test_measures_on_small_cases():
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert spearman([1, 2, 3, 4], [0, 1, 2, 3]) == pytest.approx(1.0)
    assert spearman([4, 3, 2, 1], [0, 1, 2, 3]) == pytest.approx(-1.0)


def test_split_holds_out_half_the_groups_and_never_splits_one():
    rows = [_feature(f"g{k}", grade, 0.1 * grade) for k in range(10) for grade in range(3)]
    rows += [_feature(f"p{k}", 1, 0.5, collection="pan") for k in range(6)]
    fit_rows, held = split(rows)
    assert split(list(reversed(rows))) == (sorted(fit_rows, key=rows.index)[::-1], sorted(held, key=rows.index)[::-1])
    assert not {f.group for f in fit_rows} & {f.group for f in held}
    for coll, n_groups in (("answers", 10), ("pan", 6)):
        assert len({f.group for f in held if f.collection == coll}) == n_groups // 2


def test_fit_finds_the_constants_that_rank_best():
    """An independent answer wholly matched at topic level (0.28) must rank below a revision with a
    third of its text matched at 0.5: only a floor above 0.28 does it, and the fit finds it."""
    def pair(group, grade, chars, para):
        return Features("answers", group, "a", group, grade, 0, 0.1, 0, 0, 0, 0, 0, 100.0, 100.0, (),
                        (Segment(chars, 0, 0, para),))

    rows = [pair("x", 0, 100.0, 0.28), pair("y", 1, 30.0, 0.5), pair("z", 2, 100.0, 0.9)]
    best, value = fit(rows, {"paraphrase_floor": (0.0, 0.3), "topic_weight": (0.0,)})
    assert best == Formula(paraphrase_floor=0.3, topic_weight=0.0) and value == pytest.approx(1.0)


def test_fit_breaks_near_ties_by_the_grids_order():
    """Objectives within ``TOLERANCE`` of the best are a tie: the first in grid order (the least
    topic weight) wins, so a constant does not follow noise in the fourth decimal."""
    from reuse.eval import graded

    def pair(group, grade, para, cosine):
        return Features("answers", group, "a", group, grade, 0, cosine, 0, 0, 0, 0, 0, 100.0, 100.0, (),
                        (Segment(100.0, 0, 0, para),) if para else ())

    # every topic weight ranks these perfectly: the objective is 1 for each, and 0.0 comes first
    rows = [pair("x", 0, 0.0, 0.1), pair("y", 1, 0.5, 0.3), pair("z", 2, 0.9, 0.6)]
    best, _ = fit(rows, {"topic_weight": (0.0, 0.05, 0.1), "paraphrase_floor": (0.3,)})
    assert best.topic_weight == 0.0 and graded.TOLERANCE > 0


def test_a_pan_pair_without_a_gold_case_is_graded_no_reuse_whatever_its_part(tmp_path):
    pan = _fake_pan(tmp_path)
    assert pan_grade(pan, "02-no-obfuscation", "suspicious-document1.txt", "source-document1.txt") == 4
    assert pan_grade(pan, "02-no-obfuscation", "suspicious-document2.txt", "source-document1.txt") == 0
    assert pan_grade(pan, "01-no-plagiarism", "suspicious-document2.txt", "source-document2.txt") == 0
    rows = collect(pan, [])
    assert sorted(f.grade for f in rows) == [0, 0, 0, 4]


def test_grades_come_from_answer_file_names_and_pan_parts(tmp_path):
    assert [answer_grade(s) for s in ("copied", "light2", "heavy", "independent_b", "unrelated", "original")] == [
        3, 2, 1, 0, 0, None]
    pan = _fake_pan(tmp_path)
    items = pan_items(pan)
    assert {part for part, _, _ in items} == {"01-no-plagiarism", "02-no-obfuscation"}
    assert pan_items(pan, per_part=1) == pan_items(pan, per_part=1) and len(pan_items(pan, per_part=1)) == 2


def test_eval_graded_cli_scans_saves_and_rereads(tmp_path):
    pan = _fake_pan(tmp_path)
    saved = tmp_path / "features.jsonl"
    run = CliRunner().invoke(main, ["eval", "graded", str(ANSWERS / "hash_tables"), str(ANSWERS / "inflation"),
                                    "--pan", str(pan), "--save", str(saved), "-q"])
    assert run.exit_code == 0, run.output
    assert "headline (this version)" in run.output and "held-out" in run.output
    rows = read_features(saved)
    assert {f.collection for f in rows} == {"answers", "pan"} and len(rows) == 12 + 4
    copied = next(f for f in rows if f.collection == "pan" and f.grade == 4)
    assert copied.score > 0.5 and copied.segments_a  # the verbatim PAN pair is found
    again = CliRunner().invoke(main, ["eval", "graded", "--features", str(saved), "--json", "--fit"])
    table = json.loads(again.output)
    assert table["headline (this version)"]["fit"]["answers"]["n"] + \
        table["headline (this version)"]["held-out"]["answers"]["n"] == 12
    assert any(name.startswith("fitted") for name in table)
    write_features(tmp_path / "copy.jsonl", rows)
    assert read_features(tmp_path / "copy.jsonl") == rows


def test_pan_features_do_not_depend_on_the_number_of_workers(tmp_path):
    pan = _fake_pan(tmp_path)
    assert collect(pan, [], jobs=2) == collect(pan, [], jobs=1)


def test_eval_graded_without_input_is_a_usage_error():
    run = CliRunner().invoke(main, ["eval", "graded"])
    assert run.exit_code == 2 and "answer folders" in run.output


def test_one_answer_folder_is_one_corpus():
    rows = scan_folder(ANSWERS / "vaccination")
    assert sorted(Path(f.b).stem for f in rows) == ["copied", "heavy", "heavy2", "independent", "independent2", "light"]
    assert all(f.a == "original.txt" and f.group == "vaccination" for f in rows)


def _fake_pan(root: Path) -> Path:
    """A two-part PAN layout: one verbatim copy, one unrelated pair (each part two pairs)."""
    pan = root / "pan"
    for sub in ("src", "susp", "01-no-plagiarism", "02-no-obfuscation"):
        (pan / sub).mkdir(parents=True)
    copied = ("The committee approved the new harbour bridge after a long debate about its cost, its design "
              "and the traffic it would bring to the narrow streets of the old town near the river.")
    texts = {
        "src/source-document1.txt": "Weather reports said the river would flood. " + copied,
        "src/source-document2.txt": "A recipe for bread needs flour, water, salt and a little yeast.",
        "susp/suspicious-document1.txt": "Local news. " + copied + " Nobody expected it.",
        "susp/suspicious-document2.txt": "The football season ended with a surprise win for the home side.",
    }
    for name, text in texts.items():
        (pan / name).write_text(text, encoding="utf-8")
    parts = {"02-no-obfuscation": [("1", "1"), ("2", "1")], "01-no-plagiarism": [("2", "2"), ("1", "2")]}
    for part, pairs in parts.items():
        (pan / part / "pairs").write_text(
            "".join(f"suspicious-document{s}.txt source-document{d}.txt\n" for s, d in pairs), encoding="utf-8")
    # the gold: the copy is a case; the other verbatim-part pair lists none, as PAN13's parts do
    start = texts["susp/suspicious-document1.txt"].index(copied)
    src_start = texts["src/source-document1.txt"].index(copied)
    case = (f'<feature name="plagiarism" this_offset="{start}" this_length="{len(copied)}" '
            f'source_reference="source-document1.txt" source_offset="{src_start}" source_length="{len(copied)}"/>')
    for (s, d), feature in ((("1", "1"), case), (("2", "1"), "")):
        (pan / "02-no-obfuscation" / f"suspicious-document{s}-source-document{d}.xml").write_text(
            f'<document reference="suspicious-document{s}.txt">{feature}</document>', encoding="utf-8")
    return pan
