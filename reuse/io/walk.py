"""Walking a folder: every entry met is either handed on to be read or accounted for as a skip.

Nothing is dropped without a word. Entries are visited in name order (so ids come out sorted by
path). Symbolic links are followed: a dangling one is a skip, and a link to a folder already read
(a loop, or a second way into the same folder) is a skip too, so a walk always ends and never
reads one file under two ids through two links. Hidden entries (names starting with ``.``, such as
``.git/``) and ``node_modules/`` are excluded by default, and ``--exclude GLOB`` excludes more;
an excluded folder is listed once, not file by file. Sockets, FIFOs and devices are never opened
(reading a FIFO would wait forever).
"""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from reuse.model import Skip

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".csv", ".parquet")
READABLE = frozenset(TEXT_SUFFIXES + HTML_SUFFIXES + RECORD_SUFFIXES)
DEFAULT_EXCLUDED = ("node_modules",)
"""Folder names never read unless named on the command line (hidden names are excluded too)."""


def format_of(path: Path) -> str | None:
    """``.txt``, ``.md``, ``.html``, ``.htm``, ``.jsonl`` or ``.csv``, seen through a ``.gz``; None if unknown."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    return suffix if suffix in READABLE else None


def readable_formats() -> str:
    return f"{', '.join(sorted(READABLE))} (each also .gz)"


def excluded(rel: str, name: str, patterns: Sequence[str], *, defaults: bool = True) -> str | None:
    """Why the entry at ``rel`` (relative path) is excluded, or None."""
    for glob in patterns:
        g = glob.rstrip("/")
        if fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g):
            return f"excluded by --exclude {glob}"
    if defaults and name.startswith("."):
        return "excluded by default (hidden)"
    if defaults and name in DEFAULT_EXCLUDED:
        return f"excluded by default ({name})"
    return None


def walk(root: Path, patterns: Sequence[str] = (), *, defaults: bool = True) -> Iterator[tuple[Path, str] | Skip]:
    """``(path, id)`` for every readable file under ``root`` (id: the path relative to it), else a skip."""
    top = root.resolve()
    yield from _walk(root, "", top, {top}, patterns, defaults)


def _walk(folder: Path, rel: str, top: Path, seen: set[Path], patterns: Sequence[str], defaults: bool
          ) -> Iterator[tuple[Path, str] | Skip]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Skip(str(folder), f"unreadable folder: {exc.strerror or exc}")
        return
    for entry in entries:
        path, rel_e = Path(entry.path), rel + entry.name
        reason = excluded(rel_e, entry.name, patterns, defaults=defaults)
        if reason:
            yield Skip(str(path), reason, excluded=True)
            continue
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()  # both follow symbolic links
            is_link = entry.is_symlink()
        except OSError as exc:
            yield Skip(str(path), f"unreadable: {exc.strerror or exc}")
            continue
        if is_link and not (is_dir or is_file) and not os.path.exists(path):
            yield Skip(str(path), f"dangling symbolic link (to {os.readlink(path)!r}, which does not exist)")
        elif is_dir:
            real = path.resolve()
            if is_link and (real == top or top in real.parents):
                # Read under its own path (ids stay the real paths); following it could loop.
                yield Skip(str(path), f"symbolic link to {real}, a folder inside the scanned folder (read there, not twice)")
                continue
            if real in seen:
                yield Skip(str(path), f"a folder already read through another path ({real})")
                continue
            seen.add(real)
            yield from _walk(path, rel_e + "/", top, seen, patterns, defaults)
        elif not is_file:
            yield Skip(str(path), "not a regular file (a socket, FIFO or device)")
        elif format_of(path) is None:
            yield Skip(str(path), f"unknown format {path.suffix or '(no suffix)'!r}; reuse reads {readable_formats()}")
        else:
            yield path, rel_e
