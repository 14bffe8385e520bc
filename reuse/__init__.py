"""reuse: who reused whose words, where, and how much.

    >>> import reuse
    >>> corpus = reuse.read_paths(["seeds/"])
    >>> results = reuse.find_reuse(corpus, reuse.ReuseConfig())
"""
from __future__ import annotations

__version__ = "0.1.0"

from .config import ReuseConfig  # noqa: E402
from .corpus import Corpus, Document, Skip, read_paths  # noqa: E402
from .errors import ReuseError  # noqa: E402
from .pipeline import find_reuse  # noqa: E402
from .results import Pair, Passage, Results  # noqa: E402

__all__ = [
    "Corpus", "Document", "Pair", "Passage", "ReuseConfig", "ReuseError", "Results", "Skip",
    "find_reuse", "read_paths", "__version__",
]
