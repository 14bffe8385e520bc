"""Words for numbers a reader would otherwise misread, and links that are safe to follow.

**Score versus coverage.** A pair's headline score weighs each shared passage by how much of its
wording survives (:func:`reuse.stages.score.passage_weight`: verbatim 1.0, an edited copy its share
of words in exact runs, a paraphrase its similarity above the 0.3 that shared topic words reach,
rescaled), while ``coverage`` counts every character inside a passage in full. A reworded article
can therefore have most of its text in shared passages and a modest score ("55.9% of A reused",
score 0.196): both are right, and :func:`explain_score` says so in a sentence next to the number,
in the report and ``reuse show``. The bands follow the graded answers of ``tests/fixtures/graded*``
(``reuse eval graded``: copied 0.81-1.0, lightly revised 0.39-0.91, reworded sentence by sentence
0.23-0.52, rewritten freely 0.006-0.11, written independently 0-0.007); if the score is
recalibrated, :data:`BANDS` is the one place to move.

**Links.** Document URLs come from the input, so only ``http``/``https`` URLs with a host are
ever turned into links (:func:`safe_url`); anything else (``javascript:``, ``data:``, control
characters) is shown, if at all, as text.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from reuse.stages.score import TOPIC_WEIGHT

BANDS: tuple[tuple[float, str], ...] = (
    (0.8, "copied or nearly copied"),
    (0.5, "much of it reused, lightly edited"),
    (0.2, "partly reused, or heavily reworded"),
    (0.0, "reworded claims or a few shared phrases"),
)
"""Lowest score of each band, highest first, and how a reader should read a score in it."""

KIND_WORDS = {
    "verbatim": "word for word",
    "fuzzy": "edited copies, counted at their share of unchanged words",
    "paraphrase": "reworded (paraphrase), counted by how far their similarity exceeds what shared topic words give",
}


def _get(obj: Any, key: str) -> Any:
    return obj[key] if isinstance(obj, Mapping) else getattr(obj, key)


def score_band(score: float, n_passages: int) -> str:
    """How to read ``score`` in a few words ("partly reused, or heavily reworded")."""
    if n_passages == 0:
        return "related by topic only, no shared passage"
    return next(words for low, words in BANDS if score >= low)


def dominant_kind(passages: Iterable[Any]) -> str | None:
    """The passage kind covering the most characters (both sides), or None without passages."""
    chars: dict[str, int] = {}
    for p in passages:
        size = (_get(p, "a_end") - _get(p, "a_start")) + (_get(p, "b_end") - _get(p, "b_start"))
        chars[_get(p, "kind")] = chars.get(_get(p, "kind"), 0) + size
    return max(chars, key=lambda k: (chars[k], k)) if chars else None


def explain_score(pair: Any, passages: Iterable[Any]) -> str:
    """One sentence that reads the pair's score and its coverage together.

    ``pair`` and ``passages`` are model objects or their JSON records (``reuse show`` has records).
    """
    score, n = float(_get(pair, "score")), int(_get(pair, "n_passages"))
    band = score_band(score, n)
    if n == 0:
        return f"Score {score:.3f}: {band}; at most {TOPIC_WEIGHT} comes from topic alone."
    cov_a, cov_b = float(_get(pair, "coverage_a")), float(_get(pair, "coverage_b"))
    kind = dominant_kind(passages)
    how = f", mostly {KIND_WORDS[kind]}" if kind in KIND_WORDS else ""
    text = (f"Score {score:.3f}: {band}. {cov_a * 100:.1f}% of A and {cov_b * 100:.1f}% of B lie in shared "
            f"passages{how}")
    if max(cov_a, cov_b) - score > 0.1:
        text += ": so the score stays well below the share of text"
    return text + "."


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host and no whitespace or control characters, else None."""
    if not url or any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
