"""Errors a user can act on.

Every error the CLI shows is one line naming what is wrong and, where it applies, the file and
line. The CLI maps :class:`ReuseError` to exit code 2 without a traceback; anything else is a bug.
"""
from __future__ import annotations


class ReuseError(Exception):
    """Base class: a problem with the user's input or settings (exit code 2)."""

    exit_code = 2


class InputError(ReuseError):
    """A path is missing, unreadable, or of a format we do not read."""


class OutputError(ReuseError):
    """An output path (``--out``, ``--db``) cannot be written; checked before any work starts."""


class ConfigError(ReuseError):
    """A configuration value is invalid; the message says how to fix it."""


class StrictModeError(ReuseError):
    """``--strict`` was given and at least one document was skipped."""
