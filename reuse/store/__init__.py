"""SQLite storage: the persistent query index (:mod:`.index`) and the scan report database
(:mod:`.report_db`). Both are single files opened in WAL mode, written in transactions, and
carry a schema version checked on open (:mod:`.schema`). Nothing is pickled: arrays are stored
as little-endian bytes of an explicit dtype (:mod:`.codec`).
"""
from __future__ import annotations

from .index import Index, IndexCounts, QueryHit
from .report_db import write_report_db
from .schema import StoreError

__all__ = ["Index", "IndexCounts", "QueryHit", "StoreError", "write_report_db"]
