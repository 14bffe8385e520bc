"""``reuse eval``: scores against labelled data.

``reuse eval pan CORPUS`` runs the PAN text-alignment benchmark with the project's own PAN
measures; ``reuse eval talking-points LABELS PATH...`` scores a scan's passages and talking
points against labelled pairs (:mod:`reuse.eval.annotation`). ``reuse bench pan`` is the old
name of the first, kept as a hidden alias.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import click

from reuse.cli.common import ReuseGroup, StageProgress, setup_logging, verbosity_options
from reuse.cli.settings import build_config
from reuse.config import ReuseConfig
from reuse.eval.pan.bench import OVERALL, detect_all, score, write_all
from reuse.eval.pan.corpus import open_corpus
from reuse.eval.pan.measures import Scores


@click.group("eval", cls=ReuseGroup)
def eval_group() -> None:
    """Score reuse against labelled data: the PAN benchmark, annotated talking points."""


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
    for part, s in sorted(scores.items(), key=lambda kv: (kv[0] == OVERALL, kv[0])):
        rows.append(f"{part:<28} {s.pairs:>6} {s.pairs_detected:>6} {s.cases:>6} {s.detections:>6} {s.precision:>9.4f} {s.recall:>7.4f} "
                    f"{s.granularity:>6.3f} {s.plagdet:>7.4f}")
    return "\n".join(rows)


@eval_group.command("talking-points")
@click.argument("labels", type=click.Path(dir_okay=False))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--baseline", type=click.FloatRange(0.0, 1.0), default=None, metavar="X",
              help="Score plain sentence TF-IDF (every cross-document sentence pair at cosine X or more) instead.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Settings from a TOML file.")
@verbosity_options
def talking_points(labels, paths, baseline, config_file, quiet, verbose) -> None:
    """Scan PATH... and score its passages and talking points against LABELS.

    \b
    LABELS is a JSONL file of labelled pairs: doc_a, a_start, a_end, doc_b,
    b_start, b_end (two spans making one claim). Prints recall, precision and
    cluster recall (see reuse.eval.annotation).

    \b
    Example:
      reuse eval talking-points tests/fixtures/seed_talking_points.jsonl seeds/
    """
    from reuse.api import find_reuse
    from reuse.eval.annotation import baseline_passages, evaluate, load_pairs
    from reuse.io.readers import check_paths, read_paths

    setup_logging(-1 if quiet else verbose)
    gold = load_pairs(labels)
    corpus = read_paths(check_paths(paths))
    if baseline is not None:
        scores = evaluate(baseline_passages(corpus.documents, baseline), [], gold)
    else:
        results = find_reuse(corpus, build_config(config_file, None, {}, {}))
        scores = evaluate(results.passages, results.clusters, gold)
    click.echo(scores.line())


@click.group("bench", cls=ReuseGroup, hidden=True)
def bench() -> None:
    """Old name of `reuse eval` (PAN only)."""


bench.add_command(pan, "pan")
