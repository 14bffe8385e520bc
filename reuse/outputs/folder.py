"""Reading a finished report folder back: the pairs and passages ``reuse scan`` wrote.

``reuse show`` works from these files alone (no corpus, no rescan), so a report folder copied to
another machine can still be browsed on a terminal.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reuse.errors import InputError

Record = dict[str, Any]


def load_records(folder: str | Path, name: str, *, required: bool = True) -> list[Record]:
    """The JSON lines of ``folder/name``; a missing folder or file is a one-line :class:`InputError`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such report folder (write one with: reuse scan PATH --out {folder})")
    path = folder / name
    if not path.is_file():
        if not required:
            return []
        raise InputError(f"{path}: not found; is {folder} a folder written by reuse scan?")
    records = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}: malformed JSON line: {exc.msg}") from None
    return records


def find_pair(pairs: list[Record], spec: list[str], where: str = "pairs.jsonl") -> tuple[int, Record]:
    """The pair named by ``spec`` and its rank (1-based, the order of ``pairs.jsonl``).

    ``spec`` is ``[DOC_A, DOC_B]``, ``["DOC_A::DOC_B"]`` or ``[RANK]``; the two ids may be given in
    either order.
    """
    if len(spec) == 1 and "::" in spec[0]:
        spec = spec[0].split("::", 1)
    if len(spec) == 1:
        rank_text = spec[0]
        by_id = [k for k, p in enumerate(pairs, 1) if rank_text in (p["doc_a"], p["doc_b"])]
        if not rank_text.isdigit():
            hint = f" ({len(by_id)} pairs contain it; name both documents)" if by_id else ""
            raise InputError(f"pair {rank_text!r}: give DOC_A DOC_B, DOC_A::DOC_B or a rank number{hint}")
        rank = int(rank_text)
        if not 1 <= rank <= len(pairs):
            raise InputError(f"no pair ranked {rank} in {where} ({len(pairs)} pairs; run reuse show without PAIR to list them)")
        return rank, pairs[rank - 1]
    if len(spec) != 2:
        raise InputError("give at most two document ids: reuse show REPORT_DIR DOC_A DOC_B")
    a, b = spec
    for k, p in enumerate(pairs, 1):
        if {p["doc_a"], p["doc_b"]} == {a, b} and (a != b or p["doc_a"] == p["doc_b"]):
            return k, p
    raise InputError(f"no pair {a}::{b} in {where} ({len(pairs)} pairs; run reuse show without PAIR to list them)")


def passages_of(passages: list[Record], pair: Record) -> list[Record]:
    """The pair's passages in reading order of document A."""
    mine = [p for p in passages if p["doc_a"] == pair["doc_a"] and p["doc_b"] == pair["doc_b"]]
    return sorted(mine, key=lambda p: (p["a_start"], p["b_start"]))
