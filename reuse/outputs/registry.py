"""Which files a scan writes, by format name; the single place the CLI asks to write outputs."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reuse.errors import ConfigError
from reuse.model import Results
from reuse.outputs.html.report import write_html
from reuse.outputs.records import (
    PAIR_FIELDS,
    document_records,
    pair_records,
    passage_records,
    skipped_records,
    write_csv,
    write_jsonl,
)

Writer = Callable[[Results, Path], Path]


def _pairs_jsonl(r: Results, out: Path) -> Path:
    write_jsonl(out / "pairs.jsonl", pair_records(r))
    return out / "pairs.jsonl"


def _pairs_csv(r: Results, out: Path) -> Path:
    write_csv(out / "pairs.csv", pair_records(r), PAIR_FIELDS)
    return out / "pairs.csv"


def _passages_jsonl(r: Results, out: Path) -> Path:
    write_jsonl(out / "passages.jsonl", passage_records(r))
    return out / "passages.jsonl"


def _clusters_jsonl(r: Results, out: Path) -> Path:
    write_jsonl(out / "clusters.jsonl", (c.to_record() for c in r.clusters))
    return out / "clusters.jsonl"


def _documents_jsonl(r: Results, out: Path) -> Path:
    write_jsonl(out / "documents.jsonl", document_records(r))
    return out / "documents.jsonl"


def _skipped_jsonl(r: Results, out: Path) -> Path:
    write_jsonl(out / "skipped.jsonl", skipped_records(r))
    return out / "skipped.jsonl"


def _report_html(r: Results, out: Path) -> Path:
    write_html(r, out / "report.html")
    return out / "report.html"


WRITERS: dict[str, Writer] = {
    "pairs.jsonl": _pairs_jsonl,
    "pairs.csv": _pairs_csv,
    "passages.jsonl": _passages_jsonl,
    "skipped.jsonl": _skipped_jsonl,
    "clusters.jsonl": _clusters_jsonl,
    "documents.jsonl": _documents_jsonl,
    "report.html": _report_html,
}

ALIASES = {
    "jsonl": ["pairs.jsonl", "passages.jsonl", "skipped.jsonl", "clusters.jsonl", "documents.jsonl"],
    "csv": ["pairs.csv"],
    "html": ["report.html"],
    "all": list(WRITERS),
}


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


def write_outputs(results: Results, out: str | Path, formats: list[str]) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [WRITERS[name](results, out) for name in formats]
