"""``reuse bench pan``: the PAN text-alignment benchmark, scored with the project's own measures."""
from __future__ import annotations

import json
import sys
import time
import tomllib
from pathlib import Path

import click
from tqdm import tqdm

from reuse.cli.common import ReuseGroup, setup_logging, verbosity_options
from reuse.config import ReuseConfig
from reuse.eval.pan.bench import OVERALL, detect_all, score, write_all
from reuse.eval.pan.corpus import open_corpus
from reuse.eval.pan.measures import Scores


@click.group(cls=ReuseGroup)
def bench() -> None:
    """Benchmarks on labelled corpora."""


@bench.command()
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
      reuse bench pan ../shared/bench/pan13-train --out detections/
    """
    setup_logging(-1 if quiet else verbose)
    config = bench_config(config_file)
    corpus = open_corpus(corpus_dir, pairs_file)
    bar = tqdm(total=len(corpus.pairs), desc="align", unit="pair", file=sys.stderr, disable=True if quiet else None,
               leave=False)

    def progress(done: int, total: int) -> None:
        bar.n = done
        bar.refresh()

    start = time.perf_counter()
    try:
        detections = detect_all(corpus, config, jobs=jobs, progress=progress)
    finally:
        bar.close()
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
    if not config_file:
        return ReuseConfig(**PAN_PRESET)
    try:
        data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return ReuseConfig.from_toml(config_file)  # reports the problem as a one-line error
    table = data.get("reuse") if isinstance(data.get("reuse"), dict) else data
    preset = {k: v for k, v in PAN_PRESET.items() if k not in table}
    return ReuseConfig.from_toml(config_file, **preset)


def score_table(scores: dict[str, Scores]) -> str:
    """A fixed-width table, one row per part and the overall row last (w/det: pairs with a detection)."""
    head = (f"{'part':<28} {'pairs':>6} {'w/det':>6} {'cases':>6} {'dets':>6} {'precision':>9} {'recall':>7} "
            f"{'gran':>6} {'plagdet':>7}")
    rows = [head, "-" * len(head)]
    for part, s in sorted(scores.items(), key=lambda kv: (kv[0] == OVERALL, kv[0])):
        rows.append(f"{part:<28} {s.pairs:>6} {s.pairs_detected:>6} {s.cases:>6} {s.detections:>6} {s.precision:>9.4f} {s.recall:>7.4f} "
                    f"{s.granularity:>6.3f} {s.plagdet:>7.4f}")
    return "\n".join(rows)
