"""Terms for claim matching: light stemming with word variants, and which words are names.

Paraphrase matching compares *claims*, so two forms of one word must meet: "bomb"/"bombing"/
"bombers", "expelled"/"expulsion", "assassinations"/"assassinating", "Albania"/"Albanian". A
full morphological analyser is overkill; a light suffix stripper that also undoes the common
Latin stem alternations of English nominals (-pel/-pulsion, -de/-sion, -t/-ssion, -be/-ption)
gets those pairs right and is cheap enough to run on every token.

The claim matcher applies it to lemmas (:mod:`reuse.text.lexicon`): the lemmatiser undoes
inflection ("was" -> "be", "seized" -> "seize"), this stemmer the derivational alternations.
"""
from __future__ import annotations

from functools import lru_cache

_VOWELS = set("aeiouy")

# Nominal suffixes and the verb stem they alternate with (longest first). "expulsion" -> "expel",
# "decision" -> "decid", "admission" -> "admit", "description" -> "describ".
_NOMINAL = (
    ("ization", "iz"), ("isation", "iz"), ("ulsion", "el"), ("ission", "it"), ("ession", "ess"),
    ("ption", "b"), ("ction", "ct"), ("ation", "at"), ("ition", "it"), ("ension", "end"), ("sion", "d"),
    ("tion", "t"),
)
_NOMINAL_ENDS = tuple(suffix for suffix, _ in _NOMINAL)
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
    if w.endswith(_NOMINAL_ENDS):  # one test for all of them first: most words end in none
        for suffix, repl in _NOMINAL:
            # at least five letters must remain: "station" stays apart from "state"
            if w.endswith(suffix) and len(w) - len(suffix) + len(repl) >= 5:
                return _tidy(w[: -len(suffix)] + repl)
    if w.endswith(_SUFFIXES):
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
