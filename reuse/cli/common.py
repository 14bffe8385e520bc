"""Pieces every command shares: error handling, logging to stderr, progress bars."""
from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from reuse.errors import OutputError, ReuseError

EXIT_INTERRUPTED = 130
"""128 + SIGINT, what shells report for a command stopped with Ctrl-C."""


class ReuseGroup(click.Group):
    """A click group that turns :class:`ReuseError` into one line on stderr and exit code 2.

    Ctrl-C is one line and exit code 130 (click's own handler says "Aborted!" and exits 1, which
    scripts cannot tell from a failure).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReuseError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


def check_writable_folder(path: str | Path) -> None:
    """Refuse, before any work, an output folder that cannot be created or written (:class:`OutputError`).

    The deepest existing folder on the way (the folder itself once it exists) must take a new
    file: a probe file is created there and removed. Catches read-only and missing parents,
    a file in the way, ``/proc`` and ``/sys``, which would otherwise fail after the whole scan.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder")
    _probe(path, _deepest_existing(path))


def check_writable_file(path: str | Path, *, created: str | Path | None = None) -> None:
    """Refuse an output file whose folder does not exist or cannot take a new file.

    ``created``: a folder the command creates before writing the file (``scan --out``); a file
    inside it is checked like that folder.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    parent = path.parent
    if created is not None and not parent.exists() and parent.resolve() == Path(created).resolve():
        check_writable_folder(created)
        return
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist")
    _probe(path, parent)


def _deepest_existing(path: Path) -> Path:
    here = path.absolute()
    while not here.exists():
        here = here.parent
    return here


def _probe(path: Path, folder: Path) -> None:
    if not folder.is_dir():
        raise OutputError(f"{path}: {folder} is not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".reuse-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there ({exc.strerror or exc})") from None


def setup_logging(verbosity: int) -> None:
    """-q: errors only; default: warnings; -v: info; -vv: debug. Always on stderr."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logger = logging.getLogger("reuse")
    logger.handlers[:] = []
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


class StageProgress:
    """``progress(stage, done, total)`` callback drawing one tqdm bar per stage on stderr.

    Silent when stderr is not a terminal (``disable=None``) or with ``-q``.
    """

    def __init__(self, *, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="", file=sys.stderr, disable=None, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()


def verbosity_options(f):  # noqa: ANN001, ANN201 - decorator
    f = click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress, no warnings.")(f)
    return f
