"""``reuse index add|remove`` and ``reuse query``: a persistent index to query new articles against."""
from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from reuse.cli.common import ReuseGroup, StageProgress, check_writable_file, setup_logging, verbosity_options
from reuse.cli.settings import ALIGN_FLAGS, INDEX_FLAGS, build_config, config_options, file_settings, given_flags
from reuse.config import ReuseConfig
from reuse.errors import InputError
from reuse.index.schema import StoreError
from reuse.io.readers import Fields, check_paths, iter_paths, read_paths
from reuse.model import Document


@contextlib.contextmanager
def damaged_index(db: str) -> Iterator[None]:
    """A sqlite error while using an index (a damaged file) becomes one line naming it, not a traceback."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{db}: damaged or unreadable index ({exc}); rebuild it into a new file") from None


DB_OPTION = click.option("--db", required=True, type=click.Path(dir_okay=False),
                         help="The index file (SQLite; created by the first `index add`).")


def index_config(db: str, config_file: str | None, encoding: str | None, fields: dict[str, str | None],
                 flags: dict) -> ReuseConfig:
    """Defaults, then the index's stored parameters, then the TOML file, then the flags.

    Settings the user did not give are taken from the index; one given with another value than
    the index holds makes :class:`~reuse.index.store.Index` refuse it (never silent garbage).
    """
    from reuse.index.keys import CONFIG_FIELDS
    from reuse.index.store import Index  # numba, scipy: imported when used

    explicit = set(given_flags(flags)) | file_settings(config_file)
    stored = {k: v for k, v in Index.stored_settings(db).items() if k not in explicit and k in CONFIG_FIELDS}
    return build_config(config_file, encoding, fields, flags, base=stored)


@click.group(cls=ReuseGroup)
def index() -> None:
    """Build and maintain a persistent index (one SQLite file) to query new articles against.

    \b
    Examples:
      reuse index add archive/ --db archive.db
      reuse index add today.jsonl --db archive.db --json
      reuse index remove 2024/old.txt --db archive.db
      reuse query new-article.txt --db archive.db
    """


@index.command("add")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help='Print {"added", "updated", "unchanged", "skipped"} as JSON.')
@click.option("--batch-size", default=5000, show_default=True,
              help="Documents per transaction (larger: faster adds, readers see them later).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes computing signatures [all cores].")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Settings from a TOML file.")
@click.option("--encoding", default=None, help="Decode input files with this codec instead of UTF-8.")
@click.option("--id-field", default=None, help="JSONL/CSV field holding the document id [id].")
@click.option("--text-field", default=None, help="JSONL/CSV field holding the text [text].")
@click.option("--source-field", default=None, help="JSONL/CSV field naming the outlet/source [source].")
@config_options(INDEX_FLAGS)
@verbosity_options
def add(paths, db, as_json, batch_size, jobs, config_file, encoding, id_field, text_field, source_field, quiet, verbose,
        **flags) -> None:
    """Add documents to the index; unchanged ones are skipped, changed ones replaced.

    \b
    PATH is read as by `reuse scan` (folders, .txt/.md/.html, .jsonl, .csv, '-').
    Each batch is one transaction: an interrupted add keeps every finished batch.
    Index parameters (shingle size, permutations, seed, window size, thresholds)
    are fixed when the index is created; giving different ones later is an error.
    """
    from reuse.index.store import Index  # numba, scipy: imported when used

    setup_logging(-1 if quiet else verbose)
    check_paths(paths)  # same path checks as a scan, before anything is written
    check_writable_file(db)
    with damaged_index(db):
        config = index_config(db, config_file, encoding, {"id": id_field, "text": text_field, "source": source_field},
                              flags)
    fields = Fields(id=config.id_field, text=config.text_field, source=config.source_field,
                    title=config.title_field, date=config.date_field, url=config.url_field)
    progress = StageProgress(quiet=quiet)
    try:
        with damaged_index(db), Index(db, config) as idx:
            counts = idx.add(iter_paths(paths, fields=fields, encoding=config.encoding, extract=config.extract),
                             batch_size=batch_size,
                             progress=progress, jobs=jobs)
    finally:
        progress.close()
    if not quiet:
        for skip in counts.skips:
            click.echo(f"warning: {skip.message()}", err=True)
    if as_json:
        click.echo(json.dumps(counts.to_record()))
    else:
        click.echo(f"{counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged, "
                   f"{counts.skipped} skipped ({db})")


@index.command("remove")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help='Print {"removed", "missing"} as JSON.')
@verbosity_options
def remove(ids, db, as_json, quiet, verbose) -> None:
    """Remove documents from the index by id (ids not in the index are reported, not an error)."""
    from reuse.index.store import Index  # numba, scipy: imported when used

    setup_logging(-1 if quiet else verbose)
    if not Path(db).exists():
        raise InputError(f"{db}: no such index")
    with damaged_index(db), Index(db) as idx:
        removed, missing = idx.remove(ids)
    if not quiet:
        for m in missing:
            click.echo(f"warning: {db}: no document with id {m!r}", err=True)
    if as_json:
        click.echo(json.dumps({"removed": removed, "missing": len(missing)}))
    else:
        click.echo(f"{removed} removed, {len(missing)} not found ({db})")


@click.command()
@click.argument("file", metavar="FILE|-")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON line per match: pair fields plus passages.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="Most matches shown per query document.")
@click.option("--max-candidates", type=click.IntRange(min=1), default=None,
              help="Align at most this many candidates per query document, those sharing most keys [all: as a scan].")
@click.option("--id", "query_id", default=None, help="Id given to a single query document [its file name or record id].")
@click.option("--stdin-format", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True,
              help="What '-' reads: JSON lines (as `reuse scan -`), or the plain text of one article.")
@click.option("--encoding", default=None, help="Decode the file with this codec instead of UTF-8.")
@config_options(ALIGN_FLAGS)
@verbosity_options
def query(file, db, as_json, top, max_candidates, query_id, stdin_format, encoding, quiet, verbose, **align) -> None:
    """Which indexed documents share passages with FILE, best first, with the passages.

    \b
    FILE is a text/HTML file (one document), a .jsonl/.csv file (each record is
    queried), or '-' for JSON lines on stdin, as for `reuse scan`
    (--stdin-format text: the plain text of one article).

    \b
    Examples:
      reuse query new-article.txt --db archive.db
      reuse query - --db archive.db --json < today.jsonl
      pbpaste | reuse query - --stdin-format text --db archive.db --top 3
    """
    from reuse.index.store import Index  # numba, scipy: imported when used

    setup_logging(-1 if quiet else verbose)
    if not Path(db).exists():
        raise InputError(f"{db}: no such index; create it with `reuse index add PATH --db {db}`")
    with damaged_index(db), Index(db, readonly=True) as idx:
        idx.config = build_config(None, encoding, {}, align, base=idx.config.to_dict())
        docs = _query_documents(file, query_id, idx.config, stdin_format)
        for doc in docs:
            hits = idx.query(doc, top=top, max_candidates=max_candidates)
            if as_json:
                for hit in hits:
                    click.echo(json.dumps(hit.to_record(), ensure_ascii=False))
            else:
                click.echo(_table(doc, hits))


def _query_documents(file: str, query_id: str | None, config: ReuseConfig, stdin_format: str = "jsonl") -> list[Document]:
    """The documents to query: one file, every record of a record file, or stdin (JSONL or one text)."""
    if file == "-" and stdin_format == "text":
        text = sys.stdin.read()
        if not text.strip():
            raise InputError("<stdin>: empty input; pipe the text of one article")
        return [Document(id=query_id or "stdin", text=text, origin="<stdin>")]
    if file != "-":
        check_paths([file])
        if Path(file).is_dir():
            raise InputError(f"{file}: is a folder; query one file (or a .jsonl of articles)")
    fields = Fields(id=config.id_field, text=config.text_field, source=config.source_field,
                    title=config.title_field, date=config.date_field, url=config.url_field)
    corpus = read_paths([file], fields=fields, encoding=config.encoding, extract=config.extract)
    if file == "-" and not corpus.documents:
        why = f" ({corpus.skipped[0].message()})" if corpus.skipped else ""
        raise InputError(f"<stdin>: no JSON line to query{why}; pipe one {{\"id\": ..., \"text\": ...}} object "
                         "per line, or give --stdin-format text for the plain text of one article")
    if corpus.skipped and not corpus.documents:
        raise InputError(corpus.skipped[0].message())
    docs = corpus.documents
    if query_id and len(docs) == 1:
        d = docs[0]
        docs = [Document(id=query_id, text=d.text, source=d.source, title=d.title, url=d.url, date=d.date,
                         origin=d.origin, meta=d.meta)]
    return docs


def _table(doc: Document, hits: list) -> str:
    if not hits:
        return f"{doc.id}: no indexed document shares a passage"
    lines = [f"{doc.id}: {len(hits)} indexed document(s) share passages", f"{'score':>6}  {'passages':>8}  document"]
    for h in hits:
        p = h.pair
        title = f"  {h.title}" if h.title else ""
        lines.append(f"{p.score:6.3f}  {p.n_passages:8d}  {p.doc_b}{title}")
        first = h.passages[0]
        preview = " ".join(first.text_a.split())
        lines.append(f"{'':18}[{first.a_start}:{first.a_end}] ~ [{first.b_start}:{first.b_end}] "
                     f"{preview[:70]}{'…' if len(preview) > 70 else ''}")
    return "\n".join(lines)
