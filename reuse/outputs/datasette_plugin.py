"""A Datasette plugin, so ``datasette reports/reuse.db`` alone shows what every column means.

Installed with reuse (entry point ``datasette``), Datasette loads it when both live in one
environment (``pip install 'reuse[datasette]'``). For every attached database that is a reuse
report database it supplies the metadata of :func:`reuse.outputs.datasette.datasette_metadata`:
descriptions, facets, full-text search and canned queries. Other databases are left alone, and
``-m reuse.metadata.json`` still works (and wins) where this plugin is not installed.
"""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl

from reuse.index.schema import REPORT_KIND
from reuse.outputs.datasette import datasette_metadata


@lru_cache(maxsize=256)
def _is_report(path: str, mtime: float) -> bool:
    """Whether ``path`` is a reuse report database (read-only look at its ``meta`` table)."""
    try:
        con = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == REPORT_KIND


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict[str, Any]:
    """Metadata for the reuse report databases Datasette serves, under the names it gave them."""
    found: dict[str, Any] = {}
    for name, db in datasette.databases.items():
        path = getattr(db, "path", None)
        if not path or not Path(path).is_file():
            continue
        if _is_report(str(Path(path).resolve()), Path(path).stat().st_mtime):
            meta = datasette_metadata(path)
            found[name] = next(iter(meta["databases"].values()))
    return {"databases": found} if found else {}
