"""reuse: who reused whose words, where, and how much.

    >>> import reuse
    >>> corpus = reuse.read_paths(["seeds/"])
    >>> results = reuse.find_reuse(corpus, reuse.ReuseConfig())
"""
from __future__ import annotations

__version__ = "0.1.0"

from reuse.api import find_reuse  # noqa: E402
from reuse.config import ReuseConfig  # noqa: E402
from reuse.errors import ReuseError  # noqa: E402
from reuse.io.readers import read_paths  # noqa: E402
from reuse.model import Corpus, Document, Pair, Passage, Results, Skip  # noqa: E402  # noqa: E402

__all__ = [
    "Corpus", "Document", "Pair", "Passage", "ReuseConfig", "ReuseError", "Results", "Skip",
    "find_reuse", "read_paths", "__version__",
]
