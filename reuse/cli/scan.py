"""``reuse scan``: read documents, find reuse, write the outputs."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from reuse.api import find_reuse_stream
from reuse.cli.common import StageProgress, setup_logging, verbosity_options
from reuse.cli.settings import build_config, config_options
from reuse.errors import StrictModeError
from reuse.io.meta import apply_meta, read_meta
from reuse.io.readers import Fields, check_paths, iter_paths
from reuse.model import Corpus, Document, Skip
from reuse.outputs.registry import parse_formats, write_outputs
from reuse.outputs.terminal import summary_table


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
@config_options()
@verbosity_options
def scan(paths, out, formats, as_json, top, config_file, encoding, strict, id_field, text_field, source_field,
         meta_file, jobs, quiet, verbose, **flags) -> None:
    """Scan documents for reused text and write the reports.

    \b
    PATH is a folder (read recursively: .txt, .md, .html/.htm, and .jsonl/.csv
    record files), a .jsonl or .csv file (fields id, text and optionally source,
    title, date, url), or '-' for JSON lines on stdin.

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
    """
    setup_logging(-1 if quiet else verbose)
    db = flags.pop("db", None)  # --db: also write the results to SQLite (reuse.outputs.sqlite)
    chosen = parse_formats(formats)
    config = build_config(config_file, encoding, {"id": id_field, "text": text_field, "source": source_field}, flags)
    fields = Fields(id=config.id_field, text=config.text_field, source=config.source_field,
                    title=config.title_field, date=config.date_field, url=config.url_field)
    items = iter_paths(check_paths(paths), fields=fields, encoding=config.encoding)  # a stream, never all in memory
    if meta_file:
        items = _with_meta(items, read_meta(meta_file, encoding=config.encoding))
    progress = StageProgress(quiet=quiet)
    try:
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
