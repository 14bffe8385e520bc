"""Handing freed heap memory back to the operating system between the phases of a long stage.

glibc keeps memory that Python and numpy free inside its heap, and after large arrays come and
go (a pool's results unpickled batch by batch, then joined into one) most of it sits in holes
below live allocations, which ``free`` never returns: the process stays as large as its
largest phase plus those holes. At 10k documents that was a third of the talking-points
stage's memory. ``malloc_trim`` returns every whole free page; elsewhere this does nothing.
"""
from __future__ import annotations

import ctypes
import sys


def release_free_memory() -> bool:
    """Return the heap's free pages to the system (glibc only); True when it was asked to."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # no glibc (musl has no malloc_trim)
        return False
    return True
