"""Which files a scan writes, by format name; the single place the CLI asks to write outputs."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reuse.errors import ConfigError
from reuse.model import Results
from reuse.outputs.html.report import write_html
from reuse.outputs.parquet import PARQUET_WRITERS
from reuse.outputs.records import PAIR_FIELDS, pair_records, passage_records, skipped_records, write_csv, write_jsonl

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
    "report.html": _report_html,
}

ALIASES = {
    "jsonl": ["pairs.jsonl", "passages.jsonl", "skipped.jsonl", "clusters.jsonl"],
    "csv": ["pairs.csv"],
    "html": ["report.html"],
    "all": list(WRITERS),
}

# Parquet (pyarrow, in the extra reuse[spark]): by name or the group "parquet", not part of "all".
WRITERS.update(PARQUET_WRITERS)
ALIASES["parquet"] = list(PARQUET_WRITERS)


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


def write_outputs(results: Results, out: str | Path, formats: list[str]) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [WRITERS[name](results, out) for name in formats]
