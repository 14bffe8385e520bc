"""``reuse eval``: measure the tool against labelled data, the one place for it.

``reuse eval pan CORPUS`` runs the PAN text-alignment benchmark with the project's own PAN
measures; ``reuse eval graded`` asks whether the headline score ranks graded reuse
(:mod:`reuse.eval.graded`); ``reuse eval talking-points LABELS PATH...`` scores a scan's passages
and talking points against labelled pairs (:mod:`reuse.eval.annotation`). ``reuse bench pan`` is
the old name of the first, kept as a hidden alias.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from tqdm import tqdm

from reuse.cli.common import ReuseGroup, StageProgress, setup_logging, verbosity_options
from reuse.cli.settings import build_config
from reuse.config import ReuseConfig
from reuse.eval.pan.corpus import open_corpus

if TYPE_CHECKING:  # scipy, scikit-learn, numba: imported by the commands that need them
    from reuse.eval.graded import Features, Scorer
    from reuse.eval.pan.measures import Scores


@click.group("eval", cls=ReuseGroup)
def eval_group() -> None:
    """Measure the tool against labelled data: the PAN benchmark, graded reuse, annotated talking points."""


@eval_group.command("pan")
@click.argument("corpus_dir", type=click.Path(file_okay=False))
@click.option("-o", "--out", type=click.Path(file_okay=False), default=None,
              help="Write one detection XML per pair here (PAN format).")
@click.option("--pairs", "pairs_file", type=click.Path(dir_okay=False), default=None,
              help="Align only the pairs listed in this file (same format as the corpus's pairs file).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [all cores].")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object instead of the table.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Aligner settings from a TOML file.")
@verbosity_options
def pan(corpus_dir, out, pairs_file, jobs, as_json, config_file, quiet, verbose) -> None:
    """Align every pair of a PAN text-alignment corpus and score it.

    \b
    CORPUS_DIR holds src/, susp/, a pairs file, and one sub-folder per part
    (e.g. 02-no-obfuscation/) with the gold XML of its pairs. Prints precision,
    recall, granularity and plagdet per part and overall (PAN measures).

    \b
    Passages come from the aligner `reuse scan` uses, with the default settings
    except short_phrases = false (PAN scores passage-level reuse only) and
    merge_reordered = true (PAN annotates a shuffled passage as one case); a
    --config file can change any setting.

    \b
    Example:
      reuse eval pan ../shared/bench/pan13-train --out detections/
    """
    from reuse.eval.pan.bench import detect_all, score, write_all  # the aligner: imported when used

    setup_logging(-1 if quiet else verbose)
    config = bench_config(config_file)
    corpus = open_corpus(corpus_dir, pairs_file)
    progress = StageProgress(quiet=quiet)
    start = time.perf_counter()
    try:
        detections = detect_all(corpus, config, jobs=jobs, progress=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - start
    if out:
        write_all(Path(out), detections)
    scores = score(corpus, detections)
    if as_json:
        click.echo(json.dumps({"corpus": str(corpus_dir), "pairs": len(corpus.pairs), "seconds": round(seconds, 2),
                               "scores": {k: v.to_dict() for k, v in scores.items()}}))
    else:
        click.echo(score_table(scores))
    if not quiet:
        click.echo(f"aligned {len(corpus.pairs)} pairs in {seconds:.1f} s" + (f"; wrote {out}" if out else ""), err=True)


PAN_PRESET = {"short_phrases": False, "merge_reordered": True}
"""PAN scores passage-level reuse: short shared phrases, useful in a scan, only cost precision here;
and its gold annotates a passage whose sentences were shuffled as one case, not one per copy."""


def bench_config(config_file: str | None) -> ReuseConfig:
    """Defaults with :data:`PAN_PRESET`, then the TOML file (which may override the preset too)."""
    return build_config(config_file, None, {}, {}, base=PAN_PRESET)


def score_table(scores: dict[str, Scores]) -> str:
    """A fixed-width table, one row per part and the overall row last (w/det: pairs with a detection)."""
    head = (f"{'part':<28} {'pairs':>6} {'w/det':>6} {'cases':>6} {'dets':>6} {'precision':>9} {'recall':>7} "
            f"{'gran':>6} {'plagdet':>7}")
    rows = [head, "-" * len(head)]
    from reuse.eval.pan.bench import OVERALL

    for part, s in sorted(scores.items(), key=lambda kv: (kv[0] == OVERALL, kv[0])):
        rows.append(f"{part:<28} {s.pairs:>6} {s.pairs_detected:>6} {s.cases:>6} {s.detections:>6} {s.precision:>9.4f} {s.recall:>7.4f} "
                    f"{s.granularity:>6.3f} {s.plagdet:>7.4f}")
    return "\n".join(rows)


@eval_group.command()
@click.argument("answer_dirs", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--pan", "pan_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A PAN13 text-alignment corpus; its parts grade the pairs (verbatim > random > translation > summary > none).")
@click.option("--per-part", type=click.IntRange(min=1), default=None,
              help="Only this many pairs of each PAN part (the same pseudo-random choice on every machine).")
@click.option("--features", "features_in", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the pairs' features from this file (written by --save) instead of scanning.")
@click.option("--save", "features_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the scanned pairs' features here (JSON lines), to re-run measures without scanning.")
@click.option("--fit", "do_fit", is_flag=True,
              help="Also choose the formula constants on the fit half (grid search) and show them on the held-out half.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, help="Worker processes for the PAN pairs [1].")
@click.option("--json", "as_json", is_flag=True, help="Print the measures as one JSON object instead of the table.")
@verbosity_options
def graded(answer_dirs, pan_dir, per_part, features_in, features_out, do_fit, jobs, as_json, quiet, verbose) -> None:
    """How well the headline score ranks graded reuse: ROC-AUC and Spearman.

    \b
    ANSWER_DIRS hold folders of short answers, each with original.txt and answers
    named copied*, light*, heavy*, independent* or unrelated* (grades 3, 2, 1, 0, 0);
    each folder is scanned as one corpus. PAN pairs are scanned two documents at a time.
    Half the groups (PAN suspicious documents, answer folders) are held out; --fit
    chooses the constants on the other half only.

    \b
    Example:
      reuse eval graded --pan ../shared/bench/pan13-train tests/fixtures --fit -j 2
    """
    from reuse.eval.graded import BASELINES, collect, fit, pipeline_formula, read_features, split, write_features

    setup_logging(-1 if quiet else verbose)
    if features_in:
        rows = read_features(features_in)
    else:
        if not pan_dir and not answer_dirs:
            raise click.UsageError("give answer folders, --pan CORPUS_DIR, or --features FILE")
        bar = tqdm(desc="scan", unit="pair", file=sys.stderr, disable=True if quiet else None, leave=False)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            rows = collect(pan_dir, answer_dirs, per_part=per_part, jobs=jobs, progress=progress)
        finally:
            bar.close()
    if features_out:
        write_features(features_out, rows)
    fit_rows, held_rows = split(rows)
    scorers: dict[str, Scorer] = {"headline (this version)": pipeline_formula(), **BASELINES}
    if do_fit:
        formula, _ = fit(fit_rows)
        scorers[f"fitted: floor {formula.paraphrase_floor}, topic {formula.topic_weight}"] = formula
    table = measures_table(scorers, {"fit": fit_rows, "held-out": held_rows})
    if as_json:
        click.echo(json.dumps(table))
    else:
        click.echo(format_table(table))


def measures_table(scorers: dict[str, Scorer], halves: dict[str, list[Features]]) -> dict:
    """``{scorer: {half: {collection: {n, auc, spearman}}}}``."""
    from reuse.eval.graded import measure

    out: dict = {}
    for name, scorer in scorers.items():
        out[name] = {}
        for half, rows in halves.items():
            out[name][half] = {}
            for coll in sorted({f.collection for f in rows}):
                m = measure([f for f in rows if f.collection == coll], scorer)
                out[name][half][coll] = {"n": m.n, "auc": round(m.auc, 4), "spearman": round(m.spearman, 4)}
    return out


def format_table(table: dict) -> str:
    """One line per scorer: ``AUC/Spearman`` per half and collection (pair counts in the header)."""
    cols = sorted({(half, coll) for v in table.values() for half, cs in v.items() for coll in cs},
                  key=lambda hc: (hc[0] != "fit", hc[1]))
    first = next(iter(table.values()))
    head = " ".join(f"{half} {coll} {first[half][coll]['n']}".rjust(20) for half, coll in cols)
    lines = [f"{'AUC/Spearman':<48}{head}"]
    for name, v in table.items():
        cells = " ".join(f"{v[h][c]['auc']:.3f}/{v[h][c]['spearman']:.3f}".rjust(20) for h, c in cols)
        lines.append(f"{name[:47]:<48}{cells}")
    return "\n".join(lines)


@eval_group.command("talking-points")
@click.argument("labels", type=click.Path(dir_okay=False, exists=True))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--baseline", type=click.FloatRange(0.0, 1.0), default=None, metavar="X",
              help="Score plain sentence TF-IDF (every cross-document sentence pair at cosine >= X) instead.")
@click.option("--curve", "curve_at", default=None, metavar="X,Y,...",
              help="A recall/precision curve: one line per paraphrase_min_score (or, with --baseline, per cosine).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object (a list with --curve).")
def talking_points(labels: str, paths: tuple[str, ...], baseline: float | None, curve_at: str | None,
                   as_json: bool) -> None:
    """Recall and precision of talking points against LABELS (JSONL of labelled pairs).

    \b
    Each line of LABELS names two spans making one claim: doc_a, a_start, a_end,
    doc_b, b_start, b_end (document ids as `reuse scan` gives them). --baseline X
    scores plain sentence TF-IDF at cosine X on the same labels: the bar to clear.
    --curve prints one line per threshold: a recall/precision curve.
    Examples:
      reuse eval talking-points tests/fixtures/seed_talking_points.jsonl seeds/
      reuse eval talking-points --curve 0.15,0.2,0.25 LABELS seeds/
    """
    from reuse.eval.annotation import curve, score_paths

    if curve_at:
        try:
            points = [float(x) for x in curve_at.split(",") if x.strip()]
        except ValueError:
            raise click.BadParameter("a comma-separated list of numbers", param_hint="--curve") from None
        found = curve(labels, list(paths), points, baseline=baseline is not None)
        if as_json:
            click.echo(json.dumps([{"threshold": t, **s.to_dict()} for t, s in zip(points, found)]))
        else:
            for t, s in zip(points, found):
                click.echo(f"{t:.2f}  {s.line()}")
        return
    scores = score_paths(labels, list(paths), baseline=baseline)
    if as_json:
        click.echo(json.dumps(scores.to_dict()))
    else:
        click.echo(scores.line())


@click.group("bench", cls=ReuseGroup, hidden=True)
def bench() -> None:
    """Old name of `reuse eval` (PAN only)."""


bench.add_command(pan, "pan")
