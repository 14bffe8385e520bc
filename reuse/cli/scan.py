"""``reuse scan``: read documents, find reuse, write the outputs."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from reuse.api import find_reuse_stream
from reuse.cli.common import StageProgress, setup_logging, verbosity_options
from reuse.cli.engine import check_engine, run_spark, spark_options
from reuse.config import ReuseConfig
from reuse.errors import StrictModeError
from reuse.io.meta import apply_meta, read_meta
from reuse.io.readers import Fields, check_paths, iter_paths
from reuse.model import Corpus, Document, Skip
from reuse.outputs.registry import parse_formats, write_outputs
from reuse.outputs.terminal import summary_table

# Flags that map one-to-one onto ReuseConfig fields (None = not given: keep file/default value).
CONFIG_FLAGS = {
    "shingle_size": ("--shingle-size", int, "Words per shingle for candidates and Jaccard [5]."),
    "num_perm": ("--num-perm", int, "MinHash permutations [128]."),
    "seed": ("--seed", int, "MinHash seed [1]."),
    "doc_threshold": ("--threshold", float, "Jaccard threshold of whole-document LSH [0.5]."),
    "window_size": ("--window-size", int, "Words per passage window for partial-reuse LSH [40]."),
    "window_threshold": ("--window-threshold", float, "Jaccard threshold of window LSH [0.3]."),
    "seed_size": ("--seed-size", int, "Words per alignment seed [3]."),
    "min_passage_words": ("--min-words", int, "Shortest passage reported, in matched words [8]."),
    "max_gap_words": ("--max-gap", int, "Largest gap in words bridged inside an edited passage [12]."),
    "all_pairs_max_docs": ("--all-pairs-max-docs", int, "Score every pair up to this many documents [2000]."),
    "paraphrase_min_score": ("--paraphrase-threshold", float, "Least sentence cosine of a paraphrase passage [0.2]."),
    "min_claim_words": ("--min-claim-words", int, "Content words outside names/boilerplate a passage needs [3]."),
}


# Window signatures serve the persistent index (`reuse index add`); `reuse scan` finds partial
# reuse with a join on sampled shingles (anchors), so these flags would do nothing there.
INDEX_ONLY_FLAGS = frozenset({"window_size", "window_threshold"})


def config_options(f, *, exclude: frozenset[str] = frozenset()):  # noqa: ANN001, ANN201 - decorator
    for name, (flag, typ, help_) in reversed(CONFIG_FLAGS.items()):
        if name not in exclude:
            f = click.option(flag, name, type=typ, default=None, help=help_)(f)
    return f


def scan_config_options(f):  # noqa: ANN001, ANN201 - decorator
    return config_options(f, exclude=INDEX_ONLY_FLAGS)


def build_config(config_file: str | None, encoding: str | None, fields: dict[str, str | None], **flags) -> ReuseConfig:
    """Defaults, then the TOML file, then the flags given on the command line."""
    overrides = {k: v for k, v in flags.items() if v is not None}
    if encoding:
        overrides["encoding"] = encoding
    overrides.update({f"{k}_field": v for k, v in fields.items() if v})
    if config_file:
        return ReuseConfig.from_toml(config_file, **overrides)
    return ReuseConfig(**overrides)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--out", default="reports", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the output files.")
@click.option("--formats", default="all", show_default=True,
              help="Comma list of outputs: pairs.jsonl, pairs.csv, passages.jsonl, clusters.jsonl, skipped.jsonl, report.html, "
                   "or the groups jsonl, csv, html, all.")
@click.option("--json", "as_json", is_flag=True, help="Write the pairs as JSON lines to stdout instead of the table.")
@click.option("--top", default=10, show_default=True, help="Pairs shown in the terminal table.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Settings from a TOML file (flags override it).")
@click.option("--encoding", default=None, help="Decode input files with this codec instead of UTF-8.")
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Also write the results to this SQLite database (+ Datasette metadata beside it).")
@click.option("--strict", is_flag=True, help="Exit with code 2 if any input is skipped.")
@click.option("--id-field", default=None, help="JSONL/CSV field holding the document id [id].")
@click.option("--text-field", default=None, help="JSONL/CSV field holding the text [text].")
@click.option("--source-field", default=None, help="JSONL/CSV field naming the outlet/source [source].")
@click.option("--meta", "meta_file", type=click.Path(dir_okay=False), default=None,
              help="CSV or JSONL with id, source, date, title, url for the documents (e.g. files of a folder).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [all cores]. Results are the same for any number.")
@spark_options
@scan_config_options
@verbosity_options
def scan(paths, out, formats, as_json, top, config_file, encoding, strict, id_field, text_field, source_field,
         meta_file, jobs, engine, spark_master, spark_conf, checkpoint, quiet, verbose, **flags) -> None:
    """Scan documents for reused text and write the reports.

    \b
    PATH is a folder (read recursively: .txt, .md, .html/.htm, and .jsonl/.csv/.parquet
    record files), a .jsonl, .csv or .parquet file (fields id, text and optionally
    source, title, date, url), or '-' for JSON lines on stdin.

    \b
    Writes into --out: pairs.jsonl, pairs.csv, passages.jsonl, clusters.jsonl
    (talking points), skipped.jsonl and report.html, and prints a summary table (or, with --json, the pairs).
    Inputs that cannot be read are skipped with a warning naming file and line,
    and listed in skipped.jsonl; the rest is processed as usual.

    \b
    Examples:
      reuse scan seeds/
      reuse scan articles.jsonl --formats jsonl --out out/ -q
      cat articles.jsonl | reuse scan - --json > pairs.jsonl
      reuse scan corpus.parquet --engine spark --spark-master spark://host:7077 --formats parquet
    """
    setup_logging(-1 if quiet else verbose)
    check_engine(engine, checkpoint)
    db = flags.pop("db", None)  # --db: also write the results to SQLite (reuse.outputs.sqlite)
    chosen = parse_formats(formats)
    config = build_config(config_file, encoding, {"id": id_field, "text": text_field, "source": source_field}, **flags)
    fields = Fields(id=config.id_field, text=config.text_field, source=config.source_field,
                    title=config.title_field, date=config.date_field, url=config.url_field)
    items = iter_paths(check_paths(paths), fields=fields, encoding=config.encoding)  # a stream, never all in memory
    if meta_file:
        items = _with_meta(items, read_meta(meta_file, encoding=config.encoding))
    progress = StageProgress(quiet=quiet)
    try:
        if engine == "spark":
            results = run_spark(items, config, paths, spark_master, spark_conf, checkpoint, progress)
        else:
            results = find_reuse_stream(items, config, progress=progress, jobs=jobs)
    finally:
        progress.close()
    if not quiet:
        for skip in results.skipped:
            click.echo(f"warning: {skip.message()}", err=True)
    if strict and results.skipped:
        raise StrictModeError(
            f"{len(results.skipped)} input(s) skipped and --strict is set; first: {results.skipped[0].message()}"
        )
    written = write_outputs(results, out, chosen)
    if db:
        from reuse.outputs.sqlite import write_report_db

        written.extend(write_report_db(results, db))
    if as_json:
        for pair in results.pairs:
            click.echo(json.dumps(pair.to_record(), ensure_ascii=False))
    else:
        click.echo(summary_table(results, top=top))
    if not quiet:
        click.echo(f"wrote {', '.join(str(Path(p)) for p in written)}", err=True)


def _with_meta(items: Iterable[Document | Skip], meta: dict[str, dict[str, str]]) -> Iterator[Document | Skip]:
    """``apply_meta`` one document at a time, so the input stays a stream."""
    for item in items:
        yield apply_meta(Corpus(documents=[item]), meta).documents[0] if isinstance(item, Document) else item
