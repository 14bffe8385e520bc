"""Shared fixtures: tiny readable texts, and the seed corpus path."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

COPIED = (
    "The committee approved the new water treatment plant after a long debate about costs, "
    "and the mayor promised that construction would begin before the end of the summer season."
)


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def copied_passage() -> str:
    return COPIED


def article(filler_seed: int, insert: str = "", words: int = 120) -> str:
    """A deterministic filler article of distinct-ish words, with ``insert`` in the middle."""
    import random

    rng = random.Random(filler_seed)
    vocab = [f"w{filler_seed}x{k}" for k in range(400)]
    left = " ".join(rng.choice(vocab) for _ in range(words // 2))
    right = " ".join(rng.choice(vocab) for _ in range(words // 2))
    return f"{left}. {insert} {right}." if insert else f"{left} {right}."
