"""Which files a scan writes, by format name; the single place the CLI asks to write outputs.

The output folder also holds a small manifest, ``.reuse-outputs.json``, naming the files reuse
wrote there. A later run removes the files of that list it did not write again, so a folder never
mixes a fresh ``pairs.jsonl`` with a stale ``report.html`` of an earlier run; a file reuse did not
write (not in the manifest, or not named like an output) is never touched.
"""
from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any

from reuse.errors import ConfigError
from reuse.model import Results
from reuse.outputs.parquet import PARQUET_WRITERS
from reuse.outputs.parts import Output, whole, write_all
from reuse.outputs.records import (
    DOCUMENT_FIELDS,
    PAIR_FIELDS,
    atomic_open,
    document_records,
    pair_records,
    passage_records,
    skipped_records,
    write_csv,
    write_jsonl,
)

Writer = Callable[[Results, Path], list[Path]]
"""Writes one output into the folder; returns the files written, the principal one first."""

MANIFEST = ".reuse-outputs.json"


def _pairs_jsonl(r: Results, out: Path) -> list[Path]:
    write_jsonl(out / "pairs.jsonl", pair_records(r))
    return [out / "pairs.jsonl"]


def _pairs_csv(r: Results, out: Path) -> list[Path]:
    write_csv(out / "pairs.csv", pair_records(r), PAIR_FIELDS)
    return [out / "pairs.csv"]


def _passages_jsonl(r: Results, out: Path) -> list[Path]:
    write_jsonl(out / "passages.jsonl", passage_records(r))
    return [out / "passages.jsonl"]


def _clusters_jsonl(r: Results, out: Path) -> list[Path]:
    write_jsonl(out / "clusters.jsonl", (c.to_record() for c in r.clusters))
    return [out / "clusters.jsonl"]


def _documents_jsonl(r: Results, out: Path) -> list[Path]:
    write_jsonl(out / "documents.jsonl", document_records(r))
    return [out / "documents.jsonl"]


def _documents_csv(r: Results, out: Path) -> list[Path]:
    write_csv(out / "documents.csv", document_records(r), DOCUMENT_FIELDS)
    return [out / "documents.csv"]


def _skipped_jsonl(r: Results, out: Path) -> list[Path]:
    write_jsonl(out / "skipped.jsonl", skipped_records(r))
    return [out / "skipped.jsonl"]


def _report_html(r: Results, out: Path) -> list[Path]:
    from reuse.outputs.html.report import write_html  # jinja2, the tokenizer: only when a report is written

    return _index_first(write_html(r, out / "report.html"))


WRITERS: dict[str, Writer] = {
    "pairs.jsonl": _pairs_jsonl,
    "pairs.csv": _pairs_csv,
    "passages.jsonl": _passages_jsonl,
    "documents.jsonl": _documents_jsonl,
    "documents.csv": _documents_csv,
    "skipped.jsonl": _skipped_jsonl,
    "clusters.jsonl": _clusters_jsonl,
    "report.html": _report_html,
}

ALIASES = {
    "jsonl": ["pairs.jsonl", "passages.jsonl", "skipped.jsonl", "clusters.jsonl", "documents.jsonl"],
    "csv": ["pairs.csv", "documents.csv"],
    "html": ["report.html"],
    "all": list(WRITERS),
}

# Parquet (pyarrow, in the extra reuse[spark]): by name or the group "parquet", not part of "all".
WRITERS.update(PARQUET_WRITERS)
ALIASES["parquet"] = list(PARQUET_WRITERS)

@cache
def _pages() -> tuple[str, re.Pattern[str]]:
    """The report's page folder suffix and a pattern for its pages (the report module loads on demand)."""
    from reuse.outputs.html.report import PAGES_SUFFIX

    return PAGES_SUFFIX, re.compile(rf"report{re.escape(PAGES_SUFFIX)}/pair-\d+\.html")


def parse_formats(spec: str) -> list[str]:
    """``"jsonl,html"`` -> file names; accepts file names and the aliases jsonl, csv, html, all."""
    chosen: list[str] = []
    for part in (s.strip() for s in spec.split(",")):
        if not part:
            continue
        names = ALIASES.get(part, [part] if part in WRITERS else None)
        if names is None:
            raise ConfigError(
                f"--formats: unknown format {part!r}; choose from {', '.join([*ALIASES, *WRITERS])}"
            )
        chosen.extend(n for n in names if n not in chosen)
    if not chosen:
        raise ConfigError("--formats: empty; give e.g. 'all' or 'jsonl,html'")
    return chosen


JSON_KINDS = ("pairs", "passages", "clusters", "documents")
"""What ``reuse scan --json KIND`` streams to stdout: the records of the file of that name."""


def json_records(results: Results, kind: str) -> Iterator[dict[str, Any]]:
    """The records ``--json KIND`` prints, one JSON object per line, exactly as in ``KIND.jsonl``."""
    if kind == "pairs":
        return pair_records(results)
    if kind == "passages":
        return passage_records(results)
    if kind == "clusters":
        return (c.to_record() for c in results.clusters)
    if kind == "documents":
        return document_records(results)
    raise ConfigError(f"--json: unknown kind {kind!r}; choose from {', '.join(JSON_KINDS)}")


def write_outputs(results: Results, out: str | Path, formats: list[str], *, jobs: int = 1) -> list[Path]:
    """Write the chosen outputs into ``out``; returns each one's principal file.

    ``jobs``: processes writing them (:mod:`reuse.outputs.parts`: the files are the same for any).
    Files an earlier run wrote into ``out`` (per the manifest) that this run did not write are
    removed, and the manifest is rewritten to list this run's files.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = write_all([_output(name, results, out, jobs) for name in formats], jobs)
    files = {f.relative_to(out).as_posix() for group in written for f in group}
    remove_stale(out, files)
    with atomic_open(out / MANIFEST) as fh:
        json.dump({"written_by": "reuse", "files": sorted(files)}, fh, indent=1)
        fh.write("\n")
    return [group[0] for group in written]


def _output(name: str, results: Results, out: Path, jobs: int) -> Output:
    """Output ``name`` as parts: the report's pages apart, any other file whole (Parquet's in this
    process: pyarrow's threads stay out of a fork)."""
    if name == "report.html":
        from reuse.outputs.html.report import html_output  # jinja2, the tokenizer: only when a report is written

        report = html_output(results, out / name, jobs)
        return Output(report.parts, lambda values: _index_first(report.finish(values)))
    return whole(partial(WRITERS[name], results, out), forkable=name not in PARQUET_WRITERS)


def _index_first(files: list[Path]) -> list[Path]:
    return [files[-1], *files[:-1]]


def _owned(rel: str) -> bool:
    """A name reuse writes: only such a name listed in the manifest is ever removed."""
    return rel in WRITERS or _pages()[1].fullmatch(rel) is not None


def remove_stale(out: Path, keep: set[str]) -> list[Path]:
    """Remove the files the manifest of ``out`` lists that are not in ``keep``; returns them."""
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []  # no manifest (or not ours): nothing here is known to be reuse's
    removed = []
    for rel in listed:
        if not isinstance(rel, str) or rel in keep or not _owned(rel):
            continue
        path = out / rel
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    with contextlib.suppress(OSError):
        (out / f"report{_pages()[0]}").rmdir()  # only if now empty
    return removed
