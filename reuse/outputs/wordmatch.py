"""Which words two versions of a passage share exactly, as character spans into each side.

An edited or paraphrased passage is only trusted when the reader can see what is the same and what
changed. We compare the *normalised* word tokens of both sides (so curly quotes, case and NBSPs do
not count as edits) with an Indel alignment, and map every run of equal words back to
``[start, end)`` offsets in the original strings: what is marked is exactly what the file says.
"""
from __future__ import annotations

from rapidfuzz.distance import Indel
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from reuse.text.tokens import Tokens, tokenize

Span = tuple[int, int]


def shared_runs(text_a: str, text_b: str, *, reordered: bool = False) -> tuple[list[Span], list[Span]]:
    """Runs of words equal on both sides, as character spans into ``text_a`` and ``text_b``.

    Each run covers consecutive matched words of the longest common word sequence, from the first
    word's start to the last word's end, so the space and punctuation between them are marked too.
    A paraphrase reorders its words, which an in-order alignment cannot see: with ``reordered``,
    every other content word (not an English stop word) found on both sides is added as a span of
    its own. In a paraphrase only content is evidence, so there a run made only of stop words and
    one-letter tokens (the ``s`` of a possessive, "the", "of the") is not marked, and runs are trimmed
    to their first and last content word: otherwise two rewordings would show as sharing words
    they share with any English text. Spans are sorted by start.
    """
    ta, tb = tokenize(text_a), tokenize(text_b)
    if not len(ta) or not len(tb):
        return [], []
    runs_a: list[Span] = []
    runs_b: list[Span] = []
    for op in Indel.opcodes(list(ta.norms), list(tb.norms)):
        if op.tag != "equal":
            continue
        first, last = 0, op.src_end - op.src_start - 1  # equal runs have the same length on both sides
        if reordered:  # trim stop words and one-letter tokens off both ends; drop a run of nothing else
            content = [k for k in range(last + 1) if _is_content(ta.norms[op.src_start + k])]
            if not content:
                continue
            first, last = content[0], content[-1]
        runs_a.append((int(ta.starts[op.src_start + first]), int(ta.ends[op.src_start + last])))
        runs_b.append((int(tb.starts[op.dest_start + first]), int(tb.ends[op.dest_start + last])))
    if reordered:
        runs_a = _with_loose_words(ta, set(tb.norms), runs_a)
        runs_b = _with_loose_words(tb, set(ta.norms), runs_b)
    return runs_a, runs_b


def _with_loose_words(tokens: Tokens, other: set[str], runs: list[Span]) -> list[Span]:
    """``runs`` plus each content word of ``tokens`` that occurs in ``other`` and lies outside every run."""
    out = list(runs)
    for start, end, norm in zip(tokens.starts.tolist(), tokens.ends.tolist(), tokens.norms):
        if norm in other and _is_content(norm) and not any(s <= start and end <= e for s, e in runs):
            out.append((start, end))
    return sorted(out)


def _is_content(norm: str) -> bool:
    """A word that can carry meaning: not an English stop word, longer than one letter (possessive ``s``)."""
    return len(norm) > 1 and norm not in ENGLISH_STOP_WORDS


def shift(spans: list[Span], offset: int) -> list[Span]:
    """``spans`` moved by ``offset``: from passage coordinates to document coordinates."""
    return [(s + offset, e + offset) for s, e in spans]
