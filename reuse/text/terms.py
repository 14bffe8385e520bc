"""Terms for claim matching: light stemming with word variants, and which words are names.

Paraphrase matching compares *claims*, so two forms of one word must meet: "bomb"/"bombing"/
"bombers", "expelled"/"expulsion", "assassinations"/"assassinating", "Albania"/"Albanian". A
full morphological analyser is overkill; a light suffix stripper that also undoes the common
Latin stem alternations of English nominals (-pel/-pulsion, -de/-sion, -t/-ssion, -be/-ption)
gets those pairs right and is cheap enough to run on every token.

Names matter the other way round: sharing "the National Council of Resistance of Iran" is not
sharing a claim. :func:`name_terms` learns from the corpus which terms are names (capitalised in
the middle of sentences most of the time), so the paraphrase scorer can count a whole name
phrase as one piece of evidence instead of five.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from reuse.text.stopwords import ENGLISH_STOP_WORDS
from reuse.text.tokens import Tokens

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset({"s", "t", "said", "says", "also", "mr", "mrs", "ms"})
"""Function words (scikit-learn's English list) plus reporting filler that carries no claim."""

_VOWELS = set("aeiouy")

# Nominal suffixes and the verb stem they alternate with (longest first). "expulsion" -> "expel",
# "decision" -> "decid", "admission" -> "admit", "description" -> "describ".
_NOMINAL = (
    ("ization", "iz"), ("isation", "iz"), ("ulsion", "el"), ("ission", "it"), ("ession", "ess"),
    ("ption", "b"), ("ction", "ct"), ("ation", "at"), ("ition", "it"), ("ension", "end"), ("sion", "d"),
    ("tion", "t"),
)
_SUFFIXES = ("ments", "ment", "ness", "ing", "edly", "ed", "er", "ist", "ism", "ian", "ly", "ic", "ia")


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """A light stem of a normalised word: plural, inflection and one derivational suffix stripped.

    Only strips when at least four characters (with a vowel) remain, so short words and most
    names are left alone; numbers are returned unchanged.
    """
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    w = _singular(w)
    for suffix, repl in _NOMINAL:
        # at least five letters must remain: "station" stays apart from "state"
        if w.endswith(suffix) and len(w) - len(suffix) + len(repl) >= 5:
            return _tidy(w[: -len(suffix)] + repl)
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and _ok_base(w[: -len(suffix)]):
            w = w[: -len(suffix)]
            break
    return _tidy(w)


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 4:
        return w[:-1]
    return w


def _ok_base(base: str) -> bool:
    return len(base) >= 4 and any(c in _VOWELS for c in base)


def _tidy(w: str) -> str:
    # Undo doubled final consonants ("planned" -> "plann" -> "plan", "expelled" -> "expel").
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] != "s":
        w = w[:-1]
    if w.endswith("re") and len(w) > 4 and w[-3] not in _VOWELS:  # "centre" -> "center"
        w = w[:-2] + "er"
        if _ok_base(w[:-2]):
            w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def is_content(norm: str) -> bool:
    """Whether a normalised token can carry a claim (not a function word or a lone character)."""
    return len(norm) > 1 and norm not in STOP_WORDS or norm.isdigit()


def name_terms(texts: Sequence[str], tokens: Sequence[Tokens], *, min_share: float = 0.5) -> frozenset[str]:
    """Normalised words the corpus writes capitalised mid-sentence more than ``min_share`` of the time.

    Sentence-initial words are ignored (every sentence starts with a capital), so "Albania" is a
    name and "Bombing" at the start of a sentence is not. Acronyms (all capitals) count as names.
    """
    upper: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text, toks in zip(texts, tokens):
        for k, norm in enumerate(toks.norms):
            if not is_content(norm) or norm.isdigit():
                continue
            start = int(toks.starts[k])
            if _sentence_initial(text, start, int(toks.ends[k - 1]) if k else None):
                continue
            seen[norm] += 1
            if text[start].isupper():
                upper[norm] += 1
    return frozenset(t for t, n in seen.items() if upper[t] > min_share * n)


def _sentence_initial(text: str, start: int, prev_end: int | None) -> bool:
    if prev_end is None:
        return True
    gap = text[prev_end:start]
    return any(c in ".!?:\n•“\"" for c in gap)


def name_runs(norms: Sequence[str], names: frozenset[str], breaks: np.ndarray | None = None) -> np.ndarray:
    """Per token, an id of the name phrase it belongs to (-1 outside names).

    A name phrase is a run of name words, allowing "of", "the", "and", "for" inside it
    ("National Council of Resistance of Iran" is one phrase). ``breaks[k]`` true means a
    comma, semicolon or colon precedes token ``k``: a list of names ("NBC, Der Spiegel") is
    several phrases, not one.
    """
    ids = np.full(len(norms), -1, dtype=np.int64)
    run = -1
    k = 0
    n = len(norms)
    while k < n:
        if norms[k] in names:
            run += 1
            j = k
            while j < n and (j == k or breaks is None or not breaks[j]):
                if norms[j] in names or norms[j] in _NAME_GLUE and j + 1 < n and norms[j + 1] in names and (
                        breaks is None or not breaks[j + 1]):
                    ids[j] = run
                    j += 1
                else:
                    break
            k = j
        else:
            k += 1
    return ids


def list_breaks(text: str, tokens: Tokens) -> np.ndarray:
    """Per token, whether a comma, semicolon or colon separates it from the previous token."""
    out = np.zeros(len(tokens), dtype=bool)
    for k in range(1, len(tokens)):
        gap = text[int(tokens.ends[k - 1]) : int(tokens.starts[k])]
        out[k] = any(c in ",;:" for c in gap)
    return out


_NAME_GLUE = frozenset({"of", "the", "and", "for", "de", "al"})
