"""reuse: who reused whose words, where, and how much.

    >>> import reuse
    >>> corpus = reuse.read_paths(["seeds/"])
    >>> results = reuse.find_reuse(corpus, reuse.ReuseConfig())
"""
from __future__ import annotations

from reuse.api import find_reuse
from reuse.config import ReuseConfig
from reuse.errors import ReuseError
from reuse.io.readers import read_paths
from reuse.model import Corpus, Document, Pair, Passage, Results, Skip
from reuse.version import __version__

__all__ = [
    "Corpus", "Document", "Pair", "Passage", "ReuseConfig", "ReuseError", "Results", "Skip",
    "find_reuse", "read_paths", "__version__",
]
