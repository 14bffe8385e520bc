"""``reuse scan``: read documents, find reuse, write the outputs."""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import click

from reuse.api import find_reuse_stream
from reuse.cli.common import (
    StageProgress,
    check_writable_file,
    check_writable_folder,
    setup_logging,
    verbosity_options,
)
from reuse.cli.engine import check_engine, run_spark, spark_options
from reuse.cli.settings import build_config, config_options
from reuse.config import ReuseConfig
from reuse.engine.local import default_jobs
from reuse.errors import StrictModeError
from reuse.io.meta import MetaRows, iter_with_meta, read_meta
from reuse.io.readers import Fields, check_paths, iter_paths
from reuse.model import Document, Skip
from reuse.outputs.registry import JSON_KINDS, json_records, parse_formats, write_outputs


class JsonKindCommand(click.Command):
    """``--json`` takes an optional kind (``--json passages``); alone it means pairs.

    Click would take whatever follows a bare ``--json`` as its value (``--json seeds/``), so a
    ``--json`` not followed by a kind is rewritten to ``--json=pairs`` before parsing.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        fixed = []
        for k, arg in enumerate(args):
            if arg == "--json" and (k + 1 == len(args) or args[k + 1] not in JSON_KINDS):
                arg = "--json=pairs"
            fixed.append(arg)
        return super().parse_args(ctx, fixed)



@click.command(cls=JsonKindCommand)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--out", default=None, type=click.Path(),
              help="Folder for the output files [reports; none with --json unless given].")
@click.option("--formats", default="all", show_default=True,
              help="Comma list of outputs: pairs.jsonl, pairs.csv, passages.jsonl, clusters.jsonl, documents.jsonl, "
                   "documents.csv, skipped.jsonl, report.html, or the groups jsonl, csv, html, all.")
@click.option("--json", "as_json", type=click.Choice(JSON_KINDS), default=None,
              help="Write JSON lines to stdout instead of the table: pairs (the default), passages, clusters or "
                   "documents. No report folder is written unless --out is given.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Pairs shown in the terminal table.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Settings from a TOML file (flags override it).")
@click.option("--encoding", default=None, help="Decode input files with this codec instead of UTF-8.")
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Also append this scan as a run to this SQLite database (+ Datasette metadata beside it).")
@click.option("--strict", is_flag=True, help="Exit with code 2 if any input is skipped (skipped.jsonl is still written).")
@click.option("--exclude", "exclude", multiple=True, metavar="GLOB",
              help="Leave out folder entries whose relative path or name matches GLOB (repeatable); "
                   "hidden entries and node_modules are left out by default.")
@click.option("--id-field", default=None, help="JSONL/CSV field holding the document id [id].")
@click.option("--text-field", default=None, help="JSONL/CSV field holding the text [text].")
@click.option("--source-field", default=None, help="JSONL/CSV field naming the outlet/source [source].")
@click.option("--meta", "meta_file", type=click.Path(dir_okay=False), default=None,
              help="CSV or JSONL with id, source, date, title, url for the documents (e.g. files of a folder).")
@click.option("--reference", "reference", multiple=True, metavar="PATH",
              help="Compare the scanned documents with these too, but never two references with each other "
                   "(repeatable; read like PATH).")
@click.option("--across-sources", "across_sources", is_flag=True, default=None,
              help="Only pairs whose documents have different sources (the source field, else the document id).")
@click.option("--source", "source", multiple=True, metavar="NAME",
              help="Scan only documents of this source (repeatable).")
@click.option("--topic-pairs", "topic_pairs", is_flag=True, default=None,
              help="Also report pairs sharing no passage, related by topic alone.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes [all cores]. Results are the same for any number.")
@spark_options
@config_options()
@verbosity_options
def scan(paths, out, formats, as_json, top, config_file, encoding, strict, exclude, id_field, text_field, source_field,
         meta_file, reference, jobs, engine, spark_master, spark_conf, checkpoint, quiet, verbose, **flags) -> None:
    """Scan documents for reused text and write the reports.

    \b
    PATH is a folder (read recursively: .txt, .md, .html/.htm, and .jsonl/.csv/.parquet
    record files), a .jsonl, .csv or .parquet file (fields id, text and optionally
    source, title, date, url), or '-' for JSON lines on stdin.

    \b
    Writes into --out: pairs.jsonl, pairs.csv, passages.jsonl, documents.jsonl,
    documents.csv, clusters.jsonl (talking points), skipped.jsonl and report.html,
    and prints a summary table.
    With --json KIND, prints JSON lines instead and writes no folder unless --out
    is given. Pairs that share no passage are left out unless --topic-pairs.
    Inputs that cannot be read are skipped with a warning naming file and line,
    and listed in skipped.jsonl; the rest is processed as usual.

    \b
    Examples:
      reuse scan seeds/
      reuse scan today/ --reference archive/ --across-sources
      reuse scan articles.jsonl --since 2024-06-01 --min-score 0.3 --db reuse.db
      cat articles.jsonl | reuse scan - --json passages > passages.jsonl
      reuse scan corpus.parquet --engine spark --spark-master spark://host:7077 --formats parquet
    """
    from reuse.outputs.terminal import summary_table  # numpy and the tokenizer: imported when used

    setup_logging(-1 if quiet else verbose)
    check_engine(engine, checkpoint, jobs)
    db = flags.pop("db", None)  # --db: also append the results to SQLite (reuse.outputs.sqlite)
    chosen = parse_formats(formats)
    config = build_config(config_file, encoding, {"id": id_field, "text": text_field, "source": source_field}, flags)
    if out is None and not as_json:
        out = "reports"
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if db:
        from reuse.outputs.sqlite import check_report_db

        check_report_db(db)  # before the work: a file that is not ours is refused, never replaced
    fields = Fields(id=config.id_field, text=config.text_field, source=config.source_field,
                    title=config.title_field, date=config.date_field, url=config.url_field)
    paths, reference = check_paths(paths), check_paths(reference)
    if out is not None:
        check_writable_folder(out)  # before the work: a scan must not run for an hour, then fail to write
    if db:
        check_writable_file(db, created=out)
    meta = read_meta(meta_file, encoding=config.encoding) if meta_file else None
    items = _read(paths, fields, config, meta, exclude, last=not reference)  # a stream, never all in memory
    refs = _read(reference, fields, config, meta, exclude, last=True) if reference else None
    progress = StageProgress(quiet=quiet)
    try:
        if engine == "spark":
            results = run_spark(items, config, [*paths, *reference], spark_master, spark_conf, checkpoint, progress,
                                reference=refs)
        else:
            results = find_reuse_stream(items, config, progress=progress, jobs=jobs, reference=refs)
    finally:
        progress.close()
    problems = [s for s in results.skipped if not s.excluded]
    for skip in results.skipped:
        if not quiet and (not skip.excluded or verbose):
            click.echo(f"{'note' if skip.excluded else 'warning'}: {skip.message()}", err=True)
    if strict and problems:
        ledger = f" (listed in {write_outputs(results, out, ['skipped.jsonl'])[0]})" if out is not None else ""
        raise StrictModeError(
            f"{len(problems)} input(s) skipped and --strict is set{ledger}; first: {problems[0].message()}"
        )
    writers = 1 if engine == "spark" else jobs or default_jobs()  # the cores the scan used write its files
    written = write_outputs(results, out, chosen, jobs=writers) if out is not None else []
    if db:
        from reuse.outputs.sqlite import write_report_db

        written.extend(write_report_db(results, db, inputs=paths, reference=reference, started_at=started))
    if as_json:
        for rec in json_records(results, as_json):
            click.echo(json.dumps(rec, ensure_ascii=False))
    else:
        click.echo(summary_table(results, top=top))
    if not quiet and written:
        click.echo(f"wrote {', '.join(str(Path(p)) for p in written)}", err=True)



def _read(paths: list, fields: Fields, config: ReuseConfig, meta: MetaRows | None, exclude: tuple[str, ...], *,
          last: bool) -> Iterator[Document | Skip]:
    """Documents and skips of ``paths``, with ``--meta`` applied, as a stream.

    ``last``: this is the last stream read, so meta rows that matched no document of any stream
    are listed at its end.
    """
    items = iter_paths(paths, fields=fields, encoding=config.encoding, exclude=exclude, extract=config.extract)
    return iter_with_meta(items, meta, report_unused=last) if meta is not None else items
