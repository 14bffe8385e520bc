"""Pieces every command shares: error handling, logging to stderr, progress bars."""
from __future__ import annotations

import logging
import sys
from typing import Any

import click
from tqdm import tqdm

from reuse.errors import ReuseError


class ReuseGroup(click.Group):
    """A click group that turns :class:`ReuseError` into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReuseError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


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
