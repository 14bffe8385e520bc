"""The one English stop list, and the three uses that read it.

Every stage asks "does this word say something about the content?", with a different bar for
what a claim, a topic or a passage needs; all three bars are drawn here from one list
(scikit-learn's ``ENGLISH_STOP_WORDS``, the list every peer uses), so what counts as a function
word is decided in one place:

* :func:`is_term`: a TF-IDF term (document cosine, top shared terms, report highlights): not a stop
  word, not a lone character;
* :data:`CLAIM_STOP_WORDS` / :func:`is_content` (``reuse.text.terms``): words that carry a claim,
  the stop list plus reporting filler ("said", "mr");
* :data:`FUNCTION_WORDS`: the aligner's sentence terms, the stop list minus the content words
  scikit-learn's list happens to hold ("computer", "fire", "bill", numbers).
"""
from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as _SKLEARN

from reuse.text.normalize import normalize, token_hash

STOP_WORDS = frozenset(_SKLEARN)
"""Function words: scikit-learn's English list."""

CLAIM_STOP_WORDS = STOP_WORDS | frozenset({"s", "t", "said", "says", "also", "mr", "mrs", "ms"})
"""Function words plus reporting filler that carries no claim."""

_CONTENT_IN_STOP_WORDS = frozenset(
    "amount back bill bottom call computer con cry describe detail eight eleven empty fifteen fifty "
    "fill find fire first five forty found four front full give hundred interest last mill move name "
    "next nine part put see serious show side six sixty system take ten third thick thin three top "
    "twelve twenty two well".split()
)
FUNCTION_WORDS = STOP_WORDS - _CONTENT_IN_STOP_WORDS
"""The stop list without the content words it also holds, which carry a passage's meaning."""

STOP_IDS = np.unique(np.array([token_hash(normalize(w)) for w in STOP_WORDS], dtype=np.uint64))
"""Token ids of :data:`STOP_WORDS`, sorted: the same test on ids, for the batch kernels."""


def is_term(norm: str) -> bool:
    """Whether a normalised token is a TF-IDF term: not a stop word, not a lone character."""
    return len(norm) > 1 and norm not in STOP_WORDS


def is_stop_id(ids: np.ndarray) -> np.ndarray:
    """Per token id, whether it is the id of a stop word."""
    pos = np.minimum(np.searchsorted(STOP_IDS, ids), len(STOP_IDS) - 1)
    return STOP_IDS[pos] == ids
